using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a - b</c>, elementwise with broadcasting; integers wrap around.</summary>
public sealed class Sub : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Sub Instance = new();
    private Sub() { }
    /// <inheritdoc/>
    public override string Name => "sub";
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => Expression.Subtract(a, b);
}
