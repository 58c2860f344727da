using System.Linq.Expressions;
using JaxSharp.Primitives;

namespace JaxSharp.Cpu;

/// <summary>
/// float32 exp, expm1, log, tanh, logistic, erf, sin and cos, and float64 exp, expm1, log, tanh,
/// logistic, sin and cos, on vectors (<c>Vector512&lt;float&gt;</c>, <c>Vector256&lt;float&gt;</c> or
/// <c>Vector128&lt;float&gt;</c>, and the same of double), as expression trees that fused loops inline: polynomial and
/// rational approximations in the lanes' own arithmetic, accurate to a few ulp over the whole
/// range, with ±inf, NaN and subnormals handled as <see cref="MathF"/> and <see cref="Math"/> do.
/// (<c>Vector512.Exp</c> widens to double and is about twice as slow.) Each builder takes and
/// returns an expression of the vector type.
/// </summary>
public static partial class SimdMath
{
    /// <summary>
    /// e^x: x = n ln2 + r with |r| &lt;= ln2 / 2, e^r by a degree-7 polynomial (Cephes), then
    /// e^r 2^n with one rounding, so that subnormal results round once: one <c>vscalefps</c> where
    /// the CPU has AVX-512, else 2^n in two exact steps. float64 lanes: see <see cref="ExpFloat64(Expression)"/>.
    /// </summary>
    public static Expression Exp(Expression x)
    {
        if (VectorExpressions.ElementType(x.Type) == typeof(double)) return ExpFloat64(x);
        var b = new Builder(x.Type);
        return b.Result(b.Exp(x, 89.0));
    }

    /// <summary>
    /// e^x - 1: x = n ln2 + r as for <see cref="Exp"/>, p = e^r - 1 = r (1 + r Q(r)) by its
    /// Taylor series to r^8, then 2^n p + (2^n - 1), which is exact enough near 0 (n = 0 gives p
    /// itself). With AVX-512 that is 2 (h p + (h - 1/2)) for h = 2^(n-1) from <c>vscalefps</c>,
    /// which stays finite up to the overflow threshold, and |x| &lt; 2^-25 gives x; else, for
    /// |n| &gt; 64, (p + 1) 2^n - 1 in two exact scaling steps. float64 lanes: see <see cref="Expm1Float64"/>.
    /// </summary>
    public static Expression Expm1(Expression x)
    {
        if (VectorExpressions.ElementType(x.Type) == typeof(double)) return Expm1Float64(x);
        var b = new Builder(x.Type);
        x = b.Atom(x);
        var (n, r) = b.Reduce(x, 89.0);
        var q = b.Horner(r, 1.0 / 40320, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 1.0 / 2);
        var p = b.Let(Expression.Multiply(r, b.Fma(r, q, b.C(1.0))));
        if (VectorExpressions.CallAvx512F("Scale", b.C(0.5), n) is { } scaled)
        {
            // A NaN x is a NaN n here, so NaN comes through; tiny x (±0, subnormals) are their own expm1.
            var h = b.Let(scaled);
            var twice = Expression.Multiply(b.Fma(h, p, Expression.Subtract(h, b.C(0.5))), b.C(2.0));
            return b.Result(b.Call("ConditionalSelect", b.Call("LessThan", b.Call("Abs", x), b.C(0.5 / (1 << 24))), x, twice));
        }
        var ni = b.Let(b.Call("ConvertToInt32Native", n));
        var s = b.Let(b.PowerOfTwo(b.Call("Min", b.Call("Max", ni, b.I(-64)), b.I(64))));
        var near = b.Fma(s, p, Expression.Subtract(s, b.C(1.0)));
        var n1 = b.Let(b.Call("ShiftRightArithmetic", ni, Expression.Constant(1)));
        var far = Expression.Subtract(
            Expression.Multiply(Expression.Multiply(Expression.Add(p, b.C(1.0)), b.PowerOfTwo(n1)), b.PowerOfTwo(Expression.Subtract(ni, n1))), b.C(1.0));
        var result = b.Let(b.Call("ConditionalSelect", b.Call("LessThanOrEqual", b.Call("Abs", n), b.C(64.0)), near, far));
        var keep = b.Call("BitwiseOr", b.Call("Equals", x, b.C(0.0)), b.Call("OnesComplement", b.Call("Equals", x, x)));
        return b.Result(b.Call("ConditionalSelect", keep, x, result));
    }

