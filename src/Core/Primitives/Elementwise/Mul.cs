using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a * b</c>, elementwise with broadcasting; integers wrap around.</summary>
public sealed class Mul : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Mul Instance = new();
    private Mul() { }
    /// <inheritdoc/>
    public override string Name => "mul";
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => Expression.Multiply(a, b);
}
