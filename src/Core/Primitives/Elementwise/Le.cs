using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a &lt;= b</c>, elementwise with broadcasting, giving bool; false where either is NaN.</summary>
public sealed class Le : Comparison
{
    /// <summary>The primitive.</summary>
    public static readonly Le Instance = new();
    private Le() { }
    /// <inheritdoc/>
    public override string Name => "le";
    /// <inheritdoc/>
    protected override Expression Compare(Expression a, Expression b) => Expression.LessThanOrEqual(a, b);
    /// <inheritdoc/>
    protected override Expression? VectorCompare(Expression a, Expression b) => VectorExpressions.Call("LessThanOrEqual", a, b);
}
