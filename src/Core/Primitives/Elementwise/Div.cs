using System.Linq.Expressions;
using JaxSharp.Transforms;
using JaxSharp.Cpu;

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
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression a, Expression b) =>
        VectorExpressions.ElementType(a.Type) is var t && (t == typeof(float) || t == typeof(double)) ? Expression.Divide(a, b) : null;

    /// <summary>x / 1 = x, when x already has the result's shape and dtype.</summary>
    public override Expression? Simplify(IR.PrimitiveExpression application, SimplifyContext context) =>
        context.IsConstant(application.Arguments[1], 1) ? context.SameAs(application.Arguments[0], application) : null;

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
