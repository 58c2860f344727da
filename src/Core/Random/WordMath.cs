namespace JaxSharp.Random;

/// <summary>
/// Picking words and keys out of uint32 tensors, and pairing words, with the slicing primitives:
/// the two words of 64-bit draws, and one key of a split.
/// </summary>
internal static class WordMath
{
    /// <summary>A uint32 constant.</summary>
    public static Tensor U32(uint value) => Tensor.Scalar(value);

    /// <summary>Word <paramref name="index"/> (0 or 1) of uint32 pairs on the last axis: <c>pairs[..., index]</c>.</summary>
    public static Tensor Word(Tensor pairs, int index)
    {
        var last = pairs.Rank - 1;
        var starts = new Ints(Enumerable.Range(0, pairs.Rank).Select(d => d == last ? index : 0));
        var limits = new Ints(Enumerable.Range(0, pairs.Rank).Select(d => d == last ? index + 1 : pairs.Shape[d]));
        return Lax.Squeeze(Lax.Slice(pairs, starts, limits), new Ints(last));
    }

    /// <summary>Key <paramref name="index"/> of keys of shape (n, 2): <c>keys[index]</c>, as JAX unpacks <c>k1, k2 = split(key)</c>.</summary>
    public static Tensor Row(Tensor keys, int index) =>
        Lax.Squeeze(Lax.Slice(keys, new Ints(index, 0), new Ints(index + 1, 2)), new Ints(0));

    /// <summary>The pairs (lo, hi) on a new last axis.</summary>
    public static Tensor Pair(Tensor lo, Tensor hi) =>
        Lax.Concatenate([Lax.ExpandDims(lo, new Ints(-1)), Lax.ExpandDims(hi, new Ints(-1))], lo.Rank);
}
