using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a &lt; b</c>, elementwise with broadcasting, giving bool; false where either is NaN.</summary>
public sealed class Lt : Comparison
{
    /// <summary>The primitive.</summary>
    public static readonly Lt Instance = new();
    private Lt() { }
    /// <inheritdoc/>
    public override string Name => "lt";
    /// <inheritdoc/>
    protected override Expression Compare(Expression a, Expression b) => Expression.LessThan(a, b);
    /// <inheritdoc/>
    protected override Expression? VectorCompare(Expression a, Expression b) => VectorExpressions.Call("LessThan", a, b);
}
