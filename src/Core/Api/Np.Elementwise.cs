using JaxSharp.Primitives;
using JaxSharp.Primitives.Elementwise;
using E = JaxSharp.Primitives.Elementwise;

namespace JaxSharp;

public static partial class Np
{
    /// <summary>Applies a binary primitive after promoting its arguments.</summary>
    internal static Tensor BinaryOp(Primitive primitive, Tensor a, Tensor b)
    {
        var (x, y) = Promote(a, b);
        return primitive.Bind(PrimitiveParams.None, x, y);
    }

    /// <summary>Applies a unary float primitive; integer and bool inputs are promoted to float32 first, as jnp does.</summary>
    internal static Tensor FloatOp(Primitive primitive, Tensor x) =>
        primitive.Bind(PrimitiveParams.None, ToInexact(x));

    /// <summary>Applies a binary float primitive after promoting both arguments to a float dtype (jnp's <c>promote_args_inexact</c>).</summary>
    internal static Tensor FloatBinaryOp(Primitive primitive, Tensor a, Tensor b)
    {
        var (x, y) = Promote(a, b);
        return primitive.Bind(PrimitiveParams.None, ToInexact(x), ToInexact(y));
    }

    /// <summary><paramref name="x"/> itself when float, else converted to float32 (keeping the weak flag).</summary>
    internal static Tensor ToInexact(Tensor x) => x.DType.IsFloat() ? x : Cast(x, x.IsWeaklyTyped ? DTypes.DefaultFloat : DType.Float32, x.IsWeaklyTyped);

    /// <summary>Promoted arguments, with bools as int32: for arithmetic that numpy does not define on bools.</summary>
    private static (Tensor, Tensor) PromoteNumeric(Tensor a, Tensor b)
    {
        var (x, y) = Promote(a, b);
        return x.DType == DType.Bool ? (Cast(x, DType.Int32), Cast(y, DType.Int32)) : (x, y);
    }

    // ---- arithmetic ----

    /// <summary><c>a + b</c> elementwise, with broadcasting and promotion; logical or of bools.</summary>
    /// <example><c>Np.Add(x, 1.0)</c> keeps x's float dtype.</example>
    public static Tensor Add(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        var (x, y) = Promote(a, b);
        return (x.DType == DType.Bool ? (Primitive)Or.Instance : E.Add.Instance).Bind(PrimitiveParams.None, x, y);
    }

    /// <summary><c>a - b</c> elementwise, with broadcasting and promotion.</summary>
    /// <exception cref="ArgumentException">Both are bool (numpy defines no bool subtraction).</exception>
    public static Tensor Subtract(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        var (x, y) = Promote(a, b);
        if (x.DType == DType.Bool)
            throw new ArgumentException("subtract: numpy does not subtract bool arrays; use LogicalXor (or BitwiseXor), or convert to int32 first with Np.AsType");
        return Sub.Instance.Bind(PrimitiveParams.None, x, y);
    }

    /// <summary><c>a * b</c> elementwise, with broadcasting and promotion; logical and of bools.</summary>
    public static Tensor Multiply(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        var (x, y) = Promote(a, b);
        return (x.DType == DType.Bool ? (Primitive)And.Instance : Mul.Instance).Bind(PrimitiveParams.None, x, y);
    }

    /// <summary>True division <c>a / b</c>: integers and bools give float32, as in JAX.</summary>
    /// <example><c>Np.Divide(Np.Array(new[] { 1, 2 }), 2)</c> is <c>[0.5, 1.0]</c> (float32).</example>
    public static Tensor Divide(Tensor a, Tensor b) => FloatBinaryOp(Div.Instance, NotNull(a), NotNull(b));

    /// <summary>True division; the same as <see cref="Divide"/>.</summary>
    public static Tensor TrueDivide(Tensor a, Tensor b) => Divide(NotNull(a), NotNull(b));

