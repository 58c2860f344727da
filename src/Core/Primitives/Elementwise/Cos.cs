using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>cos x</c>, elementwise.</summary>
public sealed class Cos : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Cos Instance = new();
    private Cos() { }
    /// <inheritdoc/>
    public override string Name => "cos";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Cos", x);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression x) => SimdMath.Cos(x);
    /// <inheritdoc/>
    protected override bool ScalarsFromVectorForm(Type element) => true;

    /// <summary>d/dx cos x = -sin x.</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => -Lax.Sin(x);
}
