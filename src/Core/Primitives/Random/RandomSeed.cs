using JaxSharp.Cpu;
using JaxSharp.Random;

namespace JaxSharp.Primitives.Random;

/// <summary>
/// <c>random_seed</c>: the Threefry key of each integer seed, as JAX's <c>threefry_seed</c>:
/// an int32 or uint32 seed s gives the raw key <c>[0, s]</c> (its 32 bits, unsigned). Seeds of
/// shape S give keys of shape S + (2,).
/// </summary>
public sealed class RandomSeed : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly RandomSeed Instance = new();
    private RandomSeed() { }
    /// <inheritdoc/>
    public override string Name => "random_seed";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"random_seed: takes 1 argument (the seeds), got {inputs.Count}");
        var seeds = inputs[0];
        if (!seeds.DType.IsInteger())
            throw new ArgumentException($"random_seed: seeds must be int32 or uint32, got {seeds.DType.Name()}{seeds.Shape}; convert them first, e.g. Np.AsType(seeds, DType.Int32)");
        return new AbstractValue(KeyData.KeysShape(seeds.Shape), DType.UInt32);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var count = context.Inputs[0].Shape.Size;
        return new KernelLowering((inputs, output) =>
        {
            var keys = (uint[])output;
            for (var i = 0; i < count; i++)
            {
                var seed = inputs[0] is int[] signed ? (uint)signed[i] : ((uint[])inputs[0])[i];
                (keys[2 * i], keys[2 * i + 1]) = Threefry.Seed(seed);
            }
        });
    }

    /// <summary>No tangent: keys are uint32 (JAX's float0); the interpreter never asks, this says why.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) => null;

    /// <summary>Elementwise over the seeds: each seed's key is appended as a last axis, so the batch axis stays.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters) =>
        (Bind(parameters, args[0]), batchAxes[0]);
}
