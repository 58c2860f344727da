using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>sign x</c>: -1, 0 or 1 elementwise; floats keep ±0 and NaN.</summary>
public sealed class Sign : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Sign Instance = new();
    private Sign() { }
    /// <inheritdoc/>
    public override string Name => "sign";
    /// <inheritdoc/>
    protected override DTypeKinds Accepted => DTypeKinds.Numeric;
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.CallOn(typeof(ScalarMath), "Sign", x);

    /// <summary>Piecewise constant: the derivative is zero.</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => null;
}
