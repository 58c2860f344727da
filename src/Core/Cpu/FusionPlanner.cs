namespace JaxSharp.Cpu;

/// <summary>One step of a planned program: a fused loop, or an equation that runs as its own kernel.</summary>
internal abstract record PlannedStep(int Root);

/// <summary>An equation lowered to a kernel over buffers (dot_general, gather, sort...).</summary>
internal sealed record KernelStep(int Root, KernelLowering Lowering) : PlannedStep(Root);

/// <summary>A group of equations computed by one loop nest.</summary>
internal sealed record LoopStep(int Root, FusedLoop Loop) : PlannedStep(Root);

/// <summary>
/// Groups a program's equations into fusions. Elementwise equations and views (broadcasts,
/// reshapes) fuse into the loop of the value they feed; a reduction ends a group. Which values
/// are stored and which loops compute the others is <see cref="FusionGroups"/>' decision. A
/// value whose index arithmetic cannot follow a reshape is stored too, and the plan made again.
/// Loops cut apart by <see cref="MaxLoopCost"/> that run one after the other over the same
/// shape are joined back, up to that cost, into one loop that stores each of their values:
/// without that, the forward values that a gradient's backward pass reads would each be a loop.
/// </summary>
internal static class FusionPlanner
{
    /// <summary>The per-element cost from which a value shared by several groups is stored rather than recomputed.</summary>
    public const int ExpensiveCost = 8;

    /// <summary>
    /// The most work one fused loop holds, in <see cref="ElementCost"/> units (1 per operation,
    /// 16 per call: a transcendental function), each equation counting at least 1. A longer
    /// run of fusable equations is cut into several loops (the value at the cut is stored), so
    /// that the expression tree handed to <c>Expression.Compile</c> and the method the JIT makes
    /// of it stay small however long the program is. Measured on chains of one op and an add
    /// (float32 and float64, AVX-512): the JIT optimises a loop up to a cost of about 850 (400
    /// mul-adds, 50 sin or tanh or exp with an add), and past about 1,200 falls back to
    /// unoptimised code, 3 to 15 times slower per element (its limit of 2,000 locals); a loop of
    /// 64,000 locals (32,000 mul-adds) no longer compiles (InvalidProgramException), and one of
    /// 20,000 overflows a 1 MB stack when it runs. 256 leaves a factor of 3 for wider vector
    /// forms; a cut costs one store and one load per element.
    /// </summary>
    public const int MaxLoopCost = 256;

    /// <summary>The steps of the program, in an order that respects its data flow.</summary>
    public static IReadOnlyList<PlannedStep> Plan(ProgramFacts program)
    {
        var extra = new HashSet<int>();
        while (true)
        {
            var groups = FusionGroups.Assign(program, extra);
            var steps = new List<PlannedStep>();
            var joined = new List<int>();
            int? failed = null;
            for (var i = 0; i < program.Count && failed is null; i++)
            {
                var kernel = program.Lowerings[i] as KernelLowering;
                if (kernel is null && !groups.Materialised[i]) continue;
                if (kernel is null && joined.Count > 0 && CanJoin(program, groups, joined, i))
                {
                    joined.Add(i);
                    continue;
                }
                failed = AddLoops(program, groups, joined, steps);
                joined.Clear();
                if (kernel is not null) steps.Add(new KernelStep(i, kernel));
                else joined.Add(i);
            }
            failed ??= AddLoops(program, groups, joined, steps);
            if (failed is null) return steps;
            extra.Add(failed.Value);
        }
    }

    /// <summary>
    /// Whether the loop of root <paramref name="next"/> may join the loops of <paramref name="roots"/>,
    /// which run just before it: the last of them was cut apart by the cost bound, none is a
    /// reduction, all store values of one shape and dtype, and the whole stays within the bound.
    /// </summary>
    private static bool CanJoin(ProgramFacts program, FusionGroups groups, List<int> roots, int next)
    {
        var last = roots[^1];
        return groups.Cut[last]
            && program.Lowerings[next] is not ReductionLowering
            && program.Application(next).Aval.Strong == program.Application(last).Aval.Strong
            && roots.Sum(r => groups.Cost[r]) + groups.Cost[next] <= MaxLoopCost;
    }

    /// <summary>
    /// Adds the loop that stores <paramref name="roots"/> (or, when their joined loop cannot be
    /// indexed, one loop per root); returns the equation whose indexing failed, if one did.
    /// </summary>
    private static int? AddLoops(ProgramFacts program, FusionGroups groups, List<int> roots, List<PlannedStep> steps)
    {
        if (roots.Count == 0) return null;
        var members = roots.Count == 1 ? groups.Members[roots[0]]! : roots.SelectMany(r => groups.Members[r]!).Distinct().Order().ToList();
        if (FusedLoop.Build(program, [.. roots], [.. members], out var failing) is { } loop)
        {
            steps.Add(new LoopStep(roots[^1], loop));
            return null;
        }
        if (roots.Count == 1) return failing;
        foreach (var root in roots)
            if (AddLoops(program, groups, [root], steps) is { } failed) return failed;
        return null;
    }
}
