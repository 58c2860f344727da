using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>e^x</c>, elementwise.</summary>
public sealed class Exp : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Exp Instance = new();
    private Exp() { }
    /// <inheritdoc/>
    public override string Name => "exp";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Exp", x);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression x) => SimdMath.Exp(x);
    /// <inheritdoc/>
    protected override bool ScalarsFromVectorForm(Type element) => true;

    /// <summary>d/dx e^x = e^x.</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => y;
}