    /// <summary>
    /// <c>⌊a / b⌋</c> elementwise (Python's <c>//</c>): rounds toward -inf. Integers keep their
    /// dtype; floats follow jnp (<c>(a - a mod b) / b</c>, rounded).
    /// </summary>
    public static Tensor FloorDivide(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        var (x, y) = PromoteNumeric(a, b);
        if (x.DType == DType.UInt32) return Lax.Div(x, y);
        if (x.DType == DType.Int32)
        {
            // truncated quotient, minus one where the signs differ and the division is inexact
            var quotient = Lax.Div(x, y);
            var fix = Lax.BitwiseAnd(Lax.Ne(Lax.Sign(x), Lax.Sign(y)), Lax.Ne(Lax.Rem(x, y), 0));
            return Lax.Select(fix, quotient - 1, quotient);
        }
        return FloatDivMod(x, y).Quotient;
    }

    // div = (x - x mod y) / y with the remainder moved to y's sign, as jnp's _float_divmod
    private static (Tensor Quotient, Tensor Remainder) FloatDivMod(Tensor x, Tensor y)
    {
        var mod = Lax.Rem(x, y);
        var div = Lax.Div(Lax.Sub(x, mod), y);
        var fix = Lax.BitwiseAnd(Lax.Ne(mod, 0), Lax.Ne(Lax.Sign(y), Lax.Sign(mod)));
        mod = Lax.Select(fix, Lax.Add(mod, y), mod);
        div = Lax.Select(fix, Lax.Sub(div, 1), div);
        return (Lax.Round(div), mod);
    }

    /// <summary>
    /// numpy's remainder (Python's <c>%</c>): the result has the sign of the divisor
    /// <paramref name="b"/>, e.g. <c>-1 mod 3 = 2</c>. An integer remainder by 0 gives 0, as in JAX.
    /// </summary>
    public static Tensor Remainder(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        var (x, y) = PromoteNumeric(a, b);
        if (!x.DType.IsFloat()) y = Lax.Select(Lax.Eq(y, 0), Lax.Add(Lax.Mul(y, 0), 1), y);
        // truncated remainder, moved by y where it is non-zero and its sign differs from y's
        var mod = Lax.Rem(x, y);
        var fix = x.DType == DType.UInt32
            ? Lax.Ne(mod, mod)
            : Lax.BitwiseAnd(Lax.Ne(Lax.Lt(mod, 0), Lax.Lt(y, 0)), Lax.Ne(mod, 0));
        return Lax.Select(fix, Lax.Add(mod, y), mod);
    }

    /// <summary>numpy's remainder; the same as <see cref="Remainder"/>.</summary>
    public static Tensor Mod(Tensor a, Tensor b) => Remainder(NotNull(a), NotNull(b));

    /// <summary>
    /// <c>a^b</c> elementwise, with promotion. Floats use <c>pow</c>; integers use binary
    /// exponentiation over the low 6 bits of the exponent, as jnp does (larger powers overflow).
    /// </summary>
    /// <example><c>Np.Power(x, 2.0)</c> squares a float tensor.</example>
    public static Tensor Power(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        var (x, y) = PromoteNumeric(a, b);
        if (x.DType.IsFloat()) return E.Pow.Instance.Bind(PrimitiveParams.None, x, y);
        // x^y = prod over bits k of y of x^(2^k); 0^y = 0 for y != 0
        var bits = Cast(y, DType.UInt32);
        var acc = Where(Lax.BitwiseAnd(Lax.Eq(x, 0), Lax.Ne(y, 0)), Lax.Mul(x, 0), Lax.Add(Lax.Mul(x, 0), 1));
        for (var k = 0; k < 6; k++)
        {
            acc = Lax.Select(Lax.Ne(Lax.BitwiseAnd(bits, 1), 0), Lax.Mul(acc, x), acc);
            x = Lax.Mul(x, x);
            bits = Lax.Div(bits, 2);
        }
        return acc;
    }

    /// <summary><c>x * x</c> elementwise, keeping the dtype.</summary>
    public static Tensor Square(Tensor x) => Multiply(NotNull(x), x);

