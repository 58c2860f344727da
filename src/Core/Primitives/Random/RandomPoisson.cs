using JaxSharp.Cpu;
using JaxSharp.Random;

namespace JaxSharp.Primitives.Random;

/// <summary>The parameters of <see cref="RandomPoisson"/>.</summary>
/// <param name="Scheme">The Threefry counter layout of the key splits and draws.</param>
public sealed record RandomPoissonParams(ThreefryScheme Scheme) : PrimitiveParams;

/// <summary>
/// <c>random_poisson(keys, lam)</c>: int32 Poisson draws, as JAX's <c>_poisson</c> (Knuth below
/// lam = 10, transformed rejection above, each a while loop over the whole block). Keys of shape
/// K + (2,) and float32 rates of shape K + S: each key draws its own block of shape S, as a vmap
/// of JAX's sampler over the keys would. JAX has no such primitive: its loops are
/// <c>while_loop</c>s, which this kernel runs on the host.
/// </summary>
public sealed class RandomPoisson : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly RandomPoisson Instance = new();
    private RandomPoisson() { }
    /// <inheritdoc/>
    public override string Name => "random_poisson";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 2) throw new ArgumentException($"random_poisson: takes 2 arguments (keys, lam), got {inputs.Count}");
        var batch = KeyData.BatchShape(Name, inputs[0]);
        var lam = inputs[1];
        if (lam.DType != DType.Float32)
            throw new ArgumentException($"random_poisson: lam must be float32 (as JAX converts it), got {lam.DType.Name()}{lam.Shape}");
        if (lam.Rank < batch.Rank || !lam.Shape.Take(batch.Rank).SequenceEqual(batch))
            throw new ArgumentException($"random_poisson: lam of shape {lam.Shape} must start with the keys' batch shape {batch}");
        return new AbstractValue(lam.Shape, DType.Int32);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var scheme = ((RandomPoissonParams)context.Params).Scheme;
        var keyCount = context.Inputs[0].Shape.Size / 2;
        var size = context.Inputs[1].Shape.Size;
        return new KernelLowering((inputs, output) =>
        {
            var keys = (uint[])inputs[0];
            var lam = (float[])inputs[1];
            var result = (int[])output;
            if (keyCount == 0) return;
            var block = size / keyCount;
            for (var k = 0; k < keyCount; k++)
                PoissonSampler.Sample((keys[2 * k], keys[2 * k + 1]), lam.AsSpan(k * block, block), result.AsSpan(k * block, block), scheme);
        });
    }

    /// <summary>No tangent: the draws are int32 (JAX's float0).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) => null;

    /// <summary>Keys and rates with the batch axis in front (an unbatched one broadcast): each example runs its own loops, as a batched while loop does.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var size = Rules.BatchSize(args, batchAxes);
        return (Bind(parameters, Rules.BatchToFront(args[0], batchAxes[0], size), Rules.BatchToFront(args[1], batchAxes[1], size)), 0);
    }
}
