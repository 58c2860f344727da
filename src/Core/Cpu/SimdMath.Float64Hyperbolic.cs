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
}