    /// <summary><c>1 / x</c> elementwise; integers give float32.</summary>
    public static Tensor Reciprocal(Tensor x) => Divide(1, NotNull(x));

    /// <summary>The larger of <c>a</c> and <c>b</c> elementwise, with broadcasting; NaN wins.</summary>
    /// <example><c>Np.Maximum(x, 0.0)</c> is relu.</example>
    public static Tensor Maximum(Tensor a, Tensor b) => BinaryOp(E.Max.Instance, NotNull(a), NotNull(b));

    /// <summary>The smaller of <c>a</c> and <c>b</c> elementwise, with broadcasting; NaN wins.</summary>
    public static Tensor Minimum(Tensor a, Tensor b) => BinaryOp(E.Min.Instance, NotNull(a), NotNull(b));

    /// <summary>
    /// <paramref name="x"/> limited to [<paramref name="min"/>, <paramref name="max"/>]
    /// elementwise (either bound may be null); <c>maximum(min, x)</c>, then <c>minimum(max, ·)</c>.
    /// </summary>
    /// <example><c>Np.Clip(x, 0.0, 1.0)</c></example>
    public static Tensor Clip(Tensor x, Tensor? min, Tensor? max)
    {
        NotNull(x);
        if (min is not null) x = Maximum(min, x);
        if (max is not null) x = Minimum(max, x);
        return x;
    }

    /// <summary><c>-x</c> elementwise.</summary>
    public static Tensor Negative(Tensor x) => Neg.Instance.Bind(PrimitiveParams.None, NotNull(x));

    /// <summary><c>|x|</c> elementwise; unsigned and bool arrays are returned as they are.</summary>
    public static Tensor Abs(Tensor x) =>
        NotNull(x).DType is DType.UInt32 or DType.Bool ? x : E.Abs.Instance.Bind(PrimitiveParams.None, x);

    /// <summary>|x| elementwise; the same as <see cref="Abs"/>.</summary>
    public static Tensor Absolute(Tensor x) => Abs(NotNull(x));

    /// <summary>-1, 0 or 1 by the sign of x, elementwise (NaN stays NaN).</summary>
    public static Tensor Sign(Tensor x) => E.Sign.Instance.Bind(PrimitiveParams.None, NotNull(x));

    // ---- float math: integers and bools are promoted to float32 ----

