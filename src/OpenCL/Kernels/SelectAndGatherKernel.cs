using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives.Windows;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>select_and_gather_add(tangent, operand)</c>, max (and min) pooling's
/// JVP: one work item per window finds the window's first largest (smallest) operand element
/// as the CPU does (<see cref="WindowCode.Select"/>) and reads the tangent there (zero for a
/// window of padding only). Data movement: bit for bit the CPU's.
/// </summary>
internal static class SelectAndGatherKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "select_and_gather_add";

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a select_and_gather_add.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var p = (SelectParams)app.Params;
        var output = app.Avals[0];
        var window = new WindowCode(p.Window, facts.AvalOf(app.Arguments[1]).Shape);
        var body = IndexCode.Decompose("gid", output.Shape) + window.Select("i", "in1", p.SelectsMax, "    ") +
                   "    out0[gid] = best < 0 ? 0 : in0[best];\n";
        return IndexCode.PerElement(facts, equation, Name, body);
    }
}
