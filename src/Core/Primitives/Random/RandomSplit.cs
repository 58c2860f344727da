using JaxSharp.Cpu;
using JaxSharp.Random;

namespace JaxSharp.Primitives.Random;

/// <summary>The parameters of <see cref="RandomSplit"/>.</summary>
/// <param name="Shape">The shape of the new keys made from each key.</param>
/// <param name="Scheme">The Threefry counter layout.</param>
public sealed record RandomSplitParams(Shape Shape, ThreefryScheme Scheme) : PrimitiveParams;

/// <summary>
/// <c>random_split</c>: new keys from each key, as JAX's <c>threefry_split</c>. Keys of shape
/// K + (2,) give keys of shape K + shape + (2,).
/// </summary>
public sealed class RandomSplit : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly RandomSplit Instance = new();
    private RandomSplit() { }
    /// <inheritdoc/>
    public override string Name => "random_split";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"random_split: takes 1 argument (the keys), got {inputs.Count}");
        var batch = KeyData.BatchShape(Name, inputs[0]);
        return new AbstractValue(KeyData.KeysShape(batch.Concat(((RandomSplitParams)parameters).Shape)), DType.UInt32);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var p = (RandomSplitParams)context.Params;
        var count = p.Shape.Size;
        var keyCount = context.Inputs[0].Shape.Size / 2;
        return new KernelLowering((inputs, output) =>
        {
            var keys = (uint[])inputs[0];
            var result = (uint[])output;
            for (var k = 0; k < keyCount; k++)
                Threefry.Split(keys[2 * k], keys[2 * k + 1], count, p.Scheme, result.AsSpan(2 * count * k, 2 * count));
        });
    }

    /// <summary>No tangent: keys are uint32 (JAX's float0); the interpreter never asks, this says why.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) => null;

    /// <summary>
    /// Per key: keys K + (2,) give new keys K + shape, so a batch axis among K stays where it is (a
    /// batch of keys is a batch of independent new keys); one on the words axis moves to the front.
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var (keys, axis) = KeyData.BatchAxisOffWords(args[0], batchAxes[0]!.Value);
        return (Bind(parameters, keys), axis);
    }
}
