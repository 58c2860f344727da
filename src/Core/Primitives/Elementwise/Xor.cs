using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>xor(a, b)</c>: logical exclusive or of bools, bitwise exclusive or of integers, elementwise with broadcasting.</summary>
public sealed class Xor : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Xor Instance = new();
    private Xor() { }
    /// <inheritdoc/>
    public override string Name => "xor";
    /// <inheritdoc/>
    protected override DTypeKinds Accepted => DTypeKinds.BoolOrInteger;
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => Expression.ExclusiveOr(a, b);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression a, Expression b) => VectorExpressions.Call("Xor", a, b);
    /// <inheritdoc/>
    protected override bool VectorizesBool => true;

    /// <summary>Bool and integer outputs have no tangent.</summary>
    protected override (Tensor? DA, Tensor? DB) Partials(Tensor a, Tensor b, Tensor y) => (null, null);
}
