using JaxSharp.Cpu;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp.Primitives.Indexing;

/// <summary>
/// <c>dynamic_update_slice(operand, update, *start_indices)</c>: the operand with a box
/// replaced by <c>update</c>, at starts known only at run time (one int32 scalar per axis),
/// each clamped into [0, size - update size] as in JAX. The operand is not changed.
/// </summary>
public sealed class DynamicUpdateSlice : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly DynamicUpdateSlice Instance = new();
    private DynamicUpdateSlice() { }
    /// <inheritdoc/>
    public override string Name => "dynamic_update_slice";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count < 2) throw new ArgumentException($"dynamic_update_slice: takes the operand, the update and one start index per axis, got {inputs.Count} arguments");
        var (x, update) = (inputs[0], inputs[1]);
        if (inputs.Count != x.Rank + 2)
            throw new ArgumentException($"dynamic_update_slice: operand of shape {x.Shape} needs {x.Rank} start indices, got {inputs.Count - 2}");
        for (var d = 2; d < inputs.Count; d++) ShapeChecks.IntScalar(Name, inputs[d], $"start index {d - 2}");
        ShapeChecks.SameDType(Name, x, "the operand", update, "the update");
        if (update.Rank != x.Rank)
            throw new ArgumentException($"dynamic_update_slice: update of shape {update.Shape} must have the operand's rank ({x.Shape})");
        DynamicSlice.CheckBox(Name, "update shape", update.Shape, x.Shape);
        return x with { Weak = x.Weak && update.Weak };
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var operand = context.Inputs[0].Shape;
        var sizes = context.Inputs[1].Shape;
        var strides = operand.Strides();
        var window = IndexMath.StridedOffsets(sizes, strides);
        return new KernelLowering(new UpdateKernel(operand, sizes, strides, window).ToAction());
    }

    /// <summary>Linear in the operand and the update together: the tangents combined the same way (zeros for a constant one).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        if (tangents[0] is null && tangents[1] is null) return null;
        var operand = tangents[0] ?? Rules.Zeros(primals[0].Aval.Strong);
        var update = tangents[1] ?? Rules.Zeros(primals[1].Aval.Strong);
        return Bind(parameters, [operand, update, .. primals.Skip(2)]);
    }

    /// <summary>
    /// The operand's cotangent is the cotangent with the overwritten box zeroed; the update's is
    /// that box of the cotangent (both at the same clamped starts).
    /// </summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var starts = primals.Skip(2).Select(s => s ?? throw new InvalidOperationException("dynamic_update_slice: start indices cannot be linear")).ToArray();
        var operandCt = primals[0] is null ? Bind(parameters, [cotangent, Rules.Zeros(inputs[1].Strong), .. starts]) : null;
        var updateCt = primals[1] is null ? DynamicSlice.Instance.Bind(new DynamicSliceParams(new Ints(inputs[1].Shape)), [cotangent, .. starts]) : null;
        return [operandCt, updateCt, .. new Tensor?[starts.Length]];
    }

    /// <summary>
    /// Unbatched starts: operand and update batched along one axis (an unbatched one is broadcast)
    /// and updated over the whole batch axis (start 0). Batched starts (as JAX): a scatter of one
    /// box per example in clip mode, which clamps like dynamic_update_slice, with the batch axis
    /// as a batching axis.
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var (operand, update) = (args[0], args[1]);
        var starts = args.Skip(2).ToArray();
        var startAxes = batchAxes.Skip(2).ToArray();
        var rank = operand.Rank - (batchAxes[0] is null ? 0 : 1);
        var size = Rules.BatchSize(args, batchAxes);
        if (startAxes.All(a => a is null))
        {
            var zero = Rules.Full(0, DType.Int32, Shape.Scalar);
            if (batchAxes[0] is { } b0 && batchAxes[1] == b0)
            {
                var inPlace = starts.ToList();
                inPlace.Insert(b0, zero);
                return (Bind(parameters, [operand, update, .. inPlace]), b0);
            }
            var (o, u) = (Rules.BatchToFront(operand, batchAxes[0], size), Rules.BatchToFront(update, batchAxes[1], size));
            return (Bind(parameters, [o, u, zero, .. starts]), 0);
        }
        var front = Rules.BatchToFront(operand, batchAxes[0], size);
        var updates = Rules.BatchToFront(update, batchAxes[1], size);
        var indices = IndexingRules.StackStarts(starts, startAxes, size);
        var axes = new Ints(Enumerable.Range(1, rank));
        var dn = new ScatterDimensionNumbers(axes, Ints.Empty, axes, new Ints(0), new Ints(0));
        return (Scatter.Instance.Bind(new ScatterParams(dn, GatherScatterMode.Clip), front, indices, updates), 0);
    }

    private sealed class UpdateKernel(Shape operand, Shape sizes, int[] strides, int[] window) : TypedKernel
    {
        protected override string Op => "dynamic_update_slice";

        protected override void Run<T>(Array[] inputs, Array output)
        {
            var (o, u) = ((T[])output, (T[])inputs[1]);
            Array.Copy(inputs[0], o, operand.Size);
            var start = DynamicSlice.ClampedBase(inputs, 2, operand, sizes, strides);
            for (var k = 0; k < window.Length; k++) o[start + window[k]] = u[k];
        }
    }
}
