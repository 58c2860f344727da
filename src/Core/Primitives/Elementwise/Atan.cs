using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>arctan x</c>, elementwise.</summary>
public sealed class Atan : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Atan Instance = new();
    private Atan() { }
    /// <inheritdoc/>
    public override string Name => "atan";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Atan", x);

    /// <summary>d/dx atan x = 1 / (1 + x^2).</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => 1.0 / (1.0 + x * x);
}