    /// <summary>log x: x = m 2^e with m in [sqrt(1/2), sqrt(2)), log m by a polynomial in m - 1 (Cephes); subnormals scaled first; log 0 = -inf, log of a negative or NaN is NaN. float64 lanes: see <see cref="LogFloat64"/>.</summary>
    public static Expression Log(Expression x)
    {
        if (VectorExpressions.ElementType(x.Type) == typeof(double)) return LogFloat64(x);
        var b = new Builder(x.Type);
        var subnormal = b.Let(b.Call("LessThan", x, b.C(1.17549435e-38)));
        var scaled = b.Let(b.Call("ConditionalSelect", subnormal, Expression.Multiply(x, b.C(8388608.0)), x));
        var bits = b.Let(b.AsInt(scaled));
        var exponent = b.Let(b.Call("ConvertToSingle", Expression.Subtract(
            Expression.And(b.Call("ShiftRightLogical", bits, Expression.Constant(23)), b.I(0xff)), b.I(126))));
        var m = b.Let(b.AsFloat(Expression.Or(Expression.And(bits, b.I(unchecked((int)0x807fffff))), b.I(0x3f000000))));
        var small = b.Let(b.Call("LessThan", m, b.C(0.707106781186547524)));
        var e = b.Let(Expression.Subtract(
            Expression.Subtract(exponent, b.Call("ConditionalSelect", subnormal, b.C(23.0), b.C(0.0))),
            b.Call("ConditionalSelect", small, b.C(1.0), b.C(0.0))));
        var f = b.Let(Expression.Subtract(b.Call("ConditionalSelect", small, Expression.Add(m, m), m), b.C(1.0)));
        var z = b.Let(Expression.Multiply(f, f));
        var p = b.Horner(f, 7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1, 1.4249322787E-1,
            -1.6668057665E-1, 2.0000714765E-1, -2.4999993993E-1, 3.3333331174E-1);
        var y = b.Let(Expression.Multiply(Expression.Multiply(p, f), z));
        y = b.Let(b.Fma(e, b.C(-2.12194440e-4), y));
        y = b.Let(b.Fma(z, b.C(-0.5), y));
        var r = b.Let(b.Fma(e, b.C(0.693359375), Expression.Add(f, y)));
        r = b.Let(b.Call("ConditionalSelect", b.Call("Equals", x, b.C(double.PositiveInfinity)), x, r));
        r = b.Let(b.Call("ConditionalSelect", b.Call("Equals", x, b.C(0.0)), b.C(double.NegativeInfinity), r));
        var invalid = b.Call("BitwiseOr", b.Call("LessThan", x, b.C(0.0)), b.Call("OnesComplement", b.Call("Equals", x, x)));
        return b.Result(b.Call("ConditionalSelect", invalid, b.C(double.NaN), r));
    }

    /// <summary>tanh x: an odd polynomial for |x| &lt; 0.625 (Cephes), else 1 - 2 / (e^2|x| + 1) with the sign of x. float64 lanes: see <see cref="TanhFloat64"/>.</summary>
    public static Expression Tanh(Expression x)
    {
        if (VectorExpressions.ElementType(x.Type) == typeof(double)) return TanhFloat64(x);
        var b = new Builder(x.Type);
        var a = b.Let(b.Call("Abs", x));
        var z = b.Let(Expression.Multiply(x, x));
        var p = b.Horner(z, -5.70498872745E-3, 2.06390887954E-2, -5.37397155531E-2, 1.33314422036E-1, -3.33332819422E-1);
        var small = b.Let(b.Fma(Expression.Multiply(p, z), x, x));
        var s = b.Let(b.Exp(Expression.Add(a, a), 89.0));
        var large = b.Let(Expression.Subtract(b.C(1.0), Expression.Divide(b.C(2.0), Expression.Add(s, b.C(1.0)))));
        var magnitude = b.Call("ConditionalSelect", b.Call("LessThan", a, b.C(0.625)), small, large);
        // tanh is odd: x's sign bit on every result, so tanh(-0) = -0 as well.
        return b.Result(b.AsFloat(Expression.Or(b.AsInt(magnitude), Expression.And(b.AsInt(x), b.I(int.MinValue)))));
    }

