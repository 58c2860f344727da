namespace JaxSharp.Primitives.Reductions;

/// <summary><c>argmin</c>: the index of the least element along one axis (the first of ties; the first NaN if any).</summary>
public sealed class Argmin : IndexReduction
{
    /// <summary>The primitive.</summary>
    public static readonly Argmin Instance = new();
    private Argmin() { }
    /// <inheritdoc/>
    public override string Name => "argmin";
    /// <inheritdoc/>
    protected override bool Beats<T>(T candidate, T best) => candidate < best;
}
