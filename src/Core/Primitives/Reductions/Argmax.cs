namespace JaxSharp.Primitives.Reductions;

/// <summary><c>argmax</c>: the index of the greatest element along one axis (the first of ties; the first NaN if any).</summary>
public sealed class Argmax : IndexReduction
{
    /// <summary>The primitive.</summary>
    public static readonly Argmax Instance = new();
    private Argmax() { }
    /// <inheritdoc/>
    public override string Name => "argmax";
    /// <inheritdoc/>
    protected override bool Beats<T>(T candidate, T best) => candidate > best;
}
