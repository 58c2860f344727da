namespace JaxSharp;

// Operators follow JAX's: arithmetic and comparisons are elementwise with broadcasting and
// promotion, and .NET scalars are weakly typed (float32 tensor * 2.0 stays float32).
// == and != keep reference equality (C#'s meaning); elementwise equality is Np.Equal.
public sealed partial class Tensor
{
    /// <summary>A weakly typed scalar from a .NET double: it takes the dtype of the tensor it meets.</summary>
    public static implicit operator Tensor(double value) => WeakScalar(value);

    /// <summary>A weakly typed integer scalar from a .NET int.</summary>
    public static implicit operator Tensor(int value) => WeakScalar(value);

    /// <summary>Elementwise negation (<see cref="Np.Negative"/>).</summary>
    public static Tensor operator -(Tensor x) => Np.Negative(x);

    /// <summary>Elementwise complement: logical not of bools, bitwise not of integers (<see cref="Np.BitwiseNot"/>).</summary>
    public static Tensor operator ~(Tensor x) => Np.BitwiseNot(x);

    /// <summary>Elementwise sum with broadcasting and promotion (<see cref="Np.Add"/>).</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Np.Add(a, b);
    /// <summary>Elementwise sum with broadcasting and promotion (<see cref="Np.Add"/>), with a weakly typed scalar.</summary>
    public static Tensor operator +(Tensor a, double b) => Np.Add(a, b);
    /// <summary>Elementwise sum with broadcasting and promotion (<see cref="Np.Add"/>), with a weakly typed scalar.</summary>
    public static Tensor operator +(double a, Tensor b) => Np.Add(a, b);
    /// <summary>Elementwise sum with broadcasting and promotion (<see cref="Np.Add"/>), with a weakly typed integer scalar.</summary>
    public static Tensor operator +(Tensor a, int b) => Np.Add(a, b);
    /// <summary>Elementwise sum with broadcasting and promotion (<see cref="Np.Add"/>), with a weakly typed integer scalar.</summary>
    public static Tensor operator +(int a, Tensor b) => Np.Add(a, b);

    /// <summary>Elementwise difference (<see cref="Np.Subtract"/>).</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Np.Subtract(a, b);
    /// <summary>Elementwise difference (<see cref="Np.Subtract"/>), with a weakly typed scalar.</summary>
    public static Tensor operator -(Tensor a, double b) => Np.Subtract(a, b);
    /// <summary>Elementwise difference (<see cref="Np.Subtract"/>), with a weakly typed scalar.</summary>
    public static Tensor operator -(double a, Tensor b) => Np.Subtract(a, b);
    /// <summary>Elementwise difference (<see cref="Np.Subtract"/>), with a weakly typed integer scalar.</summary>
    public static Tensor operator -(Tensor a, int b) => Np.Subtract(a, b);
    /// <summary>Elementwise difference (<see cref="Np.Subtract"/>), with a weakly typed integer scalar.</summary>
    public static Tensor operator -(int a, Tensor b) => Np.Subtract(a, b);

    /// <summary>Elementwise product (<see cref="Np.Multiply"/>).</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Np.Multiply(a, b);
    /// <summary>Elementwise product (<see cref="Np.Multiply"/>), with a weakly typed scalar.</summary>
    public static Tensor operator *(Tensor a, double b) => Np.Multiply(a, b);
    /// <summary>Elementwise product (<see cref="Np.Multiply"/>), with a weakly typed scalar.</summary>
    public static Tensor operator *(double a, Tensor b) => Np.Multiply(a, b);
    /// <summary>Elementwise product (<see cref="Np.Multiply"/>), with a weakly typed integer scalar.</summary>
    public static Tensor operator *(Tensor a, int b) => Np.Multiply(a, b);
    /// <summary>Elementwise product (<see cref="Np.Multiply"/>), with a weakly typed integer scalar.</summary>
    public static Tensor operator *(int a, Tensor b) => Np.Multiply(a, b);

    /// <summary>Elementwise true division (<see cref="Np.Divide"/>): integers give float32, as in JAX.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Np.Divide(a, b);
    /// <summary>Elementwise true division (<see cref="Np.Divide"/>): integers give float32, as in JAX, with a weakly typed scalar.</summary>
    public static Tensor operator /(Tensor a, double b) => Np.Divide(a, b);
    /// <summary>Elementwise true division (<see cref="Np.Divide"/>): integers give float32, as in JAX, with a weakly typed scalar.</summary>
    public static Tensor operator /(double a, Tensor b) => Np.Divide(a, b);
    /// <summary>Elementwise true division (<see cref="Np.Divide"/>): integers give float32, as in JAX, with a weakly typed integer scalar.</summary>
    public static Tensor operator /(Tensor a, int b) => Np.Divide(a, b);
    /// <summary>Elementwise true division (<see cref="Np.Divide"/>): integers give float32, as in JAX, with a weakly typed integer scalar.</summary>
    public static Tensor operator /(int a, Tensor b) => Np.Divide(a, b);

