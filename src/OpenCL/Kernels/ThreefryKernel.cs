using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives.Random;
using JaxSharp.Random;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernels of <c>random_bits</c> and <c>random_split</c>: Threefry-2x32 with 20 rounds,
/// one work item per output word, in both of JAX's counter schemes, bit for bit as the CPU's
/// <see cref="Threefry"/> (the known-answer tests hold both to JAX's numbers).
/// </summary>
internal static class ThreefryKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "threefry";

    /// <summary>The hash and JAX's <c>threefry_2x32</c> of an iota (word w of total), in OpenCL C.</summary>
    internal const string Functions = """
        uint2 threefry_hash(uint k0, uint k1, uint x0, uint x1) {
            const uint ks[3] = { k0, k1, k0 ^ k1 ^ 0x1BD11BDAu };
            const uint rotations[8] = { 13, 15, 26, 6, 17, 29, 16, 24 };
            x0 += ks[0];
            x1 += ks[1];
            for (int block = 0; block < 5; block++) {
                const int rot = (block & 1) * 4;
                for (int r = 0; r < 4; r++) {
                    x0 += x1;
                    x1 = rotate(x1, rotations[rot + r]);
                    x1 ^= x0;
                }
                x0 += ks[(block + 1) % 3];
                x1 += ks[(block + 2) % 3] + (uint)(block + 1);
            }
            return (uint2)(x0, x1);
        }

        uint threefry_iota_word(uint k0, uint k1, int w, int total) {
            const int halfCount = (total + 1) / 2;
            if (w < halfCount) return threefry_hash(k0, k1, (uint)w, halfCount + w < total ? (uint)(halfCount + w) : 0u).x;
            return threefry_hash(k0, k1, (uint)(w - halfCount), (uint)w).y;
        }

        """;

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a random_bits or random_split.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var (word, perKey) = app.Params switch
        {
            RandomBitsParams bits => (BitsWord(bits), (long)bits.Shape.Size * (bits.BitWidth == 64 ? 2 : 1)),
            RandomSplitParams split => (SplitWord(split), 2L * split.Shape.Size),
            _ => throw new ArgumentException($"threefry: {app.Primitive.Name} has no Threefry kernel"),
        };
        var output = app.Avals[0];
        var source = $$"""
            {{Functions}}__kernel void {{Name}}(__global const uint* restrict keys, __global uint* restrict out) {
                const long gid = get_global_id(0);
                const long k = gid / {{perKey}};
                const int w = (int)(gid % {{perKey}});
                const uint k0 = keys[2 * k], k1 = keys[2 * k + 1];
                out[gid] = {{word}};
            }

            """;
        return new KernelText(source, [app.Arguments[0]], [facts.Jaxpr.Equations[equation].Variable], [output], output.Shape.Size, Name);
    }

    /// <summary>Output word <c>w</c> of a key's draws, as <see cref="Threefry.Bits"/> writes it.</summary>
    private static string BitsWord(RandomBitsParams p)
    {
        var count = p.Shape.Size;
        var mask = p.BitWidth == 32 ? "0xFFFFFFFFu" : $"{(1u << p.BitWidth) - 1}u";
        if (p.Scheme == ThreefryScheme.Partitionable)
            return p.BitWidth == 64
                ? "(w & 1) == 0 ? threefry_hash(k0, k1, 0u, (uint)(w / 2)).y : threefry_hash(k0, k1, 0u, (uint)(w / 2)).x"
                : $"(threefry_hash(k0, k1, 0u, (uint)w).x ^ threefry_hash(k0, k1, 0u, (uint)w).y) & {mask}";
        var words = (int)(((long)p.BitWidth * count + 31) / 32);
        return p.BitWidth switch
        {
            // the first half of the words are the high words, the second half the low words
            64 => $"(w & 1) == 0 ? threefry_iota_word(k0, k1, {count} + w / 2, {words}) : threefry_iota_word(k0, k1, w / 2, {words})",
            32 => $"threefry_iota_word(k0, k1, w, {words})",
            _ => $"(threefry_iota_word(k0, k1, w / {32 / p.BitWidth}, {words}) >> ({p.BitWidth} * (w % {32 / p.BitWidth}))) & {mask}",
        };
    }

    /// <summary>Output word <c>w</c> of a key's new keys, as <see cref="Threefry.Split"/> writes it.</summary>
    private static string SplitWord(RandomSplitParams p) => p.Scheme == ThreefryScheme.Partitionable
        ? "(w & 1) == 0 ? threefry_hash(k0, k1, 0u, (uint)(w / 2)).x : threefry_hash(k0, k1, 0u, (uint)(w / 2)).y"
        : $"threefry_iota_word(k0, k1, w, {2L * p.Shape.Size})";
}
