using System.Numerics;
using JaxSharp.Cpu;
using JaxSharp.Random;

namespace JaxSharp.Primitives.Random;

/// <summary>The parameters of <see cref="RandomGamma"/>.</summary>
/// <param name="LogSpace">Whether to return the log of the draws (JAX's <c>loggamma</c>).</param>
/// <param name="Scheme">The Threefry counter layout of the key splits.</param>
public sealed record RandomGammaParams(bool LogSpace, ThreefryScheme Scheme) : PrimitiveParams;

/// <summary>
/// <c>random_gamma(keys, alpha)</c>: Gamma(alpha) draws, as JAX's <c>random_gamma_p</c>. Keys of
/// shape K + (2,) and alpha of shape K + S: each key is split into prod(S) keys, one per element,
/// and each element runs JAX's <c>_gamma_one</c> (Marsaglia-Tsang with rejection loops) on its key.
/// The result has alpha's shape and dtype.
/// </summary>
public sealed class RandomGamma : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly RandomGamma Instance = new();
    private RandomGamma() { }
    /// <inheritdoc/>
    public override string Name => "random_gamma";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 2) throw new ArgumentException($"random_gamma: takes 2 arguments (keys, alpha), got {inputs.Count}");
        var batch = KeyData.BatchShape(Name, inputs[0]);
        var alpha = inputs[1];
        if (!alpha.DType.IsFloat())
            throw new ArgumentException($"random_gamma: alpha must be float32 or float64, got {alpha.DType.Name()}{alpha.Shape}");
        if (alpha.Rank < batch.Rank || !alpha.Shape.Take(batch.Rank).SequenceEqual(batch))
            throw new ArgumentException($"random_gamma: alpha of shape {alpha.Shape} must start with the keys' batch shape {batch}");
        return new AbstractValue(alpha.Shape, alpha.DType);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var p = (RandomGammaParams)context.Params;
        var keyCount = context.Inputs[0].Shape.Size / 2;
        var size = context.Inputs[1].Shape.Size;
        return context.Output.DType == DType.Float32
            ? new KernelLowering((inputs, output) => Run((uint[])inputs[0], (float[])inputs[1], (float[])output, keyCount, size, p))
            : new KernelLowering((inputs, output) => Run((uint[])inputs[0], (double[])inputs[1], (double[])output, keyCount, size, p));
    }

    private static void Run<T>(uint[] keys, T[] alpha, T[] result, int keyCount, int size, RandomGammaParams p) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (keyCount == 0) return;
        var perKey = size / keyCount;
        var split = new uint[2 * perKey];
        for (var k = 0; k < keyCount; k++)
        {
            // JAX's _gamma_impl: split each key into one key per element of its block.
            Threefry.Split(keys[2 * k], keys[2 * k + 1], perKey, p.Scheme, split);
            for (var i = 0; i < perKey; i++)
                result[k * perKey + i] = GammaSampler.One(split[2 * i], split[2 * i + 1], alpha[k * perKey + i], p.LogSpace, p.Scheme);
        }
    }

    /// <summary>
    /// Keys have no tangent. The derivative with respect to alpha (JAX's implicit
    /// reparameterisation through <c>random_gamma_grad</c>) is not implemented: asking for it throws.
    /// </summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        tangents[1] is null ? null
            : throw new NotSupportedException("random_gamma: the derivative with respect to alpha (JAX's implicit reparameterisation, random_gamma_grad) is not implemented; " +
                "differentiate with respect to a scale instead (gamma(key, a) * scale), or stop_gradient alpha");

    /// <summary>As JAX's <c>_gamma_batching_rule</c>: keys and alpha with the batch axis in front (an unbatched one broadcast), so each example keeps its own keys.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var size = Rules.BatchSize(args, batchAxes);
        return (Bind(parameters, Rules.BatchToFront(args[0], batchAxes[0], size), Rules.BatchToFront(args[1], batchAxes[1], size)), 0);
    }
}
