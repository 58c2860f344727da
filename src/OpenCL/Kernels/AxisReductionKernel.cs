using System.Text;
using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives;
using JaxSharp.Primitives.Reductions;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of the reductions the CPU runs as kernels rather than fused loops:
/// <c>argmax</c> and <c>argmin</c> (the first index of the extreme value, the first NaN for
/// floats, as the CPU and JAX) and <c>reduce_and</c>/<c>reduce_or</c> of bools. One work item per
/// output element walks the reduced axes in row-major order.
/// </summary>
internal static class AxisReductionKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "axis_reduction";

    /// <summary>Whether <paramref name="primitive"/> is one of the reductions this kernel computes.</summary>
    public static bool Handles(Primitive primitive) => primitive is IndexReduction or LogicalReduction;

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, an argmax, argmin, reduce_and or reduce_or.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var input = facts.AvalOf(app.Arguments[0]);
        var axes = app.Params is ArgReduceParams arg ? arg.Axes : ((ReduceParams)app.Params).Axes;
        var strides = input.Shape.Strides();
        var kept = Enumerable.Range(0, input.Rank).Where(d => !axes.Contains(d)).ToArray();
        var reduced = Enumerable.Range(0, input.Rank).Where(axes.Contains).ToArray();
        var reducedShape = new Shape(reduced.Select(d => input.Shape[d]));
        var body = new StringBuilder(IndexCode.Decompose("gid", app.Avals[0].Shape));
        var start = string.Join(" + ", kept.Select((d, k) => $"i{k} * {strides[d]}L").Prepend("0L"));
        body.Append($"    const long start = {start};\n");
        string Offset(string r) => string.Join(" + ", reduced.Select((d, j) => $"{r}{j} * {strides[d]}L").Prepend("start"));
        var type = IndexCode.Stored(input.DType);
        if (app.Primitive is IndexReduction)
        {
            var beats = app.Primitive is Argmax ? "v > best" : "v < best";
            var nan = input.DType.IsFloat();
            body.Append($"    {type} best = in0[start];\n    long index = 0;\n");
            body.Append($"    for (long k = 1; k < {reducedShape.Size}L{(nan ? " && !isnan(best)" : "")}; k++) {{\n");
            body.Append(IndexCode.Decompose("k", reducedShape, "r", "        "));
            body.Append($"        const {type} v = in0[{Offset("r")}];\n        if ({(nan ? "isnan(v) || " : "")}{beats}) {{ best = v; index = k; }}\n    }}\n");
            body.Append($"    out0[gid] = ({IndexCode.Stored(app.Avals[0].DType)})index;\n");
        }
        else
        {
            var absorbing = app.Primitive is ReduceOr ? 1 : 0;
            body.Append($"    uchar result = {1 - absorbing};\n    for (long k = 0; k < {reducedShape.Size}L; k++) {{\n");
            body.Append(IndexCode.Decompose("k", reducedShape, "r", "        "));
            body.Append($"        if ((in0[{Offset("r")}] != 0) == {absorbing}) {{ result = {absorbing}; break; }}\n    }}\n    out0[gid] = result;\n");
        }
        return IndexCode.PerElement(facts, equation, Name, body.ToString());
    }
}
