using JaxSharp.Primitives;
using JaxSharp.Primitives.Elementwise;
using E = JaxSharp.Primitives.Elementwise;

namespace JaxSharp;

/// <summary>
/// JAX's <c>jax.lax</c> for C#: one function per primitive, with strict dtypes (no
/// promotion: both operands of a binary op must share a dtype, except that a weakly typed
/// .NET scalar takes the other operand's dtype, as in JAX).
/// </summary>
public static partial class Lax
{
    private static Tensor Unary(Primitive primitive, Tensor x) => primitive.Bind(PrimitiveParams.None, x);

    private static Tensor Binary(Primitive primitive, Tensor a, Tensor b)
    {
        var (x, y) = MatchWeak(a, b);
        RequireSameDTypes(primitive.Name is "and" or "or" or "xor" ? "bitwise_" + primitive.Name : primitive.Name, "the Np function", x, y);
        return primitive.Bind(PrimitiveParams.None, x, y);
    }

    /// <summary>Elementwise -x (<c>lax.neg</c>).</summary>
    public static Tensor Neg(Tensor x) => Unary(E.Neg.Instance, NotNull(x));

    /// <summary>Elementwise e^x (<c>lax.exp</c>).</summary>
    public static Tensor Exp(Tensor x) => Unary(E.Exp.Instance, NotNull(x));

    /// <summary>Elementwise log x (<c>lax.log</c>).</summary>
    public static Tensor Log(Tensor x) => Unary(E.Log.Instance, NotNull(x));

    /// <summary>Elementwise log(1 + x), accurate near 0 (<c>lax.log1p</c>).</summary>
    public static Tensor Log1p(Tensor x) => Unary(E.Log1p.Instance, NotNull(x));

    /// <summary>Elementwise e^x - 1, accurate near 0 (<c>lax.expm1</c>).</summary>
    public static Tensor Expm1(Tensor x) => Unary(E.Expm1.Instance, NotNull(x));

    /// <summary>Elementwise sin x (<c>lax.sin</c>).</summary>
    public static Tensor Sin(Tensor x) => Unary(E.Sin.Instance, NotNull(x));

    /// <summary>Elementwise cos x (<c>lax.cos</c>).</summary>
    public static Tensor Cos(Tensor x) => Unary(E.Cos.Instance, NotNull(x));

    /// <summary>Elementwise tan x (<c>lax.tan</c>).</summary>
    public static Tensor Tan(Tensor x) => Unary(E.Tan.Instance, NotNull(x));

    /// <summary>Elementwise arcsin x (<c>lax.asin</c>).</summary>
    public static Tensor Asin(Tensor x) => Unary(E.Asin.Instance, NotNull(x));

    /// <summary>Elementwise arccos x (<c>lax.acos</c>).</summary>
    public static Tensor Acos(Tensor x) => Unary(E.Acos.Instance, NotNull(x));

    /// <summary>Elementwise arctan x (<c>lax.atan</c>).</summary>
    public static Tensor Atan(Tensor x) => Unary(E.Atan.Instance, NotNull(x));

    /// <summary>Elementwise sinh x (<c>lax.sinh</c>).</summary>
    public static Tensor Sinh(Tensor x) => Unary(E.Sinh.Instance, NotNull(x));

    /// <summary>Elementwise cosh x (<c>lax.cosh</c>).</summary>
    public static Tensor Cosh(Tensor x) => Unary(E.Cosh.Instance, NotNull(x));

    /// <summary>Elementwise tanh x (<c>lax.tanh</c>).</summary>
    public static Tensor Tanh(Tensor x) => Unary(E.Tanh.Instance, NotNull(x));

    /// <summary>Elementwise arsinh x (<c>lax.asinh</c>).</summary>
    public static Tensor Asinh(Tensor x) => Unary(E.Asinh.Instance, NotNull(x));

    /// <summary>Elementwise arcosh x (<c>lax.acosh</c>).</summary>
    public static Tensor Acosh(Tensor x) => Unary(E.Acosh.Instance, NotNull(x));

