using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>e^x - 1</c>, elementwise, accurate near 0.</summary>
public sealed class Expm1 : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Expm1 Instance = new();
    private Expm1() { }
    /// <inheritdoc/>
    public override string Name => "expm1";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.CallOn(typeof(ScalarMath), "Expm1", x);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression x) => SimdMath.Expm1(x);
    /// <inheritdoc/>
    protected override bool ScalarsFromVectorForm(Type element) => true;

    /// <summary>d/dx (e^x - 1) = e^x = y + 1.</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => y + 1.0;
}
