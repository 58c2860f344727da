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

    // ---- reductions and linear algebra (reductions owner) ----
    ()
