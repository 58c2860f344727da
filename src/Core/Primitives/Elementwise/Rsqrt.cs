using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>1 / √x</c>, elementwise.</summary>
public sealed class Rsqrt : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Rsqrt Instance = new();
    private Rsqrt() { }
    /// <inheritdoc/>
    public override string Name => "rsqrt";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.CallOn(typeof(ScalarMath), "Rsqrt", x);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression x) => Expression.Divide(VectorExpressions.Constant(1, x), VectorExpressions.Call("Sqrt", x));

    /// <summary>d/dx x^(-1/2) = -x^(-3/2) / 2 = -y / (2 x).</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => -0.5 * y / x;
}
