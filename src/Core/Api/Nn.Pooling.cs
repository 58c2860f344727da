namespace JaxSharp;

public static partial class Nn
{
    /// <summary>
    /// Max pooling, as <c>flax.linen.max_pool</c>: <paramref name="x"/> is (batch, spatial..., features)
    /// (or (spatial..., features) without a batch axis) and <paramref name="windowShape"/> has one
    /// entry per spatial axis; <paramref name="strides"/> default to ones, <paramref name="padding"/>
    /// is "VALID", "SAME" or "SAME_LOWER" (padding never wins a max). Its gradient goes to the first
    /// largest element of each window (JAX's select_and_scatter_add).
    /// </summary>
    /// <example><c>Nn.MaxPool(x, [2, 2], [2, 2])</c> halves the height and width of an NHWC x.</example>
    public static Tensor MaxPool(Tensor x, int[] windowShape, int[]? strides = null, string padding = "VALID") =>
        Pool("max_pool", "max", x, windowShape, strides, padding);

    /// <summary>
    /// Average pooling, as <c>flax.linen.avg_pool</c>: the mean of each window over the layout of
    /// <see cref="MaxPool"/>. With <paramref name="countIncludePad"/> (the default) padding counts
    /// as zeros in the mean; without it, each window is divided by its elements inside x.
    /// </summary>
    /// <example><c>Nn.AvgPool(x, [3, 3], [1, 1], "SAME")</c></example>
    public static Tensor AvgPool(Tensor x, int[] windowShape, int[]? strides = null, string padding = "VALID", bool countIncludePad = true)
    {
        var x0 = Np.ToInexact(NotNull(x));
        var sums = Pool("avg_pool", "sum", x0, windowShape, strides, padding);
        if (countIncludePad) return Np.Divide(sums, windowShape.Aggregate(1.0, (a, b) => a * b));
        return Lax.Div(sums, Pool("avg_pool", "sum", Np.OnesLike(x0), windowShape, strides, padding));
    }

    private static Tensor Pool(string op, string computation, Tensor x, int[] windowShape, int[]? strides, string padding)
    {
        NotNull(x);
        NotNull(windowShape);
        NotNull(padding);
        var spatial = windowShape.Length;
        var strideList = strides ?? Enumerable.Repeat(1, spatial).ToArray();
        if (strideList.Length != spatial)
            throw new ArgumentException($"{op}: strides {Ints.Format(strideList)} need one entry per window axis ({Ints.Format(windowShape)})");
        if (x.Rank == spatial + 1) return Lax.Squeeze(Pool(op, computation, Lax.ExpandDims(x, new Ints(0)), windowShape, strides, padding), new Ints(0));
        if (x.Rank != spatial + 2)
            throw new ArgumentException($"{op}: x {x.Shape} must be (batch, spatial..., features) with {spatial} spatial axes for window {Ints.Format(windowShape)}, so rank {spatial + 2} (or {spatial + 1} without a batch axis)");
        int[] Full(int[] inner, int edge) => [edge, .. inner, edge];
        return Lax.ReduceWindow(x, computation, Full(windowShape, 1), Full(strideList, 1), padding);
    }
}
