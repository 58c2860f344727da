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

    /// <summary>
    /// d(prod x) = sum_j t_j prod_(k != j) x_k, exact with zeros in the input (the numbers of
    /// JAX's rule): with no zero it is y sum_j t_j / x_j; with one zero at j0 it is t_j0 times the
    /// product p of the others, plus, for each other j, t_j p x_j0 / x_j (zero, but its derivative
    /// in x_j0 is not: second derivatives at a zero are exact too); with two or more zeros it is 0.
    /// </summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        var (x, t) = (primals[0], tangents[0]!);
        var axes = ((ReduceParams)parameters).Axes;
        var sum = new ReduceParams(axes);
        var isZero = Lax.Eq(x, Rules.Full(x.Aval, 0));
        var zeros = Lax.ConvertElementType(isZero, x.DType);
        var safe = Lax.Select(isZero, Rules.Full(x.Aval, 1), x);
        // p: the product of the nonzero elements (y itself when there is no zero)
        var others = Bind(parameters, safe);
        var zeroCount = BroadcastBack(ReduceSum.Instance.Bind(sum, zeros), x.Shape, axes);
        // x_j0 when there is one zero: 0, with a tangent
        var zeroElement = BroadcastBack(ReduceSum.Instance.Bind(sum, Lax.Mul(x, zeros)), x.Shape, axes);
        var inverse = Lax.Select(isZero, Rules.Full(x.Aval, 0), Lax.Div(Rules.Full(x.Aval, 1), safe));
        // weights w_j with dy = p sum_j w_j t_j: 1 / x_j without zeros; with one zero,
        // 1 at the zero and x_j0 / x_j elsewhere; 0 with more
        var none = Lax.Eq(zeroCount, Rules.Full(x.Aval, 0));
        var one = Lax.Eq(zeroCount, Rules.Full(x.Aval, 1));
        var weights = Lax.Select(none, inverse, Lax.Select(one, Lax.Add(zeros, Lax.Mul(zeroElement, inverse)), Rules.Full(x.Aval, 0)));
        return Lax.Mul(others, ReduceSum.Instance.Bind(sum, Lax.Mul(t, weights)));
    }
}
