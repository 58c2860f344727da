using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>erf⁻¹ x</c>, the inverse error function, elementwise, as XLA computes it (<see cref="SpecialFunctions.Erfinv(float)"/>).</summary>
public sealed class ErfInv : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly ErfInv Instance = new();
    private ErfInv() { }
    /// <inheritdoc/>
    public override string Name => "erf_inv";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.CallOn(typeof(SpecialFunctions), "Erfinv", x);

    /// <summary>d/dx erfinv x = sqrt(pi) / 2 exp(erfinv(x)^2).</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => Math.Sqrt(Math.PI) / 2.0 * Lax.Exp(y * y);
}
