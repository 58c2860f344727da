namespace JaxSharp.Primitives.Cumulative;

/// <summary><c>cummax</c>: the running maximum; NaN propagates.</summary>
public sealed class Cummax : CumulativeOp
{
    /// <summary>The primitive.</summary>
    public static readonly Cummax Instance = new();
    private Cummax() { }
    /// <inheritdoc/>
    public override string Name => "cummax";
    /// <inheritdoc/>
    protected override T Combine<T>(T accumulator, T element) => T.Max(accumulator, element);

    /// <summary>The tangent of the running maximum's element, averaged over ties (see <see cref="CumulativeOp.PrefixChooserJvp"/>).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        PrefixChooserJvp(primals[0], tangents[0]!, output, (CumulativeParams)parameters);
}
