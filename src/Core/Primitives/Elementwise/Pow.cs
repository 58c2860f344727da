using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a^b</c>, elementwise with broadcasting, on floats.</summary>
public sealed class Pow : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Pow Instance = new();
    private Pow() { }
    /// <inheritdoc/>
    public override string Name => "pow";
    /// <inheritdoc/>
    protected override DTypeKinds Accepted => DTypeKinds.Float;
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => MathExpressions.Call("Pow", a, b);
}
