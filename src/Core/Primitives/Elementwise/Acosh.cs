using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>arcosh x</c>, elementwise; NaN below 1.</summary>
public sealed class Acosh : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Acosh Instance = new();
    private Acosh() { }
    /// <inheritdoc/>
    public override string Name => "acosh";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Acosh", x);

    /// <summary>d/dx acosh x = 1 / sqrt(x^2 - 1).</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => Lax.Rsqrt(x * x - 1.0);
}