    /// <summary><c>e^x</c> elementwise.</summary>
    public static Tensor Exp(Tensor x) => FloatOp(E.Exp.Instance, NotNull(x));
    /// <summary>Natural logarithm elementwise.</summary>
    public static Tensor Log(Tensor x) => FloatOp(E.Log.Instance, NotNull(x));
    /// <summary><c>log(1 + x)</c> elementwise, accurate near 0.</summary>
    public static Tensor Log1p(Tensor x) => FloatOp(E.Log1p.Instance, NotNull(x));
    /// <summary><c>e^x - 1</c> elementwise, accurate near 0.</summary>
    public static Tensor Expm1(Tensor x) => FloatOp(E.Expm1.Instance, NotNull(x));
    /// <summary>Square root elementwise.</summary>
    public static Tensor Sqrt(Tensor x) => FloatOp(E.Sqrt.Instance, NotNull(x));
    /// <summary>Cube root elementwise.</summary>
    public static Tensor Cbrt(Tensor x) => FloatOp(E.Cbrt.Instance, NotNull(x));
    /// <summary>Sine elementwise.</summary>
    public static Tensor Sin(Tensor x) => FloatOp(E.Sin.Instance, NotNull(x));
    /// <summary>Cosine elementwise.</summary>
    public static Tensor Cos(Tensor x) => FloatOp(E.Cos.Instance, NotNull(x));
    /// <summary>Tangent elementwise.</summary>
    public static Tensor Tan(Tensor x) => FloatOp(E.Tan.Instance, NotNull(x));
    /// <summary>Inverse sine elementwise.</summary>
    public static Tensor Arcsin(Tensor x) => FloatOp(E.Asin.Instance, NotNull(x));
    /// <summary>Inverse cosine elementwise.</summary>
    public static Tensor Arccos(Tensor x) => FloatOp(E.Acos.Instance, NotNull(x));
    /// <summary>Inverse tangent elementwise.</summary>
    public static Tensor Arctan(Tensor x) => FloatOp(E.Atan.Instance, NotNull(x));
    /// <summary>The angle of the point (b, a) elementwise, in (-π, π], with promotion.</summary>
    public static Tensor Arctan2(Tensor a, Tensor b) => FloatBinaryOp(E.Atan2.Instance, NotNull(a), NotNull(b));
    /// <summary>Hyperbolic sine elementwise.</summary>
    public static Tensor Sinh(Tensor x) => FloatOp(E.Sinh.Instance, NotNull(x));
    /// <summary>Hyperbolic cosine elementwise.</summary>
    public static Tensor Cosh(Tensor x) => FloatOp(E.Cosh.Instance, NotNull(x));
    /// <summary>Hyperbolic tangent elementwise.</summary>
    public static Tensor Tanh(Tensor x) => FloatOp(E.Tanh.Instance, NotNull(x));
    /// <summary>Inverse hyperbolic sine elementwise.</summary>
    public static Tensor Arcsinh(Tensor x) => FloatOp(E.Asinh.Instance, NotNull(x));
    /// <summary>Inverse hyperbolic cosine elementwise.</summary>
    public static Tensor Arccosh(Tensor x) => FloatOp(E.Acosh.Instance, NotNull(x));
    /// <summary>Inverse hyperbolic tangent elementwise.</summary>
    public static Tensor Arctanh(Tensor x) => FloatOp(E.Atanh.Instance, NotNull(x));

    // ---- rounding: integers and bools are returned as they are ----

    /// <summary>The largest whole number not above x, elementwise.</summary>
    public static Tensor Floor(Tensor x) => NotNull(x).DType.IsFloat() ? E.Floor.Instance.Bind(PrimitiveParams.None, x) : x;

    /// <summary>The smallest whole number not below x, elementwise.</summary>
    public static Tensor Ceil(Tensor x) => NotNull(x).DType.IsFloat() ? E.Ceil.Instance.Bind(PrimitiveParams.None, x) : x;

    /// <summary>
    /// Rounds to <paramref name="decimals"/> decimal places, halves to even (numpy's rule).
    /// </summary>
    /// <example><c>Np.Round(Np.Array(new[] { 0.5, 1.5, 2.5 }))</c> is <c>[0, 2, 2]</c>.</example>
    /// <exception cref="ArgumentException">Negative <paramref name="decimals"/> on an integer array.</exception>
    public static Tensor Round(Tensor x, int decimals = 0)
    {
        NotNull(x);
        if (!x.DType.IsFloat())
        {
            if (decimals < 0)
                throw new ArgumentException($"round: decimals {decimals} < 0 is not supported on {x.DType.Name()} arrays; convert to float first with Np.AsType");
            return x;
        }
        if (decimals == 0) return Lax.Round(x, RoundingMethod.ToNearestEven);
        var factor = Math.Pow(10.0, decimals);
        return Lax.Round(x * factor, RoundingMethod.ToNearestEven) / factor;
    }

    // ---- tests of values ----

    /// <summary>Whether each element is finite (neither infinite nor NaN); always true for integers and bools.</summary>
    public static Tensor IsFinite(Tensor x) =>
        NotNull(x).DType.IsFloat() ? E.IsFinite.Instance.Bind(PrimitiveParams.None, x) : Lax.Eq(x, x);

    /// <summary>Whether each element is NaN.</summary>
    public static Tensor IsNan(Tensor x) => Lax.Ne(NotNull(x), x);

