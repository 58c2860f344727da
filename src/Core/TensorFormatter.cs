using System.Globalization;
using System.Text;

namespace JaxSharp;

/// <summary>
/// numpy-style text of a tensor on one line: <c>Tensor([[1. 2.] [3. 4.]], float32)</c>, which
/// is numpy's <c>str</c> with its line breaks and padding collapsed to single spaces. Floats
/// print in their shortest round-trip form (<c>2.</c> for whole numbers). As numpy does, past
/// 1000 elements (the threshold) each axis longer than six shows its first and last three
/// entries (the edge items) around <c>...</c>, and an empty tensor prints as <c>[]</c> with its
/// shape, as numpy's repr: <c>Tensor([], shape=(100000, 0), float32)</c>.
/// </summary>
internal static class TensorFormatter
{
    private const int Threshold = 1000;
    private const int EdgeItems = 3;

    public static string Format(Tensor t)
    {
        var data = t.Data;
        var summarize = t.Size > Threshold;
        var sb = new StringBuilder("Tensor(");
        if (t.Rank == 0) sb.Append(Element(data.GetValue(0)!));
        else if (t.Size == 0) sb.Append(t.Rank == 1 ? "[]" : $"[], shape={t.Shape}");
        else AppendAxis(sb, data, t.Shape, t.Shape.Strides(), 0, 0, summarize);
        sb.Append(", ").Append(t.DType.Name()).Append(')');
        return sb.ToString();
    }

    private static void AppendAxis(StringBuilder sb, Array data, Shape shape, int[] strides, int axis, int offset, bool summarize)
    {
        sb.Append('[');
        var n = shape[axis];
        var skip = summarize && n > 2 * EdgeItems;
        for (var i = 0; i < n; i++)
        {
            if (skip && i == EdgeItems) { sb.Append(" ..."); i = n - EdgeItems; }
            if (i > 0) sb.Append(' ');
            var at = offset + i * strides[axis];
            if (axis == shape.Rank - 1) sb.Append(Element(data.GetValue(at)!));
            else AppendAxis(sb, data, shape, strides, axis + 1, at, summarize);
        }
        sb.Append(']');
    }

    /// <summary>One element as numpy prints it: <c>2.</c>, <c>0.5</c>, <c>nan</c>, <c>True</c>, <c>3</c>.</summary>
    public static string Element(object value) => value switch
    {
        float f => Float(f, f.ToString("R", CultureInfo.InvariantCulture)),
        double d => Float(d, d.ToString("R", CultureInfo.InvariantCulture)),
        bool b => b ? "True" : "False",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private static string Float(double v, string text)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        if (text.Contains('E')) return text.Replace("E", "e");
        return text.Contains('.') ? text : text + ".";
    }
}
