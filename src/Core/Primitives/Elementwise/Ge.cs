using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a &gt;= b</c>, elementwise with broadcasting, giving bool; false where either is NaN.</summary>
public sealed class Ge : Comparison
{
    /// <summary>The primitive.</summary>
    public static readonly Ge Instance = new();
    private Ge() { }
    /// <inheritdoc/>
    public override string Name => "ge";
    /// <inheritdoc/>
    protected override Expression Compare(Expression a, Expression b) => Expression.GreaterThanOrEqual(a, b);
    /// <inheritdoc/>
    protected override Expression? VectorCompare(Expression a, Expression b) => VectorExpressions.Call("GreaterThanOrEqual", a, b);
}
