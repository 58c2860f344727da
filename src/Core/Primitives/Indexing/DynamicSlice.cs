using JaxSharp.Cpu;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp.Primitives.Indexing;

/// <summary>The parameters of <see cref="DynamicSlice"/>.</summary>
/// <param name="SliceSizes">The size of the box along each axis.</param>
public sealed record DynamicSliceParams(Ints SliceSizes) : PrimitiveParams;

/// <summary>
/// <c>dynamic_slice(operand, *start_indices)</c>: a box of static size at starts known only
/// at run time (one int32 scalar per axis). Each start is clamped into
/// [0, size - slice_size] so that the box always fits, as in JAX.
/// </summary>
public sealed class DynamicSlice : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly DynamicSlice Instance = new();
    private DynamicSlice() { }
    /// <inheritdoc/>
    public override string Name => "dynamic_slice";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count == 0) throw new ArgumentException("dynamic_slice: takes the operand and one start index per axis, got no arguments");
        var x = inputs[0];
        var sizes = ((DynamicSliceParams)parameters).SliceSizes;
        if (inputs.Count != x.Rank + 1)
            throw new ArgumentException($"dynamic_slice: operand of shape {x.Shape} needs {x.Rank} start indices, got {inputs.Count - 1}");
        for (var d = 1; d < inputs.Count; d++) ShapeChecks.IntScalar(Name, inputs[d], $"start index {d - 1}");
        CheckBox(Name, "slice_sizes", sizes, x.Shape);
        return new AbstractValue(new Shape(sizes), x.DType, x.Weak);
    }

    /// <summary>Throws unless a box of <paramref name="sizes"/> fits in <paramref name="shape"/>.</summary>
    internal static void CheckBox(string op, string what, IReadOnlyList<int> sizes, Shape shape)
    {
        if (sizes.Count != shape.Rank)
            throw new ArgumentException($"{op}: {what} {Ints.Format(sizes)} must have one size per axis of the operand {shape}");
        for (var d = 0; d < shape.Rank; d++)
            if (sizes[d] < 0 || sizes[d] > shape[d])
                throw new ArgumentException($"{op}: {what} {Ints.Format(sizes)} do not fit in operand shape {shape} at axis {d}; need 0 <= size <= {shape[d]}");
    }

    /// <summary>The flat offset of the box's first element, each start clamped into [0, dim - size].</summary>
    internal static int ClampedBase(Array[] inputs, int firstStart, Shape operand, IReadOnlyList<int> sizes, int[] strides)
    {
        var offset = 0;
        for (var d = 0; d < operand.Rank; d++)
            offset += Math.Clamp(((int[])inputs[firstStart + d])[0], 0, operand[d] - sizes[d]) * strides[d];
        return offset;
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var operand = context.Inputs[0].Shape;
        var sizes = ((DynamicSliceParams)context.Params).SliceSizes;
        var strides = operand.Strides();
        var window = IndexMath.StridedOffsets(new Shape(sizes), strides);
        return new KernelLowering(new SliceKernel(operand, sizes, strides, window).ToAction());
    }

    private sealed class SliceKernel(Shape operand, Ints sizes, int[] strides, int[] window) : TypedKernel
    {
        protected override string Op => "dynamic_slice";

        // out[w] = x[start + window[w]]
        protected override void Run<T>(Array[] inputs, Array output)
        {
            var (x, o) = ((T[])inputs[0], (T[])output);
            var start = ClampedBase(inputs, 1, operand, sizes, strides);
            for (var k = 0; k < window.Length; k++) o[k] = x[start + window[k]];
        }
    }

    /// <summary>Linear in the operand: the tangent is sliced at the same starts; the integer starts have none.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        tangents[0] is { } t ? Bind(parameters, [t, .. primals.Skip(1)]) : null;

    /// <summary>The cotangent written into zeros of the operand's shape at the same (clamped) starts.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var starts = primals.Skip(1).Select(s => s ?? throw new InvalidOperationException("dynamic_slice: start indices cannot be linear")).ToArray();
        var zeros = Rules.Zeros(inputs[0].Strong);
        return [DynamicUpdateSlice.Instance.Bind(PrimitiveParams.None, [zeros, cotangent, .. starts]), .. new Tensor?[starts.Length]];
    }

    /// <summary>
    /// Unbatched starts: the whole batch axis is sliced (start 0), in place. Batched starts (as
    /// JAX): a gather of one box per example, in clip mode, which clamps like dynamic_slice;
    /// a batched operand is a batching axis of that gather.
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var sizes = ((DynamicSliceParams)parameters).SliceSizes;
        var operand = args[0];
        var starts = args.Skip(1).ToArray();
        var startAxes = batchAxes.Skip(1).ToArray();
        if (startAxes.All(a => a is null))
        {
            var b = batchAxes[0]!.Value;
            var newSizes = sizes.ToList();
            newSizes.Insert(b, operand.Shape[b]);
            var newStarts = starts.ToList();
            newStarts.Insert(b, Rules.Full(0, DType.Int32, Shape.Scalar));
            return (Bind(new DynamicSliceParams(new Ints(newSizes)), [operand, .. newStarts]), b);
        }
        var size = Rules.BatchSize(args, batchAxes);
        var indices = IndexingRules.StackStarts(starts, startAxes, size);
        var rank = sizes.Count;
        var offsetDims = new Ints(Enumerable.Range(1, rank));
        if (batchAxes[0] is not { } ob)
        {
            var dn = new GatherDimensionNumbers(offsetDims, Ints.Empty, new Ints(Enumerable.Range(0, rank)));
            return (Gather.Instance.Bind(new GatherParams(dn, sizes, GatherScatterMode.Clip), operand, indices), 0);
        }
        var batchedDn = new GatherDimensionNumbers(offsetDims, Ints.Empty, new Ints(Enumerable.Range(1, rank)), new Ints(0), new Ints(0));
        var front = Rules.MoveAxis(operand, ob, 0);
        return (Gather.Instance.Bind(new GatherParams(batchedDn, new Ints([1, .. sizes]), GatherScatterMode.Clip), front, indices), 0);
    }
}
