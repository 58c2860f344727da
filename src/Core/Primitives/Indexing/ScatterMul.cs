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
}
