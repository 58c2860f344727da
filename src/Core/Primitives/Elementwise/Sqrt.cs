using System.Linq.Expressions;

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
}
