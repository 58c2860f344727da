using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary>The parameters of <see cref="Round"/>.</summary>
/// <param name="RoundingMethod">How ties are broken.</param>
public sealed record RoundParams(RoundingMethod RoundingMethod = RoundingMethod.AwayFromZero) : PrimitiveParams;

/// <summary><c>round x</c> to the nearest whole number, elementwise, on floats; ties as <see cref="RoundParams.RoundingMethod"/> says.</summary>
public sealed class Round : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Round Instance = new();
    private Round() { }
    /// <inheritdoc/>
    public override string Name => "round";

    /// <inheritdoc/>
    protected override void CheckParams(PrimitiveParams parameters)
    {
        if (parameters is not RoundParams)
            throw new ArgumentException($"round: expected RoundParams (the rounding method), got {parameters.GetType().Name}; use Lax.Round(x, method)");
    }

    /// <inheritdoc/>
    protected override Expression Element(Expression x) => Element(x, new RoundParams());

    /// <inheritdoc/>
    protected override Expression Element(Expression x, PrimitiveParams parameters)
    {
        var mode = ((RoundParams)parameters).RoundingMethod == RoundingMethod.ToNearestEven
            ? MidpointRounding.ToEven
            : MidpointRounding.AwayFromZero;
        return MathExpressions.Call("Round", x, Expression.Constant(mode));
    }

    /// <summary>Piecewise constant: the derivative is zero.</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => null;
}
