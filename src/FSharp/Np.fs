namespace JaxSharp.FSharp

open JaxSharp

/// numpy-like functions (JAX's jax.numpy) for F#: curried, lowerCamel, thin forwarders to
/// JaxSharp.Np. Arguments that configure (axis, shape...) come before the tensor, so that
/// pipelines read `x |> np.reshape [| 2; 3 |]`; symmetric ones keep numpy's order.
[<RequireQualifiedAccess>]
module np =
    // ---- creation, shapes and indexing (shapes owner) ----

    /// Overloads of np.arange by the stop's type (int: int32, float32, float: float64); used through np.arange.
    type ArangeWitness =
        | ArangeWitness
        static member ($)(ArangeWitness, stop: int) = Np.Arange(stop)
        static member ($)(ArangeWitness, stop: float32) = Np.Arange(stop)
        static member ($)(ArangeWitness, stop: float) = Np.Arange(stop)

    /// Overloads of np.arangeStep by the numbers' type; used through np.arangeStep.
    type ArangeStepWitness =
        | ArangeStepWitness
        static member ($)(ArangeStepWitness, start: int) = fun (stop: int) (step: int) -> Np.Arange(start, stop, step)
        static member ($)(ArangeStepWitness, start: float32) = fun (stop: float32) (step: float32) -> Np.Arange(start, stop, step)
        static member ($)(ArangeStepWitness, start: float) = fun (stop: float) (step: float) -> Np.Arange(start, stop, step)

    /// Overloads of np.scalar and of fill values by .NET type; used through np.scalar and np.full.
    type ScalarWitness =
        | ScalarWitness
        static member ($)(ScalarWitness, value: int) = Np.Scalar(value)
        static member ($)(ScalarWitness, value: float32) = Np.Scalar(value)
        static member ($)(ScalarWitness, value: float) = Np.Scalar(value)
        static member ($)(ScalarWitness, value: bool) = Tensor.Scalar(value)

    /// Fill values by .NET type: float and int are weakly typed (they take the dtype they meet,
    /// float32 by default), as jnp.full's Python scalars; used through np.full and np.padWith.
    type FillWitness =
        | FillWitness
        static member ($)(FillWitness, value: int) : Tensor = Tensor.op_Implicit value
        static member ($)(FillWitness, value: float) : Tensor = Tensor.op_Implicit value
        static member ($)(FillWitness, value: float32) = Np.Scalar(value)
        static member ($)(FillWitness, value: bool) = Tensor.Scalar(value)
        static member ($)(FillWitness, value: Tensor) = value

    /// 0, 1, ..., below stop: `np.arange 3` is int32, `np.arange 3.0f` float32, `np.arange 3.0` float64.
    let inline arange stop : Tensor = ArangeWitness $ stop

    /// start, start + step, ... below stop (numpy's arange with three arguments); the dtype follows the numbers' type.
    let inline arangeStep start stop step : Tensor = (ArangeStepWitness $ start) stop step

    /// A strongly typed scalar tensor: `np.scalar 1.0f` is float32, `np.scalar 1.0` float64, `np.scalar 1` int32.
    let inline scalar value : Tensor = ScalarWitness $ value

    /// A tensor from any .NET array (`float32[]`, `float[,]`, `int[,,]`...), of its shape and element type.
    let array (values: System.Array) = Np.Array values

    /// float32 zeros of the shape: `np.zeros [| 2; 3 |]`.
    let zeros (shape: int[]) = Np.Zeros(Shape shape)

    /// Zeros of the shape and dtype.
    let zerosOf (dtype: DType) (shape: int[]) = Np.Zeros(Shape shape, dtype)

    /// float32 ones of the shape.
    let ones (shape: int[]) = Np.Ones(Shape shape)

    /// Ones of the shape and dtype.
    let onesOf (dtype: DType) (shape: int[]) = Np.Ones(Shape shape, dtype)

    /// The shape filled with a value: `np.full [| 2 |] 7.0` is float32 (a .NET float or int is weakly typed), a tensor keeps its dtype.
    let inline full (shape: int[]) value = Np.Full(Shape shape, FillWitness $ value)

    /// Zeros of the shape and dtype of x.
    let zerosLike (x: Tensor) = Np.ZerosLike x

    /// Ones of the shape and dtype of x.
    let onesLike (x: Tensor) = Np.OnesLike x

    /// A value in the shape and dtype of x.
    let inline fullLike value (x: Tensor) = Np.FullLike(x, FillWitness $ value)

    /// num float32 values evenly spaced from start to stop (included).
    let linspace (start: float) (stop: float) (num: int) = Np.Linspace(start, stop, num)

    /// The float32 n x n identity matrix.
    let eye (n: int) = Np.Eye n

    /// The float32 n x m matrix with ones on diagonal k (above the main one when positive).
    let eyeNM (n: int) (m: int) (k: int) = Np.Eye(n, m, k)

    /// The same elements in a new shape (one size may be -1): `x |> np.reshape [| 2; -1 |]`.
    let reshape (shape: int[]) (x: Tensor) = Np.Reshape(x, shape)

    /// The elements as a vector.
    let ravel (x: Tensor) = Np.Ravel x

    /// The axes reversed (the matrix transpose for a matrix).
    let transpose (x: Tensor) = Np.Transpose x

    /// The axes permuted: output axis i is input axis axes[i].
    let transposeAxes (axes: int[]) (x: Tensor) = Np.Transpose(x, axes)

    /// Two axes exchanged.
    let swapaxes (axis1: int) (axis2: int) (x: Tensor) = Np.Swapaxes(x, axis1, axis2)

    /// Axis source moved to position destination.
    let moveaxis (source: int) (destination: int) (x: Tensor) = Np.Moveaxis(x, source, destination)

    /// A new axis of size 1 at position axis of the result.
    let expandDims (axis: int) (x: Tensor) = Np.ExpandDims(x, axis)

    /// Every axis of size 1 removed.
    let squeeze (x: Tensor) = Np.Squeeze x

    /// The given axes (of size 1) removed.
    let squeezeAxes (axes: int[]) (x: Tensor) = Np.Squeeze(x, axes)

    /// x broadcast to the shape by numpy's rules.
    let broadcastTo (shape: int[]) (x: Tensor) = Np.BroadcastTo(x, Shape shape)

    /// The tensors broadcast to their common shape.
    let broadcastArrays (xs: Tensor seq) = Np.BroadcastArrays(Seq.toArray xs)

    /// The tensors joined along an existing axis: `np.concatenate 0 [ a; b ]`.
    let concatenate (axis: int) (xs: Tensor seq) = Np.Concatenate(xs, axis)

    /// The tensors (of one shape) joined along a new axis.
    let stack (axis: int) (xs: Tensor seq) = Np.Stack(xs, axis)

    /// x split into equal sections along axis 0.
    let split (sections: int) (x: Tensor) = Np.Split(x, sections)

    /// x split into equal sections along an axis.
    let splitAxis (axis: int) (sections: int) (x: Tensor) = Np.Split(x, sections, axis)

    /// x split before each index along an axis: `[| 1; 3 |]` gives x[:1], x[1:3], x[3:].
    let splitAt (axis: int) (indices: int[]) (x: Tensor) = Np.Split(x, indices, axis)

    /// x repeated reps[i] times along axis i.
    let tile (reps: int[]) (x: Tensor) = Np.Tile(x, reps)

    /// Each element of the flattened x repeated.
    let repeat (repeats: int) (x: Tensor) = Np.Repeat(x, repeats)

    /// Each element repeated along an axis.
    let repeatAxis (axis: int) (repeats: int) (x: Tensor) = Np.Repeat(x, repeats, axis)

    /// The elements reversed along every axis.
    let flip (x: Tensor) = Np.Flip x

    /// The elements reversed along an axis.
    let flipAxis (axis: int) (x: Tensor) = Np.Flip(x, axis)

    /// x padded with zeros: per axis (before, after), or one pair for all axes.
    let pad (widths: (int * int) list) (x: Tensor) = Np.Pad(x, widths |> List.map (fun (b, a) -> struct (b, a)) |> List.toArray)

    /// x padded with a constant value: per axis (before, after), or one pair for all axes.
    let inline padWith value (widths: (int * int) list) (x: Tensor) =
        Np.Pad(x, widths |> List.map (fun (b, a) -> struct (b, a)) |> List.toArray, FillWitness $ value)

    /// The elements of the flattened x at the indices (out-of-range: NaN for floats, as jnp.take).
    let take (indices: Tensor) (x: Tensor) = Np.Take(x, indices)

    /// The elements at the indices along an axis.
    let takeAxis (axis: int) (indices: Tensor) (x: Tensor) = Np.Take(x, indices, axis)

    /// Picks along an axis at the matching positions of indices (same rank as x).
    let takeAlongAxis (axis: int) (indices: Tensor) (x: Tensor) = Np.TakeAlongAxis(x, indices, axis)

    /// Sorted ascending along the last axis (stable, NaNs last).
    let sort (x: Tensor) = Np.Sort x

    /// Sorted ascending along an axis.
    let sortAxis (axis: int) (x: Tensor) = Np.Sort(x, axis)

    /// The int32 positions that sort x along the last axis.
    let argsort (x: Tensor) = Np.Argsort x

    /// The int32 positions that sort x along an axis.
    let argsortAxis (axis: int) (x: Tensor) = Np.Argsort(x, axis)

    // ---- elementwise math (elementwise owner) ----

    /// Np.Negative, elementwise.
    let negative (x: Tensor) = Np.Negative x
    /// Np.Abs, elementwise.
    let abs (x: Tensor) = Np.Abs x
    /// Np.Absolute, elementwise.
    let absolute (x: Tensor) = Np.Absolute x
    /// Np.Sign, elementwise.
    let sign (x: Tensor) = Np.Sign x
    /// Np.Exp, elementwise.
    let exp (x: Tensor) = Np.Exp x
    /// Np.Log, elementwise.
    let log (x: Tensor) = Np.Log x
    /// Np.Log1p, elementwise.
    let log1p (x: Tensor) = Np.Log1p x
    /// Np.Expm1, elementwise.
    let expm1 (x: Tensor) = Np.Expm1 x
    /// Np.Sqrt, elementwise.
    let sqrt (x: Tensor) = Np.Sqrt x
    /// Np.Cbrt, elementwise.
    let cbrt (x: Tensor) = Np.Cbrt x
    /// Np.Square, elementwise.
    let square (x: Tensor) = Np.Square x
    /// Np.Reciprocal, elementwise.
    let reciprocal (x: Tensor) = Np.Reciprocal x
    /// Np.Sin, elementwise.
    let sin (x: Tensor) = Np.Sin x
    /// Np.Cos, elementwise.
    let cos (x: Tensor) = Np.Cos x
    /// Np.Tan, elementwise.
    let tan (x: Tensor) = Np.Tan x
    /// Np.Arcsin, elementwise.
    let arcsin (x: Tensor) = Np.Arcsin x
    /// Np.Arccos, elementwise.
    let arccos (x: Tensor) = Np.Arccos x
    /// Np.Arctan, elementwise.
    let arctan (x: Tensor) = Np.Arctan x
    /// Np.Sinh, elementwise.
    let sinh (x: Tensor) = Np.Sinh x
    /// Np.Cosh, elementwise.
    let cosh (x: Tensor) = Np.Cosh x
    /// Np.Tanh, elementwise.
    let tanh (x: Tensor) = Np.Tanh x
    /// Np.Arcsinh, elementwise.
    let arcsinh (x: Tensor) = Np.Arcsinh x
    /// Np.Arccosh, elementwise.
    let arccosh (x: Tensor) = Np.Arccosh x
    /// Np.Arctanh, elementwise.
    let arctanh (x: Tensor) = Np.Arctanh x
    /// Np.Floor, elementwise.
    let floor (x: Tensor) = Np.Floor x
    /// Np.Ceil, elementwise.
    let ceil (x: Tensor) = Np.Ceil x
    /// Np.IsFinite, elementwise.
    let isFinite (x: Tensor) = Np.IsFinite x
    /// Np.IsNan, elementwise.
    let isNan (x: Tensor) = Np.IsNan x
    /// Np.IsInf, elementwise.
    let isInf (x: Tensor) = Np.IsInf x
    /// Np.LogicalNot, elementwise.
    let logicalNot (x: Tensor) = Np.LogicalNot x
    /// Np.BitwiseNot, elementwise.
    let bitwiseNot (x: Tensor) = Np.BitwiseNot x
    /// Np.Invert, elementwise.
    let invert (x: Tensor) = Np.Invert x

    /// np.round: to the nearest whole number, halves to even (numpy's rule).
    let round (x: Tensor) = Np.Round(x)
    /// np.round with decimals: `x |> np.roundDecimals 2`.
    let roundDecimals (decimals: int) (x: Tensor) = Np.Round(x, decimals)

    /// Np.Add, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline add a b = Np.Add(tensor a, tensor b)
    /// Np.Subtract, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline subtract a b = Np.Subtract(tensor a, tensor b)
    /// Np.Multiply, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline multiply a b = Np.Multiply(tensor a, tensor b)
    /// Np.Divide, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline divide a b = Np.Divide(tensor a, tensor b)
    /// Np.TrueDivide, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline trueDivide a b = Np.TrueDivide(tensor a, tensor b)
    /// Np.FloorDivide, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline floorDivide a b = Np.FloorDivide(tensor a, tensor b)
    /// Np.Remainder, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline remainder a b = Np.Remainder(tensor a, tensor b)
    /// Np.Power, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline power a b = Np.Power(tensor a, tensor b)
    /// Np.Maximum, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline maximum a b = Np.Maximum(tensor a, tensor b)
    /// Np.Minimum, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline minimum a b = Np.Minimum(tensor a, tensor b)
    /// Np.Arctan2, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline arctan2 a b = Np.Arctan2(tensor a, tensor b)
    /// Np.Greater, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline greater a b = Np.Greater(tensor a, tensor b)
    /// Np.GreaterEqual, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline greaterEqual a b = Np.GreaterEqual(tensor a, tensor b)
    /// Np.Less, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline less a b = Np.Less(tensor a, tensor b)
    /// Np.LessEqual, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline lessEqual a b = Np.LessEqual(tensor a, tensor b)
    /// Np.Equal, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline equal a b = Np.Equal(tensor a, tensor b)
    /// Np.NotEqual, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline notEqual a b = Np.NotEqual(tensor a, tensor b)
    /// Np.LogicalAnd, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline logicalAnd a b = Np.LogicalAnd(tensor a, tensor b)
    /// Np.LogicalOr, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline logicalOr a b = Np.LogicalOr(tensor a, tensor b)
    /// Np.LogicalXor, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline logicalXor a b = Np.LogicalXor(tensor a, tensor b)
    /// Np.BitwiseAnd, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline bitwiseAnd a b = Np.BitwiseAnd(tensor a, tensor b)
    /// Np.BitwiseOr, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline bitwiseOr a b = Np.BitwiseOr(tensor a, tensor b)
    /// Np.BitwiseXor, elementwise with broadcasting and promotion; a or b may be a .NET scalar.
    let inline bitwiseXor a b = Np.BitwiseXor(tensor a, tensor b)

    /// x where condition holds, else y, with broadcasting and promotion: `np.where (x .> 0.0) x 0.0`.
    let inline where condition x y = Np.Where(tensor condition, tensor x, tensor y)
    /// x limited to [lo, hi]: `x |> np.clip 0.0 1.0`.
    let inline clip lo hi (x: Tensor) = Np.Clip(x, tensor lo, tensor hi)
    /// x limited from below: `x |> np.clipMin 0.0`.
    let inline clipMin lo (x: Tensor) = Np.Clip(x, tensor lo, null)
    /// x limited from above: `x |> np.clipMax 1.0`.
    let inline clipMax hi (x: Tensor) = Np.Clip(x, null, tensor hi)

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
    // ---- linear algebra (linalg owner) ----
    /// The lower Cholesky factor L (L Lᵀ = x) of symmetric positive definite matrices (NaNs when not positive definite).
    let cholesky (x: Tensor) = Np.Cholesky(x)
    /// jax.scipy.linalg.solve_triangular: x with a x = b, reading the lower (lower = true) or upper triangle of a; b is (..., m) or (..., m, k).
    let solveTriangular (lower: bool) (a: Tensor) (b: Tensor) = Np.SolveTriangular(a, b, lower)

    /// jax.numpy.linalg (with jax.scipy.linalg's factor-and-solve functions): thin forwarders to Np.Linalg.
    [<RequireQualifiedAccess>]
    module linalg =
        let private pair (struct (a, b)) = (a, b)
        let private triple (struct (a, b, c)) = (a, b, c)
        let private quadruple (struct (a, b, c, d)) = (a, b, c, d)
        /// x with a x = b; b is (m,) or (..., m, k), leading axes broadcast.
        let solve (a: Tensor) (b: Tensor) = Np.Linalg.Solve(a, b)
        /// The inverse of square matrices.
        let inv (a: Tensor) = Np.Linalg.Inv(a)
        /// The determinants of square matrices.
        let det (a: Tensor) = Np.Linalg.Det(a)
        /// (sign, log |det|) of square matrices.
        let slogdet (a: Tensor) = pair (Np.Linalg.Slogdet(a))
        /// (eigenvalues ascending, eigenvectors as columns) of symmetric matrices, reading the lower triangle.
        let eigh (a: Tensor) = pair (Np.Linalg.Eigh(a))
        /// The eigenvalues, ascending, of symmetric matrices.
        let eigvalsh (a: Tensor) = Np.Linalg.Eigvalsh(a)
        /// (u, s, vh) with a = u diag(s) vh; fullMatrices gives square u and vh.
        let svd (fullMatrices: bool) (a: Tensor) = triple (Np.Linalg.Svd(a, fullMatrices))
        /// The singular values, descending.
        let svdvals (a: Tensor) = Np.Linalg.Svdvals(a)
        /// (q, r) with a = q r; mode "reduced" or "complete".
        let qr (mode: string) (a: Tensor) = pair (Np.Linalg.Qr(a, mode))
        /// The lower Cholesky factor L (L Lᵀ = a), or Lᵀ when upper.
        let cholesky (upper: bool) (a: Tensor) = Np.Linalg.Cholesky(a, upper)
        /// jax.scipy.linalg.lu: (p, l, u) with a = p l u.
        let lu (a: Tensor) = triple (Np.Linalg.Lu(a))
        /// jax.scipy.linalg.lu_factor: (lu, pivots) for luSolve.
        let luFactor (a: Tensor) = pair (Np.Linalg.LuFactor(a))
        /// jax.scipy.linalg.lu_solve: x with a x = b from luFactor's factors.
        let luSolve (factors: Tensor * Tensor) (b: Tensor) = Np.Linalg.LuSolve(struct (fst factors, snd factors), b)
        /// jax.scipy.linalg.cho_factor: (c, lower), the Cholesky factor read from one triangle.
        let choFactor (lower: bool) (a: Tensor) = pair (Np.Linalg.ChoFactor(a, lower))
        /// jax.scipy.linalg.cho_solve: x with a x = b from choFactor's factor.
        let choSolve (factor: Tensor * bool) (b: Tensor) = Np.Linalg.ChoSolve(struct (fst factor, snd factor), b)
        /// jax.scipy.linalg.solve_triangular: x with a x = b, reading a's lower (lower = true) or upper triangle.
        let solveTriangular (lower: bool) (a: Tensor) (b: Tensor) = Np.Linalg.SolveTriangular(a, b, lower)
        /// The vector 2-norm of all elements (Frobenius for matrices).
        let norm (x: Tensor) = Np.Linalg.Norm(x)
        /// A vector norm (one axis) or matrix norm (two axes) of order ord (2, 1, inf, -inf, 0, p; matrix: 1, -1, 2, -2, ±inf).
        let normOrd (ord: float) (axis: int[]) (x: Tensor) = Np.Linalg.Norm(x, ord, axis)
        /// The "fro" or "nuc" matrix norm over two axes.
        let normNamed (ord: string) (axis: int[]) (x: Tensor) = Np.Linalg.Norm(x, ord, axis)
        /// The Moore-Penrose pseudo-inverse (default cutoff 10 max(m, n) eps).
        let pinv (a: Tensor) = Np.Linalg.Pinv(a)
        /// (x, residuals, rank, singular values) of the least-squares problem a x ≈ b.
        let lstsq (a: Tensor) (b: Tensor) = quadruple (Np.Linalg.Lstsq(a, b))
        /// aⁿ by repeated squaring (n < 0: powers of the inverse).
        let matrixPower (n: int) (a: Tensor) = Np.Linalg.MatrixPower(a, n)
        /// The number of singular values above max(m, n) eps times the largest.
        let matrixRank (a: Tensor) = Np.Linalg.MatrixRank(a)
        /// The 2-norm condition number (largest over smallest singular value).
        let cond (a: Tensor) = Np.Linalg.Cond(a)
        /// The product of a chain of matrices in the cheapest order.
        let multiDot (arrays: Tensor list) = Np.Linalg.MultiDot(Array.ofList arrays)
        /// jax.scipy.linalg.expm: the matrix exponential (scaling and squaring, Padé).
        let expm (a: Tensor) = Np.Linalg.Expm(a)
    // ---- convolutions (conv owner) ----
    /// The discrete linear convolution of two 1-d arrays, mode "full", "same" or "valid": np.convolve "full" a v.
    let convolve (mode: string) (a: Tensor) (v: Tensor) = Np.Convolve(a, v, mode)
    /// The cross-correlation of two 1-d arrays, mode "full", "same" or "valid": np.correlate "valid" a v.
    let correlate (mode: string) (a: Tensor) (v: Tensor) = Np.Correlate(a, v, mode)
    ()
