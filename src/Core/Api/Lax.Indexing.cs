using JaxSharp.Primitives.Indexing;
using SlicePrimitive = JaxSharp.Primitives.Indexing.Slice;
using GatherPrimitive = JaxSharp.Primitives.Indexing.Gather;
using DynamicSlicePrimitive = JaxSharp.Primitives.Indexing.DynamicSlice;
using DynamicUpdateSlicePrimitive = JaxSharp.Primitives.Indexing.DynamicUpdateSlice;
using ScatterPrimitive = JaxSharp.Primitives.Indexing.Scatter;
using ScatterAddPrimitive = JaxSharp.Primitives.Indexing.ScatterAdd;
using ScatterMulPrimitive = JaxSharp.Primitives.Indexing.ScatterMul;
using ScatterMinPrimitive = JaxSharp.Primitives.Indexing.ScatterMin;
using ScatterMaxPrimitive = JaxSharp.Primitives.Indexing.ScatterMax;

namespace JaxSharp;

public static partial class Lax
{
    /// <summary>
    /// <c>slice</c>: the box from <paramref name="startIndices"/> to <paramref name="limitIndices"/>
    /// (exclusive), taking every <paramref name="strides"/>-th element (all 1 when null).
    /// </summary>
    /// <example><c>Lax.Slice(x, [0, 1], [2, 3])</c> is <c>x[0:2, 1:3]</c>.</example>
    public static Tensor Slice(Tensor x, Ints startIndices, Ints limitIndices, Ints? strides = null) =>
        SlicePrimitive.Instance.Bind(new SliceParams(NotNull(startIndices), NotNull(limitIndices), strides ?? new Ints(Enumerable.Repeat(1, NotNull(x).Rank))), NotNull(x));

    /// <summary>
    /// <c>dynamic_slice</c>: the box of <paramref name="sliceSizes"/> starting at run-time int32
    /// scalars <paramref name="startIndices"/> (one per axis), each clamped so the box fits.
    /// </summary>
    public static Tensor DynamicSlice(Tensor x, IReadOnlyList<Tensor> startIndices, Ints sliceSizes) =>
        DynamicSlicePrimitive.Instance.Bind(new DynamicSliceParams(NotNull(sliceSizes)), [NotNull(x), .. NoNulls(startIndices)]);

    /// <summary>
    /// <c>dynamic_update_slice</c>: <paramref name="x"/> with the box at run-time int32 scalars
    /// <paramref name="startIndices"/> replaced by <paramref name="update"/>, each start clamped so the box fits.
    /// </summary>
    /// <exception cref="ArgumentException">The update's dtype is not the operand's (a weakly typed .NET number takes it).</exception>
    public static Tensor DynamicUpdateSlice(Tensor x, Tensor update, IReadOnlyList<Tensor> startIndices) =>
        DynamicUpdateSlicePrimitive.Instance.Bind(Primitives.PrimitiveParams.None,
            [NotNull(x), MatchOperand("dynamic_update_slice", x, NotNull(update), "update", "x.At(...).Set"), .. NoNulls(startIndices)]);

    /// <summary>
    /// <c>gather</c>: XLA's gather; the index vector is the last axis of <paramref name="indices"/> (int32).
    /// </summary>
    /// <param name="x">The operand.</param>
    /// <param name="indices">int32 start indices: batch axes, then the index vector.</param>
    /// <param name="dimensionNumbers">How the indices map to slices.</param>
    /// <param name="sliceSizes">The slice's size along every operand axis.</param>
    /// <param name="mode">Clip the starts (default), or fill the slices that leave the operand.</param>
    /// <param name="fillValue">The fill value; null for JAX's default (NaN, lowest int, largest uint, true).</param>
    public static Tensor Gather(Tensor x, Tensor indices, GatherDimensionNumbers dimensionNumbers, Ints sliceSizes,
        GatherScatterMode mode = GatherScatterMode.Clip, double? fillValue = null) =>
        GatherPrimitive.Instance.Bind(new GatherParams(NotNull(dimensionNumbers), NotNull(sliceSizes), mode, fillValue), NotNull(x), NotNull(indices));

    /// <summary><c>scatter</c>: <paramref name="x"/> with the updates written at the indexed windows (the last wins for duplicates).</summary>
    public static Tensor Scatter(Tensor x, Tensor indices, Tensor updates, ScatterDimensionNumbers dimensionNumbers,
        GatherScatterMode mode = GatherScatterMode.FillOrDrop) =>
        ScatterPrimitive.Instance.Bind(new ScatterParams(NotNull(dimensionNumbers), mode), NotNull(x), NotNull(indices),
            MatchOperand("scatter", x, NotNull(updates), "updates", "x.At(...).Set"));

    /// <summary><c>scatter_add</c>: <paramref name="x"/> with the updates added at the indexed windows; duplicates accumulate.</summary>
    public static Tensor ScatterAdd(Tensor x, Tensor indices, Tensor updates, ScatterDimensionNumbers dimensionNumbers,
        GatherScatterMode mode = GatherScatterMode.FillOrDrop) =>
        ScatterAddPrimitive.Instance.Bind(new ScatterParams(NotNull(dimensionNumbers), mode), NotNull(x), NotNull(indices),
            MatchOperand("scatter_add", x, NotNull(updates), "updates", "x.At(...).Add"));

    /// <summary><c>scatter_mul</c>: <paramref name="x"/> with the indexed elements multiplied by the updates.</summary>
    public static Tensor ScatterMul(Tensor x, Tensor indices, Tensor updates, ScatterDimensionNumbers dimensionNumbers,
        GatherScatterMode mode = GatherScatterMode.FillOrDrop) =>
        ScatterMulPrimitive.Instance.Bind(new ScatterParams(NotNull(dimensionNumbers), mode), NotNull(x), NotNull(indices),
            MatchOperand("scatter_mul", x, NotNull(updates), "updates", "x.At(...).Multiply"));

    /// <summary><c>scatter_min</c>: <paramref name="x"/> with the indexed elements lowered to the updates where smaller.</summary>
    public static Tensor ScatterMin(Tensor x, Tensor indices, Tensor updates, ScatterDimensionNumbers dimensionNumbers,
        GatherScatterMode mode = GatherScatterMode.FillOrDrop) =>
        ScatterMinPrimitive.Instance.Bind(new ScatterParams(NotNull(dimensionNumbers), mode), NotNull(x), NotNull(indices),
            MatchOperand("scatter_min", x, NotNull(updates), "updates", "x.At(...).Min"));

    /// <summary><c>scatter_max</c>: <paramref name="x"/> with the indexed elements raised to the updates where larger.</summary>
    public static Tensor ScatterMax(Tensor x, Tensor indices, Tensor updates, ScatterDimensionNumbers dimensionNumbers,
        GatherScatterMode mode = GatherScatterMode.FillOrDrop) =>
        ScatterMaxPrimitive.Instance.Bind(new ScatterParams(NotNull(dimensionNumbers), mode), NotNull(x), NotNull(indices),
            MatchOperand("scatter_max", x, NotNull(updates), "updates", "x.At(...).Max"));
}
