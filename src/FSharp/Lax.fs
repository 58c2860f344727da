namespace JaxSharp.FSharp

open JaxSharp

/// jax.lax for F#: the primitives themselves, with strict dtypes (no promotion).
[<RequireQualifiedAccess>]
module lax =
    // ---- shapes and indexing (shapes owner) ----

    // ---- elementwise (elementwise owner) ----

    // ---- reductions, cumulative ops, dot_general (reductions owner) ----

    /// reduce_sum over the axes.
    let reduceSum (axes: int[]) (x: Tensor) = Lax.ReduceSum(x, axes)
    /// reduce_max over the axes (-inf over no elements).
    let reduceMax (axes: int[]) (x: Tensor) = Lax.ReduceMax(x, axes)
    /// reduce_min over the axes (+inf over no elements).
    let reduceMin (axes: int[]) (x: Tensor) = Lax.ReduceMin(x, axes)
    /// reduce_prod over the axes.
    let reduceProd (axes: int[]) (x: Tensor) = Lax.ReduceProd(x, axes)
    /// reduce_and of a bool array over the axes.
    let reduceAnd (axes: int[]) (x: Tensor) = Lax.ReduceAnd(x, axes)
    /// reduce_or of a bool array over the axes.
    let reduceOr (axes: int[]) (x: Tensor) = Lax.ReduceOr(x, axes)
    /// argmax along an axis, giving indices of indexDType.
    let argmax (axis: int) (indexDType: DType) (x: Tensor) = Lax.Argmax(x, axis, indexDType)
    /// argmin along an axis, giving indices of indexDType.
    let argmin (axis: int) (indexDType: DType) (x: Tensor) = Lax.Argmin(x, axis, indexDType)
    /// cumsum along an axis, from the end when reverse.
    let cumsum (axis: int) (reverse: bool) (x: Tensor) = Lax.Cumsum(x, axis, reverse)
    /// cumprod along an axis.
    let cumprod (axis: int) (reverse: bool) (x: Tensor) = Lax.Cumprod(x, axis, reverse)
    /// cummax along an axis.
    let cummax (axis: int) (reverse: bool) (x: Tensor) = Lax.Cummax(x, axis, reverse)
    /// cummin along an axis.
    let cummin (axis: int) (reverse: bool) (x: Tensor) = Lax.Cummin(x, axis, reverse)
    /// dot_general with dimension numbers ((lhsContracting, rhsContracting), (lhsBatch, rhsBatch)).
    let dotGeneral ((lc: int[], rc: int[]), (lb: int[], rb: int[])) (lhs: Tensor) (rhs: Tensor) =
        Lax.DotGeneral(lhs, rhs, Primitives.LinearAlgebra.DotDimensionNumbers(Ints lc, Ints rc, Ints lb, Ints rb))
    /// dot_general accumulating in and returning preferred.
    let dotGeneralPreferred (preferred: DType) ((lc: int[], rc: int[]), (lb: int[], rb: int[])) (lhs: Tensor) (rhs: Tensor) =
        Lax.DotGeneral(lhs, rhs, Primitives.LinearAlgebra.DotDimensionNumbers(Ints lc, Ints rc, Ints lb, Ints rb), preferred)
    ()
