namespace JaxSharp.Primitives.Indexing;

/// <summary><c>scatter_min</c>: each element becomes the minimum (NaN propagates) of itself and the updates scattered to it.</summary>
public sealed class ScatterMin : ScatterCombine
{
    /// <summary>The primitive.</summary>
    public static readonly ScatterMin Instance = new();
    private ScatterMin() { }
    /// <inheritdoc/>
    public override string Name => "scatter_min";
    /// <inheritdoc/>
    protected override T Combine<T>(T old, T update) => T.Min(old, update);

    /// <summary>d min: the tangent of the winning candidate, averaged over ties (see <see cref="ScatterCombine.ExtremalJvp"/>).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        ExtremalJvp(primals, tangents, output, (ScatterParams)parameters);
}
