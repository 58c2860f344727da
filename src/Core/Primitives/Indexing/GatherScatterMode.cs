namespace JaxSharp;

/// <summary>
/// What gather and scatter do with indices that would read or write outside the operand
/// (JAX's <c>GatherScatterMode</c>).
/// </summary>
public enum GatherScatterMode
{
    /// <summary>Clamp each start index so that the whole slice lies inside the operand.</summary>
    Clip,
    /// <summary>Gather: a slice that would leave the operand yields the fill value; scatter: such updates are dropped.</summary>
    FillOrDrop,
}
