namespace JaxSharp;

// jnp's NaN-ignoring reductions: each replaces NaN by the reduction's identity (as JAX's
// reductions.py does), so they are compositions and differentiate like the plain ones.
public static partial class Np
{
    /// <summary>x with NaN replaced by <paramref name="identity"/> (integers have no NaN and are returned as they are).</summary>
    private static Tensor NanTo(Tensor x, Tensor identity) => x.DType.IsFloat() ? Where(IsNan(x), identity, x) : x;

    /// <summary>How many elements are not NaN, along the axes (kept as size-1 axes when asked).</summary>
    private static Tensor NotNanCount(Tensor x, int[]? axes, bool keepdims) =>
        Sum(AsType(LogicalNot(IsNan(x)), x.DType.IsFloat() ? x.DType : DType.Float32), axes, keepdims);

    /// <summary>The sum, treating NaN as 0.</summary>
    /// <example><c>Np.Nansum(Np.Array(new[] { 1.0, double.NaN, 2.0 }))</c> is 3.</example>
    public static Tensor Nansum(Tensor x, int? axis = null, bool keepdims = false) => Sum(NanTo(NotNull(x), 0), axis, keepdims);

    /// <summary>The product, treating NaN as 1.</summary>
    public static Tensor Nanprod(Tensor x, int? axis = null, bool keepdims = false) => Prod(NanTo(NotNull(x), 1), axis, keepdims);

    /// <summary>The maximum, ignoring NaN (NaN where a slice is all NaN).</summary>
    public static Tensor Nanmax(Tensor x, int? axis = null, bool keepdims = false)
    {
        NotNull(x);
        if (!x.DType.IsFloat()) return Max(x, axis, keepdims);
        var max = Max(NanTo(x, double.NegativeInfinity), axis, keepdims);
        return Where(Equal(NotNanCount(x, AxisList(axis), keepdims), 0), double.NaN, max);
    }

    /// <summary>The minimum, ignoring NaN (NaN where a slice is all NaN).</summary>
    public static Tensor Nanmin(Tensor x, int? axis = null, bool keepdims = false)
    {
        NotNull(x);
        if (!x.DType.IsFloat()) return Min(x, axis, keepdims);
        var min = Min(NanTo(x, double.PositiveInfinity), axis, keepdims);
        return Where(Equal(NotNanCount(x, AxisList(axis), keepdims), 0), double.NaN, min);
    }

    /// <summary>The mean of the elements that are not NaN (NaN where a slice is all NaN).</summary>
    public static Tensor Nanmean(Tensor x, int? axis = null, bool keepdims = false)
    {
        NotNull(x);
        var xf = ToInexact(x);
        return Divide(Nansum(xf, axis, keepdims), NotNanCount(xf, AxisList(axis), keepdims));
    }

    /// <summary>The variance of the elements that are not NaN, divided by <c>count - ddof</c>.</summary>
    public static Tensor Nanvar(Tensor x, int? axis = null, bool keepdims = false, int ddof = 0)
    {
        NotNull(x);
        var xf = ToInexact(x);
        var mean = Nanmean(xf, axis, keepdims: true);
        var centered = Subtract(xf, mean);
        var squares = Nansum(Multiply(centered, centered), axis, keepdims);
        return Divide(squares, Subtract(NotNanCount(xf, AxisList(axis), keepdims), ddof));
    }

    /// <summary>The standard deviation of the elements that are not NaN: <c>sqrt(nanvar)</c>.</summary>
    public static Tensor Nanstd(Tensor x, int? axis = null, bool keepdims = false, int ddof = 0) => Sqrt(Nanvar(NotNull(x), axis, keepdims, ddof));

    /// <summary>The index of the maximum, ignoring NaN (JAX gives -1 for a slice that is all NaN).</summary>
    public static Tensor Nanargmax(Tensor x, int? axis = null, bool keepdims = false)
    {
        NotNull(x);
        if (!x.DType.IsFloat()) return Argmax(x, axis, keepdims);
        var index = Argmax(NanTo(x, double.NegativeInfinity), axis, keepdims);
        return Where(Equal(NotNanCount(x, AxisList(axis), keepdims), 0), -1, index);
    }

