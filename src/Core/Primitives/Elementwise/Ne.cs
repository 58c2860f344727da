using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a != b</c>, elementwise with broadcasting, giving bool; true where either is NaN.</summary>
public sealed class Ne : Comparison
{
    /// <summary>The primitive.</summary>
    public static readonly Ne Instance = new();
    private Ne() { }
    /// <inheritdoc/>
    public override string Name => "ne";
    /// <inheritdoc/>
    protected override Expression Compare(Expression a, Expression b) => Expression.NotEqual(a, b);
    /// <inheritdoc/>
    protected override Expression? VectorCompare(Expression a, Expression b) => VectorExpressions.Call("OnesComplement", VectorExpressions.Call("Equals", a, b));
}
