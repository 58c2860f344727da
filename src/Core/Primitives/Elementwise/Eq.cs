using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a == b</c>, elementwise with broadcasting, giving bool; false where either is NaN.</summary>
public sealed class Eq : Comparison
{
    /// <summary>The primitive.</summary>
    public static readonly Eq Instance = new();
    private Eq() { }
    /// <inheritdoc/>
    public override string Name => "eq";
    /// <inheritdoc/>
    protected override Expression Compare(Expression a, Expression b) => Expression.Equal(a, b);
    /// <inheritdoc/>
    protected override Expression? VectorCompare(Expression a, Expression b) => VectorExpressions.Call("Equals", a, b);
}
