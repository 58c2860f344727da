using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>tanh x</c>, elementwise.</summary>
public sealed class Tanh : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Tanh Instance = new();
    private Tanh() { }
    /// <inheritdoc/>
    public override string Name => "tanh";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Tanh", x);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression x) => SimdMath.Tanh(x);
    /// <inheritdoc/>
    protected override bool ScalarsFromVectorForm(Type element) => true;

    /// <summary>d/dx tanh x = 1 - tanh^2 x.</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => 1.0 - y * y;
}
