using JaxSharp.Cpu;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp.Primitives.Indexing;

/// <summary>The parameters of <see cref="Gather"/>.</summary>
/// <param name="DimensionNumbers">How indices map to slices of the operand.</param>
/// <param name="SliceSizes">The slice's size along every operand axis.</param>
/// <param name="Mode">Clamp out-of-range starts, or fill the slices they would read.</param>
/// <param name="FillValue">The fill value in <see cref="GatherScatterMode.FillOrDrop"/> mode; null for JAX's default (NaN, the lowest int32, the largest uint32, true).</param>
public sealed record GatherParams(GatherDimensionNumbers DimensionNumbers, Ints SliceSizes, GatherScatterMode Mode, double? FillValue = null) : PrimitiveParams;

/// <summary>
/// <c>gather(operand, start_indices)</c>: XLA's gather. For every batch position of the
/// (int32) indices, the index vector (their last axis) gives the start of a slice of
/// <c>slice_sizes</c>; the output holds those slices, with collapsed and batching axes dropped.
/// </summary>
public sealed class Gather : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly Gather Instance = new();
    private Gather() { }
    /// <inheritdoc/>
    public override string Name => "gather";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        ShapeChecks.Arity(Name, inputs, 2, "operand, start_indices");
        var (x, indices) = (inputs[0], inputs[1]);
        var p = (GatherParams)parameters;
        var dn = p.DimensionNumbers;
        IndexingChecks.Indices(Name, indices, dn.StartIndexMap.Count, "start_index_map", dn.StartIndexMap);
        DynamicSlice.CheckBox(Name, "slice_sizes", p.SliceSizes, x.Shape);
        var windowDims = IndexingChecks.WindowDims(Name, x.Shape, indices.Shape, "collapsed_slice_dims", dn.CollapsedSliceDims,
            dn.OperandBatching, dn.IndicesBatching, "start_indices_batching_dims", dn.StartIndexMap, "start_index_map");
        foreach (var d in dn.CollapsedSliceDims.Concat(dn.OperandBatching))
            if (p.SliceSizes[d] != 1)
                throw new ArgumentException($"gather: slice_sizes {p.SliceSizes} has size {p.SliceSizes[d]} at collapsed or batching axis {d}; those axes need slice size 1");
        var batch = indices.Shape.Take(indices.Rank - 1).ToArray();
        var rank = batch.Length + windowDims.Length;
        if (dn.OffsetDims.Count != windowDims.Length)
            throw new ArgumentException($"gather: offset_dims {dn.OffsetDims} must name {windowDims.Length} output axes, one per operand axis that is neither collapsed nor batching");
        ShapeChecks.Axes(Name, "offset_dims", dn.OffsetDims, rank, "the output", sorted: true);
        var dims = new int[rank];
        for (int d = 0, b = 0, w = 0; d < rank; d++)
            dims[d] = dn.OffsetDims.Contains(d) ? p.SliceSizes[windowDims[w++]] : batch[b++];
        return new AbstractValue(new Shape(dims), x.DType, x.Weak);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var p = (GatherParams)context.Params;
        var dn = p.DimensionNumbers;
        var (operand, indices) = (context.Inputs[0].Shape, context.Inputs[1].Shape);
        var windowDims = Enumerable.Range(0, operand.Rank).Where(d => !dn.CollapsedSliceDims.Contains(d) && !dn.OperandBatching.Contains(d)).ToArray();
        var plan = new WindowPlan(operand, indices, context.Output.Shape, dn.OffsetDims, windowDims, p.SliceSizes,
            dn.StartIndexMap, dn.OperandBatching, dn.IndicesBatching, p.Mode);
        return new KernelLowering(new GatherKernel(plan, p.FillValue).ToAction());
    }

    /// <summary>Linear in the operand: the tangent gathered at the same indices (out-of-range slices fill with 0: the fill value is constant).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        if (tangents[0] is not { } t) return null;
        var p = (GatherParams)parameters;
        return Bind(p.Mode == GatherScatterMode.FillOrDrop ? p with { FillValue = 0 } : p, t, primals[1]);
    }

    /// <summary>
    /// The cotangent scatter-added into zeros of the operand's shape at the same indices (the
    /// mirrored dimension numbers, the same mode): each operand element gets the sum of the
    /// cotangents of every output element that read it.
    /// </summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var p = (GatherParams)parameters;
        var dn = p.DimensionNumbers;
        var indices = primals[1] ?? throw new InvalidOperationException("gather: the indices cannot be linear");
        var scatterDn = new ScatterDimensionNumbers(dn.OffsetDims, dn.CollapsedSliceDims, dn.StartIndexMap, dn.OperandBatching, dn.IndicesBatching);
        return [ScatterAdd.Instance.Bind(new ScatterParams(scatterDn, p.Mode), Rules.Zeros(inputs[0].Strong), indices, cotangent), null];
    }

    /// <summary>
    /// As JAX's <c>_gather_batching_rule</c>, with batch axes moved to the front. A batched
    /// operand alone: its batch axis is one more slice axis taken whole (output axis 0). Batched
    /// indices alone: one more batch axis of the indices. Both: the operand's batch axis is a
    /// batching axis indexed by the indices' batch axis.
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var p = (GatherParams)parameters;
        var dn = p.DimensionNumbers;
        static Ints Shift(Ints xs) => new(xs.Select(d => d + 1));
        if (batchAxes[1] is null)
        {
            var operand = Rules.MoveAxis(args[0], batchAxes[0]!.Value, 0);
            var operandDn = new GatherDimensionNumbers(new Ints([0, .. Shift(dn.OffsetDims)]), Shift(dn.CollapsedSliceDims), Shift(dn.StartIndexMap),
                Shift(dn.OperandBatching), dn.IndicesBatching);
            return (Bind(p with { DimensionNumbers = operandDn, SliceSizes = new Ints([operand.Shape[0], .. p.SliceSizes]) }, operand, args[1]), 0);
        }
        var indices = Rules.MoveAxis(args[1], batchAxes[1]!.Value, 0);
        if (batchAxes[0] is null)
        {
            var indicesDn = dn with { OffsetDims = Shift(dn.OffsetDims), StartIndicesBatchingDims = Shift(dn.IndicesBatching) };
            return (Bind(p with { DimensionNumbers = indicesDn }, args[0], indices), 0);
        }
        var both = Rules.MoveAxis(args[0], batchAxes[0]!.Value, 0);
        var bothDn = new GatherDimensionNumbers(Shift(dn.OffsetDims), Shift(dn.CollapsedSliceDims), Shift(dn.StartIndexMap),
            new Ints([0, .. Shift(dn.OperandBatching)]), new Ints([0, .. Shift(dn.IndicesBatching)]));
        return (Bind(p with { DimensionNumbers = bothDn, SliceSizes = new Ints([1, .. p.SliceSizes]) }, both, indices), 0);
    }

    private sealed class GatherKernel(WindowPlan plan, double? fillValue) : TypedKernel
    {
        protected override string Op => "gather";

        protected override void Run<T>(Array[] inputs, Array output)
        {
            var (x, indices, o) = ((T[])inputs[0], (int[])inputs[1], (T[])output);
            var fill = DefaultFill<T>(fillValue);
            for (var g = 0; g < plan.BatchOffsets.Length; g++)
            {
                var start = plan.Start(indices, g);
                var target = plan.BatchOffsets[g];
                for (var w = 0; w < plan.WindowOffsets.Length; w++)
                    o[target + plan.WindowOffsets[w]] = start < 0 ? fill : x[start + plan.OperandWindow[w]];
            }
        }

        // JAX's default fill: NaN for floats, the lowest signed and the largest unsigned value, true
        private static T DefaultFill<T>(double? value) => value is { } v ? Convert<T>(v) : default(T) switch
        {
            float => (T)(object)float.NaN,
            double => (T)(object)double.NaN,
            int => (T)(object)int.MinValue,
            uint => (T)(object)uint.MaxValue,
            _ => (T)(object)true,
        };
    }
}
