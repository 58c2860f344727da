using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>max(a, b)</c>, elementwise with broadcasting; NaN if either is NaN; or of bools.</summary>
public sealed class Max : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Max Instance = new();
    private Max() { }
    /// <inheritdoc/>
    public override string Name => "max";
    /// <inheritdoc/>
    protected override DTypeKinds Accepted => DTypeKinds.Any;
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => a.Type == typeof(bool) ? Expression.Or(a, b) : MathExpressions.CallOn(typeof(Math), "Max", a, b);
}
