using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>1 / (1 + e^-x)</c>, the logistic sigmoid, elementwise.</summary>
public sealed class Logistic : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Logistic Instance = new();
    private Logistic() { }
    /// <inheritdoc/>
    public override string Name => "logistic";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.CallOn(typeof(ScalarMath), "Logistic", x);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression x) => SimdMath.Logistic(x);
    /// <inheritdoc/>
    protected override bool ScalarsFromVectorForm(Type element) => true;

    /// <summary>d/dx logistic x = y (1 - y).</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => y * (1.0 - y);
}
