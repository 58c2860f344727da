using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>∛x</c>, elementwise (real, negative for negative x).</summary>
public sealed class Cbrt : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Cbrt Instance = new();
    private Cbrt() { }
    /// <inheritdoc/>
    public override string Name => "cbrt";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Cbrt", x);

    /// <summary>d/dx cbrt x = 1 / (3 cbrt(x)^2).</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => 1.0 / (3.0 * y * y);
}
