using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>tan x</c>, elementwise.</summary>
public sealed class Tan : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Tan Instance = new();
    private Tan() { }
    /// <inheritdoc/>
    public override string Name => "tan";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Tan", x);

    /// <summary>d/dx tan x = 1 + tan^2 x.</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => 1.0 + y * y;
}