    /// <summary>The index of the minimum, ignoring NaN (-1 for a slice that is all NaN, as JAX).</summary>
    public static Tensor Nanargmin(Tensor x, int? axis = null, bool keepdims = false)
    {
        NotNull(x);
        if (!x.DType.IsFloat()) return Argmin(x, axis, keepdims);
        var index = Argmin(NanTo(x, double.PositiveInfinity), axis, keepdims);
        return Where(Equal(NotNanCount(x, AxisList(axis), keepdims), 0), -1, index);
    }

    /// <summary>The cumulative sum, treating NaN as 0.</summary>
    public static Tensor Nancumsum(Tensor x, int? axis = null) => Cumsum(NanTo(NotNull(x), 0), axis);

    /// <summary>The cumulative product, treating NaN as 1.</summary>
    public static Tensor Nancumprod(Tensor x, int? axis = null) => Cumprod(NanTo(NotNull(x), 1), axis);

    /// <summary>The cumulative sum (the array API's name); with <paramref name="includeInitial"/> a leading 0 along the axis.</summary>
    public static Tensor CumulativeSum(Tensor x, int? axis = null, bool includeInitial = false) =>
        WithInitial(Cumsum(NotNull(x), axis), axis, 0, includeInitial);

    /// <summary>The cumulative product (the array API's name); with <paramref name="includeInitial"/> a leading 1 along the axis.</summary>
    public static Tensor CumulativeProd(Tensor x, int? axis = null, bool includeInitial = false) =>
        WithInitial(Cumprod(NotNull(x), axis), axis, 1, includeInitial);

    private static Tensor WithInitial(Tensor scanned, int? axis, int initial, bool includeInitial)
    {
        if (!includeInitial) return scanned;
        var d = axis is int a ? scanned.Shape.NormalizeAxis(a, "cumulative") : 0;
        var widths = Enumerable.Range(0, scanned.Rank).Select(i => i == d ? (1, 0) : (0, 0)).ToArray();
        return Pad(scanned, widths, initial);
    }

    /// <summary>The range <c>max - min</c> ("peak to peak").</summary>
    public static Tensor Ptp(Tensor x, int? axis = null, bool keepdims = false) =>
        Subtract(Max(NotNull(x), axis, keepdims), Min(x, axis, keepdims));

    /// <summary>How many elements are non-zero (true), as int32.</summary>
    public static Tensor CountNonzero(Tensor x, int? axis = null, bool keepdims = false) =>
        Sum(AsType(NotEqual(NotNull(x), 0), DType.Int32), axis, keepdims);

    /// <summary>
    /// The weighted mean <c>sum(x w) / sum(w)</c> along the axis; without weights the mean.
    /// The weights have x's shape, or are 1-d of the axis's length.
    /// </summary>
    /// <exception cref="ArgumentException">1-d weights without an axis, or of another length than the axis.</exception>
    public static Tensor Average(Tensor x, Tensor? weights = null, int? axis = null, bool keepdims = false)
    {
        NotNull(x);
        if (weights is null) return Mean(x, axis, keepdims);
        var (xf, w) = Promote(ToInexact(x), ToInexact(weights));
        if (w.Shape != xf.Shape)
        {
            if (axis is not int a || w.Rank != 1)
                throw new ArgumentException($"average: weights of shape {w.Shape} differ from x's {xf.Shape}; give weights of x's shape, or 1-d weights with an axis");
            var d = xf.Shape.NormalizeAxis(a, "average");
            if (w.Shape[0] != xf.Shape[d])
                throw new ArgumentException($"average: 1-d weights of length {w.Shape[0]} along axis {a} of length {xf.Shape[d]}; they must have the axis's length");
            w = Lax.BroadcastInDim(w, xf.Shape, new[] { d });
        }
        return Divide(Sum(Multiply(xf, w), axis, keepdims), Sum(w, axis, keepdims));
    }

