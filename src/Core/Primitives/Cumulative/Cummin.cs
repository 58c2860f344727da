namespace JaxSharp.Primitives.Cumulative;

/// <summary><c>cummin</c>: the running minimum; NaN propagates.</summary>
public sealed class Cummin : CumulativeOp
{
    /// <summary>The primitive.</summary>
    public static readonly Cummin Instance = new();
    private Cummin() { }
    /// <inheritdoc/>
    public override string Name => "cummin";
    /// <inheritdoc/>
    protected override T Combine<T>(T accumulator, T element) => T.Min(accumulator, element);

    /// <summary>The tangent of the running minimum's element, averaged over ties (see <see cref="CumulativeOp.PrefixChooserJvp"/>).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        PrefixChooserJvp(primals[0], tangents[0]!, output, (CumulativeParams)parameters);
}