    /// <summary>
    /// The logistic sigmoid as e / (1 + e) with e = e^min(x, 20) (the sigmoid of 20 rounds to 1):
    /// accurate in both tails, one rounding in the quotient and no select. (A 14-bit reciprocal
    /// with a Newton step on the quotient was as accurate but slower than <c>vdivps</c> on a
    /// Sapphire Rapids-class Xeon: the divider runs beside the other ports.) float64 lanes: see
    /// <see cref="LogisticFloat64"/>.
    /// </summary>
    public static Expression Logistic(Expression x)
    {
        if (VectorExpressions.ElementType(x.Type) == typeof(double)) return LogisticFloat64(x);
        var b = new Builder(x.Type);
        var e = b.Let(b.Exp(x, 20.0));
        return b.Result(Expression.Divide(e, Expression.Add(b.C(1.0), e)));
    }

    /// <summary>erf x: XLA's float32 rational approximation (<see cref="SpecialFunctions.Erf(float)"/>), x (P(x^2) / Q(x^2)) on [-4, 4] clamped to [-1, 1]; the quotient first, so that tiny x round once.</summary>
    public static Expression Erf(Expression x)
    {
        var b = new Builder(x.Type);
        var c = b.Let(b.Call("Min", b.Call("Max", x, b.C(-4.0)), b.C(4.0)));
        var x2 = b.Let(Expression.Multiply(c, c));
        var num = b.Horner(x2, SpecialFunctions.s_erfAlpha32.Select(v => (double)v).ToArray());
        var den = b.Horner(x2, SpecialFunctions.s_erfBeta32.Select(v => (double)v).ToArray());
        return b.Result(b.Call("Min", b.Call("Max", Expression.Multiply(c, Expression.Divide(num, den)), b.C(-1.0)), b.C(1.0)));
    }

    /// <summary>Collects the locals and assignments of one function's block.</summary>
    private sealed class Builder(Type vectorType)
    {
        private readonly Type _element = VectorExpressions.ElementType(vectorType);
        private readonly Type _intVector = VectorExpressions.WithElement(vectorType, IntegerOfSize(VectorExpressions.ElementType(vectorType)));
        private readonly List<ParameterExpression> _locals = [];
        private readonly List<Expression> _body = [];

        public ParameterExpression Let(Expression value)
        {
            var local = Expression.Variable(value.Type);
            _locals.Add(local);
            _body.Add(Expression.Assign(local, value));
            return local;
        }

        public Expression Result(Expression value) => Expression.Block(value.Type, _locals, [.. _body, value]);

        /// <summary>Whether the lanes are float64.</summary>
        public bool IsDouble => _element == typeof(double);

        /// <summary>A vector of <paramref name="value"/>, rounded to the lane type.</summary>
        public Expression C(double value) =>
            VectorExpressions.Broadcast(IsDouble ? Expression.Constant(value) : Expression.Constant((float)value), vectorType);

        /// <summary>A vector of integer lanes as wide as the float lanes (int or long), each <paramref name="value"/> (truncated to int for float32).</summary>
        public Expression I(long value) =>
            VectorExpressions.Broadcast(IsDouble ? Expression.Constant(value) : Expression.Constant(unchecked((int)value)), _intVector);

        public Expression Call(string name, params Expression[] args) => VectorExpressions.Call(name, args);

