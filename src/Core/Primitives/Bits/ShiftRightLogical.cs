using System.Linq.Expressions;

namespace JaxSharp.Primitives.Bits;

/// <summary>
/// <c>shift_right_logical(x, y)</c>: <c>x &gt;&gt; y</c> elementwise, filling with zeros (int32 is
/// shifted as its unsigned bits); 0 when y is negative or 32 or more.
/// </summary>
public sealed class ShiftRightLogical : IntegerShift
{
    /// <summary>The primitive.</summary>
    public static readonly ShiftRightLogical Instance = new();
    private ShiftRightLogical() { }
    /// <inheritdoc/>
    public override string Name => "shift_right_logical";
    /// <inheritdoc/>
    protected override Expression Shift(Expression x, Expression amount) => x.Type == typeof(uint)
        ? Expression.RightShift(x, amount)
        : Expression.Convert(Expression.RightShift(Expression.Convert(x, typeof(uint)), amount), x.Type);
}
