namespace JaxSharp.Primitives.Cumulative;

/// <summary><c>cumsum</c>: the running sum; integers wrap around.</summary>
public sealed class Cumsum : CumulativeOp
{
    /// <summary>The primitive.</summary>
    public static readonly Cumsum Instance = new();
    private Cumsum() { }
    /// <inheritdoc/>
    public override string Name => "cumsum";
    /// <inheritdoc/>
    protected override T Combine<T>(T accumulator, T element) => unchecked(accumulator + element);

    /// <summary>Linear: the tangent is summed the same way.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        Bind(parameters, tangents[0]!);

    /// <summary>The cotangent summed the other way: y_i = sum_(j &lt;= i) x_j, so x̄_j = sum_(i &gt;= j) ȳ_i.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var p = (CumulativeParams)parameters;
        return [Bind(p with { Reverse = !p.Reverse }, cotangent)];
    }
}
