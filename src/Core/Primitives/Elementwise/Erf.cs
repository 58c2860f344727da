using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>erf x</c>, the error function, elementwise, with XLA's approximations (<see cref="SpecialFunctions.Erf(float)"/>).</summary>
public sealed class Erf : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Erf Instance = new();
    private Erf() { }
    /// <inheritdoc/>
    public override string Name => "erf";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.CallOn(typeof(SpecialFunctions), "Erf", x);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression x) => VectorExpressions.ElementType(x.Type) == typeof(float) ? SimdMath.Erf(x) : null;
    /// <inheritdoc/>
    protected override bool ScalarsFromVectorForm(Type element) => element == typeof(float);

    /// <summary>d/dx erf x = 2 / sqrt(pi) exp(-x^2).</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => 2.0 / Math.Sqrt(Math.PI) * Lax.Exp(-(x * x));
}
