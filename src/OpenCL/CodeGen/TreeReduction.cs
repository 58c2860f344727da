namespace JaxSharp.OpenCL.CodeGen;

/// <summary>
/// The shape of a work-group (local-memory tree) reduction: each output is combined by
/// <see cref="GroupsPerOutput"/> work groups of <see cref="GroupSize"/> work items. Each work
/// item walks its share of the reduced elements (computing the fused elementwise prologue on
/// the way), the group halves its accumulators in local memory down to one, and, with more than
/// one group per output, a second kernel combines the groups' partial results the same way.
/// </summary>
/// <param name="GroupSize">Work items of a group: a power of two, at most the device's maximum and <see cref="MaxGroupSize"/>.</param>
/// <param name="GroupsPerOutput">Groups that share one output's elements (1: a single pass).</param>
internal sealed record TreeReduction(int GroupSize, int GroupsPerOutput)
{
    /// <summary>Reductions of fewer elements per output keep one work item per output, which walks them alone.</summary>
    public const long MinLength = 1024;

    /// <summary>Reductions to more outputs than this keep one work item per output: there is parallelism enough.</summary>
    public const long MaxOutputs = 4096;

    /// <summary>The largest work group used.</summary>
    public const int MaxGroupSize = 256;

    /// <summary>Elements each work item walks at least before another group is added to an output.</summary>
    public const int ElementsPerItem = 8;

    /// <summary>Groups per compute unit to aim for, so that every unit has work while others wait on memory.</summary>
    public const int GroupsPerComputeUnit = 8;

    /// <summary>The most groups per output (the length of the second pass).</summary>
    public const int MaxGroupsPerOutput = 1024;

    /// <summary>
    /// The tree for <paramref name="outputs"/> outputs of <paramref name="length"/> elements each,
    /// combining <paramref name="accumulators"/> values of up to 8 bytes each in local memory; null
    /// when one work item per output suits better (short or many reductions) or the device's
    /// work groups are too small for a tree.
    /// </summary>
    public static TreeReduction? Plan(long outputs, long length, int accumulators, DeviceLimits limits)
    {
        if (outputs == 0 || length < MinLength || outputs > MaxOutputs) return null;
        var size = 1;
        while (size * 2 <= Math.Min(MaxGroupSize, limits.MaxWorkGroupSize) && (long)size * 2 * 8 * accumulators <= limits.LocalMemoryBytes) size *= 2;
        if (size < 16) return null;
        var filling = Math.Max(1, (long)limits.ComputeUnits * GroupsPerComputeUnit);
        var groups = Math.Min(CeilDiv(length, (long)size * ElementsPerItem), CeilDiv(filling, outputs));
        return new TreeReduction(size, (int)Math.Clamp(groups, 1, MaxGroupsPerOutput));
    }

    private static long CeilDiv(long x, long y) => (x + y - 1) / y;
}
