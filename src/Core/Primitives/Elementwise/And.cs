using System.Linq.Expressions;
using JaxSharp.Cpu;

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
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression a, Expression b) => VectorExpressions.Call("BitwiseAnd", a, b);
    /// <inheritdoc/>
    protected override bool VectorizesBool => true;

    /// <summary>Bool and integer outputs have no tangent.</summary>
    protected override (Tensor? DA, Tensor? DB) Partials(Tensor a, Tensor b, Tensor y) => (null, null);
}
