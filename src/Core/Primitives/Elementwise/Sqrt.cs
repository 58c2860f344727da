using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>√x</c>, elementwise; NaN below 0.</summary>
public sealed class Sqrt : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Sqrt Instance = new();
    private Sqrt() { }
    /// <inheritdoc/>
    public override string Name => "sqrt";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Sqrt", x);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression x) => VectorExpressions.Call("Sqrt", x);

    /// <summary>d/dx sqrt x = 1 / (2 sqrt x).</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => 0.5 / y;
}
