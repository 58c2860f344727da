using System.Linq.Expressions;
using JaxSharp.Cpu;
using System.Numerics;

namespace JaxSharp.Primitives.Reductions;

/// <summary>
/// <c>reduce_min</c>: the minimum over the given axes. NaN propagates; over no elements it is
/// +inf for floats and the greatest value for integers, as in JAX.
/// </summary>
public sealed class ReduceMin : Reduction
{
    /// <summary>The primitive.</summary>
    public static readonly ReduceMin Instance = new();
    private ReduceMin() { }
    /// <inheritdoc/>
    public override string Name => "reduce_min";
    /// <inheritdoc/>
    protected override T Identity<T>() => T.CreateSaturating(double.PositiveInfinity);
    /// <inheritdoc/>
    protected override Expression Combine(Expression accumulator, Expression element) => MathExpressions.CallOn(typeof(Math), "Min", accumulator, element);
    /// <inheritdoc/>
    protected override Expression VectorCombine(Expression accumulator, Expression element) => VectorExpressions.Call("Min", accumulator, element);

    /// <summary>The chooser rule: the tangent at the minimum, averaged over ties (see <see cref="Reduction.ChooserJvp"/>).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        ChooserJvp(primals[0], tangents[0]!, output, ((ReduceParams)parameters).Axes);
}
