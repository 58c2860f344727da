using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>or(a, b)</c>: logical or of bools, bitwise or of integers, elementwise with broadcasting.</summary>
public sealed class Or : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Or Instance = new();
    private Or() { }
    /// <inheritdoc/>
    public override string Name => "or";
    /// <inheritdoc/>
    protected override DTypeKinds Accepted => DTypeKinds.BoolOrInteger;
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => Expression.Or(a, b);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression a, Expression b) => VectorExpressions.Call("BitwiseOr", a, b);
    /// <inheritdoc/>
    protected override bool VectorizesBool => true;

    /// <summary>Bool and integer outputs have no tangent.</summary>
    protected override (Tensor? DA, Tensor? DB) Partials(Tensor a, Tensor b, Tensor y) => (null, null);
}
