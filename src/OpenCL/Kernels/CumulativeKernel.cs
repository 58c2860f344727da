using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives;
using JaxSharp.Primitives.Cumulative;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>cumsum</c>, <c>cumprod</c>, <c>cummax</c> and <c>cummin</c>, along
/// any axis, forwards or reversed: one work item per line walks it in order, combining as the
/// CPU does (integers wrap, max and min propagate NaN), so the results are the CPU's bit for
/// bit, float sums included. A line is sequential work: a long line with few lines to run
/// beside it would want a work-group scan instead.
/// </summary>
internal static class CumulativeKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "cumulative";

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a cumulative op.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var (axis, reverse) = (CumulativeParams)app.Params;
        var output = app.Avals[0];
        var shape = output.Shape;
        var (length, stride) = (shape[axis], shape.Strides()[axis]);
        var type = IndexCode.Stored(output.DType);
        var combine = Combine(app.Primitive, type);
        var step = reverse ? -stride : stride;
        var body = $"""
                const long first = gid / {stride}L * {(long)length * stride}L + gid % {stride}L{(reverse ? $" + {(length - 1L) * stride}L" : "")};
                {type} acc = in0[first];
                out0[first] = acc;
                for (long k = 1, i = first + {step}L; k < {length}L; k++, i += {step}L) {'{'}
                    acc = {combine};
                    out0[i] = acc;
                {'}'}

            """;
        var text = IndexCode.PerElement(facts, equation, Name, length == 0 ? "" : body);
        return text with { WorkItems = length == 0 ? 0 : shape.Size / length };
    }

    /// <summary>The running value combined with element <c>in0[i]</c>, as the CPU's <c>Combine</c>.</summary>
    private static string Combine(Primitive primitive, string type) => (primitive, type) switch
    {
        (Cumsum, "int") => "jx_add_int(acc, in0[i])",
        (Cumsum, _) => "acc + in0[i]",
        (Cumprod, "int") => "jx_mul_int(acc, in0[i])",
        (Cumprod, _) => "acc * in0[i]",
        (Cummax, _) => $"jx_max_{type}(acc, in0[i])",
        (Cummin, _) => $"jx_min_{type}(acc, in0[i])",
        _ => throw new ArgumentException($"cumulative: {primitive.Name} has no OpenCL combiner"),
    };
}
