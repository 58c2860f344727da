using System.Runtime.CompilerServices;
using JaxSharp.Primitives.Random;
using JaxSharp.Random;

namespace JaxSharp;

/// <summary>
/// JAX's random numbers (<c>jax.random</c>) for C#: explicit keys, no hidden state. A key is a
/// value: the same key always gives the same numbers, eagerly, under <c>Jax.Jit</c> and in
/// batches. Fork keys with <see cref="Split(Tensor, int)"/> and never reuse one for two draws.
/// The generator is Threefry-2x32 (20 rounds), bit for bit as JAX's default <c>threefry2x32</c>.
/// Keys are raw key data: uint32 tensors of shape (2,) (JAX's <c>PRNGKey</c> arrays; typed
/// <c>jax.random.key</c> keys are represented by their <c>key_data</c>).
/// </summary>
/// <example><c>var key = Rng.Key(0); var x = Rng.Uniform(key, [3]);</c> gives [0.947667, 0.9785799, 0.33229148].</example>
public static partial class Rng
{
    // A box, not ThreefryScheme?: AsyncLocal over a reference shares the framework's precompiled
    // code; over a Nullable it is JIT-compiled in every process.
    private static readonly AsyncLocal<StrongBox<ThreefryScheme>?> s_scheme = new();

    /// <summary>
    /// The counter layout of <see cref="Split(Tensor, int)"/> and the samplers in the current
    /// context: <see cref="ThreefryScheme.Partitionable"/> (JAX's default since jax 0.5.0)
    /// unless <see cref="UseScheme"/> chose another. Read when a function is traced, as JAX reads
    /// <c>jax_threefry_partitionable</c>.
    /// </summary>
    public static ThreefryScheme Scheme => s_scheme.Value is { } scoped ? scoped.Value : ThreefryScheme.Partitionable;

    /// <summary>
    /// Uses <paramref name="scheme"/> until the returned scope is disposed, in this thread and
    /// the tasks it starts: <c>using (Rng.UseScheme(ThreefryScheme.Original)) { ... }</c>
    /// reproduces the numbers of JAX before 0.5.0 (<c>jax_threefry_partitionable = False</c>).
    /// </summary>
    public static IDisposable UseScheme(ThreefryScheme scheme)
    {
        var previous = s_scheme.Value;
        s_scheme.Value = new StrongBox<ThreefryScheme>(scheme);
        return new SchemeScope(previous);
    }

    private sealed class SchemeScope(StrongBox<ThreefryScheme>? previous) : IDisposable
    {
        public void Dispose() => s_scheme.Value = previous;
    }

    /// <summary>
    /// The key of an int32 seed, as <c>jax.random.key(seed)</c> / <c>PRNGKey(seed)</c>: the raw
    /// key <c>[0, seed]</c>, the seed's bits read as uint32 (so -1 gives [0, 4294967295]).
    /// </summary>
    /// <example><c>Rng.Key(42)</c> is <c>Tensor([0 42], uint32)</c>.</example>
    public static Tensor Key(int seed) => RandomSeed.Instance.Bind(Primitives.PrimitiveParams.None, Tensor.Scalar(seed));

    /// <summary>
    /// The key of a 64-bit seed: its high and low 32 bits, as JAX with <c>jax_enable_x64</c>
    /// (<c>Key(-1L)</c> is [4294967295, 4294967295]); equal to <see cref="Key(int)"/> for seeds in [0, 2^31).
    /// </summary>
    public static Tensor Key(long seed)
    {
        var (hi, lo) = Threefry.Seed(seed);
        return Tensor.FromArray(new[] { hi, lo });
    }

    /// <summary>The keys of int32 or uint32 seeds (traced ones too): seeds of shape S give keys of shape S + (2,).</summary>
    public static Tensor Key(Tensor seeds) => RandomSeed.Instance.Bind(Primitives.PrimitiveParams.None, NotNull(seeds));

    /// <summary>The raw uint32 data of keys (JAX's <c>key_data</c>): the keys themselves, checked.</summary>
    /// <exception cref="ArgumentException">The tensor is not uint32 of shape (..., 2).</exception>
    public static Tensor KeyData(Tensor keys)
    {
        NotNull(keys);
        KeyShapes.Check("key_data", keys);
        return keys;
    }

