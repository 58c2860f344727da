using System.Linq.Expressions;
using JaxSharp.Cpu;
using System.Numerics;

namespace JaxSharp.Primitives.Reductions;

/// <summary>
/// <c>reduce_max</c>: the maximum over the given axes. NaN propagates; over no elements it is
/// -inf for floats and the least value for integers, as in JAX.
/// </summary>
public sealed class ReduceMax : Reduction
{
    /// <summary>The primitive.</summary>
    public static readonly ReduceMax Instance = new();
    private ReduceMax() { }
    /// <inheritdoc/>
    public override string Name => "reduce_max";
    /// <inheritdoc/>
    protected override T Identity<T>() => T.CreateSaturating(double.NegativeInfinity);
    /// <inheritdoc/>
    protected override Expression Combine(Expression accumulator, Expression element) => MathExpressions.CallOn(typeof(Math), "Max", accumulator, element);
    /// <inheritdoc/>
    protected override Expression VectorCombine(Expression accumulator, Expression element) => VectorExpressions.Call("Max", accumulator, element);

    /// <summary>The chooser rule: the tangent at the maximum, averaged over ties (see <see cref="Reduction.ChooserJvp"/>).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        ChooserJvp(primals[0], tangents[0]!, output, ((ReduceParams)parameters).Axes);
}
