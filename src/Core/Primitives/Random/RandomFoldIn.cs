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

    /// <summary>For each index of <paramref name="output"/>, the flat index of the broadcast <paramref name="input"/> element.</summary>
    private static int[] BroadcastOffsets(Shape input, Shape output)
    {
        var strides = new int[output.Rank];
        var inStrides = input.Strides();
        var lead = output.Rank - input.Rank;
        for (var d = 0; d < input.Rank; d++)
            if (input[d] != 1) strides[lead + d] = inStrides[d];
        return IndexMath.StridedOffsets(output, strides);
    }
}