    /// <summary>Elementwise remainder with the sign of the divisor, as Python's and numpy's <c>%</c> (<see cref="Np.Remainder"/>).</summary>
    public static Tensor operator %(Tensor a, Tensor b) => Np.Remainder(a, b);
    /// <summary>Elementwise remainder with the sign of the divisor, as Python's and numpy's <c>%</c> (<see cref="Np.Remainder"/>), with a weakly typed scalar.</summary>
    public static Tensor operator %(Tensor a, double b) => Np.Remainder(a, b);
    /// <summary>Elementwise remainder with the sign of the divisor, as Python's and numpy's <c>%</c> (<see cref="Np.Remainder"/>), with a weakly typed scalar.</summary>
    public static Tensor operator %(double a, Tensor b) => Np.Remainder(a, b);
    /// <summary>Elementwise remainder with the sign of the divisor, as Python's and numpy's <c>%</c> (<see cref="Np.Remainder"/>), with a weakly typed integer scalar.</summary>
    public static Tensor operator %(Tensor a, int b) => Np.Remainder(a, b);
    /// <summary>Elementwise remainder with the sign of the divisor, as Python's and numpy's <c>%</c> (<see cref="Np.Remainder"/>), with a weakly typed integer scalar.</summary>
    public static Tensor operator %(int a, Tensor b) => Np.Remainder(a, b);

    /// <summary>Elementwise <c>a &gt; b</c>, giving bool (<see cref="Np.Greater"/>).</summary>
    public static Tensor operator >(Tensor a, Tensor b) => Np.Greater(a, b);
    /// <summary>Elementwise <c>a &gt; b</c>, giving bool (<see cref="Np.Greater"/>), with a weakly typed scalar.</summary>
    public static Tensor operator >(Tensor a, double b) => Np.Greater(a, b);
    /// <summary>Elementwise <c>a &gt; b</c>, giving bool (<see cref="Np.Greater"/>), with a weakly typed scalar.</summary>
    public static Tensor operator >(double a, Tensor b) => Np.Greater(a, b);
    /// <summary>Elementwise <c>a &gt; b</c>, giving bool (<see cref="Np.Greater"/>), with a weakly typed integer scalar.</summary>
    public static Tensor operator >(Tensor a, int b) => Np.Greater(a, b);
    /// <summary>Elementwise <c>a &gt; b</c>, giving bool (<see cref="Np.Greater"/>), with a weakly typed integer scalar.</summary>
    public static Tensor operator >(int a, Tensor b) => Np.Greater(a, b);

    /// <summary>Elementwise <c>a &lt; b</c>, giving bool (<see cref="Np.Less"/>).</summary>
    public static Tensor operator <(Tensor a, Tensor b) => Np.Less(a, b);
    /// <summary>Elementwise <c>a &lt; b</c>, giving bool (<see cref="Np.Less"/>), with a weakly typed scalar.</summary>
    public static Tensor operator <(Tensor a, double b) => Np.Less(a, b);
    /// <summary>Elementwise <c>a &lt; b</c>, giving bool (<see cref="Np.Less"/>), with a weakly typed scalar.</summary>
    public static Tensor operator <(double a, Tensor b) => Np.Less(a, b);
    /// <summary>Elementwise <c>a &lt; b</c>, giving bool (<see cref="Np.Less"/>), with a weakly typed integer scalar.</summary>
    public static Tensor operator <(Tensor a, int b) => Np.Less(a, b);
    /// <summary>Elementwise <c>a &lt; b</c>, giving bool (<see cref="Np.Less"/>), with a weakly typed integer scalar.</summary>
    public static Tensor operator <(int a, Tensor b) => Np.Less(a, b);

