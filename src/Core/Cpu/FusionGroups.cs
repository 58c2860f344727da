namespace JaxSharp.Cpu;

/// <summary>
/// Which equations of a program are stored to buffers (materialised, each the root of a loop),
/// and which loops compute each of the others. Decided from the outputs back: a value is stored
/// when it is an output of the program, when a kernel reads it, when it is a reduction, when
/// several loops need it and it is expensive to compute (a transcendental function), or when
/// joining a loop that needs it would take that loop past <see cref="FusionPlanner.MaxLoopCost"/>
/// (a cut). Any other fusable value joins every loop that needs it: a cheap value that several
/// loops need is computed again in each.
/// </summary>
internal sealed class FusionGroups
{
    private FusionGroups(int count)
    {
        Materialised = new bool[count];
        Cut = new bool[count];
        Cost = new int[count];
        Members = new List<int>?[count];
    }

    /// <summary>Whether each equation is stored, the root of a loop.</summary>
    public bool[] Materialised { get; }

    /// <summary>Whether each stored equation is stored only because a loop that needs it was full.</summary>
    public bool[] Cut { get; }

    /// <summary>For each root, the cost of its loop (see <see cref="FusionPlanner.MaxLoopCost"/>).</summary>
    public int[] Cost { get; }

    /// <summary>For each root, the equations its loop computes, in program order (the root last); null for the others.</summary>
    public List<int>?[] Members { get; }

    /// <summary>The groups of <paramref name="program"/>, with the equations <paramref name="extra"/> stored too.</summary>
    public static FusionGroups Assign(ProgramFacts program, IReadOnlySet<int> extra)
    {
        var n = program.Count;
        var groups = new FusionGroups(n);
        var roots = new HashSet<int>[n];
        for (var i = n - 1; i >= 0; i--)
        {
            roots[i] = [];
            if (program.Lowerings[i] is KernelLowering) continue;
            var cost = Math.Max(1, program.Costs[i]);
            var forced = extra.Contains(i) || program.IsOutput[i] || program.Lowerings[i] is ReductionLowering
                || program.Consumers[i].Any(c => program.Lowerings[c] is KernelLowering);
            if (!forced)
            {
                foreach (var c in program.Consumers[i])
                    if (groups.Materialised[c]) roots[i].Add(c);
                    else roots[i].UnionWith(roots[c]);
                var shared = roots[i].Count > 1 && program.Costs[i] >= FusionPlanner.ExpensiveCost;
                var full = roots[i].Any(r => groups.Cost[r] + cost > FusionPlanner.MaxLoopCost);
                if (!shared && !full)
                {
                    foreach (var r in roots[i]) groups.Cost[r] += cost;
                    continue;
                }
                groups.Cut[i] = !shared;
            }
            groups.Materialised[i] = true;
            roots[i] = [i];
            groups.Cost[i] = cost;
        }
        for (var j = 0; j < n; j++)
        {
            if (groups.Materialised[j]) (groups.Members[j] ??= []).Add(j);
            else
                foreach (var r in roots[j]) (groups.Members[r] ??= []).Add(j);
        }
        return groups;
    }
}
