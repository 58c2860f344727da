using JaxSharp.Cpu;
using JaxSharp.Random;

namespace JaxSharp.Primitives.Random;

/// <summary>The parameters of <see cref="RandomBits"/>.</summary>
/// <param name="BitWidth">Bits per draw: 8, 16, 32 or 64.</param>
/// <param name="Shape">The shape of the draws from each key.</param>
/// <param name="Scheme">The Threefry counter layout.</param>
public sealed record RandomBitsParams(int BitWidth, Shape Shape, ThreefryScheme Scheme) : PrimitiveParams;

/// <summary>
/// <c>random_bits</c>: uniformly random bits from each key, as JAX's <c>threefry_random_bits</c>.
/// Keys of shape K + (2,) give uint32 draws of shape K + shape. JaxSharp has no uint8, uint16 or
/// uint64: 8- and 16-bit draws are uint32 values below 2^8 and 2^16 (JAX's numbers, widened);
/// a 64-bit draw is two uint32 words on a trailing axis of size 2, low word first, so that
/// <c>bitcast_convert_type</c> to float64 reads it as numpy's <c>view</c> would.
/// </summary>
public sealed class RandomBits : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly RandomBits Instance = new();
    private RandomBits() { }
    /// <inheritdoc/>
    public override string Name => "random_bits";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"random_bits: takes 1 argument (the keys), got {inputs.Count}");
        var p = (RandomBitsParams)parameters;
        if (p.BitWidth is not (8 or 16 or 32 or 64))
            throw new ArgumentException($"random_bits: bit_width {p.BitWidth} is not supported; use 8, 16, 32 or 64");
        var batch = KeyData.BatchShape(Name, inputs[0]);
        var dims = batch.Concat(p.Shape);
        return new AbstractValue(new Shape(p.BitWidth == 64 ? dims.Append(2) : dims), DType.UInt32);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var p = (RandomBitsParams)context.Params;
        var count = p.Shape.Size;
        var words = p.BitWidth == 64 ? 2 * count : count;
        var keyCount = context.Inputs[0].Shape.Size / 2;
        return new KernelLowering((inputs, output) =>
        {
            var keys = (uint[])inputs[0];
            var result = (uint[])output;
            for (var k = 0; k < keyCount; k++)
                Threefry.Bits(keys[2 * k], keys[2 * k + 1], p.BitWidth, count, p.Scheme, result.AsSpan(words * k, words));
        });
    }

    /// <summary>No tangent: keys are uint32 (JAX's float0); the interpreter never asks, this says why.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) => null;

    /// <summary>
    /// Per key: keys K + (2,) give draws K + shape, so a batch axis among K stays where it is (a
    /// batch of keys is a batch of independent draws); one on the words axis moves to the front.
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var (keys, axis) = KeyData.BatchAxisOffWords(args[0], batchAxes[0]!.Value);
        return (Bind(parameters, keys), axis);
    }
}