    /// <summary>Keys from raw uint32 data of shape (..., 2) (JAX's <c>wrap_key_data</c>), e.g. saved with <see cref="KeyData"/>.</summary>
    /// <exception cref="ArgumentException">The tensor is not uint32 of shape (..., 2).</exception>
    public static Tensor WrapKeyData(Tensor data)
    {
        NotNull(data);
        KeyShapes.Check("wrap_key_data", data);
        return data;
    }

    /// <summary>A key from its two raw words (JAX's <c>wrap_key_data(np.uint32([a, b]))</c>).</summary>
    public static Tensor WrapKeyData(uint word0, uint word1) => Tensor.FromArray(new[] { word0, word1 });

    /// <summary>
    /// <paramref name="num"/> new keys from <paramref name="key"/>, as <c>jax.random.split</c>: a
    /// (num, 2) tensor. Use each new key once; keep one to split again.
    /// </summary>
    /// <example><c>var keys = Rng.Split(Rng.Key(0), 3);</c></example>
    public static Tensor Split(Tensor key, int num = 2)
    {
        NotNull(key);
        if (num < 0) throw new ArgumentException($"split: num must be >= 0, got {num}");
        return Split(key, new Shape(num));
    }

    /// <summary>New keys of the given shape from <paramref name="key"/>: a tensor of shape + (2,).</summary>
    public static Tensor Split(Tensor key, Shape shape)
    {
        NotNull(key);
        NotNull(shape);
        KeyShapes.CheckSingle("split", key);
        return RandomSplit.Instance.Bind(new RandomSplitParams(shape, Scheme), key);
    }

    /// <summary>Two new keys from <paramref name="key"/>, as JAX's <c>k1, k2 = jax.random.split(key)</c>.</summary>
    /// <example><c>var (key, subkey) = Rng.Split2(key);</c></example>
    public static (Tensor, Tensor) Split2(Tensor key)
    {
        NotNull(key);
        var keys = Split(key, 2);
        return (WordMath.Row(keys, 0), WordMath.Row(keys, 1));
    }

    /// <summary>
    /// A new key from <paramref name="key"/> and a 32-bit message, as <c>jax.random.fold_in</c>:
    /// distinct messages give independent keys (e.g. fold in a step or a device index).
    /// </summary>
    public static Tensor FoldIn(Tensor key, int data) => FoldIn(NotNull(key), Tensor.Scalar(unchecked((uint)data)));

    /// <summary>Folds an int32 or uint32 scalar tensor (possibly traced) into <paramref name="key"/>.</summary>
    public static Tensor FoldIn(Tensor key, Tensor data)
    {
        NotNull(key);
        NotNull(data);
        KeyShapes.CheckSingle("fold_in", key);
        if (!data.DType.IsInteger() || data.Rank != 0)
            throw new ArgumentException($"fold_in: data must be an int32 or uint32 scalar, got {data.DType.Name()}{data.Shape}; use vmap for a batch of messages");
        return RandomFoldIn.Instance.Bind(Primitives.PrimitiveParams.None, key, data.DType == DType.UInt32 ? data : Primitives.Bits.BitcastConvertType.Instance.Bind(new Primitives.Bits.BitcastParams(DType.UInt32), data));
    }

    /// <summary>
    /// The Threefry-2x32 block function (20 rounds) on one counter pair: the hash under every
    /// key operation and draw. The Random123 known-answer vectors hold, e.g. key (0, 0) and
    /// counter (0, 0) give (0x6b200159, 0x99ba4efe).
    /// </summary>
    public static (uint, uint) Threefry2x32(uint key0, uint key1, uint x0, uint x1) => Threefry.Hash(key0, key1, x0, x1);

    /// <summary>
    /// Uniformly random uint32 bits of the given shape, as <c>jax.random.bits(key, shape)</c>.
    /// <paramref name="bitWidth"/> 8 or 16 gives JAX's uint8/uint16 numbers as uint32 values;
    /// 64 gives each uint64 as two uint32 words on a trailing axis of 2, low word first.
    /// </summary>
    public static Tensor Bits(Tensor key, Shape shape, int bitWidth = 32)
    {
        NotNull(key);
        NotNull(shape);
        KeyShapes.CheckSingle("bits", key);
        return RandomBits.Instance.Bind(new RandomBitsParams(bitWidth, shape, Scheme), key);
    }
}
