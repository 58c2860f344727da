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
}
