using JaxSharp.Primitives;
using JaxSharp.Primitives.Cumulative;
using JaxSharp.Primitives.Reductions;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp;

public static partial class Np
{
    /// <summary>
    /// The axes a numpy reduction <paramref name="op"/> reduces: all when <paramref name="axes"/>
    /// is null, else each normalised to [0, rank) (negative counts from the end), sorted.
    /// </summary>
    internal static int[] ReducedAxes(Tensor x, int[]? axes, string op)
    {
        // loops, not LINQ over int (Range, Select, Order, Distinct), whose instantiations every process would JIT-compile
        if (axes is null) return Ints.Range(0, x.Rank);
        var normalised = new int[axes.Length];
        for (var k = 0; k < axes.Length; k++) normalised[k] = Shape.NormalizeAxis(axes[k], x.Rank, op);
        Ints.Sort(normalised);
        if (Ints.Repeats(normalised))
            throw new ArgumentException($"{op}: axes ({string.Join(", ", axes)}) name an axis twice for an array of rank {x.Rank}; give each axis once");
        return normalised;
    }

    /// <summary>The axes of an optional single axis: null means all.</summary>
    private static int[]? AxisList(int? axis) => axis is { } a ? [a] : null;

    /// <summary>
    /// <paramref name="reduced"/>, the result of reducing <paramref name="x"/> over <paramref name="axes"/>,
    /// with those axes put back as size 1 when <paramref name="keepdims"/>.
    /// </summary>
    internal static Tensor KeepDims(Tensor reduced, Tensor x, int[] axes, bool keepdims)
    {
        if (!keepdims) return reduced;
        var dims = x.Shape.ToArray();
        foreach (var a in axes) dims[a] = 1;
        var shape = new Shape(dims);
        return Primitives.Shapes.Reshape.Instance.Bind(new ReshapeParams(shape), reduced);
    }

    /// <summary>Binds a reduction primitive over the numpy-style axes, with keepdims.</summary>
    private static Tensor Reduce(Primitive primitive, string op, Tensor x, int[]? axes, bool keepdims)
    {
        var reduced = ReducedAxes(x, axes, op);
        return KeepDims(primitive.Bind(new ReduceParams(new Ints(reduced)), x), x, reduced, keepdims);
    }

    /// <summary>Integer and float arrays as they are; bool as int32 (what numpy sums and multiplies).</summary>
    private static Tensor CountableOf(Tensor x) => x.DType == DType.Bool ? Cast(x, DType.Int32) : x;

    /// <summary>
    /// The sum over <paramref name="axis"/> (all axes when null). Integers stay integers
    /// (int32 wraps around), bool counts as int32, as in JAX.
    /// </summary>
    /// <example><c>Np.Sum(x)</c>, <c>Np.Sum(x, axis: -1, keepdims: true)</c></example>
    public static Tensor Sum(Tensor x, int? axis = null, bool keepdims = false) => Sum(NotNull(x), AxisList(axis), keepdims);

    /// <summary>The sum over several axes; see <see cref="Sum(Tensor, int?, bool)"/>.</summary>
    public static Tensor Sum(Tensor x, int[]? axes, bool keepdims = false) =>
        Reduce(ReduceSum.Instance, "sum", CountableOf(NotNull(x)), axes, keepdims);

    /// <summary>The product over <paramref name="axis"/> (all axes when null); bool counts as int32.</summary>
    public static Tensor Prod(Tensor x, int? axis = null, bool keepdims = false) => Prod(NotNull(x), AxisList(axis), keepdims);

    /// <summary>The product over several axes.</summary>
    public static Tensor Prod(Tensor x, int[]? axes, bool keepdims = false) =>
        Reduce(ReduceProd.Instance, "prod", CountableOf(NotNull(x)), axes, keepdims);

    /// <summary>
    /// The maximum over <paramref name="axis"/> (all axes when null). NaN propagates. Reducing
    /// an empty axis is an error, as in numpy (a maximum of nothing does not exist).
    /// </summary>
    public static Tensor Max(Tensor x, int? axis = null, bool keepdims = false) => Max(NotNull(x), AxisList(axis), keepdims);

    /// <summary>The maximum over several axes; see <see cref="Max(Tensor, int?, bool)"/>.</summary>
    public static Tensor Max(Tensor x, int[]? axes, bool keepdims = false) => Extreme(NotNull(x), axes, keepdims, "max");

    /// <summary>The minimum over <paramref name="axis"/> (all axes when null); NaN propagates; empty axes are an error.</summary>
    public static Tensor Min(Tensor x, int? axis = null, bool keepdims = false) => Min(NotNull(x), AxisList(axis), keepdims);

    /// <summary>The minimum over several axes.</summary>
    public static Tensor Min(Tensor x, int[]? axes, bool keepdims = false) => Extreme(NotNull(x), axes, keepdims, "min");

