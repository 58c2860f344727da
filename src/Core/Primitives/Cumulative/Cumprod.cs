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
}
