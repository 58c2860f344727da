using JaxSharp.Primitives.Reductions;

namespace JaxSharp.Primitives.Cumulative;

/// <summary><c>cumprod</c>: the running product; integers wrap around.</summary>
public sealed class Cumprod : CumulativeOp
{
    /// <summary>The primitive.</summary>
    public static readonly Cumprod Instance = new();
    private Cumprod() { }
    /// <inheritdoc/>
    public override string Name => "cumprod";
    /// <inheritdoc/>
    protected override T Combine<T>(T accumulator, T element) => unchecked(accumulator * element);

    /// <summary>
    /// d y_i = sum_(j &lt;= i) t_j prod_(k &lt;= i, k != j) x_k, exact with zeros: with no zero in the
    /// prefix it is y_i sum_(j &lt;= i) t_j / x_j; with one zero at j0 it is t_j0 times the
    /// product of the prefix's other elements; with two or more it is 0.
    /// </summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        var (x, t) = (primals[0], tangents[0]!);
        var isZero = Lax.Eq(x, AxisReduction.Filled(x.Aval, 0));
        var zeros = Lax.ConvertElementType(isZero, x.DType);
        var safe = Lax.Select(isZero, AxisReduction.Filled(x.Aval, 1), x);
        // the running product of the nonzero elements, and the number of zeros in each prefix
        var others = Bind(parameters, safe);
        var zeroCount = Cumsum.Instance.Bind(parameters, zeros);
        var noZero = Lax.Mul(others, Cumsum.Instance.Bind(parameters, Lax.Div(t, safe)));
        // with exactly one zero in the prefix, the running sum of t at zeros is t_j0
        var oneZero = Lax.Mul(others, Cumsum.Instance.Bind(parameters, Lax.Mul(t, zeros)));
        var none = Lax.Eq(zeroCount, AxisReduction.Filled(x.Aval, 0));
        var one = Lax.Eq(zeroCount, AxisReduction.Filled(x.Aval, 1));
        return Lax.Select(none, noZero, Lax.Select(one, oneZero, AxisReduction.Filled(x.Aval, 0)));
    }
}