    /// <summary>numpy's name for <see cref="Max(Tensor, int?, bool)"/>.</summary>
    public static Tensor Amax(Tensor x, int? axis = null, bool keepdims = false) => Max(NotNull(x), axis, keepdims);

    /// <summary>numpy's name for <see cref="Min(Tensor, int?, bool)"/>.</summary>
    public static Tensor Amin(Tensor x, int? axis = null, bool keepdims = false) => Min(NotNull(x), axis, keepdims);

    private static Tensor Extreme(Tensor x, int[]? axes, bool keepdims, string op)
    {
        var reduced = ReducedAxes(x, axes, op);
        foreach (var d in reduced)
            if (x.Shape[d] == 0)
                throw new ArgumentException($"{op}: axis {d} of shape {x.Shape} is empty, and a {op}imum of no elements does not exist; reduce over non-empty axes");
        var primitive = (op, x.DType) switch
        {
            ("max", DType.Bool) => (Primitive)ReduceOr.Instance,
            ("min", DType.Bool) => ReduceAnd.Instance,
            ("max", _) => ReduceMax.Instance,
            _ => ReduceMin.Instance,
        };
        return Reduce(primitive, op, x, reduced, keepdims);
    }

    /// <summary>Whether every element over <paramref name="axis"/> (all when null) is true (nonzero; NaN counts as true).</summary>
    public static Tensor All(Tensor x, int? axis = null, bool keepdims = false) => All(NotNull(x), AxisList(axis), keepdims);

    /// <summary>Whether every element over several axes is true.</summary>
    public static Tensor All(Tensor x, int[]? axes, bool keepdims = false) =>
        Reduce(ReduceAnd.Instance, "all", Cast(NotNull(x), DType.Bool), axes, keepdims);

    /// <summary>Whether some element over <paramref name="axis"/> (all when null) is true (nonzero).</summary>
    public static Tensor Any(Tensor x, int? axis = null, bool keepdims = false) => Any(NotNull(x), AxisList(axis), keepdims);

    /// <summary>Whether some element over several axes is true.</summary>
    public static Tensor Any(Tensor x, int[]? axes, bool keepdims = false) =>
        Reduce(ReduceOr.Instance, "any", Cast(NotNull(x), DType.Bool), axes, keepdims);

    /// <summary>
    /// The index of the greatest element along <paramref name="axis"/>, as int32; over the
    /// flattened array when null. Ties give the first index; a NaN counts as the greatest.
    /// </summary>
    /// <example><c>Np.Argmax(logits, axis: -1)</c></example>
    public static Tensor Argmax(Tensor x, int? axis = null, bool keepdims = false) => ArgExtreme(Primitives.Reductions.Argmax.Instance, "argmax", NotNull(x), axis, keepdims);

    /// <summary>The index of the least element along <paramref name="axis"/> (flattened when null); see <see cref="Argmax"/>.</summary>
    public static Tensor Argmin(Tensor x, int? axis = null, bool keepdims = false) => ArgExtreme(Primitives.Reductions.Argmin.Instance, "argmin", NotNull(x), axis, keepdims);

    private static Tensor ArgExtreme(Primitive primitive, string op, Tensor x, int? axis, bool keepdims)
    {
        var source = CountableOf(x);
        if (axis is null)
        {
            if (x.Size == 0) throw new ArgumentException($"{op}: the array of shape {x.Shape} is empty, so it has no {op[3..]}imum; pass a non-empty array");
            var flat = Flatten(source);
            var index = primitive.Bind(new ArgReduceParams(new Ints(0)), flat);
            return keepdims ? Primitives.Shapes.Reshape.Instance.Bind(new ReshapeParams(new Shape(Enumerable.Repeat(1, x.Rank))), index) : index;
        }
        var a = Shape.NormalizeAxis(axis.Value, x.Rank, op);
        return KeepDims(primitive.Bind(new ArgReduceParams(new Ints(a)), source), x, [a], keepdims);
    }

    /// <summary>The elements in row-major order as a rank-1 array (a reshape).</summary>
    private static Tensor Flatten(Tensor x) =>
        x.Rank == 1 ? x : Primitives.Shapes.Reshape.Instance.Bind(new ReshapeParams(new Shape(x.Size)), x);

    /// <summary>Running sums along <paramref name="axis"/>, or over the flattened array when null; bool counts as int32.</summary>
    /// <example><c>Np.Cumsum(x, axis: 0)</c></example>
    public static Tensor Cumsum(Tensor x, int? axis = null) => Scan(Primitives.Cumulative.Cumsum.Instance, "cumsum", NotNull(x), axis);

    /// <summary>Running products along <paramref name="axis"/>, or over the flattened array when null.</summary>
    public static Tensor Cumprod(Tensor x, int? axis = null) => Scan(Primitives.Cumulative.Cumprod.Instance, "cumprod", NotNull(x), axis);

