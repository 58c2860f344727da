using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>min(a, b)</c>, elementwise with broadcasting; NaN if either is NaN; and of bools.</summary>
public sealed class Min : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Min Instance = new();
    private Min() { }
    /// <inheritdoc/>
    public override string Name => "min";
    /// <inheritdoc/>
    protected override DTypeKinds Accepted => DTypeKinds.Any;
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => a.Type == typeof(bool) ? Expression.And(a, b) : MathExpressions.CallOn(typeof(Math), "Min", a, b);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression a, Expression b) => VectorExpressions.Call("Min", a, b);

    /// <summary>JAX's balanced rule, as for max.</summary>
    protected override (Tensor? DA, Tensor? DB) Partials(Tensor a, Tensor b, Tensor y) => (Max.Balanced(a, b, y), Max.Balanced(b, a, y));
}