    /// <summary>Whether each element is +inf or -inf.</summary>
    public static Tensor IsInf(Tensor x) =>
        NotNull(x).DType.IsFloat() ? Lax.Eq(Lax.Abs(x), double.PositiveInfinity) : Lax.Ne(x, x);

    // ---- comparisons (bool results) ----

    /// <summary><c>a &gt; b</c> elementwise, giving bool.</summary>
    public static Tensor Greater(Tensor a, Tensor b) => BinaryOp(Gt.Instance, NotNull(a), NotNull(b));
    /// <summary><c>a &gt;= b</c> elementwise, giving bool.</summary>
    public static Tensor GreaterEqual(Tensor a, Tensor b) => BinaryOp(Ge.Instance, NotNull(a), NotNull(b));
    /// <summary><c>a &lt; b</c> elementwise, giving bool.</summary>
    public static Tensor Less(Tensor a, Tensor b) => BinaryOp(Lt.Instance, NotNull(a), NotNull(b));
    /// <summary><c>a &lt;= b</c> elementwise, giving bool.</summary>
    public static Tensor LessEqual(Tensor a, Tensor b) => BinaryOp(Le.Instance, NotNull(a), NotNull(b));
    /// <summary><c>a == b</c> elementwise, giving bool (NaN equals nothing).</summary>
    public static Tensor Equal(Tensor a, Tensor b) => BinaryOp(Eq.Instance, NotNull(a), NotNull(b));
    /// <summary><c>a != b</c> elementwise, giving bool.</summary>
    public static Tensor NotEqual(Tensor a, Tensor b) => BinaryOp(Ne.Instance, NotNull(a), NotNull(b));

    // ---- logical (any dtype, read as x != 0) and bitwise (bool or integer) ----

    /// <summary>Logical and elementwise; non-bool inputs count as <c>x != 0</c>.</summary>
    public static Tensor LogicalAnd(Tensor a, Tensor b) => Lax.BitwiseAnd(Cast(NotNull(a), DType.Bool), Cast(NotNull(b), DType.Bool));
    /// <summary>Logical or elementwise; non-bool inputs count as <c>x != 0</c>.</summary>
    public static Tensor LogicalOr(Tensor a, Tensor b) => Lax.BitwiseOr(Cast(NotNull(a), DType.Bool), Cast(NotNull(b), DType.Bool));
    /// <summary>Logical exclusive or elementwise; non-bool inputs count as <c>x != 0</c>.</summary>
    public static Tensor LogicalXor(Tensor a, Tensor b) => Lax.BitwiseXor(Cast(NotNull(a), DType.Bool), Cast(NotNull(b), DType.Bool));
    /// <summary>Logical not elementwise; non-bool inputs count as <c>x != 0</c>.</summary>
    public static Tensor LogicalNot(Tensor x) => Lax.BitwiseNot(Cast(NotNull(x), DType.Bool));

    /// <summary>Bitwise and of integers (logical and of bools) elementwise, with promotion.</summary>
    public static Tensor BitwiseAnd(Tensor a, Tensor b) => BinaryOp(And.Instance, NotNull(a), NotNull(b));
    /// <summary>Bitwise or of integers (logical or of bools) elementwise, with promotion.</summary>
    public static Tensor BitwiseOr(Tensor a, Tensor b) => BinaryOp(Or.Instance, NotNull(a), NotNull(b));
    /// <summary>Bitwise exclusive or of integers (logical xor of bools) elementwise, with promotion.</summary>
    public static Tensor BitwiseXor(Tensor a, Tensor b) => BinaryOp(Xor.Instance, NotNull(a), NotNull(b));
    /// <summary>Bitwise complement of integers (logical not of bools) elementwise.</summary>
    public static Tensor BitwiseNot(Tensor x) => Not.Instance.Bind(PrimitiveParams.None, NotNull(x));
    /// <summary>Bitwise complement; the same as <see cref="BitwiseNot"/>.</summary>
    public static Tensor Invert(Tensor x) => BitwiseNot(NotNull(x));
}