        public Expression Fma(Expression a, Expression b, Expression c) => Call("FusedMultiplyAdd", a, b, c);

        /// <summary>((c0 t + c1) t + ...) + cn, with fused multiply-adds.</summary>
        public Expression Horner(Expression t, params double[] coefficients)
        {
            var p = C(coefficients[0]);
            for (var k = 1; k < coefficients.Length; k++) p = Let(Fma(p, t, C(coefficients[k]))); // not LINQ's Skip over double, JIT-compiled in every process
            return p;
        }

        /// <summary><paramref name="value"/> itself when it is a variable, else a new local holding it, so that it is computed once.</summary>
        public Expression Atom(Expression value) => value as ParameterExpression ?? Let(value);

        /// <summary>
        /// x = n ln2 + r with n integral and |r| &lt;= ln2 / 2 (ln2 in two parts, Cephes), x first
        /// clamped to [-104, <paramref name="upper"/>] with the native min and max, the bound
        /// first: x86's min and max give their second operand when one is NaN, so that a NaN x
        /// gives a NaN n and r there (callers that convert n to integers pass NaN through
        /// themselves).
        /// </summary>
        public (ParameterExpression N, ParameterExpression R) Reduce(Expression x, double upper)
        {
            var clamped = Let(Call("MinNative", C(upper), Call("MaxNative", C(-104.0), x)));
            var n = Let(Call("Round", Expression.Multiply(clamped, C(1.44269504088896341))));
            var r = Let(Fma(n, C(-0.693359375), clamped));
            return (n, Let(Fma(n, C(2.12194440e-4), r)));
        }

        /// <summary>e^min(x, <paramref name="upper"/>) (see <see cref="SimdMath.Exp"/>); NaN gives NaN.</summary>
        public Expression Exp(Expression x, double upper)
        {
            x = Atom(x);
            var (n, r) = Reduce(x, upper);
            var p = Horner(r, 1.9875691500E-4, 1.3981999507E-3, 8.3334519073E-3, 4.1665795894E-2, 1.6666665459E-1, 5.0000001201E-1);
            var y = Let(Expression.Add(Fma(p, Expression.Multiply(r, r), r), C(1.0)));
            // vscalefps: y 2^n rounded once, to inf or a subnormal or 0 as the result needs; a NaN x is a NaN n.
            if (VectorExpressions.CallAvx512F("Scale", y, n) is { } scaled) return scaled;
            var ni = Let(Call("ConvertToInt32Native", n));
            var n1 = Let(Call("ShiftRightArithmetic", ni, Expression.Constant(1)));
            var n2 = Expression.Subtract(ni, n1);
            var result = Expression.Multiply(Expression.Multiply(y, PowerOfTwo(n1)), PowerOfTwo(n2));
            return Call("ConditionalSelect", Call("Equals", x, x), result, x);
        }

        /// <summary>The same bits as integer lanes of the float lanes' size.</summary>
        public Expression AsInt(Expression v) => VectorExpressions.Reinterpret(v, IntegerOfSize(_element));

        /// <summary>The same bits as float lanes (float or double, as the builder's vector type).</summary>
        public Expression AsFloat(Expression v) => VectorExpressions.Reinterpret(v, _element);

        /// <summary>
        /// 2^n for float64 lanes holding integers n in [-1022, 1023], built in the exponent bits:
        /// n + 1.5 2^52 + 1023 holds n + 1023 in its low bits, which a shift by 52 moves into the exponent.
        /// </summary>
        public Expression PowerOfTwoFloat64(Expression n) =>
            AsFloat(Call("ShiftLeft", AsInt(Expression.Add(n, C(6755399441056767.0))), Expression.Constant(52)));

        private static Type IntegerOfSize(Type element) => element == typeof(double) ? typeof(long) : typeof(int);

        /// <summary>2^n for n in [-126, 127], built in the exponent bits.</summary>
        public Expression PowerOfTwo(Expression n) =>
            AsFloat(Call("ShiftLeft", Expression.Add(n, I(127)), Expression.Constant(23)));
    }
}
