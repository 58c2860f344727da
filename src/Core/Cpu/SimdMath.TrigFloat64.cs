using System.Linq.Expressions;

namespace JaxSharp.Cpu;

public static partial class SimdMath
{
    /// <summary>
    /// Beyond this |x|, float64 lanes go through <see cref="Math"/>: below it, k &lt; 2^20 and
    /// the first two parts of pi/2 have 23 and 21 bits, so that |x| less k times them is exact.
    /// </summary>
    private const double TrigReductionLimitFloat64 = 1048576.0;

    /// <summary>
    /// float64 sin x or cos x (Cephes sin and cos): |x| = k pi/2 + r with k = round(|x| 2/pi)
    /// and |r| &lt;= pi/4, pi/2 in Cephes' three parts and a fourth, their remainder (4.2e-32 of
    /// pi/4, k times which Cephes drops: thousands of ulp where x lies near a multiple of pi/2
    /// and the result is tiny, 25533 at x = 29 pi), then sin r = r + r z P(z) or cos r = 1 - z/2 +
    /// z^2 Q(z) for z = r^2 by k's quadrant. The quadrant bits come from k + 1.5 2^52, whose low
    /// mantissa bits hold k, without a conversion to integers. A vector with a lane beyond |x| =
    /// 2^20 (or infinite) is computed lane by lane with <see cref="Math.Sin"/> or <see cref="Math.Cos"/>.
    /// </summary>
    private static Expression TrigFloat64(Expression x, bool sine)
    {
        var b = new Builder(x.Type);
        var a = b.Let(b.Call("Abs", x));
        var k = b.Let(b.Call("Round", Expression.Multiply(a, b.C(0.63661977236758134308))));
        var r = b.Let(b.Fma(k, b.C(-2 * 7.85398125648498535156E-1), a));
        r = b.Let(b.Fma(k, b.C(-2 * 3.77489470793079817668E-8), r));
        r = b.Let(b.Fma(k, b.C(-2 * 2.69515142907905952645E-15), r));
        r = b.Let(b.Fma(k, b.C(-2 * 4.239213830184449821979E-32), r));
        var z = b.Let(Expression.Multiply(r, r));
        var sinPoly = b.Fma(Expression.Multiply(b.Horner(z, 1.58962301576546568060E-10, -2.50507477628578072866E-8,
            2.75573136213857245213E-6, -1.98412698295895385996E-4, 8.33333333332211858878E-3, -1.66666666666666307295E-1), z), r, r);
        var cosPoly = b.Fma(Expression.Multiply(b.Horner(z, -1.13585365213876817300E-11, 2.08757008419747316778E-9,
            -2.75573141792967388112E-7, 2.48015872888517045348E-5, -1.38888888888730564116E-3, 4.16666666666665929218E-2), z), z,
            b.Fma(z, b.C(-0.5), b.C(1.0)));
        var quadrant = b.Let(b.AsInt(Expression.Add(k, b.C(6755399441056768.0))));
        return TrigResult(b, x, a, quadrant, sinPoly, cosPoly, sine, TrigReductionLimitFloat64, sine ? (Func<double, double>)Math.Sin : Math.Cos);
    }
}
