using JaxSharp.Cpu;
using JaxSharp.Random;

namespace JaxSharp.Primitives.Random;

/// <summary>
/// <c>random_fold_in</c>: a new key from a key and a uint32 message, as JAX's
/// <c>threefry_fold_in</c> (the key hashes the counter pair (0, message)). The key batch shape
/// and the messages' shape broadcast, numpy style.
/// </summary>
public sealed class RandomFoldIn : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly RandomFoldIn Instance = new();
    private RandomFoldIn() { }
    /// <inheritdoc/>
    public override string Name => "random_fold_in";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 2) throw new ArgumentException($"random_fold_in: takes 2 arguments (keys, messages), got {inputs.Count}");
        var batch = KeyData.BatchShape(Name, inputs[0]);
        var data = inputs[1];
        if (data.DType != DType.UInt32)
            throw new ArgumentException($"random_fold_in: messages must be uint32, got {data.DType.Name()}{data.Shape}; convert them first (Rng.FoldIn does)");
        return new AbstractValue(KeyData.KeysShape(Broadcasting.Shapes(Name, batch, data.Shape)), DType.UInt32);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var outBatch = new Shape(context.Output.Shape.Take(context.Output.Rank - 1));
        var keyOffsets = BroadcastOffsets(new Shape(context.Inputs[0].Shape.Take(context.Inputs[0].Rank - 1)), outBatch);
        var dataOffsets = BroadcastOffsets(context.Inputs[1].Shape, outBatch);
        return new KernelLowering((inputs, output) =>
        {
            var keys = (uint[])inputs[0];
            var data = (uint[])inputs[1];
            var result = (uint[])output;
            for (var i = 0; i < keyOffsets.Length; i++)
            {
                var k = keyOffsets[i];
                (result[2 * i], result[2 * i + 1]) = Threefry.FoldIn(keys[2 * k], keys[2 * k + 1], data[dataOffsets[i]]);
            }
        });
    }

    /// <summary>No tangent: keys are uint32 (JAX's float0); the interpreter never asks, this says why.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) => null;

    /// <summary>
    /// Broadcasting over the key batch and the messages, as an elementwise op whose key operand
    /// has a trailing words axis: batched operands get the batch axis in front and size-1 axes up
    /// to the per-example batch rank; unbatched ones stay (broadcasting aligns them at the right).
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        // Per-example broadcast rank: of the key batch (rank - 1 without the words axis) and of the messages.
        var keyRank = args[0].Rank - 1 - (batchAxes[0] is null ? 0 : 1);
        var dataRank = args[1].Rank - (batchAxes[1] is null ? 0 : 1);
        var rank = Math.Max(keyRank, dataRank);
        Tensor Front(Tensor x, int? axis, int trailing)
        {
            if (axis is not { } a) return x;
            var front = Rules.MoveAxis(x, a, 0);
            var missing = rank - (front.Rank - 1 - trailing);
            if (missing == 0) return front;
            var shape = new Shape([front.Shape[0], .. Enumerable.Repeat(1, missing), .. front.Shape.Skip(1)]);
            return Shapes.Reshape.Instance.Bind(new Shapes.ReshapeParams(shape), front);
        }
        var keys = args[0];
        int? keyAxis = null;
        if (batchAxes[0] is { } k) (keys, keyAxis) = KeyData.BatchAxisOffWords(keys, k);
        return (Bind(parameters, Front(keys, keyAxis, 1), Front(args[1], batchAxes[1], 0)), 0);
    }

    /// <summary>For each index of <paramref name="output"/>, the flat index of the broadcast <paramref name="input"/> element.</summary>
    internal static int[] BroadcastOffsets(Shape input, Shape output)
    {
        var strides = new int[output.Rank];
        var inStrides = input.Strides();
        var lead = output.Rank - input.Rank;
        for (var d = 0; d < input.Rank; d++)
            if (input[d] != 1) strides[lead + d] = inStrides[d];
        return IndexMath.StridedOffsets(output, strides);
    }
}
