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
}
