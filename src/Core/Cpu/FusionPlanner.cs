namespace JaxSharp.Cpu;

/// <summary>One step of a planned program: a fused loop, or an equation that runs as its own kernel.</summary>
internal abstract record PlannedStep(int Root);

/// <summary>An equation lowered to a kernel over buffers (dot_general, gather, sort...).</summary>
internal sealed record KernelStep(int Root, KernelLowering Lowering) : PlannedStep(Root);

/// <summary>An equation with several outputs, lowered to one kernel that writes them all: a barrier to fusion.</summary>
internal sealed record MultiKernelStep(int Root, MultiKernelLowering Lowering) : PlannedStep(Root);

/// <summary>A group of equations computed by one loop nest.</summary>
internal sealed record LoopStep(int Root, FusedLoop Loop) : PlannedStep(Root);

/// <summary>
/// Groups a program's equations into fusions. Elementwise equations and views (broadcasts,
/// reshapes) fuse into the loop of the value they feed; a reduction ends a group. Which values
/// are stored and which loops compute the others is <see cref="FusionGroups"/>' decision. A
/// value whose index arithmetic cannot follow a reshape is stored too, and the plan made again.
/// Loops are then joined, up to <see cref="MaxLoopCost"/>: elementwise loops over one shape into
/// one loop that stores each of their values, small reductions over the same axes into one loop
/// with an accumulator each. That is one pass over the data instead of several, and the forward
/// values that a gradient's backward pass reads are stored by a few loops rather than one each.
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
    /// unoptimised code, 3 to 12 times slower per element (its limit of 2,000 locals); a loop of
    /// 10,000 mul-adds overflows a 1 MB stack when it runs, and one of 20,000 (80,000 locals) no
    /// longer compiles (InvalidProgramException). 256 leaves a factor of 3 for wider vector
    /// forms; a cut costs one store and one load per element. See docs/jit.md.
    /// </summary>
    public const int MaxLoopCost = 256;

    /// <summary>
    /// The steps of the program, in an order that respects its data flow. With
    /// <paramref name="columnSumsInMaps"/> (the CPU's loops, which run a row at a time), a
    /// reduction over leading axes whose operand has the shape of an open elementwise loop joins
    /// that loop: a bias gradient, the column sum of the cotangent the loop computes, is summed
    /// as the loop stores the cotangent, not in a pass of its own.
    /// </summary>
    public static IReadOnlyList<PlannedStep> Plan(ProgramFacts program, bool columnSumsInMaps = false)
    {
        var extra = new HashSet<int>(comparer: null); // the sets of ints here: not the parameterless constructor, which the framework leaves to the JIT
        while (true)
        {
            var schedule = new Schedule(program, FusionGroups.Assign(program, extra), columnSumsInMaps);
            for (var i = 0; i < program.Count && schedule.Failed is null; i++) schedule.Add(i);
            schedule.CloseAll();
            if (schedule.Failed is not { } failed) return schedule.Steps;
            if (!extra.Add(failed))
                throw new InvalidOperationException($"fusion: {program.Application(failed).Primitive.Name} (equation {failed}) cannot be indexed even when stored");
        }
    }

    /// <summary>
    /// The steps in order, built one equation at a time. A loop stays open for later roots of
    /// its kind to join it and run at its place: elementwise roots of its shape, or reductions
    /// over the same axes of operands of its shape (on fewer than
    /// <see cref="CompiledLoop.ParallelElements"/>: one loop, one core). A root joins when it is
    /// of the loop's groups, or the whole stays within <see cref="MaxLoopCost"/>, and it reads
    /// nothing stored by steps placed after the loop.
    /// </summary>
    private sealed class Schedule(ProgramFacts program, FusionGroups groups, bool columnSumsInMaps)
    {
        private readonly List<List<PlannedStep>> _places = [];
        private readonly List<OpenLoop> _open = [];

        /// <summary>The steps planned so far, in order.</summary>
        public List<PlannedStep> Steps => [.. _places.SelectMany(p => p)];

        /// <summary>The equation whose index arithmetic failed (to be stored in the next plan), if one did.</summary>
        public int? Failed { get; private set; }

        /// <summary>Plans equation <paramref name="i"/>: a kernel, a loop's root, or a fused value (nothing to do).</summary>
        public void Add(int i)
        {
            if (program.Lowerings[i] is KernelLowering kernel)
            {
                Place(new KernelStep(i, kernel));
                return;
            }
            if (program.Lowerings[i] is MultiKernelLowering multi)
            {
                Place(new MultiKernelStep(i, multi));
                return;
            }
            if (!groups.Materialised[i]) return;
            if (columnSumsInMaps && ColumnSumKind(i) is { } map && _open.Find(o => o.Kind == map) is { } producing && CanJoin(producing, i))
            {
                Join(producing, i);
                return;
            }
            var kind = KindOf(i);
            if (kind is null)
            {
                if (Loop([i], GroupSet(i)) is { } loop) Place(loop);
                return;
            }
            var open = _open.Find(o => o.Kind == kind);
            if (open is not null && CanJoin(open, i))
            {
                Join(open, i);
                return;
            }
            if (open is not null) Close(open);
            _places.Add([]);
            open = new OpenLoop(kind, _places.Count - 1) { Cost = groups.Cost(groups.GroupOf[i]) };
            open.Roots.Add(i);
            open.Groups.Add(groups.GroupOf[i]);
            _open.Add(open);
            Stored(i, open.Place);
        }

        /// <summary>Adds root <paramref name="i"/> (and its group) to the open loop: it is stored at the loop's place.</summary>
        private void Join(OpenLoop open, int i)
        {
            open.Roots.Add(i);
            if (open.Groups.Add(groups.GroupOf[i])) open.Cost += groups.Cost(groups.GroupOf[i]);
            Stored(i, open.Place);
        }

        /// <summary>
        /// For a reduction that keeps its operand's last axis and its dtype (a column sum), the
        /// kind of the elementwise loops it may join: its operand's shape and dtype; else null.
        /// </summary>
        private string? ColumnSumKind(int i)
        {
            if (program.Lowerings[i] is not ReductionLowering reduction) return null;
            var app = program.Application(i);
            var operand = program.AvalOf(app.Arguments[0]);
            if (operand.Shape.Rank == 0 || reduction.Axes.Contains(operand.Shape.Rank - 1) || app.Aval.DType != operand.DType) return null;
            return $"map {operand.Strong}";
        }

        /// <summary>Places every open loop.</summary>
        public void CloseAll()
        {
            while (_open.Count > 0) Close(_open[0]);
        }

        /// <summary>Places an open loop (or, when the joined loop cannot be indexed, one loop per root and its group) at its place.</summary>
        private void Close(OpenLoop open)
        {
            _open.Remove(open);
            if (Failed is not null) return;
            // the loop's result is its last elementwise root: column sums joined after it are side outputs
            var roots = new List<int>();
            foreach (var r in open.Roots)
                if (program.Lowerings[r] is ReductionLowering) roots.Add(r);
            foreach (var r in open.Roots)
                if (program.Lowerings[r] is not ReductionLowering) roots.Add(r);
            var loops = new List<LoopStep?>();
            if (Loop(roots.ToArray(), open.Groups) is { } joined) loops.Add(joined);
            else if (roots.Count > 1)
                foreach (var r in roots) loops.Add(Loop([r], GroupSet(r)));
            if (Failed is null) _places[open.Place].AddRange(loops!);
        }

        /// <summary>The set of the one group of equation <paramref name="i"/>.</summary>
        private HashSet<int> GroupSet(int i) => new(comparer: null) { groups.GroupOf[i] };

        /// <summary>
        /// What loops the root <paramref name="i"/> may share: the shape and dtype it stores, or
        /// for a small reduction also its operand's and axes; null for a reduction too large to
        /// join, a large transpose (stored to be written by the blocked copy, a loop of its own), or
        /// a value that only relabels a stored one (a reshape: an alias of its buffer, no loop at all).
        /// </summary>
        private string? KindOf(int i)
        {
            var app = program.Application(i);
            if (FusionGroups.IsLargeTranspose(program, i) || groups.Members(groups.GroupOf[i]).All(m => FusionGroups.Relabels(program, m))) return null;
            if (program.Lowerings[i] is not ReductionLowering reduction) return $"map {app.Aval.Strong}";
            var operand = program.AvalOf(app.Arguments[0]);
            return operand.Shape.Size < CompiledLoop.ParallelElements ? $"reduce {operand.Strong} {reduction.Axes} to {app.Aval.Strong}" : null;
        }

        private void Place(PlannedStep step)
        {
            _places.Add([step]);
            Stored(step.Root, _places.Count - 1);
        }

        /// <summary>Notes that <paramref name="equation"/> is stored at <paramref name="place"/>: loops open before it may not read it.</summary>
        private void Stored(int equation, int place)
        {
            foreach (var open in _open)
                if (open.Place < place) open.StoredAfter.Add(equation);
        }

        /// <summary>
        /// Whether root <paramref name="next"/> may join <paramref name="open"/>: within the cost
        /// bound, reading nothing stored after the loop's place, and not reading the loop's
        /// reductions (which are only complete when the loop ends).
        /// </summary>
        private bool CanJoin(OpenLoop open, int next)
        {
            var group = groups.GroupOf[next];
            if (!open.Groups.Contains(group) && open.Cost + groups.Cost(group) > MaxLoopCost) return false;
            foreach (var member in groups.Members(group))
                foreach (var arg in program.Application(member).Arguments)
                    if (program.EquationOf.TryGetValue(arg, out var producer)
                        && (open.StoredAfter.Contains(producer) || open.Roots.Contains(producer) && program.Lowerings[producer] is ReductionLowering))
                        return false;
            return true;
        }

        /// <summary>
        /// The loop storing <paramref name="roots"/>, fusing the members of <paramref name="memberGroups"/>
        /// (stored values other than the roots are read, not computed again); null when its
        /// indexing fails (recorded in <see cref="Failed"/> for a single root).
        /// </summary>
        /// <remarks>
        /// The members are gathered by loops (ascending: each group's are in program order), not LINQ's
        /// SelectMany, Distinct and Order over int, whose instantiations every process would JIT-compile.
        /// </remarks>
        private LoopStep? Loop(int[] roots, HashSet<int> memberGroups)
        {
            var isMember = new bool[program.Count];
            foreach (var group in memberGroups)
                foreach (var m in groups.Members(group))
                    if (!groups.Materialised[m] || Ints.IndexOf(roots, m) >= 0) isMember[m] = true;
            var members = new List<int>();
            for (var m = 0; m < isMember.Length; m++)
                if (isMember[m]) members.Add(m);
            if (FusedLoop.Build(program, roots, members.ToArray(), out var failing) is { } loop) return new LoopStep(roots[^1], loop);
            if (roots.Length == 1) Failed ??= failing;
            return null;
        }

        /// <summary>A loop still taking roots: its kind, its place among the steps, its roots and groups, and what is stored after it.</summary>
        private sealed class OpenLoop(string kind, int place)
        {
            public string Kind { get; } = kind;
            public int Place { get; } = place;
            public List<int> Roots { get; } = [];
            public HashSet<int> Groups { get; } = new(comparer: null);
            public HashSet<int> StoredAfter { get; } = new(comparer: null);
            public int Cost { get; set; }
        }
    }
}
