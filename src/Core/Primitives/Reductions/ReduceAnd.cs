namespace JaxSharp.Primitives.Reductions;

/// <summary><c>reduce_and</c>: whether every element over the given axes is true (true over no elements).</summary>
public sealed class ReduceAnd : LogicalReduction
{
    /// <summary>The primitive.</summary>
    public static readonly ReduceAnd Instance = new();
    private ReduceAnd() { }
    /// <inheritdoc/>
    public override string Name => "reduce_and";
    /// <inheritdoc/>
    protected override bool Absorbing => false;
}
