namespace JaxSharp.Primitives;

/// <summary>numpy's broadcasting of shapes, with the error message JaxSharp gives when it fails.</summary>
public static class Broadcasting
{
    /// <summary>
    /// The broadcast shape of <paramref name="shapes"/>: aligned at the right, each axis the
    /// common size, where size 1 stretches.
    /// </summary>
    /// <exception cref="ArgumentException">Two sizes of an axis differ and neither is 1.</exception>
    public static Shape Shapes(string op, params Shape[] shapes)
    {
        var rank = 0;
        foreach (var s in shapes) rank = Math.Max(rank, s.Rank); // not LINQ's Max over int: JIT-compiled in every process
        var dims = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            dims[d] = 1;
            foreach (var s in shapes)
            {
                var k = d - (rank - s.Rank);
                if (k < 0 || s[k] == 1) continue;
                if (dims[d] != 1 && dims[d] != s[k])
                    throw new ArgumentException($"{op}: shapes {string.Join(" and ", shapes.Select(x => x.ToString()))} do not broadcast; " +
                        "sizes must match or be 1 along each axis (aligned at the right); reshape or expand_dims one of them");
                dims[d] = s[k];
            }
        }
        return TensorLimits.Check(op, new Shape(dims));
    }
}