    /// <summary>Elementwise <c>a &gt;= b</c>, giving bool (<see cref="Np.GreaterEqual"/>).</summary>
    public static Tensor operator >=(Tensor a, Tensor b) => Np.GreaterEqual(a, b);
    /// <summary>Elementwise <c>a &gt;= b</c>, giving bool (<see cref="Np.GreaterEqual"/>), with a weakly typed scalar.</summary>
    public static Tensor operator >=(Tensor a, double b) => Np.GreaterEqual(a, b);
    /// <summary>Elementwise <c>a &gt;= b</c>, giving bool (<see cref="Np.GreaterEqual"/>), with a weakly typed scalar.</summary>
    public static Tensor operator >=(double a, Tensor b) => Np.GreaterEqual(a, b);
    /// <summary>Elementwise <c>a &gt;= b</c>, giving bool (<see cref="Np.GreaterEqual"/>), with a weakly typed integer scalar.</summary>
    public static Tensor operator >=(Tensor a, int b) => Np.GreaterEqual(a, b);
    /// <summary>Elementwise <c>a &gt;= b</c>, giving bool (<see cref="Np.GreaterEqual"/>), with a weakly typed integer scalar.</summary>
    public static Tensor operator >=(int a, Tensor b) => Np.GreaterEqual(a, b);

    /// <summary>Elementwise <c>a &lt;= b</c>, giving bool (<see cref="Np.LessEqual"/>).</summary>
    public static Tensor operator <=(Tensor a, Tensor b) => Np.LessEqual(a, b);
    /// <summary>Elementwise <c>a &lt;= b</c>, giving bool (<see cref="Np.LessEqual"/>), with a weakly typed scalar.</summary>
    public static Tensor operator <=(Tensor a, double b) => Np.LessEqual(a, b);
    /// <summary>Elementwise <c>a &lt;= b</c>, giving bool (<see cref="Np.LessEqual"/>), with a weakly typed scalar.</summary>
    public static Tensor operator <=(double a, Tensor b) => Np.LessEqual(a, b);
    /// <summary>Elementwise <c>a &lt;= b</c>, giving bool (<see cref="Np.LessEqual"/>), with a weakly typed integer scalar.</summary>
    public static Tensor operator <=(Tensor a, int b) => Np.LessEqual(a, b);
    /// <summary>Elementwise <c>a &lt;= b</c>, giving bool (<see cref="Np.LessEqual"/>), with a weakly typed integer scalar.</summary>
    public static Tensor operator <=(int a, Tensor b) => Np.LessEqual(a, b);

    /// <summary>Elementwise and: logical for bools, bitwise for integers (<see cref="Np.BitwiseAnd"/>).</summary>
    public static Tensor operator &(Tensor a, Tensor b) => Np.BitwiseAnd(a, b);

    /// <summary>Elementwise or: logical for bools, bitwise for integers (<see cref="Np.BitwiseOr"/>).</summary>
    public static Tensor operator |(Tensor a, Tensor b) => Np.BitwiseOr(a, b);

    /// <summary>Elementwise exclusive or: logical for bools, bitwise for integers (<see cref="Np.BitwiseXor"/>).</summary>
    public static Tensor operator ^(Tensor a, Tensor b) => Np.BitwiseXor(a, b);

    /// <summary><c>a^b</c> elementwise (<see cref="Np.Power"/>); F#'s <c>**</c> calls it.</summary>
    public static Tensor Pow(Tensor a, Tensor b) => Np.Power(a, b);

    /// <summary><c>a^b</c> with a weakly typed exponent: <c>x ** 2.0</c> in F# keeps x's float dtype.</summary>
    public static Tensor Pow(Tensor a, double b) => Np.Power(a, b);

    /// <summary>
    /// The value of a one-element bool tensor, so <c>if (x &gt; 0)</c> works eagerly and under
    /// <c>grad</c>, <c>jvp</c> and <c>vjp</c> outside <c>jit</c>; on a traced value (inside
    /// <c>jit</c>, or a per-example value of <c>vmap</c>) it throws and points to <c>Np.Where</c>.
    /// </summary>
    public static explicit operator bool(Tensor t) => NotNull(t, member: "ToBoolean").HasValue
        ? Np.AsType(t, DType.Bool).Item<bool>()
        : throw t.NoValue("it was converted to bool, e.g. by an `if`");

    /// <summary>Truth of a one-element tensor, so C#'s <c>if (x &gt; 0)</c> compiles and works on concrete values; on a traced value it throws and points to <c>Np.Where</c>.</summary>
    public static bool operator true(Tensor t) => (bool)t;

    /// <summary>Falsity of a one-element tensor; see <see cref="op_True"/>.</summary>
    public static bool operator false(Tensor t) => !(bool)t;

    /// <summary>The value of a one-element tensor as a double; on a traced value it throws.</summary>
    public static explicit operator double(Tensor t) => NotNull(t, member: "ToDouble").HasValue
        ? Np.AsType(t, DType.Float64).Item<double>()
        : throw t.NoValue("it was converted to a .NET double");
}
