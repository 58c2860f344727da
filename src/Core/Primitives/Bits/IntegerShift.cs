using System.Linq.Expressions;
using JaxSharp.Primitives.Elementwise;

namespace JaxSharp.Primitives.Bits;

/// <summary>
/// The common case of the shifts: int32 or uint32 operands of equal dtype with broadcasting, the
/// shift amount read as unsigned; an amount of 32 or more gives 0, as in XLA (a .NET shift would
/// take the amount modulo 32).
/// </summary>
public abstract class IntegerShift : BinaryElementwise
{
    /// <inheritdoc/>
    protected override DTypeKinds Accepted => DTypeKinds.Integer;

    /// <summary>The shift of <paramref name="x"/> by <paramref name="amount"/>, an int in [0, 32).</summary>
    protected abstract Expression Shift(Expression x, Expression amount);

    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b)
    {
        var inRange = Expression.LessThan(Expression.Convert(b, typeof(uint)), Expression.Constant(32u));
        return Expression.Condition(inRange, Shift(a, Expression.Convert(b, typeof(int))), Expression.Default(a.Type));
    }

    /// <summary>Integer outputs have no tangent (JAX's float0): shifts are not differentiable.</summary>
    protected override (Tensor? DA, Tensor? DB) Partials(Tensor a, Tensor b, Tensor y) => (null, null);
}
