using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>and(a, b)</c>: logical and of bools, bitwise and of integers, elementwise with broadcasting.</summary>
public sealed class And : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly And Instance = new();
    private And() { }
    /// <inheritdoc/>
    public override string Name => "and";
    /// <inheritdoc/>
    protected override DTypeKinds Accepted => DTypeKinds.BoolOrInteger;
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => Expression.And(a, b);

    /// <summary>Bool and integer outputs have no tangent.</summary>
    protected override (Tensor? DA, Tensor? DB) Partials(Tensor a, Tensor b, Tensor y) => (null, null);
}
