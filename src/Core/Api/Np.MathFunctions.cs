namespace JaxSharp;

// jnp's elementwise math that is a composition of other functions (as in JAX's ufuncs.py).
public static partial class Np
{
    private const double Ln2 = 0.6931471805599453;

    /// <summary>Base-2 logarithm elementwise, <c>log(x) / log(2)</c>.</summary>
    public static Tensor Log2(Tensor x) => Divide(Log(NotNull(x)), Ln2);

    /// <summary>Base-10 logarithm elementwise, <c>log(x) / log(10)</c>.</summary>
    public static Tensor Log10(Tensor x) => Divide(Log(NotNull(x)), Math.Log(10));

    /// <summary><c>2^x</c> elementwise, <c>exp(x log 2)</c>.</summary>
    public static Tensor Exp2(Tensor x) => Exp(Multiply(ToInexact(NotNull(x)), Ln2));

    /// <summary>
    /// <c>log(e^a + e^b)</c> elementwise, computed as <c>max + log1p(e^-|a - b|)</c> so that large
    /// inputs do not overflow; two -inf give -inf.
    /// </summary>
    /// <example><c>Np.Logaddexp(logP, logQ)</c></example>
    public static Tensor Logaddexp(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        var (x, y) = Promote(ToInexact(a), ToInexact(b));
        var largest = Maximum(x, y);
        var delta = Subtract(x, y);
        var sum = Add(largest, Log1p(Exp(Negative(Abs(delta)))));
        // equal infinities make delta NaN: the sum is then the infinity itself
        return Where(IsNan(delta), Add(x, y), sum);
    }

    /// <summary><c>log2(2^a + 2^b)</c> elementwise, stable as <see cref="Logaddexp"/>.</summary>
    public static Tensor Logaddexp2(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        return Divide(Logaddexp(Multiply(ToInexact(a), Ln2), Multiply(ToInexact(b), Ln2)), Ln2);
    }

    /// <summary><c>sqrt(a² + b²)</c> elementwise, scaled by the larger magnitude so that it does not overflow.</summary>
    public static Tensor Hypot(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        var (x, y) = Promote(Abs(ToInexact(a)), Abs(ToInexact(b)));
        var large = Maximum(x, y);
        var small = Minimum(x, y);
        var safe = Where(Equal(large, 0), 1, large);
        var ratio = Divide(small, safe);
        return Where(Equal(large, 0), large, Multiply(large, Sqrt(Add(1, Multiply(ratio, ratio)))));
    }

    /// <summary>The magnitude of <paramref name="a"/> with the sign of <paramref name="b"/> elementwise (the sign bit, so -0.0 counts as negative).</summary>
    public static Tensor Copysign(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        var (x, y) = Promote(ToInexact(a), ToInexact(b));
        return Where(Signbit(y), Negative(Abs(x)), Abs(x));
    }

    /// <summary>Whether the sign bit is set elementwise: true for negative numbers and -0.0.</summary>
    public static Tensor Signbit(Tensor x)
    {
        NotNull(x);
        if (!x.DType.IsFloat()) return Less(x, 0);
        // 1 / -0.0 is -inf: it tells -0.0 from 0.0
        return LogicalOr(Less(x, 0), LogicalAnd(Equal(x, 0), Less(Divide(1, x), 0)));
    }

    /// <summary>The Heaviside step: 0 for x &lt; 0, <paramref name="h0"/> at 0, 1 for x &gt; 0 (NaN stays NaN).</summary>
    public static Tensor Heaviside(Tensor x, Tensor h0)
    {
        NotNull(x);
        NotNull(h0);
        var (xf, h) = Promote(ToInexact(x), ToInexact(h0));
        return Where(Equal(xf, 0), h, Where(Greater(xf, 0), OnesLike(xf), Where(IsNan(xf), xf, ZerosLike(xf))));
    }

