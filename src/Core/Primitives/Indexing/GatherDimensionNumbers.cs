namespace JaxSharp;

/// <summary>
/// How <c>gather</c> maps indices to slices of the operand (XLA's and JAX's
/// <c>GatherDimensionNumbers</c>). The index vector is the last axis of the indices; the
/// other axes of the indices are batch axes, and become the output axes not listed in
/// <see cref="OffsetDims"/>.
/// </summary>
/// <param name="OffsetDims">The output axes that hold the slice's (uncollapsed) axes, increasing.</param>
/// <param name="CollapsedSliceDims">Operand axes of slice size 1 dropped from the output, increasing.</param>
/// <param name="StartIndexMap">For each entry of the index vector, the operand axis it starts.</param>
/// <param name="OperandBatchingDims">Operand axes indexed by a batch axis of the indices, increasing (slice size 1, dropped).</param>
/// <param name="StartIndicesBatchingDims">For each of <paramref name="OperandBatchingDims"/>, the batch axis of the indices that gives its index.</param>
/// <example><c>new GatherDimensionNumbers(OffsetDims: [1], CollapsedSliceDims: [0], StartIndexMap: [0])</c> takes rows of a matrix.</example>
public sealed record GatherDimensionNumbers(Ints OffsetDims, Ints CollapsedSliceDims, Ints StartIndexMap, Ints? OperandBatchingDims = null, Ints? StartIndicesBatchingDims = null)
{
    /// <summary>The operand batching axes (empty when none).</summary>
    public Ints OperandBatching => OperandBatchingDims ?? Ints.Empty;

    /// <summary>The indices' batching axes (empty when none).</summary>
    public Ints IndicesBatching => StartIndicesBatchingDims ?? Ints.Empty;

    /// <inheritdoc/>
    public bool Equals(GatherDimensionNumbers? other) =>
        other is not null && OffsetDims.Equals(other.OffsetDims) && CollapsedSliceDims.Equals(other.CollapsedSliceDims)
        && StartIndexMap.Equals(other.StartIndexMap) && OperandBatching.Equals(other.OperandBatching) && IndicesBatching.Equals(other.IndicesBatching);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(OffsetDims, CollapsedSliceDims, StartIndexMap, OperandBatching, IndicesBatching);

    /// <summary>JAX's form: <c>GatherDimensionNumbers(offset_dims=(1,), collapsed_slice_dims=(0,), ...)</c>.</summary>
    public override string ToString() =>
        $"GatherDimensionNumbers(offset_dims={OffsetDims}, collapsed_slice_dims={CollapsedSliceDims}, start_index_map={StartIndexMap}, " +
        $"operand_batching_dims={OperandBatching}, start_indices_batching_dims={IndicesBatching})";
}

/// <summary>
/// How <c>scatter</c> maps indices to windows of the operand (JAX's
/// <c>ScatterDimensionNumbers</c>). The index vector is the last axis of the indices; the
/// updates' axes not in <see cref="UpdateWindowDims"/> match the indices' batch axes.
/// </summary>
/// <param name="UpdateWindowDims">The updates' axes that span the window, increasing.</param>
/// <param name="InsertedWindowDims">Operand axes of window size 1 with no axis in the updates, increasing.</param>
/// <param name="ScatterDimsToOperandDims">For each entry of the index vector, the operand axis it starts.</param>
/// <param name="OperandBatchingDims">Operand axes indexed by a batch axis of the indices, increasing.</param>
/// <param name="ScatterIndicesBatchingDims">For each of <paramref name="OperandBatchingDims"/>, the batch axis of the indices that gives its index.</param>
public sealed record ScatterDimensionNumbers(Ints UpdateWindowDims, Ints InsertedWindowDims, Ints ScatterDimsToOperandDims, Ints? OperandBatchingDims = null, Ints? ScatterIndicesBatchingDims = null)
{
    /// <summary>The operand batching axes (empty when none).</summary>
    public Ints OperandBatching => OperandBatchingDims ?? Ints.Empty;

    /// <summary>The indices' batching axes (empty when none).</summary>
    public Ints IndicesBatching => ScatterIndicesBatchingDims ?? Ints.Empty;

    /// <inheritdoc/>
    public bool Equals(ScatterDimensionNumbers? other) =>
        other is not null && UpdateWindowDims.Equals(other.UpdateWindowDims) && InsertedWindowDims.Equals(other.InsertedWindowDims)
        && ScatterDimsToOperandDims.Equals(other.ScatterDimsToOperandDims) && OperandBatching.Equals(other.OperandBatching) && IndicesBatching.Equals(other.IndicesBatching);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(UpdateWindowDims, InsertedWindowDims, ScatterDimsToOperandDims, OperandBatching, IndicesBatching);

    /// <summary>JAX's form: <c>ScatterDimensionNumbers(update_window_dims=(), inserted_window_dims=(0,), ...)</c>.</summary>
    public override string ToString() =>
        $"ScatterDimensionNumbers(update_window_dims={UpdateWindowDims}, inserted_window_dims={InsertedWindowDims}, " +
        $"scatter_dims_to_operand_dims={ScatterDimsToOperandDims}, operand_batching_dims={OperandBatching}, scatter_indices_batching_dims={IndicesBatching})";
}
