namespace JaxSharp.FSharp

open JaxSharp

/// numpy-like functions (JAX's jax.numpy) for F#: curried, lowerCamel, thin forwarders to
/// JaxSharp.Np. Arguments that configure (axis, shape...) come before the tensor, so that
/// pipelines read `x |> np.reshape [| 2; 3 |]`; symmetric ones keep numpy's order.
[<RequireQualifiedAccess>]
module np =
    // ---- creation, shapes and indexing (shapes owner) ----

    // ---- elementwise math (elementwise owner) ----

    // ---- reductions and linear algebra (reductions owner) ----

    /// The sum of all elements (integers stay int32, bool counts as int32).
    let sum (x: Tensor) = Np.Sum(x)
    /// The sum along one axis (negative counts from the end).
    let sumAxis (axis: int) (x: Tensor) = Np.Sum(x, axis)
    /// The sum over several axes, keeping them as size 1 when keepdims.
    let sumAxes (axes: int[]) (keepdims: bool) (x: Tensor) = Np.Sum(x, axes, keepdims)
    /// The product of all elements.
    let prod (x: Tensor) = Np.Prod(x)
    /// The product along one axis.
    let prodAxis (axis: int) (x: Tensor) = Np.Prod(x, axis)
    /// The product over several axes.
    let prodAxes (axes: int[]) (keepdims: bool) (x: Tensor) = Np.Prod(x, axes, keepdims)
    /// The maximum of all elements (NaN propagates; an empty array is an error).
    let max (x: Tensor) = Np.Max(x)
    /// The maximum along one axis.
    let maxAxis (axis: int) (x: Tensor) = Np.Max(x, axis)
    /// The maximum over several axes.
    let maxAxes (axes: int[]) (keepdims: bool) (x: Tensor) = Np.Max(x, axes, keepdims)
    /// The minimum of all elements.
    let min (x: Tensor) = Np.Min(x)
    /// The minimum along one axis.
    let minAxis (axis: int) (x: Tensor) = Np.Min(x, axis)
    /// The minimum over several axes.
    let minAxes (axes: int[]) (keepdims: bool) (x: Tensor) = Np.Min(x, axes, keepdims)
    /// Whether every element is true (nonzero).
    let all (x: Tensor) = Np.All(x)
    /// Whether every element along one axis is true.
    let allAxis (axis: int) (x: Tensor) = Np.All(x, axis)
    /// Whether every element over several axes is true.
    let allAxes (axes: int[]) (keepdims: bool) (x: Tensor) = Np.All(x, axes, keepdims)
    /// Whether some element is true (nonzero).
    let any (x: Tensor) = Np.Any(x)
    /// Whether some element along one axis is true.
    let anyAxis (axis: int) (x: Tensor) = Np.Any(x, axis)
    /// Whether some element over several axes is true.
    let anyAxes (axes: int[]) (keepdims: bool) (x: Tensor) = Np.Any(x, axes, keepdims)
    /// The mean of all elements (integers give float32).
    let mean (x: Tensor) = Np.Mean(x)
    /// The mean along one axis.
    let meanAxis (axis: int) (x: Tensor) = Np.Mean(x, axis)
    /// The mean over several axes.
    let meanAxes (axes: int[]) (keepdims: bool) (x: Tensor) = Np.Mean(x, axes, keepdims)
    /// The variance of all elements.
    let var (x: Tensor) = Np.Var(x)
    /// The variance along one axis.
    let varAxis (axis: int) (x: Tensor) = Np.Var(x, axis)
    /// The variance over several axes.
    let varAxes (axes: int[]) (keepdims: bool) (x: Tensor) = Np.Var(x, axes, keepdims)
    /// The variance over several axes, divided by n - ddof.
    let varAxesDdof (ddof: int) (axes: int[]) (keepdims: bool) (x: Tensor) = Np.Var(x, axes, keepdims, ddof)
    /// The standard deviation of all elements.
    let std (x: Tensor) = Np.Std(x)
    /// The standard deviation along one axis.
    let stdAxis (axis: int) (x: Tensor) = Np.Std(x, axis)
    /// The standard deviation over several axes.
    let stdAxes (axes: int[]) (keepdims: bool) (x: Tensor) = Np.Std(x, axes, keepdims)
    /// The standard deviation over several axes, from the variance divided by n - ddof.
    let stdAxesDdof (ddof: int) (axes: int[]) (keepdims: bool) (x: Tensor) = Np.Std(x, axes, keepdims, ddof)
    /// log(sum(exp x)) of all elements, computed stably.
    let logsumexp (x: Tensor) = Np.Logsumexp(x)
    /// log(sum(exp x)) along one axis.
    let logsumexpAxis (axis: int) (x: Tensor) = Np.Logsumexp(x, axis)
    /// log(sum(exp x)) over several axes.
    let logsumexpAxes (axes: int[]) (keepdims: bool) (x: Tensor) = Np.Logsumexp(x, axes, keepdims)
    /// The index of the greatest element of the flattened array (int32).
    let argmax (x: Tensor) = Np.Argmax(x)
    /// The index of the greatest element along one axis (first of ties; first NaN).
    let argmaxAxis (axis: int) (x: Tensor) = Np.Argmax(x, axis)
    /// The index of the least element of the flattened array (int32).
    let argmin (x: Tensor) = Np.Argmin(x)
    /// The index of the least element along one axis.
    let argminAxis (axis: int) (x: Tensor) = Np.Argmin(x, axis)
    /// Running sums along an axis.
    let cumsum (axis: int) (x: Tensor) = Np.Cumsum(x, axis)
    /// Running products along an axis.
    let cumprod (axis: int) (x: Tensor) = Np.Cumprod(x, axis)
    /// numpy's dot: inner product of vectors, matrix product, contraction of a's last axis.
    let dot (a: Tensor) (b: Tensor) = Np.Dot(a, b)
    /// numpy's matmul (@): batched matrix products with broadcast batch axes.
    let matmul (a: Tensor) (b: Tensor) = Np.Matmul(a, b)
    /// The inner product of the flattened arrays.
    let vdot (a: Tensor) (b: Tensor) = Np.Vdot(a, b)
    /// The outer product of the flattened arrays.
    let outer (a: Tensor) (b: Tensor) = Np.Outer(a, b)
    /// Contracts the last axes of both.
    let inner (a: Tensor) (b: Tensor) = Np.Inner(a, b)
    /// Contracts the last n axes of a with the first n of b.
    let tensordot (n: int) (a: Tensor) (b: Tensor) = Np.Tensordot(a, b, n)
    /// Contracts the paired axes (aAxes[k] with bAxes[k]).
    let tensordotAxes (aAxes: int[], bAxes: int[]) (a: Tensor) (b: Tensor) = Np.Tensordot(a, b, aAxes, bAxes)
    /// Einstein summation: np.einsum "ij,jk->ik" [a; b].
    let einsum (subscripts: string) (operands: Tensor list) = Np.Einsum(subscripts, Array.ofList operands)
    ()
