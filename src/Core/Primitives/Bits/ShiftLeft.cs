using System.Linq.Expressions;

namespace JaxSharp.Primitives.Bits;

/// <summary><c>shift_left(x, y)</c>: <c>x &lt;&lt; y</c> elementwise on integers; 0 when y is negative or 32 or more.</summary>
public sealed class ShiftLeft : IntegerShift
{
    /// <summary>The primitive.</summary>
    public static readonly ShiftLeft Instance = new();
    private ShiftLeft() { }
    /// <inheritdoc/>
    public override string Name => "shift_left";
    /// <inheritdoc/>
    protected override Expression Shift(Expression x, Expression amount) => Expression.LeftShift(x, amount);
}
