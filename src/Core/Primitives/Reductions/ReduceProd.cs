using System.Linq.Expressions;
using JaxSharp.Cpu;
using System.Numerics;

namespace JaxSharp.Primitives.Reductions;

/// <summary><c>reduce_prod</c>: the product over the given axes (1 over no elements); integers wrap around.</summary>
public sealed class ReduceProd : Reduction
{
    /// <summary>The primitive.</summary>
    public static readonly ReduceProd Instance = new();
    private ReduceProd() { }
    /// <inheritdoc/>
    public override string Name => "reduce_prod";
    /// <inheritdoc/>
    protected override T Identity<T>() => T.One;
    /// <inheritdoc/>
    protected override Expression Combine(Expression accumulator, Expression element) => Expression.Multiply(accumulator, element);
    /// <inheritdoc/>
    protected override Expression VectorCombine(Expression accumulator, Expression element) => Expression.Multiply(accumulator, element);
}
