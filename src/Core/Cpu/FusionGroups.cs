namespace JaxSharp.Cpu;

/// <summary>
/// Which equations of a program are stored to buffers (materialised: the roots of loops), and
/// which group of roots, one loop, computes each of the others. Decided from the outputs back:
/// a value is stored when it is an output of the program, when a kernel reads it, when it is a
/// reduction, when several groups need it and computing it again in each is expensive (a
/// transcendental function, or a run of at least <see cref="FusionPlanner.ExpensiveCost"/>
/// cheap operations behind it), or when joining a group that needs it would take that group past
/// <see cref="FusionPlanner.MaxLoopCost"/> (a cut). The values cut at one point (a gradient's
/// running sum and the cotangent chain beside it) form one group when they have one shape, so
/// that what both need is computed once rather than stored for two loops. A large view read
/// across rows (a transpose that moves the innermost axis, of at least
/// <see cref="CompiledLoop.ParallelElements"/> elements) is stored when an elementwise group
/// needs it: written by the register-blocked copy, it is read contiguously, which is faster than
/// the fused loop's lane-by-lane loads at that size (a reduction reads it in place, reordered).
/// Any other fusable value joins every group that needs it: a cheap value that several groups
/// need is computed again in each.
/// </summary>
internal sealed class FusionGroups
{
    private readonly List<int> _cost = [];
    private readonly List<List<int>> _members = [];
    // an array, not a List<bool>, whose code the framework leaves to the JIT; a stored equation opens at most one group
    private readonly bool[] _elementwise;

    private FusionGroups(int count)
    {
        Materialised = new bool[count];
        GroupOf = new int[count];
        _elementwise = new bool[count];
    }

    /// <summary>Whether each equation is stored, a root of its group's loop.</summary>
    public bool[] Materialised { get; }

    /// <summary>For each stored equation, its group.</summary>
    public int[] GroupOf { get; }

    /// <summary>The cost of a group's loop (see <see cref="FusionPlanner.MaxLoopCost"/>).</summary>
    public int Cost(int group) => _cost[group];

    /// <summary>The equations a group's loop computes, its roots included, in program order.</summary>
    public List<int> Members(int group) => _members[group];

    /// <summary>The groups of <paramref name="program"/>, with the equations <paramref name="extra"/> stored too.</summary>
    public static FusionGroups Assign(ProgramFacts program, IReadOnlySet<int> extra)
    {
        var n = program.Count;
        var groups = new FusionGroups(n);
        var forced = new bool[n];
        for (var i = 0; i < n; i++)
            forced[i] = program.Lowerings[i] is not (KernelLowering or MultiKernelLowering) && (extra.Contains(i) || program.IsOutput[i]
                || program.Lowerings[i] is ReductionLowering || FeedsKernel(program, i));
        var recompute = RecomputeCosts(program, forced);
        var roots = new HashSet<int>[n];
        var cutGroup = -1;
        AbstractValue? cutAval = null;
        for (var i = n - 1; i >= 0; i--)
        {
            roots[i] = new HashSet<int>(comparer: null); // not the parameterless constructor, which the framework leaves to the JIT over int
            if (program.Lowerings[i] is KernelLowering or MultiKernelLowering) continue;
            var cost = Math.Max(1, program.Costs[i]);
            var cut = false;
            if (!forced[i])
            {
                foreach (var c in program.Consumers[i])
                    if (groups.Materialised[c]) roots[i].Add(groups.GroupOf[c]);
                    else
                        foreach (var g in roots[c]) roots[i].Add(g); // not UnionWith, which enumerates through the interface the framework leaves to the JIT
                var shared = roots[i].Count > 1 && recompute[i] >= FusionPlanner.ExpensiveCost;
                var full = false;
                var elementwise = false;
                foreach (var g in roots[i])
                {
                    full |= groups._cost[g] + cost > FusionPlanner.MaxLoopCost;
                    elementwise |= groups._elementwise[g];
                }
                var transposed = elementwise && IsLargeTranspose(program, i);
                if (!shared && !full && !transposed)
                {
                    foreach (var g in roots[i]) groups._cost[g] += cost;
                    continue;
                }
                cut = full;
            }
            groups.Materialised[i] = true;
            var aval = program.Application(i).Aval.Strong;
            var group = cut && cutGroup >= 0 && groups._cost[cutGroup] + cost <= FusionPlanner.MaxLoopCost && aval == cutAval
                ? cutGroup : groups.NewGroup();
            if (cut) (cutGroup, cutAval) = (group, aval);
            groups.GroupOf[i] = group;
            groups._cost[group] += cost;
            groups._elementwise[group] |= program.Lowerings[i] is not ReductionLowering;
            roots[i] = new HashSet<int>(comparer: null) { group };
        }
        for (var j = 0; j < n; j++)
        {
            if (groups.Materialised[j]) groups._members[groups.GroupOf[j]].Add(j);
            else
                foreach (var g in roots[j]) groups._members[g].Add(j);
        }
        return groups;
    }

    /// <summary>Whether a kernel reads equation <paramref name="i"/> (a loop, not LINQ's Any over int, which every process would JIT-compile).</summary>
    private static bool FeedsKernel(ProgramFacts program, int i)
    {
        foreach (var c in program.Consumers[i])
            if (program.Lowerings[c] is KernelLowering or MultiKernelLowering) return true;
        return false;
    }

    /// <summary>Whether equation <paramref name="i"/> is a view of at least <see cref="CompiledLoop.ParallelElements"/> elements whose last axis steps its input by neither 0 nor 1.</summary>
    public static bool IsLargeTranspose(ProgramFacts program, int i) =>
        program.Lowerings[i] is ViewLowering { StrideArray: [.., not (0 or 1)] } && program.Application(i).Aval.Shape.Size >= CompiledLoop.ParallelElements;

    /// <summary>
    /// Whether equation <paramref name="i"/> is a view that keeps its operand's row-major order
    /// (a reshape, squeeze or expand_dims, a broadcast or transpose that only moves axes of size 1):
    /// stored, it is an alias of its operand's buffer (<see cref="CpuProgram.AliasRun"/>).
    /// </summary>
    public static bool Relabels(ProgramFacts program, int i)
    {
        if (program.Lowerings[i] is not ViewLowering view) return false;
        if (view.StrideArray is not { } strides) return true;
        var shape = program.Application(i).Aval.Shape;
        if (program.AvalOf(program.Application(i).Arguments[0]).Shape.Size != shape.Size) return false;
        var rowMajor = shape.Strides();
        for (var d = 0; d < shape.Rank; d++)
            if (shape[d] > 1 && strides[d] != rowMajor[d]) return false;
        return true;
    }

    private int NewGroup()
    {
        _cost.Add(0);
        _members.Add([]);
        return _cost.Count - 1;
    }

    /// <summary>
    /// For each equation, the cost of computing it again inside another loop: its own cost and
    /// that of the fusable values behind it, up to the stored ones (counted as if every value
    /// not forced to be stored were fused, and capped at <see cref="FusionPlanner.MaxLoopCost"/>).
    /// </summary>
    private static int[] RecomputeCosts(ProgramFacts program, bool[] forced)
    {
        var costs = new int[program.Count];
        for (var i = 0; i < program.Count; i++)
        {
            if (program.Lowerings[i] is KernelLowering or MultiKernelLowering) continue;
            var cost = program.Costs[i];
            foreach (var a in program.Application(i).Arguments)
                if (program.EquationOf.TryGetValue(a, out var producer) && !forced[producer]) cost += costs[producer];
            costs[i] = Math.Min(cost, FusionPlanner.MaxLoopCost);
        }
        return costs;
    }
}
