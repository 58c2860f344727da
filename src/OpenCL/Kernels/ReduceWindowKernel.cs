using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives;
using JaxSharp.Primitives.Windows;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>reduce_window_sum</c>, <c>_max</c> and <c>_min</c>, with strides,
/// padding and base and window dilation: one work item per output element walks its window in
/// the CPU's order (<see cref="WindowCode"/>) and combines as the CPU does (int32 sums wrap,
/// uint32 compares unsigned, max and min take a NaN and keep the first of equal values), so the
/// results are the CPU's bit for bit, float sums included.
/// </summary>
internal static class ReduceWindowKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "reduce_window";

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a reduce_window.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var output = app.Avals[0];
        var window = new WindowCode((WindowParams)app.Params, facts.AvalOf(app.Arguments[0]).Shape);
        var type = IndexCode.Stored(output.DType);
        var (identity, combine) = Monoid(app.Primitive, type);
        var body = IndexCode.Decompose("gid", output.Shape) +
                   $"    {type} acc = {identity};\n{window.Loop("i", "    ")}" +
                   $"        const {type} v = in0[at];\n        acc = {combine};\n    }}\n    out0[gid] = acc;\n";
        return IndexCode.PerElement(facts, equation, Name, body);
    }

    /// <summary>The identity and the combination of <c>acc</c> with <c>v</c>, as the CPU's <c>WindowKernels.Reduce</c>.</summary>
    private static (string Identity, string Combine) Monoid(Primitive primitive, string type)
    {
        var floating = type is "float" or "double";
        var nan = floating ? " || isnan(v)" : "";
        var (lowest, highest) = type switch
        {
            "int" => ("INT_MIN", "INT_MAX"),
            "uint" => ("0u", "UINT_MAX"),
            _ => ("-INFINITY", "INFINITY"),
        };
        return primitive switch
        {
            ReduceWindowSum => (floating ? "0" : type == "uint" ? "0u" : "0", type == "int" ? "jx_add_int(acc, v)" : "acc + v"),
            ReduceWindowMax => (lowest, $"v > acc{nan} ? v : acc"),
            ReduceWindowMin => (highest, $"v < acc{nan} ? v : acc"),
            _ => throw new ArgumentException($"reduce_window: {primitive.Name} has no OpenCL kernel"),
        };
    }
}
