using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>sinh x</c>, elementwise.</summary>
public sealed class Sinh : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Sinh Instance = new();
    private Sinh() { }
    /// <inheritdoc/>
    public override string Name => "sinh";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Sinh", x);

    /// <summary>d/dx sinh x = cosh x.</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => Lax.Cosh(x);
}
