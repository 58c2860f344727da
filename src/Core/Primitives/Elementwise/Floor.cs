using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>⌊x⌋</c>, elementwise, on floats.</summary>
public sealed class Floor : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Floor Instance = new();
    private Floor() { }
    /// <inheritdoc/>
    public override string Name => "floor";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Floor", x);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression x) => VectorExpressions.Call("Floor", x);

    /// <summary>Piecewise constant: the derivative is zero.</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => null;
}
