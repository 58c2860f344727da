using System.Numerics;

namespace JaxSharp.Primitives.Reductions;

/// <summary><c>reduce_sum</c>: the sum over the given axes; integers wrap around.</summary>
public sealed class ReduceSum : Reduction
{
    /// <summary>The primitive.</summary>
    public static readonly ReduceSum Instance = new();
    private ReduceSum() { }
    /// <inheritdoc/>
    public override string Name => "reduce_sum";
    /// <inheritdoc/>
    protected override T Identity<T>() => T.Zero;
    /// <inheritdoc/>
    protected override T Combine<T>(T accumulator, T element) => unchecked(accumulator + element);
}
