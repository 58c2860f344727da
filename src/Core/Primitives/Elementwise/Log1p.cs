using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>log(1 + x)</c>, elementwise, accurate near 0.</summary>
public sealed class Log1p : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Log1p Instance = new();
    private Log1p() { }
    /// <inheritdoc/>
    public override string Name => "log1p";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.CallOn(typeof(ScalarMath), "Log1p", x);

    /// <summary>d/dx log(1 + x) = 1 / (1 + x).</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => 1.0 / (1.0 + x);
}
