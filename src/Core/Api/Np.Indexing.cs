using JaxSharp.Primitives;

namespace JaxSharp;

public static partial class Np
{
    /// <summary>
    /// The elements of <paramref name="x"/> at <paramref name="indices"/> along
    /// <paramref name="axis"/> (of the flattened tensor when null): the result's shape is
    /// <c>x.shape[:axis] + indices.shape + x.shape[axis+1:]</c>. As <c>jnp.take</c>, the
    /// default mode fills out-of-range positions with <paramref name="fillValue"/> (NaN for
    /// floats) after wrapping negative indices once; <see cref="GatherScatterMode.Clip"/> clamps instead.
    /// </summary>
    /// <example><c>Np.Take(x, Np.Array(new[] { 2, 0 }), axis: 1)</c> picks columns 2 and 0.</example>
    public static Tensor Take(Tensor x, Tensor indices, int? axis = null, GatherScatterMode mode = GatherScatterMode.FillOrDrop, double? fillValue = null)
    {
        NotNull(x);
        NotNull(indices);
        var (y, a) = axis is { } ax ? (x, x.Shape.NormalizeAxis(ax, "take")) : (Ravel(x), 0);
        var idx = IndexTensor(indices, "take");
        if (mode == GatherScatterMode.FillOrDrop) idx = WrapNegative(idx, y.Shape[a]);
        var offsetDims = Enumerable.Range(0, y.Rank - 1).Select(d => d < a ? d : d + idx.Rank).ToArray();
        var sizes = y.Shape.ToArray();
        sizes[a] = 1;
        var dn = new GatherDimensionNumbers(offsetDims, new Ints(a), new Ints(a));
        return Lax.Gather(y, Lax.ExpandDims(idx, new Ints(idx.Rank)), dn, sizes, mode, fillValue);
    }

    /// <summary>
    /// Picks along <paramref name="axis"/> at the matching positions of <paramref name="indices"/>
    /// (same rank as <paramref name="x"/>; other axes broadcast): <c>out[i, j] = x[i, indices[i, j]]</c>
    /// for axis 1. Negative indices count from the end; out-of-range ones give the fill value.
    /// </summary>
    /// <example><c>Np.TakeAlongAxis(x, Np.Argsort(x, 1), 1)</c> sorts each row.</example>
    public static Tensor TakeAlongAxis(Tensor x, Tensor indices, int axis, GatherScatterMode mode = GatherScatterMode.FillOrDrop, double? fillValue = null)
    {
        NotNull(x);
        NotNull(indices);
        var a = x.Shape.NormalizeAxis(axis, "take_along_axis");
        var idx = IndexTensor(indices, "take_along_axis");
        if (idx.Rank != x.Rank)
            throw new ArgumentException($"take_along_axis: indices of shape {idx.Shape} must have the rank of the array {x.Shape}");
        // broadcast the other axes against each other; the indexed axis keeps each side's size
        var others = Broadcasting.Shapes("take_along_axis",
            new Shape(x.Shape.Select((s, d) => d == a ? 1 : s)), new Shape(idx.Shape.Select((s, d) => d == a ? 1 : s)));
        x = BroadcastTo(x, new Shape(others.Select((s, d) => d == a ? x.Shape[a] : s)));
        idx = WrapNegative(BroadcastTo(idx, new Shape(others.Select((s, d) => d == a ? idx.Shape[a] : s))), x.Shape[a]);
        // every other axis is a batching axis: out[..., j, ...] = x[..., idx[..., j, ...], ...]
        var batching = Enumerable.Range(0, x.Rank).Where(d => d != a).ToArray();
        var dn = new GatherDimensionNumbers(Ints.Empty, new Ints(a), new Ints(a), batching, batching);
        return Lax.Gather(x, Lax.ExpandDims(idx, new Ints(idx.Rank)), dn, Enumerable.Repeat(1, x.Rank).ToArray(), mode, fillValue);
    }

    /// <summary>Integer indices as int32; other dtypes are an error.</summary>
    internal static Tensor IndexTensor(Tensor indices, string op)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (!indices.DType.IsInteger())
            throw new ArgumentException($"{op}: indices must be integers, got {indices.DType.Name()}{indices.Shape}; convert with Np.AsType(indices, DType.Int32)");
        return Cast(indices, DType.Int32);
    }

    /// <summary>Negative indices i become i + n (numpy's from-the-end indexing), once.</summary>
    internal static Tensor WrapNegative(Tensor indices, int n) => Where(Greater(0, indices), indices + n, indices);
}
