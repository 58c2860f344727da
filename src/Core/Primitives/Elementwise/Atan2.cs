using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>atan2(a, b)</c>: the angle of the point (b, a), elementwise with broadcasting, on floats.</summary>
public sealed class Atan2 : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Atan2 Instance = new();
    private Atan2() { }
    /// <inheritdoc/>
    public override string Name => "atan2";
    /// <inheritdoc/>
    protected override DTypeKinds Accepted => DTypeKinds.Float;
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => MathExpressions.Call("Atan2", a, b);

    /// <summary>d atan2(a, b) = (b da - a db) / (a^2 + b^2).</summary>
    protected override (Tensor? DA, Tensor? DB) Partials(Tensor a, Tensor b, Tensor y) => (b / (a * a + b * b), -a / (a * a + b * b));
}
