using System.Text;
using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives.Windows;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>select_and_scatter_add(source, operand)</c>, max (and min) pooling's
/// gradient, without atomics: one work item per operand element walks the windows that cover it
/// in ascending order, finds each one's selected element as the CPU does
/// (<see cref="WindowCode.Select"/>) and adds the window's source element when that is its own.
/// The CPU adds each window's source in ascending window order too, so float sums are its bit for bit.
/// </summary>
internal static class SelectAndScatterKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "select_and_scatter_add";

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a select_and_scatter_add.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var p = (SelectParams)app.Params;
        var w = p.Window;
        var output = app.Avals[0];
        var operand = output.Shape;
        var windows = facts.AvalOf(app.Arguments[0]).Shape;
        var window = new WindowCode(w, operand);
        var type = IndexCode.Stored(output.DType);
        var body = new StringBuilder(IndexCode.Decompose("gid", operand, "x"));
        body.Append($"    {type} acc = 0;\n");
        var indent = "    ";
        for (var d = 0; d < operand.Rank; d++)
        {
            // the windows o with o * stride + k * window dilation = the element's padded position, for some k in the window
            var (stride, dilation, size) = (w.WindowStrides[d], w.WindowDilation[d], w.WindowDimensions[d]);
            body.Append($"{indent}const long q{d} = x{d} * {w.BaseDilation[d]}L + {w.PaddingLow[d]}L;\n");
            body.Append($"{indent}const long last{d} = q{d} < 0 ? -1 : min({windows[d] - 1}L, q{d} / {stride}L);\n");
            body.Append($"{indent}for (long o{d} = max(0L, (q{d} - {(size - 1L) * dilation}L + {stride - 1}L) / {stride}L); o{d} <= last{d}; o{d}++) {{\n");
            indent += "    ";
            if (dilation != 1) body.Append($"{indent}if ((q{d} - o{d} * {stride}L) % {dilation}L != 0) continue;\n");
        }
        body.Append(window.Select("o", "in1", p.SelectsMax, indent));
        var add = type == "int" ? "jx_add_int(acc, in0[{0}])" : "acc + in0[{0}]";
        body.Append($"{indent}if (best == gid) acc = {string.Format(add, IndexCode.Flat(windows, d => $"o{d}"))};\n");
        for (var d = operand.Rank - 1; d >= 0; d--)
        {
            indent = indent[4..];
            body.Append($"{indent}}}\n");
        }
        body.Append("    out0[gid] = acc;\n");
        return IndexCode.PerElement(facts, equation, Name, body.ToString());
    }
}
