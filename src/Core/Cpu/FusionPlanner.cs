using System.Linq.Expressions;
using JaxSharp.IR;

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
/// reshapes) fuse into the loop of the value they feed; a reduction ends a group. A value is
/// materialised (written to a buffer, the root of its own group) when it is an output of the
/// program, when a kernel reads it, when it is a reduction, or when several groups need it and
/// it is expensive to compute (a transcendental function); a cheap value that several groups
/// need is computed again in each. A value whose index arithmetic cannot follow a reshape is
/// materialised too.
/// </summary>
internal static class FusionPlanner
{
    /// <summary>The per-element cost from which a value shared by several groups is stored rather than recomputed.</summary>
    public const int ExpensiveCost = 8;

    /// <summary>The steps of <paramref name="jaxpr"/> in an order that respects its data flow.</summary>
    public static IReadOnlyList<PlannedStep> Plan(Jaxpr jaxpr)
    {
        var program = new ProgramFacts(jaxpr);
        var extra = new HashSet<int>();
        while (true)
        {
            var materialised = Materialised(program, extra, out var roots);
            var steps = new List<PlannedStep>();
            int? failed = null;
            for (var i = 0; i < program.Count && failed is null; i++)
            {
                if (program.Lowerings[i] is KernelLowering k) { steps.Add(new KernelStep(i, k)); continue; }
                if (program.Lowerings[i] is MultiKernelLowering m) { steps.Add(new MultiKernelStep(i, m)); continue; }
                if (!materialised[i]) continue;
                var members = Enumerable.Range(0, i + 1).Where(j => j == i || (!materialised[j] && roots[j].Contains(i))).ToArray();
                var loop = FusedLoop.Build(program, i, members, out var failing);
                if (loop is null) failed = failing;
                else steps.Add(new LoopStep(i, loop));
            }
            if (failed is null) return steps;
            extra.Add(failed.Value);
        }
    }

    /// <summary>Which equations are stored to buffers, and for each fused one the groups (roots) that compute it.</summary>
    private static bool[] Materialised(ProgramFacts program, HashSet<int> extra, out HashSet<int>[] roots)
    {
        var n = program.Count;
        var materialised = new bool[n];
        roots = new HashSet<int>[n];
        for (var i = n - 1; i >= 0; i--)
        {
            roots[i] = [];
            if (program.Lowerings[i] is KernelLowering or MultiKernelLowering) continue;
            var forced = extra.Contains(i) || program.IsOutput[i] || program.Lowerings[i] is ReductionLowering
                || program.Consumers[i].Any(c => program.Lowerings[c] is KernelLowering or MultiKernelLowering);
            if (forced)
            {
                materialised[i] = true;
                roots[i].Add(i);
                continue;
            }
            foreach (var c in program.Consumers[i])
                if (materialised[c]) roots[i].Add(c);
                else roots[i].UnionWith(roots[c]);
            if (roots[i].Count > 1 && program.Costs[i] >= ExpensiveCost)
            {
                materialised[i] = true;
                roots[i] = [i];
            }
        }
        return materialised;
    }
}

/// <summary>What the planner and the loop builder know of a program's equations.</summary>
internal sealed class ProgramFacts
{
    public ProgramFacts(Jaxpr jaxpr)
    {
        Jaxpr = jaxpr;
        Count = jaxpr.Equations.Count;
        for (var i = 0; i < jaxpr.InputAvals.Count; i++) Avals[jaxpr.Inputs[i]] = jaxpr.InputAvals[i];
        for (var i = 0; i < Count; i++)
        {
            var eq = jaxpr.Equations[i];
            for (var k = 0; k < eq.Variables.Count; k++)
            {
                EquationOf[eq.Variables[k]] = i;
                Avals[eq.Variables[k]] = eq.Application.Avals[k];
            }
        }
        Lowerings = new CpuLowering[Count];
        Costs = new int[Count];
        Consumers = new List<int>[Count];
        IsOutput = new bool[Count];
        for (var i = 0; i < Count; i++)
        {
            var app = jaxpr.Equations[i].Application;
            var outputs = app.Avals.Select(a => a.Strong).ToArray();
            var context = new LoweringContext(app.Arguments.Select(a => AvalOf(a).Strong).ToArray(), outputs[0], app.Params) { Outputs = outputs };
            Lowerings[i] = app.Primitive.LowerCpu(context);
            Costs[i] = Lowerings[i] is ElementwiseLowering e ? ElementCost.Of(e, context) : 0;
            Consumers[i] = [];
            foreach (var a in app.Arguments.Distinct())
                if (EquationOf.TryGetValue(a, out var producer)) Consumers[producer].Add(i);
        }
        foreach (var o in jaxpr.Outputs)
            if (EquationOf.TryGetValue(o, out var producer)) IsOutput[producer] = true;
    }

    public Jaxpr Jaxpr { get; }
    public int Count { get; }
    public Dictionary<Expression, int> EquationOf { get; } = [];
    public Dictionary<Expression, AbstractValue> Avals { get; } = [];
    public CpuLowering[] Lowerings { get; }
    public int[] Costs { get; }
    public List<int>[] Consumers { get; }
    public bool[] IsOutput { get; }

    public PrimitiveExpression Application(int equation) => Jaxpr.Equations[equation].Application;

    public AbstractValue AvalOf(Expression atom) => atom is ConstantExpression { Value: Tensor t } ? t.Aval : Avals[atom];
}

/// <summary>The per-element cost of an element expression: one per operation, more for calls and invoked functions (exp, log, pow...).</summary>
internal sealed class ElementCost : ExpressionVisitor
{
    private int _cost;

    public static int Of(ElementwiseLowering lowering, LoweringContext context)
    {
        var args = context.Inputs.Select((a, i) => (Expression)Expression.Parameter(a.DType.ClrType(), $"x{i}")).ToArray();
        var counter = new ElementCost();
        counter.Visit(lowering.Element(args));
        return counter._cost;
    }

    public override Expression? Visit(Expression? node)
    {
        if (node is not null and not ParameterExpression and not ConstantExpression) _cost += node is MethodCallExpression or InvocationExpression ? 16 : 1;
        return base.Visit(node);
    }
}
