using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>sin x</c>, elementwise.</summary>
public sealed class Sin : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Sin Instance = new();
    private Sin() { }
    /// <inheritdoc/>
    public override string Name => "sin";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Sin", x);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression x) => SimdMath.Sin(x);
    /// <inheritdoc/>
    protected override bool ScalarsFromVectorForm(Type element) => true;

    /// <summary>d/dx sin x = cos x.</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => Lax.Cos(x);
}
