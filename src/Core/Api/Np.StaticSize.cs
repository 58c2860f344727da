namespace JaxSharp;

// jnp's functions whose output length depends on the values (nonzero, unique...): under jit
// they take a static size, as in JAX, and fill the rest; outside jit the size may be left out.
public static partial class Np
{
    /// <summary>The static size, or the count from concrete values; a traced x without a size is the error JAX gives.</summary>
    private static int SizeOrCount(Tensor count, int? size, Tensor x, string op)
    {
        if (size is int s)
        {
            if (s < 0) throw new ArgumentException($"{op}: size is {s}; it must be >= 0");
            return s;
        }
        if (x.IsTracer)
            throw new ArgumentException($"{op}: the length of the result depends on x's values, which are traced here (under jit, vmap or grad); pass a static size (and a fillValue), as in JAX");
        return count.Item<int>();
    }

    /// <summary>
    /// The positions of the first <paramref name="size"/> true elements of the 1-d bool mask, in
    /// order, and whether each slot is filled: slot j holds the index whose running count is j + 1.
    /// </summary>
    private static (Tensor Positions, Tensor Filled) Compact(Tensor mask, int size)
    {
        var running = Cumsum(AsType(mask, DType.Int32));
        var slots = Add(Arange(size), 1);
        var positions = Sum(AsType(Less(ExpandDims(running, 0), ExpandDims(slots, 1)), DType.Int32), 1);
        var total = mask.Size == 0 ? Tensor.Scalar(0) : Take(running, Array(new[] { mask.Size - 1 }))[0];
        return (Minimum(positions, Math.Max(mask.Size - 1, 0)), LessEqual(slots, total));
    }

    /// <summary>
    /// The flat indices of the non-zero elements (<c>jnp.flatnonzero</c>): the first
    /// <paramref name="size"/>, then <paramref name="fillValue"/>; without a size (outside jit) all of them.
    /// </summary>
    /// <example><c>Np.Flatnonzero(mask, size: 10, fillValue: -1)</c> works under jit.</example>
    public static Tensor Flatnonzero(Tensor x, int? size = null, int fillValue = 0)
    {
        NotNull(x);
        var mask = NotEqual(Ravel(x), 0);
        var n = SizeOrCount(Sum(AsType(mask, DType.Int32)), size, x, "flatnonzero");
        var (positions, filled) = Compact(mask, n);
        return Where(filled, positions, fillValue);
    }

    /// <summary>The indices of the non-zero elements, one int32 array per axis (<c>jnp.nonzero</c>); see <see cref="Flatnonzero"/> for size and fillValue.</summary>
    public static Tensor[] Nonzero(Tensor x, int? size = null, int fillValue = 0)
    {
        NotNull(x);
        var mask = NotEqual(Ravel(x), 0);
        var n = SizeOrCount(Sum(AsType(mask, DType.Int32)), size, x, "nonzero");
        var (positions, filled) = Compact(mask, n);
        var strides = x.Shape.Strides();
        return Enumerable.Range(0, x.Rank)
            .Select(d => Where(filled, Remainder(FloorDivide(positions, strides[d]), x.Shape[d]), fillValue))
            .ToArray();
    }

    /// <summary>The indices of the non-zero elements as rows, shape (count, rank) (<c>jnp.argwhere</c>).</summary>
    public static Tensor Argwhere(Tensor x, int? size = null, int fillValue = 0)
    {
        var coordinates = Nonzero(NotNull(x), size, fillValue);
        var rows = coordinates.Length == 0 ? 0 : coordinates[0].Shape[0];
        return coordinates.Length == 0 ? Zeros(new Shape(rows, 0), DType.Int32) : Stack(coordinates, 1);
    }

    /// <summary>
    /// The sorted distinct elements of the flattened x (<c>jnp.unique</c>): with a static
    /// <paramref name="size"/> the first size of them, padded with <paramref name="fillValue"/>
    /// (by default the smallest element, as JAX).
    /// </summary>
    public static Tensor Unique(Tensor x, int? size = null, Tensor? fillValue = null)
    {
        NotNull(x);
        var sorted = Lax.Sort(Ravel(x), 0);
        if (sorted.Size == 0) return sorted;
        var first = Np.Array(new[] { true });
        var changes = sorted.Size == 1 ? first : Concatenate([first, NotEqual(SliceAxis(sorted, 0, 1, sorted.Size), SliceAxis(sorted, 0, 0, sorted.Size - 1))], 0);
        var n = SizeOrCount(Sum(AsType(changes, DType.Int32)), size, x, "unique");
        var (positions, filled) = Compact(changes, n);
        var values = Take(sorted, positions);
        return Where(filled, values, fillValue ?? Take(sorted, Array(new[] { 0 }))[0]);
    }

    /// <summary>The sorted distinct elements; the same as <see cref="Unique"/> (the array API's name).</summary>
    public static Tensor UniqueValues(Tensor x, int? size = null) => Unique(NotNull(x), size);

    /// <summary>
    /// The k largest elements along the last axis, largest first, and their indices (equal
    /// elements in index order), as <c>jax.lax.top_k</c>.
    /// </summary>
    /// <exception cref="ArgumentException">k is negative or larger than the last axis.</exception>
    public static (Tensor Values, Tensor Indices) TopK(Tensor x, int k) => Lax.TopK(NotNull(x), k);

    /// <summary>
    /// A histogram of the flattened x in <paramref name="bins"/> equal bins over
    /// [<paramref name="min"/>, <paramref name="max"/>] (by default x's range): the counts (in x's
    /// float dtype) and the bins + 1 edges. The last bin includes its right edge; values outside are not counted.
    /// </summary>
    public static (Tensor Counts, Tensor BinEdges) Histogram(Tensor x, int bins = 10, double? min = null, double? max = null)
    {
        NotNull(x);
        if (bins < 1) throw new ArgumentException($"histogram: bins is {bins}; it must be >= 1");
        var flat = Ravel(ToInexact(x));
        Tensor lo = min is double a ? Cast(a, flat.DType) : Min(flat);
        Tensor hi = max is double b ? Cast(b, flat.DType) : Max(flat);
        hi = Where(Equal(hi, lo), Add(lo, 1), hi);
        var edges = Add(lo, Multiply(Subtract(hi, lo), Divide(Arange(bins + 1), (double)bins)));
        var position = Floor(Multiply(Divide(Subtract(flat, lo), Subtract(hi, lo)), bins));
        var index = AsType(Minimum(position, bins - 1), DType.Int32);
        var inside = LogicalAnd(GreaterEqual(flat, lo), LessEqual(flat, hi));
        var hits = LogicalAnd(Equal(ExpandDims(index, 1), Arange(bins)), ExpandDims(inside, 1));
        return (Sum(AsType(hits, flat.DType), 0), AsType(edges, flat.DType));
    }
}
