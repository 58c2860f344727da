using JaxSharp.Primitives;
using JaxSharp.Primitives.Reductions;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp.Random;

/// <summary>
/// Access to the two uint32 words of 64-bit draws, composed from primitives so that it traces:
/// a word is a masked sum, a pair a sum of masked broadcasts, both exact on uint32.
/// </summary>
internal static class WordMath
{
    /// <summary>A uint32 constant.</summary>
    public static Tensor U32(uint value) => Tensor.Scalar(value);

    /// <summary>Word <paramref name="index"/> (0 or 1) of uint32 pairs on the last axis: a sum masked by a one-hot pair, exact on uint32.</summary>
    public static Tensor Word(Tensor pairs, int index)
    {
        var mask = Tensor.FromArray(index == 0 ? new[] { 1u, 0u } : new[] { 0u, 1u });
        return ReduceSum.Instance.Bind(new ReduceParams(new Ints(pairs.Rank - 1)), Lax.Mul(pairs, mask));
    }

    /// <summary>Key <paramref name="index"/> of keys of shape (n, 2): a sum over the first axis masked by a one-hot column.</summary>
    public static Tensor Row(Tensor keys, int index)
    {
        var mask = new uint[keys.Shape[0]];
        mask[index] = 1;
        var column = Tensor.FromArray(mask, new Shape(mask.Length, 1));
        return ReduceSum.Instance.Bind(new ReduceParams(new Ints(0)), Lax.Mul(keys, column));
    }

    /// <summary>The pairs (lo, hi) on a new last axis: each word broadcast and masked into its slot.</summary>
    public static Tensor Pair(Tensor lo, Tensor hi)
    {
        var shape = new Shape(lo.Shape.Append(2));
        var dims = new Ints(Enumerable.Range(0, lo.Rank));
        Tensor Spread(Tensor w, uint[] mask) =>
            Lax.Mul(BroadcastInDim.Instance.Bind(new BroadcastInDimParams(shape, dims), w), Tensor.FromArray(mask));
        return Lax.Add(Spread(lo, [1u, 0u]), Spread(hi, [0u, 1u]));
    }
}
