using JaxSharp.Primitives.Shapes;

namespace JaxSharp.Primitives.Indexing;

/// <summary>The checks of gather's and scatter's dimension numbers, which mirror each other.</summary>
internal static class IndexingChecks
{
    /// <summary>Throws unless the indices are int32 with an index vector of <paramref name="length"/> as their last axis.</summary>
    public static void Indices(string op, AbstractValue indices, int length, string mapName, Ints map)
    {
        if (indices.DType != DType.Int32)
            throw new ArgumentException($"{op}: indices must be int32, got {indices.DType.Name()}{indices.Shape}; convert with Np.AsType(indices, DType.Int32)");
        if (indices.Rank == 0 || indices.Shape[indices.Rank - 1] != length)
            throw new ArgumentException($"{op}: indices of shape {indices.Shape} must end in an index vector of length {length} ({mapName} {map}); add a trailing axis of that size");
    }

    /// <summary>
    /// Checks the removed (collapsed or inserted) axes, the batching axes and the start map
    /// against the operand and indices, and returns the operand axes that remain: the window axes.
    /// </summary>
    public static int[] WindowDims(string op, Shape operand, Shape indices, string removedName, Ints removed,
        Ints operandBatching, Ints indicesBatching, string indicesBatchingName, Ints startMap, string startMapName)
    {
        var rank = operand.Rank;
        ShapeChecks.Axes(op, removedName, removed, rank, $"operand {operand}", sorted: true);
        ShapeChecks.Axes(op, "operand_batching_dims", operandBatching, rank, $"operand {operand}", sorted: true);
        ShapeChecks.Axes(op, startMapName, startMap, rank, $"operand {operand}");
        ShapeChecks.Axes(op, indicesBatchingName, indicesBatching, indices.Rank - 1, $"the batch axes of indices {indices}");
        if (removed.Intersect(operandBatching).Any())
            throw new ArgumentException($"{op}: {removedName} {removed} and operand_batching_dims {operandBatching} share an axis; each axis can be only one of them");
        if (startMap.Intersect(operandBatching).Any())
            throw new ArgumentException($"{op}: {startMapName} {startMap} and operand_batching_dims {operandBatching} share an axis; a batching axis is indexed by its batch axis only");
        if (operandBatching.Count != indicesBatching.Count)
            throw new ArgumentException($"{op}: operand_batching_dims {operandBatching} and {indicesBatchingName} {indicesBatching} must have the same length");
        for (var i = 0; i < operandBatching.Count; i++)
            if (operand[operandBatching[i]] != indices[indicesBatching[i]])
                throw new ArgumentException($"{op}: operand batching axis {operandBatching[i]} of {operand} and indices batching axis {indicesBatching[i]} of {indices} differ in size");
        return Enumerable.Range(0, rank).Where(d => !removed.Contains(d) && !operandBatching.Contains(d)).ToArray();
    }
}
