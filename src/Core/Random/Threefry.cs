namespace JaxSharp.Random;

/// <summary>
/// Which counter layout JAX's Threefry PRNG uses to split keys and draw bits. JAX's default
/// since jax 0.5.0 is <see cref="Partitionable"/> (<c>jax_threefry_partitionable = True</c>);
/// <see cref="Original"/> reproduces the numbers of older JAX versions.
/// </summary>
public enum ThreefryScheme
{
    /// <summary>
    /// Element i of a draw hashes the 64-bit counter i as (high word, low word); 32-bit draws
    /// are the XOR of the two output words. JAX's current default.
    /// </summary>
    Partitionable,

    /// <summary>
    /// One hash over the counters 0..n-1 split in two halves (JAX's <c>threefry_2x32</c>), with
    /// the output words concatenated: the scheme of JAX before 0.5.0.
    /// </summary>
    Original,
}

/// <summary>
/// The Threefry-2x32 block cipher with 20 rounds (Salmon et al., Random123), and the key
/// derivation, splitting and bit generation JAX builds on it (jax/_src/prng.py). Host code
/// over flat uint32 buffers: the kernels of the PRNG primitives.
/// </summary>
internal static class Threefry
{
    private static readonly int[] s_rotations = [13, 15, 26, 6, 17, 29, 16, 24];

    /// <summary>Hashes the counter pair (x0, x1) under the key (k0, k1): 20 rounds, key injected every 4.</summary>
    public static (uint, uint) Hash(uint k0, uint k1, uint x0, uint x1)
    {
        // Key schedule: ks = [k0, k1, k0 ^ k1 ^ C240], C240 the Skein parity constant.
        Span<uint> ks = [k0, k1, k0 ^ k1 ^ 0x1BD11BDAu];
        x0 += ks[0];
        x1 += ks[1];
        for (var block = 0; block < 5; block++)
        {
            var rot = (block & 1) * 4;
            for (var r = 0; r < 4; r++)
            {
                // One round: v0 += v1; v1 = rotl(v1, R) ^ v0.
                x0 += x1;
                x1 = uint.RotateLeft(x1, s_rotations[rot + r]);
                x1 ^= x0;
            }
            x0 += ks[(block + 1) % 3];
            x1 += ks[(block + 2) % 3] + (uint)(block + 1);
        }
        return (x0, x1);
    }

    /// <summary>
    /// JAX's <c>threefry_2x32(key, iota(count))</c>: the counters 0..count-1 (padded to even
    /// length with a 0) split into two halves, hashed pairwise, the first output words followed
    /// by the second, truncated to <paramref name="count"/>.
    /// </summary>
    public static uint[] HashIota(uint k0, uint k1, int count)
    {
        var half = (count + 1) / 2;
        var padded = new uint[2 * half];
        for (var i = 0; i < half; i++)
        {
            var second = half + i < count ? (uint)(half + i) : 0u;
            (padded[i], padded[half + i]) = Hash(k0, k1, (uint)i, second);
        }
        return count == padded.Length ? padded : padded[..count];
    }

    /// <summary>The key a seed gives: the seed's 64 bits as (high word, low word); an int32 seed is sign-free, high word 0.</summary>
    public static (uint, uint) Seed(long seed) => ((uint)((ulong)seed >> 32), (uint)seed);

    /// <summary>Writes <paramref name="count"/> keys split from (k0, k1) into <paramref name="output"/> (2 words each).</summary>
    public static void Split(uint k0, uint k1, int count, ThreefryScheme scheme, Span<uint> output)
    {
        if (scheme == ThreefryScheme.Partitionable)
        {
            // Key j is the hash of the 64-bit counter j.
            for (var j = 0; j < count; j++)
                (output[2 * j], output[2 * j + 1]) = Hash(k0, k1, (uint)((ulong)j >> 32), (uint)j);
            return;
        }
        HashIota(k0, k1, 2 * count).CopyTo(output);
    }

    /// <summary>JAX's <c>fold_in</c>: the key hashes the counter pair (0, data), the same in both schemes.</summary>
    public static (uint, uint) FoldIn(uint k0, uint k1, uint data) => Hash(k0, k1, 0, data);

    /// <summary>
    /// Writes <paramref name="count"/> draws of <paramref name="bitWidth"/> bits (8, 16, 32, or 64)
    /// into <paramref name="output"/>: one uint32 each, or for 64 bits two, low word first.
    /// </summary>
    public static void Bits(uint k0, uint k1, int bitWidth, int count, ThreefryScheme scheme, Span<uint> output)
    {
        if (scheme == ThreefryScheme.Partitionable)
        {
            for (var i = 0; i < count; i++)
            {
                var (b1, b2) = Hash(k0, k1, (uint)((ulong)i >> 32), (uint)i);
                if (bitWidth == 64) { output[2 * i] = b2; output[2 * i + 1] = b1; }
                else output[i] = (b1 ^ b2) & Mask(bitWidth);
            }
            return;
        }
        // ceil(bitWidth * count / 32) words from one hash of an iota.
        var words = HashIota(k0, k1, (int)(((long)bitWidth * count + 31) / 32));
        switch (bitWidth)
        {
            case 64:
                // The first half are the high words, the second half the low words.
                for (var i = 0; i < count; i++) { output[2 * i] = words[count + i]; output[2 * i + 1] = words[i]; }
                break;
            case 32:
                words.CopyTo(output);
                break;
            default:
                // numpy's view of the words as narrower little-endian integers.
                var perWord = 32 / bitWidth;
                for (var i = 0; i < count; i++)
                    output[i] = (words[i / perWord] >> (bitWidth * (i % perWord))) & Mask(bitWidth);
                break;
        }
    }

    private static uint Mask(int bitWidth) => bitWidth == 32 ? uint.MaxValue : (1u << bitWidth) - 1;
}
