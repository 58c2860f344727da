namespace JaxSharp.Primitives.Indexing;

/// <summary><c>scatter_mul</c>: each element becomes the product of itself and the updates scattered to it.</summary>
public sealed class ScatterMul : ScatterCombine
{
    /// <summary>The primitive.</summary>
    public static readonly ScatterMul Instance = new();
    private ScatterMul() { }
    /// <inheritdoc/>
    public override string Name => "scatter_mul";
    /// <inheritdoc/>
    protected override T Combine<T>(T old, T update) => unchecked(old * update);

    /// <summary>
    /// out = x * prod of the updates u_k at each element, so d out = scatter_mul(dx, i, u) +
    /// x * scatter_add(0, i, du_k * prod_(j != k) u_j). JAX supports only unique indices; here the
    /// product of the other updates is found without dividing by zero: the product of the nonzero
    /// updates, divided by u_k when u_k is nonzero, and 0 when another update is zero.
    /// </summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        var p = (ScatterParams)parameters;
        var (x, indices, u) = (primals[0], primals[1], primals[2]);
        Tensor? result = tangents[0] is { } dx ? Bind(p, dx, indices, u) : null;
        if (tangents[2] is not { } du) return result;
        var (dtype, shape) = (x.DType, u.Shape);
        var zero = Rules.Full(0, dtype, Shape.Scalar);
        var zeros = Rules.Zeros(new AbstractValue(shape, dtype));
        var ones = Rules.Full(1, dtype, shape);
        var isZero = Lax.Eq(u, zero);
        var safe = Lax.Select(isZero, ones, u);
        Tensor Read(Tensor t) => IndexingRules.InverseGather(t, indices, p.DimensionNumbers, shape, p.Mode);
        Tensor SumAt(Tensor t) => Read(ScatterAdd.Instance.Bind(p, Rules.Zeros(x.Aval.Strong), indices, t));
        // prod_(j != k) u_j = (product of the nonzero u_j) / u_k (1 when u_k = 0) * (product of the other zero u_j)
        var nonzeroProduct = Read(Bind(p, Rules.Full(1, dtype, x.Shape), indices, safe));
        var zeroIndicator = Lax.Select(isZero, ones, zeros);
        var otherZeros = Lax.Sub(SumAt(zeroIndicator), zeroIndicator);
        // the product of the other zeros is 1 with none, 0 with two or more; with exactly one it is
        // that u_j itself (0, but with derivative 1 in it), so that second derivatives stay right at zeros
        var zeroUpdates = Lax.Select(isZero, u, zeros);
        var otherZero = Lax.Sub(SumAt(zeroUpdates), zeroUpdates);
        var zeroProduct = Lax.Select(Lax.Eq(otherZeros, zero), ones, Lax.Select(Lax.Eq(otherZeros, Rules.Full(1, dtype, Shape.Scalar)), otherZero, zeros));
        var others = Lax.Mul(Lax.Div(nonzeroProduct, safe), zeroProduct);
        var fromUpdates = Lax.Mul(x, ScatterAdd.Instance.Bind(p, Rules.Zeros(x.Aval.Strong), indices, Lax.Mul(du, others)));
        return result is null ? fromUpdates : Lax.Add(result, fromUpdates);
    }

    /// <summary>
    /// Linear in the operand for fixed updates, and diagonal (each element is scaled by the
    /// product of its updates), so the transpose is the same scatter_mul of the cotangent. Not
    /// linear in the updates: transposing with respect to them is an error.
    /// </summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (primals[2] is null)
            throw new NotSupportedException("scatter_mul: the Transpose rule with respect to the updates is not implemented; scatter_mul is not linear in them (its Jvp transposes through scatter_add)");
        var indices = primals[1] ?? throw new InvalidOperationException("scatter_mul: the indices cannot be linear");
        return [Bind(parameters, cotangent, indices, primals[2]!), null, null];
    }
}