    private static Tensor Scan(Primitive primitive, string op, Tensor x, int? axis)
    {
        var source = CountableOf(x);
        if (axis is null) return primitive.Bind(new CumulativeParams(0), Flatten(source));
        return primitive.Bind(new CumulativeParams(Shape.NormalizeAxis(axis.Value, x.Rank, op)), source);
    }
    /// <summary>The number of elements reduced over <paramref name="axes"/>.</summary>
    private static int CountOver(Tensor x, int[] axes)
    {
        var count = 1;
        foreach (var d in axes) count *= x.Shape[d];
        return count;
    }

    /// <summary>
    /// The arithmetic mean over <paramref name="axis"/> (all axes when null). Integers and bool
    /// give float32, as in JAX; the mean of no elements is NaN.
    /// </summary>
    /// <example><c>Np.Mean(x, axis: 0)</c></example>
    public static Tensor Mean(Tensor x, int? axis = null, bool keepdims = false) => Mean(NotNull(x), AxisList(axis), keepdims);

    /// <summary>The mean over several axes; see <see cref="Mean(Tensor, int?, bool)"/>.</summary>
    public static Tensor Mean(Tensor x, int[]? axes, bool keepdims = false)
    {
        NotNull(x);
        var reduced = ReducedAxes(x, axes, "mean");
        return Divide(Sum(ToInexact(x), reduced, keepdims), (double)CountOver(x, reduced));
    }

    /// <summary>
    /// The variance over <paramref name="axis"/> (all axes when null): the mean squared deviation
    /// from the mean, divided by <c>n - ddof</c> instead of n. Integers give float32.
    /// </summary>
    /// <example><c>Np.Var(x, ddof: 1)</c> is the unbiased sample variance.</example>
    public static Tensor Var(Tensor x, int? axis = null, bool keepdims = false, int ddof = 0) => Var(NotNull(x), AxisList(axis), keepdims, ddof);

    /// <summary>The variance over several axes; see <see cref="Var(Tensor, int?, bool, int)"/>.</summary>
    public static Tensor Var(Tensor x, int[]? axes, bool keepdims = false, int ddof = 0)
    {
        NotNull(x);
        var reduced = ReducedAxes(x, axes, "var");
        var xf = ToInexact(x);
        var deviation = Subtract(xf, Mean(xf, reduced, keepdims: true));
        return Divide(Sum(Multiply(deviation, deviation), reduced, keepdims), (double)(CountOver(x, reduced) - ddof));
    }

    /// <summary>The standard deviation over <paramref name="axis"/>: the square root of <see cref="Var(Tensor, int?, bool, int)"/>.</summary>
    public static Tensor Std(Tensor x, int? axis = null, bool keepdims = false, int ddof = 0) => Sqrt(Var(NotNull(x), axis, keepdims, ddof));

    /// <summary>The standard deviation over several axes.</summary>
    public static Tensor Std(Tensor x, int[]? axes, bool keepdims = false, int ddof = 0) => Sqrt(Var(NotNull(x), axes, keepdims, ddof));

    /// <summary>
    /// <c>log(sum(exp(x)))</c> over <paramref name="axis"/> (all axes when null), computed stably:
    /// the finite maximum is subtracted before exponentiating and added back after the log, so
    /// large inputs do not overflow and all -inf gives -inf, any +inf gives +inf. Integers give float32.
    /// </summary>
    /// <example><c>Np.Logsumexp(logits, axis: -1)</c></example>
    public static Tensor Logsumexp(Tensor x, int? axis = null, bool keepdims = false) => Logsumexp(NotNull(x), AxisList(axis), keepdims);

    /// <summary>log-sum-exp over several axes; see <see cref="Logsumexp(Tensor, int?, bool)"/>.</summary>
    public static Tensor Logsumexp(Tensor x, int[]? axes, bool keepdims = false)
    {
        NotNull(x);
        var reduced = ReducedAxes(x, axes, "logsumexp");
        var xf = ToInexact(x);
        var max = KeepDims(Primitives.Reductions.ReduceMax.Instance.Bind(new ReduceParams(new Ints(reduced)), xf), xf, reduced, true);
        // log sum exp x = m + log sum exp (x - m) for any finite m; an infinite max shifts by 0.
        var shift = Jax.StopGradient(Where(IsFinite(max), max, 0));
        var result = Add(Log(Sum(Exp(Subtract(xf, shift)), reduced, keepdims: true)), shift);
        return keepdims ? result : Primitives.Shapes.Reshape.Instance.Bind(new ReshapeParams(new Shape(Enumerable.Range(0, x.Rank).Where(d => !reduced.Contains(d)).Select(d => x.Shape[d]))), result);
    }
}