    /// <summary>Elementwise artanh x (<c>lax.atanh</c>).</summary>
    public static Tensor Atanh(Tensor x) => Unary(E.Atanh.Instance, NotNull(x));

    /// <summary>Elementwise 1 / (1 + e^-x) (<c>lax.logistic</c>).</summary>
    public static Tensor Logistic(Tensor x) => Unary(E.Logistic.Instance, NotNull(x));

    /// <summary>Elementwise √x (<c>lax.sqrt</c>).</summary>
    public static Tensor Sqrt(Tensor x) => Unary(E.Sqrt.Instance, NotNull(x));

    /// <summary>Elementwise 1 / √x (<c>lax.rsqrt</c>).</summary>
    public static Tensor Rsqrt(Tensor x) => Unary(E.Rsqrt.Instance, NotNull(x));

    /// <summary>Elementwise ∛x (<c>lax.cbrt</c>).</summary>
    public static Tensor Cbrt(Tensor x) => Unary(E.Cbrt.Instance, NotNull(x));

    /// <summary>Elementwise |x| (signed dtypes) (<c>lax.abs</c>).</summary>
    public static Tensor Abs(Tensor x) => Unary(E.Abs.Instance, NotNull(x));

    /// <summary>Elementwise -1, 0 or 1 by the sign of x (<c>lax.sign</c>).</summary>
    public static Tensor Sign(Tensor x) => Unary(E.Sign.Instance, NotNull(x));

    /// <summary>Elementwise ⌊x⌋ (<c>lax.floor</c>).</summary>
    public static Tensor Floor(Tensor x) => Unary(E.Floor.Instance, NotNull(x));

    /// <summary>Elementwise ⌈x⌉ (<c>lax.ceil</c>).</summary>
    public static Tensor Ceil(Tensor x) => Unary(E.Ceil.Instance, NotNull(x));

    /// <summary>Elementwise erf x, the error function (<c>lax.erf</c>).</summary>
    public static Tensor Erf(Tensor x) => Unary(E.Erf.Instance, NotNull(x));

    /// <summary>Elementwise erf⁻¹ x, the inverse error function, as XLA computes it (<c>lax.erf_inv</c>).</summary>
    public static Tensor Erfinv(Tensor x) => Unary(E.ErfInv.Instance, NotNull(x));

    /// <summary>Elementwise whether x is finite (float in, bool out) (<c>lax.is_finite</c>).</summary>
    public static Tensor IsFinite(Tensor x) => Unary(E.IsFinite.Instance, NotNull(x));

    /// <summary>Elementwise logical not of bools, bitwise complement of integers (<c>lax.bitwise_not</c>).</summary>
    public static Tensor BitwiseNot(Tensor x) => Unary(E.Not.Instance, NotNull(x));

