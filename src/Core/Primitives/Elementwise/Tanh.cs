using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>tanh x</c>, elementwise.</summary>
public sealed class Tanh : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Tanh Instance = new();
    private Tanh() { }
    /// <inheritdoc/>
    public override string Name => "tanh";
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.Call("Tanh", x);
}
