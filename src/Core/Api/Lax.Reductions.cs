using JaxSharp.Primitives;
using JaxSharp.Primitives.Cumulative;
using JaxSharp.Primitives.LinearAlgebra;
using JaxSharp.Primitives.Reductions;

namespace JaxSharp;

/// <summary>
/// JAX's <c>jax.lax</c> for C#: one function per primitive, with strict dtypes (no promotion;
/// the operands of a binary op must share a dtype). Axes may be negative (counted from the end).
/// </summary>
public static partial class Lax
{
    /// <summary>Axes normalised to [0, rank) and sorted, for the reduction <paramref name="op"/>.</summary>
    private static Ints ReductionAxes(Tensor x, int[] axes, string op)
    {
        // a loop and Ints.Sort, not LINQ's Select and Order over int, which every process would JIT-compile
        var normalised = new int[axes.Length];
        for (var k = 0; k < axes.Length; k++) normalised[k] = Shape.NormalizeAxis(axes[k], x.Rank, op);
        Ints.Sort(normalised);
        return new(normalised);
    }

    private static Tensor Reduce(Primitive primitive, Tensor x, int[] axes) =>
        primitive.Bind(new ReduceParams(ReductionAxes(x, axes, primitive.Name)), x);

    /// <summary><c>reduce_sum</c>: the sum over <paramref name="axes"/>, which are removed.</summary>
    /// <example><c>Lax.ReduceSum(x, 0, 1)</c></example>
    public static Tensor ReduceSum(Tensor x, params int[] axes) => Reduce(Primitives.Reductions.ReduceSum.Instance, NotNull(x), NotNull(axes));

    /// <summary><c>reduce_max</c>: the maximum over <paramref name="axes"/> (NaN propagates; -inf over no elements).</summary>
    public static Tensor ReduceMax(Tensor x, params int[] axes) => Reduce(Primitives.Reductions.ReduceMax.Instance, NotNull(x), NotNull(axes));

    /// <summary><c>reduce_min</c>: the minimum over <paramref name="axes"/> (NaN propagates; +inf over no elements).</summary>
    public static Tensor ReduceMin(Tensor x, params int[] axes) => Reduce(Primitives.Reductions.ReduceMin.Instance, NotNull(x), NotNull(axes));

    /// <summary><c>reduce_prod</c>: the product over <paramref name="axes"/>.</summary>
    public static Tensor ReduceProd(Tensor x, params int[] axes) => Reduce(Primitives.Reductions.ReduceProd.Instance, NotNull(x), NotNull(axes));

    /// <summary><c>reduce_and</c>: whether all elements of a bool array over <paramref name="axes"/> are true.</summary>
    public static Tensor ReduceAnd(Tensor x, params int[] axes) => Reduce(Primitives.Reductions.ReduceAnd.Instance, NotNull(x), NotNull(axes));

    /// <summary><c>reduce_or</c>: whether any element of a bool array over <paramref name="axes"/> is true.</summary>
    public static Tensor ReduceOr(Tensor x, params int[] axes) => Reduce(Primitives.Reductions.ReduceOr.Instance, NotNull(x), NotNull(axes));

    /// <summary><c>argmax</c>: the index of the greatest element along <paramref name="axis"/> (first of ties; first NaN).</summary>
    /// <example><c>Lax.Argmax(logits, -1)</c></example>
    public static Tensor Argmax(Tensor x, int axis, DType indexDType = DType.Int32) =>
        Primitives.Reductions.Argmax.Instance.Bind(new ArgReduceParams(ReductionAxes(NotNull(x), [axis], "argmax"), indexDType), x);

    /// <summary><c>argmin</c>: the index of the least element along <paramref name="axis"/> (first of ties; first NaN).</summary>
    public static Tensor Argmin(Tensor x, int axis, DType indexDType = DType.Int32) =>
        Primitives.Reductions.Argmin.Instance.Bind(new ArgReduceParams(ReductionAxes(NotNull(x), [axis], "argmin"), indexDType), x);

    private static Tensor Scan(Primitive primitive, Tensor x, int axis, bool reverse) =>
        primitive.Bind(new CumulativeParams(Shape.NormalizeAxis(axis, x.Rank, primitive.Name), reverse), x);

    /// <summary><c>cumsum</c>: running sums along <paramref name="axis"/> (from the end when <paramref name="reverse"/>).</summary>
    /// <example><c>Lax.Cumsum(x, 0)</c> of [1, 2, 3] is [1, 3, 6].</example>
    public static Tensor Cumsum(Tensor x, int axis = 0, bool reverse = false) => Scan(Primitives.Cumulative.Cumsum.Instance, NotNull(x), axis, reverse);

    /// <summary><c>cumprod</c>: running products along <paramref name="axis"/>.</summary>
    public static Tensor Cumprod(Tensor x, int axis = 0, bool reverse = false) => Scan(Primitives.Cumulative.Cumprod.Instance, NotNull(x), axis, reverse);

    /// <summary><c>cummax</c>: running maxima along <paramref name="axis"/>.</summary>
    public static Tensor Cummax(Tensor x, int axis = 0, bool reverse = false) => Scan(Primitives.Cumulative.Cummax.Instance, NotNull(x), axis, reverse);

    /// <summary><c>cummin</c>: running minima along <paramref name="axis"/>.</summary>
    public static Tensor Cummin(Tensor x, int axis = 0, bool reverse = false) => Scan(Primitives.Cumulative.Cummin.Instance, NotNull(x), axis, reverse);

    /// <summary>
    /// <c>dot_general</c>: contracts <paramref name="lhs"/> and <paramref name="rhs"/> over the
    /// contracting axes, batched over the batch axes. Output axes: batch, lhs free, rhs free.
    /// Operands of two dtypes compute in the more precise one, as jax.lax.dot_general does.
    /// </summary>
    /// <example><c>Lax.DotGeneral(a, b, new DotDimensionNumbers(new[] { 1 }, new[] { 0 }, Ints.Empty, Ints.Empty))</c> is a matrix product.</example>
    public static Tensor DotGeneral(Tensor lhs, Tensor rhs, DotDimensionNumbers dimensionNumbers, DType? preferredElementType = null)
    {
        var (l, r) = MatchDotOperands(NotNull(lhs), NotNull(rhs));
        return Primitives.LinearAlgebra.DotGeneral.Instance.Bind(new DotGeneralParams(NotNull(dimensionNumbers), preferredElementType), l, r);
    }
}
