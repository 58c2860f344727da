using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a / b</c>, elementwise with broadcasting; integers truncate toward zero and never throw (<see cref="ScalarMath.Div(int, int)"/>).</summary>
public sealed class Div : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Div Instance = new();
    private Div() { }
    /// <inheritdoc/>
    public override string Name => "div";
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => a.Type == typeof(int) || a.Type == typeof(uint) ? MathExpressions.CallOn(typeof(ScalarMath), "Div", a, b) : Expression.Divide(a, b);

    /// <summary>d(a/b) = da / b - (a/b) db / b.</summary>
    protected override (Tensor? DA, Tensor? DB) Partials(Tensor a, Tensor b, Tensor y) => (1.0 / b, -y / b);

    /// <summary>Linear in the numerator: its cotangent is the cotangent over the denominator.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (primals[1] is null)
            throw new InvalidOperationException("div: transposed with respect to the denominator; division is linear only in the numerator");
        return [Rules.Unbroadcast(cotangent / primals[1]!, inputs[0].Shape), null];
    }
}