    /// <summary>
    /// The q-th quantile (q in [0, 1]) along the axis (of the flattened array when null), with
    /// linear interpolation between the closest ranks (numpy's default method); NaN propagates.
    /// </summary>
    /// <example><c>Np.Quantile(x, 0.9, axis: 0)</c></example>
    /// <exception cref="ArgumentException">q outside [0, 1].</exception>
    public static Tensor Quantile(Tensor x, double q, int? axis = null, bool keepdims = false) =>
        QuantileOf(NotNull(x), q, axis, keepdims, ignoreNan: false, "quantile");

    /// <summary>The q-th percentile (q in [0, 100]): <c>Quantile(x, q / 100)</c>.</summary>
    public static Tensor Percentile(Tensor x, double q, int? axis = null, bool keepdims = false) =>
        QuantileOf(NotNull(x), q / 100, axis, keepdims, ignoreNan: false, "percentile");

    /// <summary>The median: the 0.5 quantile.</summary>
    public static Tensor Median(Tensor x, int? axis = null, bool keepdims = false) =>
        QuantileOf(NotNull(x), 0.5, axis, keepdims, ignoreNan: false, "median");

    /// <summary>The q-th quantile of the elements that are not NaN (NaN for a slice that is all NaN).</summary>
    public static Tensor Nanquantile(Tensor x, double q, int? axis = null, bool keepdims = false) =>
        QuantileOf(NotNull(x), q, axis, keepdims, ignoreNan: true, "nanquantile");

    /// <summary>The q-th percentile (q in [0, 100]) of the elements that are not NaN.</summary>
    public static Tensor Nanpercentile(Tensor x, double q, int? axis = null, bool keepdims = false) =>
        QuantileOf(NotNull(x), q / 100, axis, keepdims, ignoreNan: true, "nanpercentile");

    /// <summary>The median of the elements that are not NaN.</summary>
    public static Tensor Nanmedian(Tensor x, int? axis = null, bool keepdims = false) =>
        QuantileOf(NotNull(x), 0.5, axis, keepdims, ignoreNan: true, "nanmedian");

    private static Tensor QuantileOf(Tensor x, double q, int? axis, bool keepdims, bool ignoreNan, string op)
    {
        if (!(q >= 0 && q <= 1))
            throw new ArgumentException(op == "percentile" || op == "nanpercentile"
                ? $"{op}: q is {q * 100}; it must be in [0, 100]"
                : $"{op}: q is {q}; it must be in [0, 1]");
        var xf = ToInexact(x);
        var flat = axis is null;
        var data = flat ? Ravel(xf) : xf;
        var d = flat ? 0 : data.Shape.NormalizeAxis(axis!.Value, op);
        if (data.Shape[d] == 0)
            throw new ArgumentException($"{op}: the axis {(flat ? "(all elements)" : d.ToString())} of shape {x.Shape} is empty; a quantile needs at least one element");
        // NaN sorts last, so the first `count` sorted elements are the numbers
        var sorted = Lax.Sort(data, d);
        var count = ignoreNan
            ? NotNanCount(data, [d], keepdims: true)
            : Full(KeptShape(data.Shape, d), data.Shape[d], data.DType);
        var position = Multiply(q, Subtract(count, 1));
        var below = Floor(position);
        var fraction = Subtract(position, below);
        var lowIndex = AsType(Maximum(below, 0), DType.Int32);
        var highIndex = AsType(Minimum(Add(below, 1), Maximum(Subtract(count, 1), 0)), DType.Int32);
        var low = TakeAlongAxis(sorted, lowIndex, d);
        var high = TakeAlongAxis(sorted, highIndex, d);
        var value = Add(low, Multiply(fraction, Subtract(high, low)));
        if (ignoreNan) value = Where(Equal(count, 0), double.NaN, value);
        else value = Where(Any(IsNan(data), d, keepdims: true), double.NaN, value);
        if (flat) return keepdims ? Reshape(value, Enumerable.Repeat(1, x.Rank).ToArray()) : Reshape(value);
        return keepdims ? value : Squeeze(value, d);
    }

    private static Shape KeptShape(Shape shape, int axis) => new(shape.Select((n, i) => i == axis ? 1 : n));
}
