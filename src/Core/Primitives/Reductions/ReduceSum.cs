using System.Linq.Expressions;
using JaxSharp.Cpu;
using System.Numerics;

namespace JaxSharp.Primitives.Reductions;

/// <summary><c>reduce_sum</c>: the sum over the given axes; integers wrap around.</summary>
public sealed class ReduceSum : Reduction
{
    /// <summary>The primitive.</summary>
    public static readonly ReduceSum Instance = new();
    private ReduceSum() { }
    /// <inheritdoc/>
    public override string Name => "reduce_sum";
    /// <inheritdoc/>
    protected override T Identity<T>() => T.Zero;
    /// <inheritdoc/>
    protected override Expression Combine(Expression accumulator, Expression element) => Expression.Add(accumulator, element);
    /// <inheritdoc/>
    protected override Expression VectorCombine(Expression accumulator, Expression element) => Expression.Add(accumulator, element);

    /// <summary>Linear: the tangent is summed the same way.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        Bind(parameters, tangents[0]!);

    /// <summary>The cotangent broadcast back along the reduced axes.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) =>
        // sum is linear: d/dx_j sum x = 1 for every j reduced into the output element
        [BroadcastBack(cotangent, inputs[0].Shape, ((ReduceParams)parameters).Axes)];
}
