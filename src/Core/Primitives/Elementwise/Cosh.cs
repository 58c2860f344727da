using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>cosh x</c>, elementwise.</summary>
public sealed class Cosh : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Cosh Instance = new();
    private Cosh() { }
    /// <inheritdoc/>
    public override string Name => "cosh";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Cosh", x);

    /// <summary>d/dx cosh x = sinh x.</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => Lax.Sinh(x);
}
