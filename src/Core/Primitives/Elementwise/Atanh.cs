using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>artanh x</c>, elementwise; NaN outside [-1, 1].</summary>
public sealed class Atanh : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Atanh Instance = new();
    private Atanh() { }
    /// <inheritdoc/>
    public override string Name => "atanh";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Atanh", x);

    /// <summary>d/dx atanh x = 1 / (1 - x^2).</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => 1.0 / (1.0 - x * x);
}
