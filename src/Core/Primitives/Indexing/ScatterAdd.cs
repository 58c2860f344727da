namespace JaxSharp.Primitives.Indexing;

/// <summary><c>scatter_add</c>: each element becomes the sum of itself and the updates scattered to it, so duplicate indices accumulate (integers wrap around).</summary>
public sealed class ScatterAdd : ScatterCombine
{
    /// <summary>The primitive.</summary>
    public static readonly ScatterAdd Instance = new();
    private ScatterAdd() { }
    /// <inheritdoc/>
    public override string Name => "scatter_add";
    /// <inheritdoc/>
    protected override T Combine<T>(T old, T update) => unchecked(old + update);
}
