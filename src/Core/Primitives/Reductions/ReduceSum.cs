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
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var axes = ((ReduceParams)parameters).Axes;
        var kept = Enumerable.Range(0, inputs[0].Rank).Where(d => !axes.Contains(d));
        return [Shapes.BroadcastInDim.Instance.Bind(new Shapes.BroadcastInDimParams(inputs[0].Shape, new Ints(kept)), cotangent)];
    }

    /// <summary>The reduced axes renumbered around the batch axis, which survives.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var b = batchAxes[0]!.Value;
        var axes = ((ReduceParams)parameters).Axes;
        var shifted = new Ints(axes.Select(a => a < b ? a : a + 1));
        return (Bind(new ReduceParams(shifted), args[0]), b - axes.Count(a => a < b));
    }
}
