using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a &gt; b</c>, elementwise with broadcasting, giving bool; false where either is NaN.</summary>
public sealed class Gt : Comparison
{
    /// <summary>The primitive.</summary>
    public static readonly Gt Instance = new();
    private Gt() { }
    /// <inheritdoc/>
    public override string Name => "gt";
    /// <inheritdoc/>
    protected override Expression Compare(Expression a, Expression b) => Expression.GreaterThan(a, b);
    /// <inheritdoc/>
    protected override Expression? VectorCompare(Expression a, Expression b) => VectorExpressions.Call("GreaterThan", a, b);
}
