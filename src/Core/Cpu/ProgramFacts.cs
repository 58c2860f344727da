using System.Linq.Expressions;
using JaxSharp.IR;
using JaxSharp.Primitives.Control;

namespace JaxSharp.Cpu;

/// <summary>What the planner and the loop builder know of a program's equations.</summary>
internal sealed class ProgramFacts
{
    private static long s_controlFlowLowerings;

    /// <summary>How many control-flow equations (cond, while, scan) were lowered for the CPU in this process, compiling their bodies (tests check that device programs lower none).</summary>
    internal static long ControlFlowLowerings => Interlocked.Read(ref s_controlFlowLowerings);

    /// <param name="jaxpr">The program.</param>
    /// <param name="controlFlowOnDevice">
    /// The program is built for a device that runs cond, while and scan itself: they get a
    /// placeholder of their lowering's kind, which the planner needs, rather than CPU delegates of
    /// their bodies that would be compiled for nothing.
    /// </param>
    public ProgramFacts(Jaxpr jaxpr, bool controlFlowOnDevice = false)
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
            var controlFlow = app.Primitive is Cond or While or Scan;
            if (controlFlow && !controlFlowOnDevice) Interlocked.Increment(ref s_controlFlowLowerings);
            Lowerings[i] = controlFlow && controlFlowOnDevice ? OnDeviceOnly(app.Primitive.Name) : app.Primitive.LowerCpu(context);
            Costs[i] = Lowerings[i] is ElementwiseLowering e ? ElementCost.Of(e, context) : 0;
            Consumers[i] = [];
            for (var k = 0; k < app.Arguments.Count; k++)
                if (EquationOf.TryGetValue(app.Arguments[k], out var producer) && !ReadBefore(app.Arguments, k)) Consumers[producer].Add(i);
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

    /// <summary>The lowering of a control-flow equation that its device runs: a multi-output kernel, as the CPU's, that is never run.</summary>
    private static MultiKernelLowering OnDeviceOnly(string primitive) =>
        new((_, _) => throw new InvalidOperationException($"{primitive}: this program runs it on its device; it has no CPU lowering"));

    /// <summary>Whether argument <paramref name="k"/> is also an earlier argument (<c>x * x</c>), so that each consumer is listed once.</summary>
    private static bool ReadBefore(IReadOnlyList<Expression> arguments, int k)
    {
        for (var j = 0; j < k; j++)
            if (arguments[j] == arguments[k]) return true;
        return false;
    }

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
