using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Shapes;

/// <summary>
/// The parameters of <see cref="Pad"/>: jax's <c>padding_config</c>, one (low, high,
/// interior) triple per axis, split into three lists.
/// </summary>
/// <param name="Low">Elements added before each axis (negative: removed).</param>
/// <param name="High">Elements added after each axis (negative: removed).</param>
/// <param name="Interior">Elements added between neighbours along each axis (non-negative).</param>
public sealed record PadParams(Ints Low, Ints High, Ints Interior) : PrimitiveParams;

/// <summary>
/// <c>pad(operand, padding_value)</c>: surrounds and interleaves the operand with a scalar
/// padding value; negative low/high padding crops.
/// </summary>
public sealed class Pad : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly Pad Instance = new();
    private Pad() { }
    /// <inheritdoc/>
    public override string Name => "pad";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        ShapeChecks.Arity(Name, inputs, 2, "operand, padding_value");
        var (x, value) = (inputs[0], inputs[1]);
        var p = (PadParams)parameters;
        if (value.Rank != 0) throw new ArgumentException($"pad: padding_value must be a scalar, got shape {value.Shape}");
        ShapeChecks.SameDType(Name, x, "the operand", value, "padding_value");
        if (p.Low.Count != x.Rank || p.High.Count != x.Rank || p.Interior.Count != x.Rank)
            throw new ArgumentException($"pad: padding_config needs one (low, high, interior) triple per axis of shape {x.Shape} ({x.Rank}), got {p.Low.Count}");
        var dims = new long[x.Rank];
        for (var d = 0; d < x.Rank; d++)
        {
            if (p.Interior[d] < 0) throw new ArgumentException($"pad: interior padding {p.Interior[d]} of axis {d} is negative; it must be >= 0");
            // n elements, n - 1 gaps of interior each, then low before and high after
            dims[d] = (long)p.Low[d] + p.High[d] + x.Shape[d] + Math.Max(x.Shape[d] - 1L, 0) * p.Interior[d];
            if (dims[d] < 0)
                throw new ArgumentException($"pad: padding ({p.Low[d]}, {p.High[d]}, {p.Interior[d]}) of axis {d} of shape {x.Shape} gives a negative size {dims[d]}; crop less");
        }
        return new AbstractValue(TensorLimits.Shape(Name, dims), x.DType, x.Weak && value.Weak);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context) =>
        new KernelLowering(new PadKernel(Targets(context.Inputs[0].Shape, context.Output.Shape, (PadParams)context.Params), context.Output.Shape.Size).ToAction());

    /// <summary>Linear in the operand and the padding value together: the tangents padded the same way.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        if (tangents[0] is null && tangents[1] is null) return null;
        // d pad(x, v) = pad(dx, dv)
        return Bind(parameters, tangents[0] ?? Rules.Zeros(primals[0].Aval.Strong), tangents[1] ?? Rules.Zeros(primals[1].Aval.Strong));
    }

    /// <summary>
    /// As JAX's <c>_pad_transpose</c>: the operand's cotangent is the cotangent with the padding
    /// undone (negated low/high padding, which also restores cropped elements as zeros, then a
    /// strided slice that skips the interior padding); the padding value's is the sum over the
    /// positions it filled: the total minus the operand's part.
    /// </summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var p = (PadParams)parameters;
        var rank = inputs[0].Rank;
        var operandCt = cotangent;
        if (rank > 0)
        {
            var zero = Rules.Zeros(new AbstractValue(Shape.Scalar, cotangent.DType));
            var unpadded = Bind(new PadParams(new Ints(p.Low.Select(l => -l)), new Ints(p.High.Select(h => -h)), new Ints(new int[rank])), cotangent, zero);
            operandCt = Indexing.Slice.Instance.Bind(
                new Indexing.SliceParams(new Ints(new int[rank]), new Ints(unpadded.Shape), new Ints(p.Interior.Select(i => i + 1))), unpadded);
        }
        Tensor? valueCt = null;
        if (primals[1] is null)
        {
            Tensor Total(Tensor x) => x.Rank == 0 ? x : Reductions.ReduceSum.Instance.Bind(new Reductions.ReduceParams(new Ints(Enumerable.Range(0, x.Rank))), x);
            valueCt = Elementwise.Sub.Instance.Bind(PrimitiveParams.None, Total(cotangent), Total(operandCt));
        }
        return [primals[0] is null ? operandCt : null, valueCt];
    }

    /// <summary>
    /// With an unbatched padding value, the batch axis gets no padding and stays in place. A
    /// batched padding value (as JAX): pad with zeros, then select the per-example value where a
    /// mask padded the same way says "padding".
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var p = (PadParams)parameters;
        var (operand, value) = (args[0], args[1]);
        var b = batchAxes[0] ?? 0;
        if (batchAxes[0] is null) operand = Rules.BatchToFront(operand, null, Rules.BatchSize(args, batchAxes));
        static Ints Insert(Ints xs, int at, int v) { var l = xs.ToList(); l.Insert(at, v); return new Ints(l); }
        var config = new PadParams(Insert(p.Low, b, 0), Insert(p.High, b, 0), Insert(p.Interior, b, 0));
        if (batchAxes[1] is null) return (Bind(config, operand, value), b);
        var padded = Bind(config, operand, Rules.Zeros(new AbstractValue(Shape.Scalar, operand.DType)));
        var mask = Bind(config, Rules.Full(1, DType.Bool, operand.Shape), Rules.Full(0, DType.Bool, Shape.Scalar));
        var values = BroadcastInDim.Instance.Bind(new BroadcastInDimParams(padded.Shape, new Ints(b)), value);
        return (Elementwise.Select.Instance.Bind(PrimitiveParams.None, mask, padded, values), b);
    }


    /// <summary>For each operand element, its output offset, or -1 where cropped away.</summary>
    private static int[] Targets(Shape input, Shape output, PadParams p)
    {
        var outStrides = output.Strides();
        var targets = new int[input.Size];
        var index = new int[input.Rank];
        for (var k = 0; k < targets.Length; k++)
        {
            var offset = 0;
            for (var d = 0; d < input.Rank && offset >= 0; d++)
            {
                var position = p.Low[d] + index[d] * (p.Interior[d] + 1);
                offset = position < 0 || position >= output[d] ? -1 : offset + position * outStrides[d];
            }
            targets[k] = offset;
            for (var d = input.Rank - 1; d >= 0; d--)
            {
                if (++index[d] < input[d]) break;
                index[d] = 0;
            }
        }
        return targets;
    }

    private sealed class PadKernel(int[] targets, int size) : TypedKernel
    {
        protected override string Op => "pad";

        protected override void Run<T>(Array[] inputs, Array output)
        {
            var (x, o) = ((T[])inputs[0], (T[])output);
            Array.Fill(o, ((T[])inputs[1])[0], 0, size);
            for (var k = 0; k < targets.Length; k++)
                if (targets[k] >= 0) o[targets[k]] = x[k];
        }
    }
}
