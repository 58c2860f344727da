using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>log x</c> (natural), elementwise; NaN below 0, -inf at 0.</summary>
public sealed class Log : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Log Instance = new();
    private Log() { }
    /// <inheritdoc/>
    public override string Name => "log";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Log", x);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression x) => SimdMath.Log(x);
    /// <inheritdoc/>
    protected override bool ScalarsFromVectorForm(Type element) => true;

    /// <summary>d/dx log x = 1 / x.</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => 1.0 / x;
}
