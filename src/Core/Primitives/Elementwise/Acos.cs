using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>arccos x</c>, elementwise; NaN outside [-1, 1].</summary>
public sealed class Acos : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Acos Instance = new();
    private Acos() { }
    /// <inheritdoc/>
    public override string Name => "acos";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Acos", x);

    /// <summary>d/dx acos x = -1 / sqrt(1 - x^2).</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => -Lax.Rsqrt(1.0 - x * x);
}
