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
    protected override T Combine<T>(T accumulator, T element) => unchecked(accumulator * element);

    /// <summary>
    /// d(prod x) = sum_j t_j prod_(k != j) x_k, exact with zeros in the input (JAX's rule gives
    /// the same numbers): with no zero it is y sum_j t_j / x_j; with one zero at j0 only the
    /// term j0 survives, t_j0 times the product of the others; with two or more it is 0.
    /// </summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        var (x, t) = (primals[0], tangents[0]!);
        var axes = ((ReduceParams)parameters).Axes;
        var sum = new ReduceParams(axes);
        var isZero = Lax.Eq(x, Filled(x.Aval, 0));
        var zeros = Lax.ConvertElementType(isZero, x.DType);
        var safe = Lax.Select(isZero, Filled(x.Aval, 1), x);
        // the product of the nonzero elements: y itself without zeros, prod_(k != j0) x_k with one
        var others = Bind(parameters, safe);
        var zeroCount = BroadcastBack(ReduceSum.Instance.Bind(sum, zeros), x.Shape, axes);
        // weights w_j with dy = prod(nonzero x) * sum_j w_j t_j:
        // 1 / x_j without zeros, [x_j == 0] with one zero, 0 with more
        var none = Lax.Eq(zeroCount, Filled(zeroCount.Aval, 0));
        var one = Lax.Eq(zeroCount, Filled(zeroCount.Aval, 1));
        var weights = Lax.Select(none, Lax.Div(Filled(x.Aval, 1), safe), Lax.Select(one, zeros, Filled(x.Aval, 0)));
        return Lax.Mul(others, ReduceSum.Instance.Bind(sum, Lax.Mul(t, weights)));
    }
}
