using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a &gt; b</c>, elementwise with broadcasting, giving bool. False when either is NaN.</summary>
public sealed class Gt : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Gt Instance = new();
    private Gt() { }
    /// <inheritdoc/>
    public override string Name => "gt";
    /// <inheritdoc/>
    protected override DType OutputDType(DType input) => DType.Bool;
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => Expression.GreaterThan(a, b);
}