    /// <summary>Elementwise a + b, with broadcasting (<c>lax.add</c>).</summary>
    public static Tensor Add(Tensor a, Tensor b) => Binary(E.Add.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise a - b, with broadcasting (<c>lax.sub</c>).</summary>
    public static Tensor Sub(Tensor a, Tensor b) => Binary(E.Sub.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise a * b, with broadcasting (<c>lax.mul</c>).</summary>
    public static Tensor Mul(Tensor a, Tensor b) => Binary(E.Mul.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise a / b (integers truncate toward zero; x / 0 = -1), with broadcasting (<c>lax.div</c>).</summary>
    public static Tensor Div(Tensor a, Tensor b) => Binary(E.Div.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise a % b with the sign of a (integers: x % 0 = x), with broadcasting (<c>lax.rem</c>).</summary>
    public static Tensor Rem(Tensor a, Tensor b) => Binary(E.Rem.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise a^b, with broadcasting (<c>lax.pow</c>).</summary>
    public static Tensor Pow(Tensor a, Tensor b) => Binary(E.Pow.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise max(a, b), NaN if either is NaN, with broadcasting (<c>lax.max</c>).</summary>
    public static Tensor Max(Tensor a, Tensor b) => Binary(E.Max.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise min(a, b), NaN if either is NaN, with broadcasting (<c>lax.min</c>).</summary>
    public static Tensor Min(Tensor a, Tensor b) => Binary(E.Min.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise atan2(a, b), with broadcasting (<c>lax.atan2</c>).</summary>
    public static Tensor Atan2(Tensor a, Tensor b) => Binary(E.Atan2.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise a == b, giving bool, with broadcasting (<c>lax.eq</c>).</summary>
    public static Tensor Eq(Tensor a, Tensor b) => Binary(E.Eq.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise a != b, giving bool, with broadcasting (<c>lax.ne</c>).</summary>
    public static Tensor Ne(Tensor a, Tensor b) => Binary(E.Ne.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise a &lt; b, giving bool, with broadcasting (<c>lax.lt</c>).</summary>
    public static Tensor Lt(Tensor a, Tensor b) => Binary(E.Lt.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise a &lt;= b, giving bool, with broadcasting (<c>lax.le</c>).</summary>
    public static Tensor Le(Tensor a, Tensor b) => Binary(E.Le.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise a &gt; b, giving bool, with broadcasting (<c>lax.gt</c>).</summary>
    public static Tensor Gt(Tensor a, Tensor b) => Binary(E.Gt.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise a &gt;= b, giving bool, with broadcasting (<c>lax.ge</c>).</summary>
    public static Tensor Ge(Tensor a, Tensor b) => Binary(E.Ge.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise logical and of bools, bitwise and of integers, with broadcasting (<c>lax.bitwise_and</c>).</summary>
    public static Tensor BitwiseAnd(Tensor a, Tensor b) => Binary(E.And.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise logical or of bools, bitwise or of integers, with broadcasting (<c>lax.bitwise_or</c>).</summary>
    public static Tensor BitwiseOr(Tensor a, Tensor b) => Binary(E.Or.Instance, NotNull(a), NotNull(b));

    /// <summary>Elementwise logical or bitwise exclusive or, with broadcasting (<c>lax.bitwise_xor</c>).</summary>
    public static Tensor BitwiseXor(Tensor a, Tensor b) => Binary(E.Xor.Instance, NotNull(a), NotNull(b));

    /// <summary>Rounds to the nearest whole number; ties away from zero unless <paramref name="method"/> says to even (<c>lax.round</c>).</summary>
    /// <example><c>Lax.Round(x, RoundingMethod.ToNearestEven)</c> maps 2.5 to 2.</example>
    public static Tensor Round(Tensor x, RoundingMethod method = RoundingMethod.AwayFromZero) =>
        E.Round.Instance.Bind(new RoundParams(method), NotNull(x));

    /// <summary>
    /// <paramref name="onTrue"/> where <paramref name="predicate"/> holds, else
    /// <paramref name="onFalse"/> (<c>lax.select</c>); the cases must share a dtype.
    /// </summary>
    public static Tensor Select(Tensor predicate, Tensor onTrue, Tensor onFalse)
    {
        NotNull(predicate);
        NotNull(onTrue);
        NotNull(onFalse);
        var (t, f) = MatchWeak(onTrue, onFalse);
        RequireSameDTypes("select", "Np.Where", t, f);
        return E.Select.Instance.Bind(PrimitiveParams.None, predicate, t, f);
    }

    /// <summary>
    /// The values of <paramref name="x"/> in <paramref name="dtype"/> (<c>lax.convert_element_type</c>):
    /// float to integer truncates toward zero and saturates, NaN gives 0; to bool is <c>x != 0</c>.
    /// </summary>
    public static Tensor ConvertElementType(Tensor x, DType dtype) =>
        E.ConvertElementType.Instance.Bind(new ConvertParams(dtype), NotNull(x).ExactLiteral);
}
