using System.Linq.Expressions;

namespace JaxSharp.Cpu;

public static partial class SimdMath
{
    /// <summary>
    /// float64 logistic sigmoid as e / (1 + e) with e = e^min(x, 40) (<see cref="ExpFloat64(Expression)"/>):
    /// 1 - sigmoid(x) is about e^-x, under half an ulp of 1 (2^-54) from x = 54 ln2 = 37.4, and
    /// above 2^53 1 + e rounds to e, so the quotient is exactly 1 there. Below -709.8 e is
    /// subnormal or 0 and the quotient e itself.
    /// </summary>
    private static Expression LogisticFloat64(Expression x)
    {
        var b = new Builder(x.Type);
        var e = b.Let(ExpFloat64(b, x, 40.0));
        return b.Result(Expression.Divide(e, Expression.Add(b.C(1.0), e)));
    }

    /// <summary>
    /// float64 tanh (Cephes tanh): x + x z P(z) / Q(z) with z = x^2 for |x| &lt; 0.625, else
    /// 1 - 2 / (e^min(2|x|, 40) + 1) (tanh rounds to 1 from |x| = 19.1); x's sign bit on every
    /// result, so tanh(-0) = -0, and NaN comes through both branches.
    /// </summary>
    private static Expression TanhFloat64(Expression x)
    {
        var b = new Builder(x.Type);
        x = b.Atom(x);
        var a = b.Let(b.Call("Abs", x));
        var z = b.Let(Expression.Multiply(x, x));
        var p = b.Horner(z, -9.64399179425052238628E-1, -9.92877231001918586564E1, -1.61468768441708447952E3);
        var q = b.Horner(z, 1.0, 1.12811678491632931402E2, 2.23548839060100448583E3, 4.84406305325125486048E3);
        var small = b.Let(b.Fma(Expression.Multiply(z, Expression.Divide(p, q)), x, x));
        var s = b.Let(ExpFloat64(b, Expression.Add(a, a), 40.0));
        var large = b.Let(Expression.Subtract(b.C(1.0), Expression.Divide(b.C(2.0), Expression.Add(s, b.C(1.0)))));
        var magnitude = b.Call("ConditionalSelect", b.Call("LessThan", a, b.C(0.625)), small, large);
        return b.Result(b.AsFloat(Expression.Or(b.AsInt(magnitude), Expression.And(b.AsInt(x), b.I(long.MinValue)))));
    }

    /// <summary>
    /// float64 e^x - 1 (Cephes expm1): for |x| &lt;= 1/2, with z = x^2, P(z) = 1 + z p(z), Q(z) =
    /// 2 + z q(z) and r = x P(z), e^x - 1 = 2 r / (Q(z) - r), evaluated as x + (x z p(z) + c) with
    /// c = r (r - z q(z)) / (Q(z) - r): Cephes' own quotient rounds Q - r near 2 and was 3 ulp off
    /// (at x = -1.8e-6), and this sums the small parts before one rounding with x. Else e^x - 1 by
    /// <see cref="ExpFloat64(Expression)"/> (inf for large x, -1 for -inf, NaN for NaN). |x| &lt;
    /// 2^-54 (±0 and subnormals included) gives x, which e^x - 1 rounds to there, with its sign.
    /// </summary>
    private static Expression Expm1Float64(Expression x)
    {
        var b = new Builder(x.Type);
        x = b.Atom(x);
        var a = b.Let(b.Call("Abs", x));
        var z = b.Let(Expression.Multiply(x, x));
        var d = b.Let(Expression.Multiply(Expression.Multiply(x, z), b.Horner(z, 1.2617719307481059087798E-4, 3.0299440770744196129956E-2)));
        var zq = b.Let(Expression.Multiply(z, b.Horner(z, 3.0019850513866445504159E-6, 2.5244834034968410419224E-3, 2.2726554820815502876593E-1)));
        var r = b.Let(Expression.Add(x, d));
        var c = Expression.Divide(Expression.Multiply(r, Expression.Subtract(r, zq)), Expression.Subtract(Expression.Add(b.C(2.0), zq), r));
        var sum = Expression.Add(x, Expression.Add(d, c));
        var small = b.Call("ConditionalSelect", b.Call("LessThan", a, b.C(5.551115123125783e-17)), x, sum);
        var large = Expression.Subtract(ExpFloat64(b, x, 710.0), b.C(1.0));
        return b.Result(b.Call("ConditionalSelect", b.Call("LessThanOrEqual", a, b.C(0.5)), small, large));
    }
}
