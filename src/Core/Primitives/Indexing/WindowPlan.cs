using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Indexing;

/// <summary>
/// The index maps shared by the gather and scatter kernels. Each batch position g of the
/// indices picks a window of the operand; the window's elements pair with elements of the
/// other tensor (gather's output, scatter's updates):
/// <c>operand[Start(g) + OperandWindow[w]]</c> with <c>other[BatchOffsets[g] + WindowOffsets[w]]</c>.
/// </summary>
internal sealed class WindowPlan
{
    private readonly int[] _batchingBase;
    private readonly int[] _startStrides;
    private readonly int[] _startLimits;
    private readonly bool _clip;

    /// <param name="operand">The operand's shape.</param>
    /// <param name="indices">The indices' shape: batch axes, then the index vector.</param>
    /// <param name="other">The shape of gather's output or scatter's updates.</param>
    /// <param name="otherWindowDims">The axes of <paramref name="other"/> that span the window; the rest are batch axes.</param>
    /// <param name="windowOperandDims">The operand axes those window axes run along, in the same order.</param>
    /// <param name="windowSizes">The window's size along every operand axis.</param>
    /// <param name="startIndexMap">For each entry of the index vector, the operand axis it starts.</param>
    /// <param name="operandBatching">Operand axes indexed by batch axes of the indices.</param>
    /// <param name="indicesBatching">Those batch axes of the indices.</param>
    /// <param name="mode">Clamp the starts, or flag windows that leave the operand.</param>
    public WindowPlan(Shape operand, Shape indices, Shape other, IReadOnlyList<int> otherWindowDims, IReadOnlyList<int> windowOperandDims,
        IReadOnlyList<int> windowSizes, IReadOnlyList<int> startIndexMap, IReadOnlyList<int> operandBatching, IReadOnlyList<int> indicesBatching,
        GatherScatterMode mode)
    {
        var operandStrides = operand.Strides();
        var otherStrides = other.Strides();
        var batch = new Shape(indices.Take(indices.Rank - 1));
        var otherBatchDims = Enumerable.Range(0, other.Rank).Where(d => !otherWindowDims.Contains(d)).ToArray();
        BatchOffsets = IndexMath.StridedOffsets(batch, otherBatchDims.Select(d => otherStrides[d]).ToArray());
        var window = new Shape(otherWindowDims.Select(d => other[d]));
        WindowOffsets = IndexMath.StridedOffsets(window, otherWindowDims.Select(d => otherStrides[d]).ToArray());
        OperandWindow = IndexMath.StridedOffsets(window, windowOperandDims.Select(d => operandStrides[d]).ToArray());
        var batchingStrides = new int[batch.Rank];
        for (var i = 0; i < operandBatching.Count; i++) batchingStrides[indicesBatching[i]] = operandStrides[operandBatching[i]];
        _batchingBase = IndexMath.StridedOffsets(batch, batchingStrides);
        IndexVectorLength = startIndexMap.Count;
        _startStrides = startIndexMap.Select(d => operandStrides[d]).ToArray();
        _startLimits = startIndexMap.Select(d => operand[d] - windowSizes[d]).ToArray();
        _clip = mode == GatherScatterMode.Clip;
    }

    /// <summary>Per batch position, the offset of its window's first element in the other tensor.</summary>
    public int[] BatchOffsets { get; }

    /// <summary>Per window element, its offset from the window's first element in the other tensor.</summary>
    public int[] WindowOffsets { get; }

    /// <summary>Per window element, its offset from the window's start in the operand.</summary>
    public int[] OperandWindow { get; }

    /// <summary>The length of the index vector.</summary>
    public int IndexVectorLength { get; }

    /// <summary>
    /// The operand offset where batch position <paramref name="g"/>'s window starts: each start
    /// clamped into [0, dim - window] in clip mode; -1 in fill-or-drop mode when the window leaves the operand.
    /// </summary>
    public int Start(int[] indices, int g)
    {
        var offset = _batchingBase[g];
        for (var k = 0; k < _startStrides.Length; k++)
        {
            var s = indices[g * IndexVectorLength + k];
            if (_clip) s = Math.Clamp(s, 0, _startLimits[k]);
            else if (s < 0 || s > _startLimits[k]) return -1;
            offset += s * _startStrides[k];
        }
        return offset;
    }
}
