using System.Text;
using JaxSharp.Primitives.Windows;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// What the window kernels share, in OpenCL C, as the CPU's <c>WindowGeometry</c>: the operand
/// offset of a window's element, and the selection of max pooling's JVP and gradient. A window's
/// elements are walked row-major (the last axis fastest), padding and the holes of base dilation
/// skipped, so that reductions and selections see them in the CPU's order.
/// </summary>
/// <param name="Window">The window's parameters.</param>
/// <param name="Operand">The operand's shape.</param>
internal sealed record WindowCode(WindowParams Window, Shape Operand)
{
    /// <summary>The number of elements of one window.</summary>
    public long Size => Window.WindowDimensions.Aggregate(1L, (a, b) => a * b);

    /// <summary>
    /// Opens a loop over the elements of the window whose coordinates are <c>{window}d</c>: inside
    /// it, <c>at</c> is the operand offset of an element that is neither padding nor a hole (the
    /// others are skipped). Close it with <c>}</c> at <paramref name="indent"/>.
    /// </summary>
    public string Loop(string window, string indent)
    {
        var inner = indent + "    ";
        var code = new StringBuilder($"{indent}for (long k = 0; k < {Size}L; k++) {{\n");
        code.Append(IndexCode.Decompose("k", new Shape(Window.WindowDimensions), "k", inner));
        code.Append($"{inner}long at = 0;\n");
        var strides = Operand.Strides();
        for (var d = 0; d < Operand.Rank; d++)
        {
            var dilation = Window.BaseDilation[d];
            code.Append($"{inner}const long p{d} = {window}{d} * {Window.WindowStrides[d]}L + k{d} * {Window.WindowDilation[d]}L - {Window.PaddingLow[d]}L;\n");
            var hole = dilation == 1 ? "" : $" || p{d} % {dilation}L != 0";
            code.Append($"{inner}if (p{d} < 0{hole} || p{d} / {dilation}L >= {Operand[d]}L) continue;\n");
            code.Append($"{inner}at += p{d} / {dilation}L * {strides[d]}L;\n");
        }
        return code.ToString();
    }

    /// <summary>
    /// Declares <c>best</c>: the operand offset of the first largest (or smallest) element of
    /// <paramref name="operand"/> in the window whose coordinates are <c>{window}d</c>, -1 when the
    /// window is all padding; as the CPU's <c>Select</c>, a NaN is never chosen over a number before it.
    /// </summary>
    public string Select(string window, string operand, bool selectsMax, string indent)
    {
        var order = selectsMax ? ">" : "<";
        return $"{indent}long best = -1;\n{Loop(window, indent)}" +
               $"{indent}    if (best < 0 || {operand}[at] {order} {operand}[best]) best = at;\n{indent}}}\n";
    }
}
