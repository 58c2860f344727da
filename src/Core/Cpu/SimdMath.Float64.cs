using System.Linq.Expressions;

namespace JaxSharp.Cpu;

public static partial class SimdMath
{
    /// <summary>
    /// float64 e^x (Cephes exp): x clamped to [-746, 710], x = n ln2 + r with |r| &lt;= ln2 / 2
    /// (ln2 in two parts), e^r = 1 + r + r^2 q(r) by its Taylor series to r^13 (truncation
    /// error under 0.05 ulp), then e^r 2^n with one rounding: one <c>vscalefpd</c> where the CPU
    /// has AVX-512, else 2^n in two exact steps, built in the exponent bits without a conversion
    /// to integers. A NaN x is a NaN n, so NaN comes through.
    /// </summary>
    private static Expression ExpFloat64(Expression x)
    {
        var b = new Builder(x.Type);
        return b.Result(ExpFloat64(b, x, 710.0));
    }

    /// <summary>e^min(x, <paramref name="upper"/>) for float64 lanes, in <paramref name="b"/>'s block (see <see cref="ExpFloat64(Expression)"/>); NaN gives NaN.</summary>
    private static Expression ExpFloat64(Builder b, Expression x, double upper)
    {
        var clamped = b.Let(b.Call("MinNative", b.C(upper), b.Call("MaxNative", b.C(-746.0), x)));
        var n = b.Let(b.Call("Round", Expression.Multiply(clamped, b.C(1.4426950408889634))));
        var r = b.Let(b.Fma(n, b.C(-6.93145751953125E-1), clamped));
        r = b.Let(b.Fma(n, b.C(-1.42860682030941723212E-6), r));
        var q = b.Horner(r, Enumerable.Range(2, 12).Reverse().Select(k => 1.0 / Factorial(k)).ToArray());
        var y = b.Let(Expression.Add(b.Fma(q, Expression.Multiply(r, r), r), b.C(1.0)));
        if (VectorExpressions.CallAvx512F("Scale", y, n) is { } scaled) return scaled;
        // n in [-1076, 1024]: halves of at least -538 keep each factor a normal power of two, and y 2^n1 is exact.
        var n1 = b.Let(b.Call("Floor", Expression.Multiply(n, b.C(0.5))));
        return Expression.Multiply(Expression.Multiply(y, b.PowerOfTwoFloat64(n1)), b.PowerOfTwoFloat64(Expression.Subtract(n, n1)));
    }

    /// <summary>
    /// float64 log x (Cephes log): x = m 2^e with m in [sqrt(1/2), sqrt(2)), log m = f - f^2 / 2
    /// + f^3 P(f) / Q(f) for f = m - 1, plus e ln2 with ln2 in two parts (<see cref="LogReduction"/>
    /// gives e and f). log 0 = -inf, log inf = inf, log of a negative or NaN is NaN.
    /// </summary>
    private static Expression LogFloat64(Expression x)
    {
        var b = new Builder(x.Type);
        var (e, f) = LogReduction(b, x);
        var z = b.Let(Expression.Multiply(f, f));
        var p = b.Horner(f, 1.01875663804580931796E-4, 4.97494994976747001425E-1, 4.70579119878881725854E0,
            1.44989225341610930846E1, 1.79368678507819816313E1, 7.70838733755885391666E0);
        var q = b.Horner(f, 1.0, 1.12873587189167450590E1, 4.52279145837532221105E1, 8.29875266912776603211E1,
            7.11544750618563894466E1, 2.31251620126765340583E1);
        var y = b.Let(Expression.Multiply(f, Expression.Divide(Expression.Multiply(z, p), q)));
        y = b.Let(b.Fma(e, b.C(-2.121944400546905827679e-4), y));
        y = b.Let(b.Fma(z, b.C(-0.5), y));
        var r = b.Let(b.Fma(e, b.C(0.693359375), Expression.Add(f, y)));
        r = b.Let(b.Call("ConditionalSelect", b.Call("Equals", x, b.C(double.PositiveInfinity)), x, r));
        r = b.Let(b.Call("ConditionalSelect", b.Call("Equals", x, b.C(0.0)), b.C(double.NegativeInfinity), r));
        var invalid = b.Call("BitwiseOr", b.Call("LessThan", x, b.C(0.0)), b.Call("OnesComplement", b.Call("Equals", x, x)));
        return b.Result(b.Call("ConditionalSelect", invalid, b.C(double.NaN), r));
    }

    /// <summary>
    /// e and f = m - 1 for a positive finite x = m 2^e, m in [sqrt(1/2), sqrt(2)) (other x give
    /// values that <see cref="LogFloat64"/> replaces). With AVX-512, <c>vgetmantpd</c> gives m' in
    /// [1, 2) and <c>vgetexppd</c> floor(log2 x), subnormals included, and g = floor(log2(m'
    /// sqrt(1/2))), -1 or 0, halves m' and raises e without a select. (The portable form below on
    /// <c>Vector512</c> took 3.8 ms instead of 1.1 for log of 1e6 float64 on one core of a Sapphire
    /// Rapids Xeon, all of it in the multiplications by its e; an e without the adjustments for
    /// subnormals and small m did not slow them, an e adjusted in integers did.) Else: subnormals
    /// scaled by 2^52, m from the mantissa bits and e from the exponent bits as the float64
    /// 2^52 + the biased exponent, less 2^52 + 1022, without a conversion from integers.
    /// </summary>
    private static (ParameterExpression E, ParameterExpression F) LogReduction(Builder b, Expression x)
    {
        if (VectorExpressions.CallAvx512F("GetMantissa", x, Expression.Constant((byte)0)) is { } mantissa)
        {
            var m1 = b.Let(mantissa);
            var g = b.Let(VectorExpressions.CallAvx512F("GetExponent", Expression.Multiply(m1, b.C(0.70710678118654752440)))!);
            var e1 = b.Let(Expression.Add(Expression.Add(VectorExpressions.CallAvx512F("GetExponent", x)!, g), b.C(1.0)));
            // m' (1/2 - g/2) - 1: a power-of-two scaling, then an exact subtraction.
            return (e1, b.Let(b.Fma(m1, b.Fma(g, b.C(-0.5), b.C(0.5)), b.C(-1.0))));
        }
        var subnormal = b.Let(b.Call("LessThan", x, b.C(2.2250738585072014e-308)));
        var scaled = b.Let(b.Call("ConditionalSelect", subnormal, Expression.Multiply(x, b.C(4503599627370496.0)), x));
        var bits = b.Let(b.AsInt(scaled));
        var biased = b.AsFloat(Expression.Or(b.Call("ShiftRightLogical", bits, Expression.Constant(52)), b.I(0x4330000000000000)));
        var exponent = b.Let(Expression.Subtract(biased, b.C(4503599627371518.0)));
        var m = b.Let(b.AsFloat(Expression.Or(Expression.And(bits, b.I(0x000fffffffffffff)), b.I(0x3fe0000000000000))));
        var small = b.Let(b.Call("LessThan", m, b.C(0.70710678118654752440)));
        var e = b.Let(Expression.Subtract(
            Expression.Subtract(exponent, b.Call("ConditionalSelect", subnormal, b.C(52.0), b.C(0.0))),
            b.Call("ConditionalSelect", small, b.C(1.0), b.C(0.0))));
        return (e, b.Let(Expression.Subtract(b.Call("ConditionalSelect", small, Expression.Add(m, m), m), b.C(1.0))));
    }

    private static double Factorial(int k) => Enumerable.Range(1, k).Aggregate(1.0, (p, i) => p * i);
}
