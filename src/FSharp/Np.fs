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

    /// float32 zeros of the shape (float64 with x64 enabled, see `config.setEnableX64`): `np.zeros [| 2; 3 |]`.
    let zeros (shape: int[]) = Np.Zeros(Shape shape)

    /// Zeros of the shape and dtype.
    let zerosOf (dtype: DType) (shape: int[]) = Np.Zeros(Shape shape, dtype)

    /// float32 ones of the shape (float64 with x64 enabled).
    let ones (shape: int[]) = Np.Ones(Shape shape)

    /// Ones of the shape and dtype.
    let onesOf (dtype: DType) (shape: int[]) = Np.Ones(Shape shape, dtype)

    /// The shape filled with a value: `np.full [| 2 |] 7.0` is float32 (float64 with x64 enabled; a .NET float or int is weakly typed), a tensor keeps its dtype.
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
    // ---- the rest of jax.numpy's names (names owner) ----
    /// Base-2 logarithm.
    let log2 (x: Tensor) = Np.Log2 x
    /// Base-10 logarithm.
    let log10 (x: Tensor) = Np.Log10 x
    /// 2^x.
    let exp2 (x: Tensor) = Np.Exp2 x
    /// log(e^a + e^b), stable.
    let logaddexp (a: Tensor) (b: Tensor) = Np.Logaddexp(a, b)
    /// log2(2^a + 2^b), stable.
    let logaddexp2 (a: Tensor) (b: Tensor) = Np.Logaddexp2(a, b)
    /// sqrt(a² + b²) without overflow.
    let hypot (a: Tensor) (b: Tensor) = Np.Hypot(a, b)
    /// The magnitude of a with the sign of b.
    let copysign (a: Tensor) (b: Tensor) = Np.Copysign(a, b)
    /// Whether the sign bit is set (negative numbers and -0.0).
    let signbit (x: Tensor) = Np.Signbit x
    /// The Heaviside step with h0 at 0: `np.heaviside h0 x`.
    let heaviside (h0: Tensor) (x: Tensor) = Np.Heaviside(x, h0)
    /// sin(πx)/(πx), 1 at 0.
    let sinc (x: Tensor) = Np.Sinc x
    /// Degrees to radians.
    let deg2rad (x: Tensor) = Np.Deg2rad x
    /// Radians to degrees.
    let rad2deg (x: Tensor) = Np.Rad2deg x
    /// Degrees to radians.
    let radians (x: Tensor) = Np.Radians x
    /// Radians to degrees.
    let degrees (x: Tensor) = Np.Degrees x
    /// |x| as a float.
    let fabs (x: Tensor) = Np.Fabs x
    /// Rounds toward zero.
    let trunc (x: Tensor) = Np.Trunc x
    /// Rounds to the nearest integer, halves to even.
    let rint (x: Tensor) = Np.Rint x
    /// Rounds to decimals places, halves to even.
    let around (decimals: int) (x: Tensor) = Np.Around(x, decimals)
    /// The larger of a and b, ignoring NaN.
    let fmax (a: Tensor) (b: Tensor) = Np.Fmax(a, b)
    /// The smaller of a and b, ignoring NaN.
    let fmin (a: Tensor) (b: Tensor) = Np.Fmin(a, b)
    /// The remainder with the sign of the dividend a.
    let fmod (a: Tensor) (b: Tensor) = Np.Fmod(a, b)
    /// The fractional and integral parts.
    let modf (x: Tensor) =
        let struct (fractional, integral) = Np.Modf x
        fractional, integral
    /// (floor(a / b), a mod b).
    let divmod (a: Tensor) (b: Tensor) =
        let struct (quotient, remainder) = Np.Divmod(a, b)
        quotient, remainder
    /// x · 2^e.
    let ldexp (x: Tensor) (e: Tensor) = Np.Ldexp(x, e)
    /// a^b in floating point.
    let floatPower (a: Tensor) (b: Tensor) = Np.FloatPower(a, b)
    /// a^b (numpy 2's name for power).
    let pow (a: Tensor) (b: Tensor) = Np.Pow(a, b)
    /// x itself.
    let positive (x: Tensor) = Np.Positive x
    /// Whether x is -inf.
    let isneginf (x: Tensor) = Np.Isneginf x
    /// Whether x is +inf.
    let isposinf (x: Tensor) = Np.Isposinf x
    /// NaN to 0 and infinities to the dtype's extreme finite values.
    let nanToNum (x: Tensor) = Np.NanToNum x
    /// Whether |a - b| <= atol + rtol |b| elementwise: `np.isclose 1e-5 1e-8 a b`.
    let isclose (rtol: float) (atol: float) (a: Tensor) (b: Tensor) = Np.Isclose(a, b, rtol, atol)
    /// Whether all elements are close (a bool scalar).
    let allclose (rtol: float) (atol: float) (a: Tensor) (b: Tensor) = Np.Allclose(a, b, rtol, atol)
    /// Whether a and b have the same shape and elements (a bool scalar).
    let arrayEqual (a: Tensor) (b: Tensor) = Np.ArrayEqual(a, b)
    /// Whether a and b broadcast together and are equal (a bool scalar).
    let arrayEquiv (a: Tensor) (b: Tensor) = Np.ArrayEquiv(a, b)
    /// Bitwise not (numpy 2's name).
    let bitwiseInvert (x: Tensor) = Np.BitwiseInvert x
    /// The sum treating NaN as 0.
    let nansum (x: Tensor) = Np.Nansum x
    /// The product treating NaN as 1.
    let nanprod (x: Tensor) = Np.Nanprod x
    /// The maximum ignoring NaN.
    let nanmax (x: Tensor) = Np.Nanmax x
    /// The minimum ignoring NaN.
    let nanmin (x: Tensor) = Np.Nanmin x
    /// The mean ignoring NaN.
    let nanmean (x: Tensor) = Np.Nanmean x
    /// The mean ignoring NaN, along an axis.
    let nanmeanAxis (axis: int) (x: Tensor) = Np.Nanmean(x, axis)
    /// The variance ignoring NaN.
    let nanvar (x: Tensor) = Np.Nanvar x
    /// The standard deviation ignoring NaN.
    let nanstd (x: Tensor) = Np.Nanstd x
    /// The index of the maximum ignoring NaN.
    let nanargmax (x: Tensor) = Np.Nanargmax x
    /// The index of the minimum ignoring NaN.
    let nanargmin (x: Tensor) = Np.Nanargmin x
    /// Running sums along an axis, NaN as 0.
    let nancumsum (axis: int) (x: Tensor) = Np.Nancumsum(x, axis)
    /// Running products along an axis, NaN as 1.
    let nancumprod (axis: int) (x: Tensor) = Np.Nancumprod(x, axis)
    /// Running sums along an axis (the array API's name).
    let cumulativeSum (axis: int) (x: Tensor) = Np.CumulativeSum(x, axis)
    /// Running products along an axis (the array API's name).
    let cumulativeProd (axis: int) (x: Tensor) = Np.CumulativeProd(x, axis)
    /// max - min.
    let ptp (x: Tensor) = Np.Ptp x
    /// The number of non-zero elements (int32).
    let countNonzero (x: Tensor) = Np.CountNonzero x
    /// The weighted mean along an axis: `np.average weights axis x`.
    let average (weights: Tensor) (axis: int) (x: Tensor) = Np.Average(x, weights, axis)
    /// The q-th quantile (q in [0, 1]) of all elements, linear interpolation.
    let quantile (q: float) (x: Tensor) = Np.Quantile(x, q)
    /// The q-th quantile along an axis.
    let quantileAxis (q: float) (axis: int) (x: Tensor) = Np.Quantile(x, q, axis)
    /// The q-th percentile (q in [0, 100]) of all elements.
    let percentile (q: float) (x: Tensor) = Np.Percentile(x, q)
    /// The median of all elements.
    let median (x: Tensor) = Np.Median x
    /// The median along an axis.
    let medianAxis (axis: int) (x: Tensor) = Np.Median(x, axis)
    /// The q-th quantile ignoring NaN.
    let nanquantile (q: float) (x: Tensor) = Np.Nanquantile(x, q)
    /// The q-th percentile ignoring NaN.
    let nanpercentile (q: float) (x: Tensor) = Np.Nanpercentile(x, q)
    /// The median ignoring NaN.
    let nanmedian (x: Tensor) = Np.Nanmedian x
    /// The n-th difference along the last axis.
    let diff (n: int) (x: Tensor) = Np.Diff(x, n)
    /// The n-th difference along an axis.
    let diffAxis (n: int) (axis: int) (x: Tensor) = Np.Diff(x, n, axis)
    /// Differences of consecutive elements of the flattened array.
    let ediff1d (x: Tensor) = Np.Ediff1d x
    /// The flattened array rolled by shift (shape kept).
    let roll (shift: int) (x: Tensor) = Np.Roll(x, shift)
    /// Rolled by shift along an axis.
    let rollAxis (shift: int) (axis: int) (x: Tensor) = Np.Roll(x, shift, axis)
    /// Rotated by 90° k times in the plane of the first two axes.
    let rot90 (k: int) (x: Tensor) = Np.Rot90(x, k)
    /// Reversed along the second axis.
    let fliplr (x: Tensor) = Np.Fliplr x
    /// Reversed along the first axis.
    let flipud (x: Tensor) = Np.Flipud x
    /// The n × n float32 matrix of ones at and below the k-th diagonal: `np.tri 3 0`.
    let tri (n: int) (k: int) = Np.Tri(n, k = k)
    /// The lower triangle (below and on the k-th diagonal) of the last two axes.
    let tril (k: int) (x: Tensor) = Np.Tril(x, k)
    /// The upper triangle (on and above the k-th diagonal) of the last two axes.
    let triu (k: int) (x: Tensor) = Np.Triu(x, k)
    /// The k-th diagonal of the first two axes.
    let diagonal (k: int) (x: Tensor) = Np.Diagonal(x, k)
    /// The sum of the main diagonal.
    let trace (x: Tensor) = Np.Trace x
    /// A vector on the k-th diagonal of a matrix, or a matrix's k-th diagonal.
    let diag (k: int) (x: Tensor) = Np.Diag(x, k)
    /// The flattened x on the k-th diagonal.
    let diagflat (k: int) (x: Tensor) = Np.Diagflat(x, k)
    /// The Kronecker product.
    let kron (a: Tensor) (b: Tensor) = Np.Kron(a, b)
    /// Coordinate arrays of a grid, "xy" indexing (first two axes swapped) as numpy's default.
    let meshgrid (xs: Tensor list) = Np.Meshgrid(Array.ofList xs) |> List.ofArray
    /// Coordinate arrays of a grid, matrix ("ij") indexing.
    let meshgridIj (xs: Tensor list) = Np.Meshgrid(Array.ofList xs, "ij") |> List.ofArray
    /// At least one axis.
    let atleast1d (x: Tensor) = Np.Atleast1d x
    /// At least two axes.
    let atleast2d (x: Tensor) = Np.Atleast2d x
    /// At least three axes.
    let atleast3d (x: Tensor) = Np.Atleast3d x
    /// Joined along the second axis (the first for vectors).
    let hstack (xs: Tensor seq) = Np.Hstack xs
    /// Joined along the first axis, vectors as rows.
    let vstack (xs: Tensor seq) = Np.Vstack xs
    /// Joined along the third axis.
    let dstack (xs: Tensor seq) = Np.Dstack xs
    /// Vectors as the columns of a matrix.
    let columnStack (xs: Tensor seq) = Np.ColumnStack xs
    /// Joined along an axis (the array API's name for concatenate).
    let concat (axis: int) (xs: Tensor seq) = Np.Concat(xs, axis)
    /// The axes permuted (the array API's name for transpose).
    let permuteDims (axes: int[]) (x: Tensor) = Np.PermuteDims(x, axes)
    /// The last two axes swapped.
    let matrixTranspose (x: Tensor) = Np.MatrixTranspose x
    /// The number of axes.
    let ndim (x: Tensor) = Np.Ndim x
    /// x itself (arrays are immutable).
    let copy (x: Tensor) = Np.Copy x
    /// The n × n float32 identity matrix.
    let identity (n: int) = Np.Identity n
    /// values appended to x along an axis.
    let append (axis: int) (values: Tensor) (x: Tensor) = Np.Append(x, values, axis)
    /// x converted to a dtype: `np.astype DType.Float64 x`.
    let astype (dtype: DType) (x: Tensor) = Np.AsType(x, dtype)
    /// The largest element (numpy's amax).
    let amax (x: Tensor) = Np.Amax x
    /// The least element (numpy's amin).
    let amin (x: Tensor) = Np.Amin x
    /// The remainder with the sign of the divisor (numpy's mod).
    let ``mod`` (a: Tensor) (b: Tensor) = Np.Mod(a, b)
    /// The inverse cosine (numpy 2's name).
    let acos (x: Tensor) = Np.Acos x
    /// The inverse hyperbolic cosine.
    let acosh (x: Tensor) = Np.Acosh x
    /// The inverse sine.
    let asin (x: Tensor) = Np.Asin x
    /// The inverse hyperbolic sine.
    let asinh (x: Tensor) = Np.Asinh x
    /// The inverse tangent.
    let atan (x: Tensor) = Np.Atan x
    /// The inverse hyperbolic tangent.
    let atanh (x: Tensor) = Np.Atanh x
    /// The angle of the point (b, a).
    let atan2 (a: Tensor) (b: Tensor) = Np.Atan2(a, b)
    /// Integer bits shifted left.
    let leftShift (x: Tensor) (y: Tensor) = Np.LeftShift(x, y)
    /// Integer bits shifted left (numpy 2's name).
    let bitwiseLeftShift (x: Tensor) (y: Tensor) = Np.BitwiseLeftShift(x, y)
    /// float32 zeros (JAX has no uninitialized memory).
    let empty (shape: int[]) = Np.Empty(Shape shape)
    /// Zeros of x's shape and dtype.
    let emptyLike (x: Tensor) = Np.EmptyLike x
    /// x itself.
    let asarray (x: Tensor) = Np.Asarray x
    /// The number of elements.
    let size (x: Tensor) = Np.Size x
    /// The dimensions.
    let shapeOf (x: Tensor) = Np.ShapeOf x
    /// The axis moved to position start.
    let rollaxis (axis: int) (start: int) (x: Tensor) = Np.Rollaxis(x, axis, start)
    /// Equal parts along the second axis (the first for 1-d).
    let hsplit (sections: int) (x: Tensor) = Np.Hsplit(x, sections)
    /// Equal parts along the first axis.
    let vsplit (sections: int) (x: Tensor) = Np.Vsplit(x, sections)
    /// Equal parts along the third axis.
    let dsplit (sections: int) (x: Tensor) = Np.Dsplit(x, sections)
    /// Parts along an axis that may differ in length by one.
    let arraySplit (sections: int) (axis: int) (x: Tensor) = Np.ArraySplit(x, sections, axis)
    /// The slices along the first axis.
    let unstack (x: Tensor) = Np.Unstack(x)
    /// The dot product along the last axis, broadcasting the rest.
    let vecdot (a: Tensor) (b: Tensor) = Np.Vecdot(a, b)
    /// Matrix-vector products over the last axes.
    let matvec (matrix: Tensor) (vector: Tensor) = Np.Matvec(matrix, vector)
    /// Vector-matrix products over the last axes.
    let vecmat (vector: Tensor) (matrix: Tensor) = Np.Vecmat(vector, matrix)
    /// The cross product along the last axis.
    let cross (a: Tensor) (b: Tensor) = Np.Cross(a, b)
    /// The covariance matrix of the rows.
    let cov (x: Tensor) = Np.Cov(x)
    /// The correlation matrix of the rows.
    let corrcoef (x: Tensor) = Np.Corrcoef x
    /// Insertion positions of v into the sorted a (side "left"): `np.searchsorted a v`.
    let searchsorted (a: Tensor) (v: Tensor) = Np.Searchsorted(a, v)
    /// Insertion positions after equal elements (side "right").
    let searchsortedRight (a: Tensor) (v: Tensor) = Np.Searchsorted(a, v, "right")
    /// The bin of each x among increasing bins: `np.digitize bins x`.
    let digitize (bins: Tensor) (x: Tensor) = Np.Digitize(x, bins)
    /// Whether each element occurs in testElements: `np.isin testElements x`.
    let isin (testElements: Tensor) (x: Tensor) = Np.Isin(x, testElements)
    /// Counts of 0..length-1 in an int array: `np.bincount length x`.
    let bincount (length: int) (x: Tensor) = Np.Bincount(x, length)
    /// The piecewise linear interpolant of (xp, fp) at x: `np.interp xp fp x`.
    let interp (xp: Tensor) (fp: Tensor) (x: Tensor) = Np.Interp(x, xp, fp)
    /// The trapezoidal integral along the last axis with spacing dx.
    let trapezoid (dx: float) (y: Tensor) = Np.Trapezoid(y, dx)
    /// The polynomial p (highest power first) at x.
    let polyval (p: Tensor) (x: Tensor) = Np.Polyval(p, x)
    /// The Vandermonde matrix (decreasing powers).
    let vander (x: Tensor) = Np.Vander(x)
    /// num float32 numbers from 10^start to 10^stop.
    let logspace (start: float) (stop: float) (num: int) = Np.Logspace(start, stop, num)
    /// num float32 numbers in geometric progression from start to stop.
    let geomspace (start: float) (stop: float) (num: int) = Np.Geomspace(start, stop, num)
    /// The flat indices of the non-zero elements (outside jit; under jit use flatnonzeroSized).
    let flatnonzero (x: Tensor) = Np.Flatnonzero(x)
    /// The first size flat indices of non-zero elements, then fillValue: works under jit.
    let flatnonzeroSized (size: int) (fillValue: int) (x: Tensor) = Np.Flatnonzero(x, size, fillValue)
    /// The indices of the non-zero elements, one array per axis (outside jit).
    let nonzero (x: Tensor) = Np.Nonzero(x) |> List.ofArray
    /// The first size indices of non-zero elements per axis, then fillValue: works under jit.
    let nonzeroSized (size: int) (fillValue: int) (x: Tensor) = Np.Nonzero(x, size, fillValue) |> List.ofArray
    /// The indices of the non-zero elements as rows (outside jit).
    let argwhere (x: Tensor) = Np.Argwhere(x)
    /// The first size index rows of non-zero elements, then fillValue: works under jit.
    let argwhereSized (size: int) (fillValue: int) (x: Tensor) = Np.Argwhere(x, size, fillValue)
    /// The sorted distinct elements (outside jit).
    let unique (x: Tensor) = Np.Unique(x)
    /// The first size sorted distinct elements, padded with the smallest: works under jit.
    let uniqueSized (size: int) (x: Tensor) = Np.Unique(x, size)
    /// The sorted distinct elements (the array API's name).
    let uniqueValues (x: Tensor) = Np.UniqueValues(x)
    /// The k largest elements along the last axis and their indices.
    let topK (k: int) (x: Tensor) =
        let struct (values, indices) = Np.TopK(x, k)
        values, indices
    /// Counts in bins equal bins over x's range, and the bin edges.
    let histogram (bins: int) (x: Tensor) =
        let struct (counts, edges) = Np.Histogram(x, bins)
        counts, edges
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
