using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>~x</c>: logical not of bools, bitwise complement of integers.</summary>
public sealed class Not : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Not Instance = new();
    private Not() { }
    /// <inheritdoc/>
    public override string Name => "not";
    /// <inheritdoc/>
    protected override DTypeKinds Accepted => DTypeKinds.BoolOrInteger;
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => Expression.Not(x);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression x) => VectorExpressions.Call("OnesComplement", x);
    /// <inheritdoc/>
    protected override bool VectorizesBool => true;

    /// <summary>A bool or integer output has no tangent.</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => null;
}
