using JaxSharp.Random;
using static JaxSharp.Random.WordMath;

namespace JaxSharp;

public static partial class Rng
{
    /// <summary>Standard normal float32 values (float64 with <see cref="Jax.Config.EnableX64"/>), as <c>jax.random.normal(key, shape)</c>.</summary>
    public static Tensor Normal(Tensor key, Shape shape) => Normal(NotNull(key), NotNull(shape), DTypes.DefaultFloat);

    /// <summary>
    /// Standard normal values of a float dtype, as <c>jax.random.normal</c>: <c>sqrt 2 * erfinv u</c>
    /// with u uniform on [nextafter(-1, 0), 1), so that erfinv never sees -1.
    /// </summary>
    public static Tensor Normal(Tensor key, Shape shape, DType dtype)
    {
        NotNull(key);
        NotNull(shape);
        RequireFloat("normal", dtype);
        KeyShapes.CheckSingle("normal", key);
        var u = Uniform(key, shape, NextUp(-1.0, dtype), 1.0, dtype);
        return Lax.Mul(Constant(Math.Sqrt(2), dtype), Lax.Erfinv(u));
    }

    /// <summary>
    /// Standard normal values truncated to (lower, upper), as <c>jax.random.truncated_normal</c>:
    /// the inverse CDF of a uniform draw between erf(lower / sqrt 2) and erf(upper / sqrt 2),
    /// clamped strictly inside the bounds. The bounds are .NET numbers here: the clamp is
    /// computed on the host.
    /// </summary>
    public static Tensor TruncatedNormal(Tensor key, double lower, double upper, Shape shape, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(shape);
        RequireFloat("truncated_normal", floatType);
        KeyShapes.CheckSingle("truncated_normal", key);
        var sqrt2 = Constant(Math.Sqrt(2), floatType);
        var a = Lax.Erf(Lax.Div(Constant(lower, floatType), sqrt2));
        var b = Lax.Erf(Lax.Div(Constant(upper, floatType), sqrt2));
        var u = Uniform(key, shape, a, b, floatType);
        var x = Lax.Mul(sqrt2, Lax.Erfinv(u));
        // clip(x, nextafter(lower, inf), nextafter(upper, -inf))
        return Lax.Min(Lax.Max(x, NextUp(lower, floatType)), NextDown(upper, floatType));
    }

    /// <summary>Exponential values with rate 1, as <c>jax.random.exponential</c>: <c>-log1p(-u)</c>.</summary>
    public static Tensor Exponential(Tensor key, Shape shape, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(shape);
        RequireFloat("exponential", floatType);
        KeyShapes.CheckSingle("exponential", key);
        return Lax.Neg(Lax.Log1p(Lax.Neg(Uniform(key, shape, 0.0, 1.0, floatType))));
    }

    /// <summary>Standard Gumbel values, as <c>jax.random.gumbel</c>: <c>-log(-log u)</c>, u uniform on [tiny, 1).</summary>
    public static Tensor Gumbel(Tensor key, Shape shape, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(shape);
        RequireFloat("gumbel", floatType);
        KeyShapes.CheckSingle("gumbel", key);
        var u = Uniform(key, shape, Tiny(floatType), 1.0, floatType);
        return Lax.Neg(Lax.Log(Lax.Neg(Lax.Log(u))));
    }

    /// <summary>Standard Laplace values, as <c>jax.random.laplace</c>: <c>sign u * log1p(-|u|)</c>, u uniform on [-1 + epsneg, 1).</summary>
    public static Tensor Laplace(Tensor key, Shape shape, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(shape);
        RequireFloat("laplace", floatType);
        KeyShapes.CheckSingle("laplace", key);
        var u = Uniform(key, shape, NextUp(-1.0, floatType), 1.0, floatType);
        return Lax.Mul(Lax.Sign(u), Lax.Log1p(Lax.Neg(Lax.Abs(u))));
    }

