using JaxSharp.Primitives.Shapes;

namespace JaxSharp.Primitives.Indexing;

/// <summary>
/// Pieces shared by the differentiation and batching rules of the shape and indexing
/// primitives: the gather that reads back the windows a scatter
/// writes, and the index vectors that turn batched start indices into a gather or scatter.
/// </summary>
internal static class IndexingRules
{
    /// <summary>
    /// The gather that reads, for every update of a scatter with <paramref name="dn"/>, the
    /// operand window that update is scattered to: its result has the updates' shape. Out-of-range
    /// windows read <paramref name="fill"/> in fill-or-drop mode (where the scatter drops them).
    /// </summary>
    public static Tensor InverseGather(Tensor operand, Tensor indices, ScatterDimensionNumbers dn, Shape updates, GatherScatterMode mode, double fill = 0)
    {
        var gatherDn = new GatherDimensionNumbers(dn.UpdateWindowDims, dn.InsertedWindowDims, dn.ScatterDimsToOperandDims,
            dn.OperandBatching, dn.IndicesBatching);
        // slice size 1 on inserted and batching axes; the updates' window sizes on the others, in order
        var sizes = new int[operand.Rank];
        for (int d = 0, w = 0; d < operand.Rank; d++)
            sizes[d] = dn.InsertedWindowDims.Contains(d) || dn.OperandBatching.Contains(d) ? 1 : updates[dn.UpdateWindowDims[w++]];
        return Gather.Instance.Bind(new GatherParams(gatherDn, new Ints(sizes), mode, mode == GatherScatterMode.FillOrDrop ? fill : null), operand, indices);
    }

    /// <summary>
    /// The scalar start indices of a dynamic slice, some batched (shape (B,), axis 0) and some
    /// not, stacked into a (B, n) index vector per example.
    /// </summary>
    public static Tensor StackStarts(IReadOnlyList<Tensor> starts, IReadOnlyList<int?> axes, int size)
    {
        var column = new Shape(size, 1);
        var columns = starts.Select((s, i) => axes[i] is null
            ? BroadcastInDim.Instance.Bind(new BroadcastInDimParams(column, Ints.Empty), s)
            : Reshape.Instance.Bind(new ReshapeParams(column), s)).ToArray();
        return columns.Length == 1 ? columns[0] : Concatenate.Instance.Bind(new ConcatenateParams(1), columns);
    }
}
