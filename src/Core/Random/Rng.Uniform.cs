using JaxSharp.Primitives;
using JaxSharp.Random;
using static JaxSharp.Random.WordMath;

namespace JaxSharp;

public static partial class Rng
{
    /// <summary>Uniform float32 values (float64 with <see cref="Jax.Config.EnableX64"/>) in [0, 1) of the given shape, as <c>jax.random.uniform(key, shape)</c>.</summary>
    /// <example><c>Rng.Uniform(Rng.Key(0), new Shape(3))</c> is [0.947667, 0.9785799, 0.33229148].</example>
    public static Tensor Uniform(Tensor key, Shape shape) => Uniform(NotNull(key), NotNull(shape), 0.0, 1.0);

    /// <summary>
    /// Uniform values in [<paramref name="minval"/>, <paramref name="maxval"/>) of the given shape
    /// and float dtype (by default float32, float64 with x64 enabled), as <c>jax.random.uniform</c>: the mantissa bits of a draw under the
    /// exponent of 1.0, minus 1, scaled, shifted, and clamped below at minval. The bounds
    /// broadcast to <paramref name="shape"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The dtype is not a float, or the bounds do not broadcast to the shape.</exception>
    public static Tensor Uniform(Tensor key, Shape shape, Tensor minval, Tensor maxval, DType? dtype = null) =>
        UniformOf(NotNull(key), NotNull(shape), NotNull(minval), NotNull(maxval), dtype ?? DTypes.DefaultFloat);

    private static Tensor UniformOf(Tensor key, Shape shape, Tensor minval, Tensor maxval, DType dtype)
    {
        if (!dtype.IsFloat())
            throw new ArgumentException($"uniform: dtype must be float32 or float64, got {dtype.Name()}; use Rng.Randint for integers");
        KeyShapes.CheckSingle("uniform", key);
        CheckBroadcastsTo("uniform", shape, minval.Shape, maxval.Shape);
        var lo = Np.Cast(minval, dtype);
        var hi = Np.Cast(maxval, dtype);
        var floats = Lax.Sub(UnitFloats(key, shape, dtype), Np.Cast(1.0, dtype));
        // max(minval, floats * (maxval - minval) + minval)
        return Lax.Max(lo, Lax.Add(Lax.Mul(floats, Lax.Sub(hi, lo)), lo));
    }

    /// <summary>
    /// Floats in [1, 2) of the given shape: random mantissa bits under the exponent of 1.0
    /// (float32: the top 23 of 32 bits; float64: the top 52 of 64 bits).
    /// </summary>
    private static Tensor UnitFloats(Tensor key, Shape shape, DType dtype)
    {
        if (dtype == DType.Float32)
        {
            // (bits >> 9) | bits(1.0f)
            var mantissa = Lax.ShiftRightLogical(Bits(key, shape, 32), U32(9));
            return Lax.BitcastConvertType(Lax.BitwiseOr(mantissa, U32(0x3F800000u)), DType.Float32);
        }
        // (bits64 >> 12) | 0x3FF0000000000000, on the words: lo' = lo >> 12 | hi << 20, hi' = hi >> 12 | 0x3FF00000.
        var pairs = Bits(key, shape, 64);
        var (lo, hi) = (Word(pairs, 0), Word(pairs, 1));
        var newLo = Lax.BitwiseOr(Lax.ShiftRightLogical(lo, U32(12)), Lax.ShiftLeft(hi, U32(20)));
        var newHi = Lax.BitwiseOr(Lax.ShiftRightLogical(hi, U32(12)), U32(0x3FF00000u));
        return Lax.BitcastConvertType(Pair(newLo, newHi), DType.Float64);
    }

    /// <summary>
    /// Random booleans of the given shape, true with probability <paramref name="p"/>, as
    /// <c>jax.random.bernoulli(key, p, shape)</c>: <c>uniform(key, shape, p.dtype) &lt; p</c>
    /// (a .NET number p is float32, float64 with <see cref="Jax.Config.EnableX64"/>, as in JAX).
    /// </summary>
    public static Tensor Bernoulli(Tensor key, Tensor p, Shape shape)
    {
        NotNull(key);
        NotNull(p);
        NotNull(shape);
        var dtype = p.IsWeaklyTyped ? DTypes.DefaultFloat : !p.DType.IsFloat() ? DType.Float32 : p.DType;
        if (!p.IsWeaklyTyped && !p.DType.IsFloat())
            throw new ArgumentException($"bernoulli: the probability p must be a float, got {p.DType.Name()}{p.Shape}; convert it, e.g. Np.AsType(p, DType.Float32)");
        KeyShapes.CheckSingle("bernoulli", key);
        CheckBroadcastsTo("bernoulli", shape, p.Shape);
        return Lax.Lt(Uniform(key, shape, 0.0, 1.0, dtype), Np.Cast(p, dtype));
    }

    /// <summary>Booleans of p's shape, true with probability p (elementwise).</summary>
    public static Tensor Bernoulli(Tensor key, Tensor p) => Bernoulli(NotNull(key), NotNull(p), p.Shape);

    /// <summary>Booleans of the given shape, true with probability 1/2 (JAX's default p).</summary>
    public static Tensor Bernoulli(Tensor key, Shape shape) => Bernoulli(NotNull(key), 0.5, NotNull(shape));

    /// <summary>Checks that parameter shapes broadcast to the sample shape, as JAX's <c>_check_shape</c>.</summary>
    private static void CheckBroadcastsTo(string op, Shape shape, params Shape[] parameterShapes)
    {
        var all = parameterShapes.Prepend(shape).ToArray();
        var broadcast = Broadcasting.Shapes(op, all);
        if (broadcast != shape)
            throw new ArgumentException($"{op}: parameter shapes {string.Join(", ", parameterShapes.Select(s => s.ToString()))} broadcast with shape {shape} to {broadcast}; " +
                "parameters must broadcast to the requested shape exactly: pass a larger shape or smaller parameters");
    }
}
