using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>⌈x⌉</c>, elementwise, on floats.</summary>
public sealed class Ceil : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Ceil Instance = new();
    private Ceil() { }
    /// <inheritdoc/>
    public override string Name => "ceil";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Ceiling", x);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression x) => VectorExpressions.Call("Ceiling", x);

    /// <summary>Piecewise constant: the derivative is zero.</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => null;
}
