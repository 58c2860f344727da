using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>|x|</c>, elementwise, on signed numbers; <c>|int.MinValue| = int.MinValue</c> as in XLA.</summary>
public sealed class Abs : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Abs Instance = new();
    private Abs() { }
    /// <inheritdoc/>
    public override string Name => "abs";
    /// <inheritdoc/>
    protected override DTypeKinds Accepted => DTypeKinds.Signed;
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => x.Type == typeof(int) ? MathExpressions.CallOn(typeof(ScalarMath), "Abs", x) : MathExpressions.Call("Abs", x);
}
