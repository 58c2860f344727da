using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>arsinh x</c>, elementwise.</summary>
public sealed class Asinh : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Asinh Instance = new();
    private Asinh() { }
    /// <inheritdoc/>
    public override string Name => "asinh";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Asinh", x);

    /// <summary>d/dx asinh x = 1 / sqrt(x^2 + 1).</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => Lax.Rsqrt(x * x + 1.0);
}