    /// <summary>The normalized sinc, <c>sin(πx) / (πx)</c>, with 1 at 0 (and a zero derivative there).</summary>
    public static Tensor Sinc(Tensor x)
    {
        NotNull(x);
        var xf = ToInexact(x);
        var isZero = Equal(xf, 0);
        var pix = Multiply(Math.PI, Where(isZero, OnesLike(xf), xf));
        return Where(isZero, OnesLike(xf), Divide(Sin(pix), pix));
    }

    /// <summary>Degrees to radians elementwise, <c>x π / 180</c>.</summary>
    public static Tensor Deg2rad(Tensor x) => Multiply(ToInexact(NotNull(x)), Math.PI / 180);

    /// <summary>Radians to degrees elementwise, <c>x 180 / π</c>.</summary>
    public static Tensor Rad2deg(Tensor x) => Multiply(ToInexact(NotNull(x)), 180 / Math.PI);

    /// <summary>Degrees to radians; the same as <see cref="Deg2rad"/>.</summary>
    public static Tensor Radians(Tensor x) => Deg2rad(NotNull(x));

    /// <summary>Radians to degrees; the same as <see cref="Rad2deg"/>.</summary>
    public static Tensor Degrees(Tensor x) => Rad2deg(NotNull(x));

    /// <summary>|x| as a float elementwise (integers become float32).</summary>
    public static Tensor Fabs(Tensor x) => Abs(ToInexact(NotNull(x)));

    /// <summary>The integer part, rounded toward zero, elementwise; integers are returned as they are.</summary>
    public static Tensor Trunc(Tensor x)
    {
        NotNull(x);
        if (!x.DType.IsFloat()) return x;
        return Where(Less(x, 0), Ceil(x), Floor(x));
    }

    /// <summary>Rounds to the nearest integer, halves to even (as numpy's rint).</summary>
    public static Tensor Rint(Tensor x) => Round(NotNull(x));

    /// <summary>Rounds to <paramref name="decimals"/> places, halves to even; the same as <see cref="Round(Tensor, int)"/>.</summary>
    public static Tensor Around(Tensor x, int decimals = 0) => Round(NotNull(x), decimals);

    /// <summary>The larger of a and b elementwise, ignoring NaN (NaN only where both are NaN).</summary>
    public static Tensor Fmax(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        var (x, y) = Promote(a, b);
        return Where(IsNan(x), y, Where(IsNan(y), x, Maximum(x, y)));
    }

    /// <summary>The smaller of a and b elementwise, ignoring NaN (NaN only where both are NaN).</summary>
    public static Tensor Fmin(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        var (x, y) = Promote(a, b);
        return Where(IsNan(x), y, Where(IsNan(y), x, Minimum(x, y)));
    }

    /// <summary>The C-style remainder elementwise: it has the sign of the dividend <paramref name="a"/> (Remainder has the divisor's).</summary>
    public static Tensor Fmod(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        var (x, y) = Promote(a, b);
        return Lax.Rem(x, y);
    }

    /// <summary>The fractional and integral parts elementwise, both with the sign of x.</summary>
    public static (Tensor Fractional, Tensor Integral) Modf(Tensor x)
    {
        NotNull(x);
        var integral = Trunc(ToInexact(x));
        return (Subtract(ToInexact(x), integral), integral);
    }

    /// <summary><c>(floor(a / b), a mod b)</c> elementwise, as Python's divmod.</summary>
    public static (Tensor Quotient, Tensor Remainder) Divmod(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        return (FloorDivide(a, b), Remainder(a, b));
    }

    /// <summary><c>x · 2^e</c> elementwise.</summary>
    public static Tensor Ldexp(Tensor x, Tensor e)
    {
        NotNull(x);
        NotNull(e);
        return Multiply(ToInexact(x), Exp2(AsType(e, ToInexact(x).DType)));
    }

    /// <summary><c>a^b</c> computed in floating point (integers become float32).</summary>
    public static Tensor FloatPower(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        return Power(ToInexact(a), ToInexact(b));
    }

