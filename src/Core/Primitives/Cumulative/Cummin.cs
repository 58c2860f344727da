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
}
