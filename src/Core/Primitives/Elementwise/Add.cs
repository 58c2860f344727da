using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a + b</c>, elementwise with broadcasting; integers wrap around.</summary>
public sealed class Add : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Add Instance = new();
    private Add() { }
    /// <inheritdoc/>
    public override string Name => "add";
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => Expression.Add(a, b);
}
