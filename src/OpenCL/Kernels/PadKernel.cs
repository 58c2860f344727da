using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>pad</c>: one work item per output element finds, along each axis,
/// the operand element it holds (past the low padding, on a multiple of the interior step,
/// inside the operand), else stores the padding value. Negative low or high padding crops.
/// </summary>
internal static class PadKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "pad";

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a pad.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var p = (PadParams)app.Params;
        var input = facts.AvalOf(app.Arguments[0]).Shape;
        var output = app.Avals[0].Shape;
        var body = new System.Text.StringBuilder(IndexCode.Decompose("gid", output));
        body.Append("    bool inside = true;\n");
        for (var d = 0; d < input.Rank; d++)
        {
            var step = p.Interior[d] + 1;
            body.Append($"    const long p{d} = i{d} - ({p.Low[d]}L);\n");
            body.Append($"    const long j{d} = p{d} >= 0 ? p{d} / {step} : 0;\n");
            body.Append($"    inside = inside && p{d} >= 0 && p{d} % {step} == 0 && j{d} < {input[d]};\n");
        }
        body.Append($"    out0[gid] = inside ? in0[{IndexCode.Flat(input, d => $"j{d}")}] : in1[0];\n");
        return IndexCode.PerElement(facts, equation, Name, body.ToString());
    }
}
