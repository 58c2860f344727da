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
    /// prefix it is y_i sum_(j &lt;= i) t_j / x_j; with one zero at j0 it is t_j0 times the product
    /// p_i of the prefix's other elements, plus t_j p_i x_j0 / x_j for the other j (zero, but with
    /// the right derivative in x_j0); with two or more it is 0.
    /// </summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        var (x, t) = (primals[0], tangents[0]!);
        var isZero = Lax.Eq(x, Rules.Full(x.Aval, 0));
        var zeros = Lax.ConvertElementType(isZero, x.DType);
        var safe = Lax.Select(isZero, Rules.Full(x.Aval, 1), x);
        var inverse = Lax.Select(isZero, Rules.Full(x.Aval, 0), Lax.Div(Rules.Full(x.Aval, 1), safe));
        // the running product of the nonzero elements, the number of zeros in each prefix, and
        // the prefix's zero element x_j0 when it has one (0, with a tangent)
        var others = Bind(parameters, safe);
        var zeroCount = Cumsum.Instance.Bind(parameters, zeros);
        var zeroElement = Cumsum.Instance.Bind(parameters, Lax.Mul(x, zeros));
        var overNonzero = Cumsum.Instance.Bind(parameters, Lax.Mul(t, inverse));
        var noZero = Lax.Mul(others, overNonzero);
        // with exactly one zero in the prefix, the running sum of t at zeros is t_j0
        var atZero = Cumsum.Instance.Bind(parameters, Lax.Mul(t, zeros));
        var oneZero = Lax.Mul(others, Lax.Add(atZero, Lax.Mul(zeroElement, overNonzero)));
        var none = Lax.Eq(zeroCount, Rules.Full(x.Aval, 0));
        var one = Lax.Eq(zeroCount, Rules.Full(x.Aval, 1));
        return Lax.Select(none, noZero, Lax.Select(one, oneZero, Rules.Full(x.Aval, 0)));
    }
}
