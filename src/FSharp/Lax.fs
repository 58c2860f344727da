namespace JaxSharp.FSharp

open JaxSharp

/// jax.lax for F#: the primitives themselves, with strict dtypes (no promotion).
[<RequireQualifiedAccess>]
module lax =
    // ---- shapes and indexing (shapes owner) ----

    /// broadcast_in_dim: operand axis i becomes output axis dims[i] of the shape.
    let broadcastInDim (shape: int[]) (dims: int[]) (x: Tensor) = Lax.BroadcastInDim(x, Shape shape, Ints dims)

    /// reshape to a shape of the same size.
    let reshape (shape: int[]) (x: Tensor) = Lax.Reshape(x, Shape shape)

    /// transpose: output axis i is input axis permutation[i].
    let transpose (permutation: int[]) (x: Tensor) = Lax.Transpose(x, Ints permutation)

    /// squeeze: removes the given axes of size 1.
    let squeeze (dims: int[]) (x: Tensor) = Lax.Squeeze(x, Ints dims)

    /// expand_dims: inserts axes of size 1 at the given output positions.
    let expandDims (dims: int[]) (x: Tensor) = Lax.ExpandDims(x, Ints dims)

    /// rev: reverses the given axes.
    let rev (dims: int[]) (x: Tensor) = Lax.Rev(x, Ints dims)

    /// concatenate along a dimension (one dtype).
    let concatenate (dimension: int) (xs: Tensor seq) = Lax.Concatenate(xs, dimension)

    /// pad with a scalar: one (low, high, interior) triple per axis; negative low/high crop.
    let pad (paddingValue: Tensor) (config: (int * int * int) list) (x: Tensor) =
        Lax.Pad(x, paddingValue, config |> List.map (fun (l, h, i) -> struct (l, h, i)) |> List.toArray)

    /// iota: 0, 1, ..., size - 1 of the dtype.
    let iota (dtype: DType) (size: int) = Lax.Iota(dtype, size)

    /// An iota of the shape counting along a dimension.
    let broadcastedIota (dtype: DType) (shape: int[]) (dimension: int) = Lax.BroadcastedIota(dtype, Shape shape, dimension)

    /// sort along a dimension: stable, NaNs last.
    let sort (dimension: int) (x: Tensor) = Lax.Sort(x, dimension)

    /// argsort along a dimension: the int32 positions of a stable sort.
    let argsort (dimension: int) (x: Tensor) = Lax.Argsort(x, dimension)

    /// slice: x[start:limit] along every axis.
    let slice (startIndices: int[]) (limitIndices: int[]) (x: Tensor) = Lax.Slice(x, Ints startIndices, Ints limitIndices)

    /// slice with strides: x[start:limit:stride] along every axis.
    let sliceStrided (startIndices: int[]) (limitIndices: int[]) (strides: int[]) (x: Tensor) =
        Lax.Slice(x, Ints startIndices, Ints limitIndices, Ints strides)

    /// dynamic_slice: the box of sliceSizes at run-time int32 scalar starts (clamped to fit).
    let dynamicSlice (startIndices: Tensor list) (sliceSizes: int[]) (x: Tensor) =
        Lax.DynamicSlice(x, List.toArray startIndices, Ints sliceSizes)

    /// dynamic_update_slice: x with the box at run-time int32 scalar starts (clamped) replaced by update.
    let dynamicUpdateSlice (startIndices: Tensor list) (update: Tensor) (x: Tensor) =
        Lax.DynamicUpdateSlice(x, update, List.toArray startIndices)

    /// gather: XLA's gather; indices end in the index vector.
    let gather (dimensionNumbers: GatherDimensionNumbers) (sliceSizes: int[]) (mode: GatherScatterMode) (x: Tensor) (indices: Tensor) =
        Lax.Gather(x, indices, dimensionNumbers, Ints sliceSizes, mode)

    /// scatter: x with the updates written at the indexed windows.
    let scatter (dimensionNumbers: ScatterDimensionNumbers) (mode: GatherScatterMode) (x: Tensor) (indices: Tensor) (updates: Tensor) =
        Lax.Scatter(x, indices, updates, dimensionNumbers, mode)

    /// scatter_add: x with the updates added at the indexed windows (duplicates accumulate).
    let scatterAdd (dimensionNumbers: ScatterDimensionNumbers) (mode: GatherScatterMode) (x: Tensor) (indices: Tensor) (updates: Tensor) =
        Lax.ScatterAdd(x, indices, updates, dimensionNumbers, mode)

    /// scatter_mul: x with the indexed elements multiplied by the updates.
    let scatterMul (dimensionNumbers: ScatterDimensionNumbers) (mode: GatherScatterMode) (x: Tensor) (indices: Tensor) (updates: Tensor) =
        Lax.ScatterMul(x, indices, updates, dimensionNumbers, mode)

    /// scatter_min: x with the indexed elements lowered to smaller updates.
    let scatterMin (dimensionNumbers: ScatterDimensionNumbers) (mode: GatherScatterMode) (x: Tensor) (indices: Tensor) (updates: Tensor) =
        Lax.ScatterMin(x, indices, updates, dimensionNumbers, mode)

    /// scatter_max: x with the indexed elements raised to larger updates.
    let scatterMax (dimensionNumbers: ScatterDimensionNumbers) (mode: GatherScatterMode) (x: Tensor) (indices: Tensor) (updates: Tensor) =
        Lax.ScatterMax(x, indices, updates, dimensionNumbers, mode)

    // ---- elementwise (elementwise owner) ----

    // ---- reductions, cumulative ops, dot_general (reductions owner) ----
    ()