    /// <summary>Standard logistic values, as <c>jax.random.logistic</c>: <c>log(u / (1 - u))</c>, u uniform on [tiny, 1).</summary>
    public static Tensor Logistic(Tensor key, Shape shape, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(shape);
        RequireFloat("logistic", floatType);
        KeyShapes.CheckSingle("logistic", key);
        var u = Uniform(key, shape, Tiny(floatType), 1.0, floatType);
        return Lax.Log(Lax.Div(u, Lax.Sub(Constant(1.0, floatType), u)));
    }

    /// <summary>
    /// Random integers in [minval, maxval) of int32 or uint32, as <c>jax.random.randint</c>: two
    /// draws from split keys combined modulo the span (nearly unbiased); minval where maxval &lt;= minval.
    /// </summary>
    public static Tensor Randint(Tensor key, Shape shape, Tensor minval, Tensor maxval, DType dtype = DType.Int32)
    {
        NotNull(key);
        NotNull(shape);
        NotNull(minval);
        NotNull(maxval);
        if (!dtype.IsInteger())
            throw new ArgumentException($"randint: dtype must be int32 or uint32, got {dtype.Name()}; use Rng.Uniform for floats");
        KeyShapes.CheckSingle("randint", key);
        CheckBroadcastsTo("randint", shape, minval.Shape, maxval.Shape);
        var lo = Np.Cast(minval, dtype);
        var hi = Np.Cast(maxval, dtype);
        var keys = Split(key, 2);
        var higher = Bits(Row(keys, 0), shape);
        var lower = Bits(Row(keys, 1), shape);
        var span = Lax.ConvertElementType(Lax.Sub(hi, lo), DType.UInt32);
        // span = 1 where maxval <= minval, so that minval is returned.
        span = Lax.Select(Lax.Le(hi, lo), U32(1), span);
        // (a * b) % N = ((a % N) * (b % N)) % N, with 2^32 % N = (2^16 % N)^2 % N.
        var multiplier = Lax.Rem(U32(1u << 16), span);
        multiplier = Lax.Rem(Lax.Mul(multiplier, multiplier), span);
        var offset = Lax.Add(Lax.Mul(Lax.Rem(higher, span), multiplier), Lax.Rem(lower, span));
        offset = Lax.Rem(offset, span);
        return Lax.Add(lo, Lax.ConvertElementType(offset, dtype));
    }

    private static void RequireFloat(string op, DType dtype)
    {
        if (!dtype.IsFloat())
            throw new ArgumentException($"{op}: dtype must be float32 or float64, got {dtype.Name()}");
    }

    /// <summary>A strongly typed scalar of <paramref name="dtype"/>, rounded from the double as numpy's <c>np.array(v, dtype)</c>.</summary>
    private static Tensor Constant(double value, DType dtype) =>
        dtype == DType.Float32 ? Tensor.Scalar((float)value) : Tensor.Scalar(value);

    /// <summary>nextafter(v, +inf) in <paramref name="dtype"/>.</summary>
    private static Tensor NextUp(double value, DType dtype) =>
        dtype == DType.Float32 ? Tensor.Scalar(MathF.BitIncrement((float)value)) : Tensor.Scalar(Math.BitIncrement(value));

    /// <summary>nextafter(v, -inf) in <paramref name="dtype"/>.</summary>
    private static Tensor NextDown(double value, DType dtype) =>
        dtype == DType.Float32 ? Tensor.Scalar(MathF.BitDecrement((float)value)) : Tensor.Scalar(Math.BitDecrement(value));

    /// <summary>The smallest positive normal number of <paramref name="dtype"/> (numpy's <c>finfo.tiny</c>).</summary>
    private static Tensor Tiny(DType dtype) =>
        dtype == DType.Float32 ? Tensor.Scalar(1.17549435e-38f) : Tensor.Scalar(2.2250738585072014e-308);
}
