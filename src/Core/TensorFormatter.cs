using System.Globalization;
using System.Text;

namespace JaxSharp;

/// <summary>
/// numpy-style text of a tensor on one line: <c>Tensor([[1. 2.] [3. 4.]], float32)</c>.
/// Floats print in their shortest round-trip form (<c>2.</c> for whole numbers); past 1000
/// elements each long axis shows its first and last three entries around <c>...</c>, as numpy does.
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
            if (skip && i == EdgeItems) { sb.Append("... "); i = n - EdgeItems; }
            if (i > 0 && !(skip && i == n - EdgeItems)) sb.Append(' ');
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
