using System.Numerics;
using JaxSharp.Primitives;

namespace JaxSharp.Random;

/// <summary>
/// Host versions of JAX's samplers for the kernels that loop (random_gamma, random_poisson):
/// split, uniform and normal on one key, computed with the same bits and float operations as
/// the traced samplers (<see cref="Rng.Uniform(Tensor, Shape)"/>, <see cref="Rng.Normal(Tensor, Shape)"/>),
/// so that a kernel's draws are JAX's numbers.
/// </summary>
internal static class ScalarDraws
{
    /// <summary>Key <paramref name="index"/> of <c>split(key, count)</c>.</summary>
    public static (uint, uint) SplitKey(uint k0, uint k1, int count, int index, ThreefryScheme scheme)
    {
        Span<uint> keys = stackalloc uint[2 * count];
        Threefry.Split(k0, k1, count, scheme, keys);
        return (keys[2 * index], keys[2 * index + 1]);
    }

    /// <summary><c>k1, k2 = split(key)</c>.</summary>
    public static ((uint, uint), (uint, uint)) Split2(uint k0, uint k1, ThreefryScheme scheme)
    {
        Span<uint> keys = stackalloc uint[4];
        Threefry.Split(k0, k1, 2, scheme, keys);
        return ((keys[0], keys[1]), (keys[2], keys[3]));
    }

    /// <summary><c>k1, k2, k3 = split(key, 3)</c>.</summary>
    public static ((uint, uint), (uint, uint), (uint, uint)) Split3(uint k0, uint k1, ThreefryScheme scheme)
    {
        Span<uint> keys = stackalloc uint[6];
        Threefry.Split(k0, k1, 3, scheme, keys);
        return ((keys[0], keys[1]), (keys[2], keys[3]), (keys[4], keys[5]));
    }

    /// <summary>
    /// <c>uniform(key, (count,), T)</c> on [0, 1) written to <paramref name="output"/>: the mantissa
    /// bits of the draws under the exponent of 1.0, minus 1.
    /// </summary>
    public static void Uniforms<T>((uint, uint) key, ThreefryScheme scheme, Span<T> output) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var count = output.Length;
        if (typeof(T) == typeof(float))
        {
            Span<uint> bits = count <= 256 ? stackalloc uint[count] : new uint[count];
            Threefry.Bits(key.Item1, key.Item2, 32, count, scheme, bits);
            for (var i = 0; i < count; i++)
                output[i] = T.CreateTruncating(BitConverter.UInt32BitsToSingle((bits[i] >> 9) | 0x3F800000u) - 1f);
            return;
        }
        Span<uint> words = count <= 128 ? stackalloc uint[2 * count] : new uint[2 * count];
        Threefry.Bits(key.Item1, key.Item2, 64, count, scheme, words);
        for (var i = 0; i < count; i++)
        {
            var bits64 = ((ulong)words[2 * i + 1] << 32) | words[2 * i];
            output[i] = T.CreateTruncating(BitConverter.UInt64BitsToDouble((bits64 >> 12) | 0x3FF0000000000000UL) - 1.0);
        }
    }

    /// <summary><c>uniform(key, (), T)</c>: one draw on [0, 1).</summary>
    public static T Uniform<T>((uint, uint) key, ThreefryScheme scheme) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Span<T> one = stackalloc T[1];
        Uniforms(key, scheme, one);
        return one[0];
    }

    /// <summary>
    /// <c>normal(key, (), T)</c>: <c>sqrt 2 * erfinv u</c>, u uniform on [nextafter(-1, 0), 1),
    /// as <c>max(lo, f * (hi - lo) + lo)</c> in T.
    /// </summary>
    public static T Normal<T>((uint, uint) key, ThreefryScheme scheme) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var f = Uniform<T>(key, scheme);
        var lo = T.BitIncrement(-T.One);
        var u = T.Max(lo, f * (T.One - lo) + lo);
        var sqrt2 = T.CreateTruncating(Math.Sqrt(2));
        return typeof(T) == typeof(float)
            ? sqrt2 * T.CreateTruncating(SpecialFunctions.Erfinv(float.CreateTruncating(u)))
            : sqrt2 * T.CreateTruncating(SpecialFunctions.Erfinv(double.CreateTruncating(u)));
    }
}
