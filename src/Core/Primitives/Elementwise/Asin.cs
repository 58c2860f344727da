using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>arcsin x</c>, elementwise; NaN outside [-1, 1].</summary>
public sealed class Asin : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Asin Instance = new();
    private Asin() { }
    /// <inheritdoc/>
    public override string Name => "asin";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Asin", x);

    /// <summary>d/dx asin x = 1 / sqrt(1 - x^2).</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => Lax.Rsqrt(1.0 - x * x);
}