    /// <summary><c>a^b</c> elementwise; the same as <see cref="Power"/> (numpy 2's name).</summary>
    public static Tensor Pow(Tensor a, Tensor b) => Power(NotNull(a), NotNull(b));

    /// <summary><c>+x</c>: x itself.</summary>
    public static Tensor Positive(Tensor x) => NotNull(x);

    /// <summary>Whether x is -inf elementwise.</summary>
    public static Tensor Isneginf(Tensor x) => LogicalAnd(IsInf(NotNull(x)), Less(x, 0));

    /// <summary>Whether x is +inf elementwise.</summary>
    public static Tensor Isposinf(Tensor x) => LogicalAnd(IsInf(NotNull(x)), Greater(x, 0));

    /// <summary>
    /// x with NaN replaced by <paramref name="nan"/>, +inf by <paramref name="posinf"/> and -inf by
    /// <paramref name="neginf"/> (by default the dtype's largest and smallest finite values).
    /// </summary>
    public static Tensor NanToNum(Tensor x, double nan = 0.0, double? posinf = null, double? neginf = null)
    {
        NotNull(x);
        if (!x.DType.IsFloat()) return x;
        var largest = x.DType == DType.Float32 ? float.MaxValue : double.MaxValue;
        var replaced = Where(IsNan(x), nan, x);
        replaced = Where(Isposinf(x), posinf ?? largest, replaced);
        return Where(Isneginf(x), neginf ?? -largest, replaced);
    }

    /// <summary>
    /// Whether <c>|a - b| &lt;= atol + rtol |b|</c> elementwise (infinities equal only to themselves;
    /// NaN equal to NaN only with <paramref name="equalNan"/>).
    /// </summary>
    /// <example><c>Np.Isclose(x, y, rtol: 1e-5, atol: 1e-8)</c></example>
    public static Tensor Isclose(Tensor a, Tensor b, double rtol = 1e-5, double atol = 1e-8, bool equalNan = false)
    {
        NotNull(a);
        NotNull(b);
        var (x, y) = Promote(a, b);
        if (!x.DType.IsFloat()) return Equal(x, y);
        var finite = LogicalAnd(IsFinite(x), IsFinite(y));
        var near = LessEqual(Abs(Subtract(x, y)), Add(atol, Multiply(rtol, Abs(y))));
        var close = Where(finite, near, Equal(x, y));
        return equalNan ? LogicalOr(close, LogicalAnd(IsNan(x), IsNan(y))) : close;
    }

    /// <summary>Whether every element of a and b is close (see <see cref="Isclose"/>): a bool scalar.</summary>
    public static Tensor Allclose(Tensor a, Tensor b, double rtol = 1e-5, double atol = 1e-8, bool equalNan = false) =>
        All(Isclose(NotNull(a), NotNull(b), rtol, atol, equalNan));

    /// <summary>Whether a and b have the same shape and elements: a bool scalar (false for different shapes).</summary>
    public static Tensor ArrayEqual(Tensor a, Tensor b, bool equalNan = false)
    {
        NotNull(a);
        NotNull(b);
        if (a.Shape != b.Shape) return Tensor.Scalar(false);
        var equal = Equal(a, b);
        return All(equalNan && a.DType.IsFloat() ? LogicalOr(equal, LogicalAnd(IsNan(a), IsNan(b))) : equal);
    }

    /// <summary>Whether a and b broadcast to each other and are equal elementwise: a bool scalar.</summary>
    public static Tensor ArrayEquiv(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        var (ra, rb) = (a.Rank, b.Rank);
        for (var i = 1; i <= Math.Min(ra, rb); i++)
        {
            int da = a.Shape[ra - i], db = b.Shape[rb - i];
            if (da != db && da != 1 && db != 1) return Tensor.Scalar(false);
        }
        return All(Equal(a, b));
    }

    /// <summary>Bitwise not; the same as <see cref="Invert"/> (numpy 2's name).</summary>
    public static Tensor BitwiseInvert(Tensor x) => Invert(NotNull(x));
}
