namespace JaxSharp.Primitives.Reductions;

/// <summary><c>reduce_or</c>: whether some element over the given axes is true (false over no elements).</summary>
public sealed class ReduceOr : LogicalReduction
{
    /// <summary>The primitive.</summary>
    public static readonly ReduceOr Instance = new();
    private ReduceOr() { }
    /// <inheritdoc/>
    public override string Name => "reduce_or";
    /// <inheritdoc/>
    protected override bool Absorbing => true;
}
