using System.Linq.Expressions;
using System.Runtime.Intrinsics;

namespace JaxSharp.Cpu;

public static partial class SimdMath
{
    /// <summary>Beyond this |x|, the three-part reduction by pi/4 loses bits: such lanes go through <see cref="MathF"/>.</summary>
    private const double TrigReductionLimit = 8192.0;

    /// <summary>
    /// sin x: x = j pi/4 + r with j even and |r| &lt;= pi/4 (r computed in float64),
    /// then the sine or cosine polynomial of r by j's quadrant. A vector with a lane beyond
    /// |x| = 8192 (or infinite) is computed lane by lane with <see cref="MathF.Sin"/>. float64
    /// lanes: see <see cref="TrigFloat64"/>. <c>Vector256</c> lanes call
    /// <see cref="PrecompiledTrig"/>'s method, the same steps compiled once; other widths inline the tree.
    /// </summary>
    public static Expression Sin(Expression x) => PrecompiledTrig.Call(x, sine: true) ?? Trig(x, sine: true);

    /// <summary>cos x: as <see cref="Sin"/>, shifted by one quadrant (Cephes cosf).</summary>
    public static Expression Cos(Expression x) => PrecompiledTrig.Call(x, sine: false) ?? Trig(x, sine: false);

    /// <summary>sin or cos as an expression tree of <paramref name="x"/>'s vector type, for inlining (the tests compare <see cref="PrecompiledTrig"/> with it).</summary>
    internal static Expression Trig(Expression x, bool sine)
    {
        if (VectorExpressions.ElementType(x.Type) == typeof(double)) return TrigFloat64(x, sine);
        var b = new Builder(x.Type);
        var a = b.Let(b.Call("Abs", x));
        var j = b.Let(b.Call("ConvertToInt32Native", Expression.Multiply(a, b.C(1.27323954473516))));
        j = b.Let(Expression.And(Expression.Add(j, b.I(1)), b.I(~1)));
        // |x| - (j/2) pi/2 in float64, with pi/2 in two parts (fdlibm's pio2_1, 33 bits, and
        // pio2_1t): j/2 < 2^13 times the first is exact, so r is right to float64 precision even
        // where the sine is tiny, near a multiple of pi. (Three or four float parts of pi/4 left
        // errors of hundreds, then tens, of ulp there.)
        var k = b.Let(Expression.Multiply(b.Call("ConvertToSingle", j), b.C(0.5)));
        Expression Reduce(string half)
        {
            var (wideA, wideK) = (b.Let(b.Call(half, a)), b.Let(b.Call(half, k)));
            var wide = b.Let(b.Fma(wideK, VectorExpressions.Constant(-1.57079632673412561417, wideA), wideA));
            return b.Fma(wideK, VectorExpressions.Constant(-6.07710050650619224932e-11, wideA), wide);
        }
        var r = b.Let(b.Call("Narrow", Reduce("WidenLower"), Reduce("WidenUpper")));
        var z = b.Let(Expression.Multiply(r, r));
        var sinPoly = b.Fma(Expression.Multiply(b.Horner(z, -1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1), z), r, r);
        var cosPoly = b.Fma(Expression.Multiply(b.Horner(z, 2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2), z), z,
            b.Fma(z, b.C(-0.5), b.C(1.0)));
        return TrigResult(b, x, a, b.Let(Expression.RightShift(j, Expression.Constant(1))), sinPoly, cosPoly, sine,
            TrigReductionLimit, sine ? (Func<float, float>)MathF.Sin : MathF.Cos);
    }

    /// <summary>
    /// The end of sin and cos for either lane type, given k (the multiple of pi/2 taken off |x|,
    /// as integer lanes) and both polynomials of the remainder: odd k swaps the polynomials; sin is
    /// odd and negative for k = 2, 3 (mod 4), cos is even and negative for k = 1, 2. A vector with
    /// a lane beyond <paramref name="limit"/> (or infinite) goes lane by lane through <paramref name="scalar"/>.
    /// </summary>
    private static Expression TrigResult(Builder b, Expression x, Expression a, Expression k, Expression sinPoly, Expression cosPoly,
        bool sine, double limit, Delegate scalar)
    {
        var odd = b.Let(b.AsFloat(b.Call("Equals", Expression.And(k, b.I(1)), b.I(1))));
        var value = b.Let(b.Call("ConditionalSelect", odd, sine ? cosPoly : sinPoly, sine ? sinPoly : cosPoly));
        var negative = Expression.And(sine ? k : Expression.Add(k, b.I(1)), b.I(2));
        var signBit = Expression.LeftShift(negative, Expression.Constant(8 * VectorExpressions.LaneSize(x.Type) - 2));
        if (sine) signBit = Expression.ExclusiveOr(signBit, Expression.And(b.AsInt(x), b.I(b.IsDouble ? long.MinValue : int.MinValue)));
        var vector = b.Let(b.AsFloat(Expression.ExclusiveOr(b.AsInt(value), signBit)));
        var far = b.Call("GreaterThanAny", a, b.C(limit));
        var lanes = Expression.Call(typeof(ScalarLanes).GetMethod(nameof(ScalarLanes.Map), [x.Type, scalar.GetType()])!, x, Expression.Constant(scalar));
        return b.Result(Expression.Condition(far, lanes, vector));
    }
}
