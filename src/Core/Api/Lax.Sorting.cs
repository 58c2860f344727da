namespace JaxSharp;

public static partial class Lax
{
    /// <summary>
    /// <c>lax.top_k</c>: the <paramref name="k"/> largest elements along the last axis, largest
    /// first, and their int32 indices; equal elements come in index order and NaNs count as the
    /// largest, as JAX. Built on the stable <c>sort</c> of the reversed axis, so any dtype that
    /// sorts works (no negation: unsigned and minimum integers stay in order).
    /// </summary>
    /// <example><c>var (values, indices) = Lax.TopK(x, 2);</c> of [1, 3, 2, 3] is ([3, 3], [1, 3]).</example>
    /// <exception cref="ArgumentException">x is a scalar, or k is negative or larger than the last axis.</exception>
    public static (Tensor Values, Tensor Indices) TopK(Tensor operand, int k)
    {
        NotNull(operand);
        if (operand.Rank == 0)
            throw new ArgumentException("top_k: the operand is a scalar; top_k chooses along the last axis, so give it at least one dimension (Np.Atleast1d)");
        var last = operand.Rank - 1;
        var size = operand.Shape[last];
        if (k < 0 || k > size)
            throw new ArgumentException($"top_k: k is {k} for an operand of shape {operand.Shape}; k must be in [0, {size}], the length of the last axis");
        var lastAxis = new Ints(last);
        var reversed = Rev(operand, lastAxis);
        var positions = Rev(BroadcastedIota(DType.Int32, operand.Shape, last), lastAxis);
        // Ascending and stable on the reversed axis: equal values sit in descending index order,
        // so the last k, reversed, are the largest with equal values in ascending index order.
        var sorted = Sort([reversed, positions], last);
        var start = new Ints(operand.Shape.Select((n, i) => i == last ? n - k : 0));
        var limit = new Ints(operand.Shape);
        return (Rev(Slice(sorted[0], start, limit), lastAxis), Rev(Slice(sorted[1], start, limit), lastAxis));
    }

    /// <summary>
    /// <c>lax.sort_key_val</c>: <paramref name="keys"/> sorted ascending along
    /// <paramref name="dimension"/> (default the last), stable, NaNs last, and
    /// <paramref name="values"/> (of the same shape) permuted alike.
    /// </summary>
    /// <example><c>var (k, v) = Lax.SortKeyVal(keys, values);</c></example>
    /// <exception cref="ArgumentException">keys and values differ in shape.</exception>
    public static (Tensor Keys, Tensor Values) SortKeyVal(Tensor keys, Tensor values, int dimension = -1)
    {
        NotNull(keys);
        NotNull(values);
        if (keys.Shape != values.Shape)
            throw new ArgumentException($"sort_key_val: keys of shape {keys.Shape} and values of shape {values.Shape} differ; they must have one shape (broadcast values with Np.BroadcastTo)");
        var sorted = Sort([keys, values], dimension);
        return (sorted[0], sorted[1]);
    }
}
