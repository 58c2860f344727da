namespace JaxSharp.Primitives.Indexing;

/// <summary><c>scatter_max</c>: each element becomes the maximum (NaN propagates) of itself and the updates scattered to it.</summary>
public sealed class ScatterMax : ScatterCombine
{
    /// <summary>The primitive.</summary>
    public static readonly ScatterMax Instance = new();
    private ScatterMax() { }
    /// <inheritdoc/>
    public override string Name => "scatter_max";
    /// <inheritdoc/>
    protected override T Combine<T>(T old, T update) => T.Max(old, update);

    /// <summary>d max: the tangent of the winning candidate, averaged over ties (see <see cref="ScatterCombine.ExtremalJvp"/>).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        ExtremalJvp(primals, tangents, output, (ScatterParams)parameters);
}
