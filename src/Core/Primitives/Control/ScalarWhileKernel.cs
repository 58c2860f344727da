using System.Linq.Expressions;
using JaxSharp.Cpu;
using JaxSharp.IR;
using JaxSharp.Transforms;

namespace JaxSharp.Primitives.Control;

/// <summary>
/// The fast CPU loop of <see cref="While"/> for loops of scalars: when every value of the predicate
/// and of the body has one element and every equation is elementwise (or a view, which is the
/// identity on one element), the whole loop is one compiled expression tree: the carries are
/// locals, and <c>Expression.Loop</c> evaluates the predicate's and the body's element expressions
/// on them until the predicate fails (or, for a scan without sequences, for its length). No buffer,
/// program call or dispatch remains per step.
/// </summary>
internal static class ScalarWhileKernel
{
    /// <summary>The compiled loop (equation arguments, output buffers), or null when the loop does not qualify.</summary>
    public static Action<Array[], Array[]>? TryCompile(WhileParams p) =>
        TryCompile(Simplifier.Simplify(p.Cond), p.CondConstCount, Simplifier.Simplify(p.Body), p.BodyConstCount, p.CarryCount, count: null);

    /// <summary>
    /// The compiled loop of a <see cref="Scan"/> with no sequences in or out (what <c>fori_loop</c>
    /// with static bounds is): <paramref name="length"/> steps of the body over scalar carries, or
    /// null when the body does not qualify. Arguments: consts, carries; outputs: the carries.
    /// </summary>
    public static Action<Array[], Array[]>? TryCompileCounted(Jaxpr body, int constCount, int carryCount, int length) =>
        TryCompile(null, 0, Simplifier.Simplify(body), constCount, carryCount, length);

    /// <summary>The loop while <paramref name="cond"/> holds, or for <paramref name="count"/> steps when it is null.</summary>
    private static Action<Array[], Array[]>? TryCompile(Jaxpr? cond, int condConstCount, Jaxpr body, int bodyConstCount, int carryCount, int? count)
    {
        if ((cond is not null && !AllScalar(cond)) || !AllScalar(body)) return null;
        var inputs = Expression.Parameter(typeof(Array[]), "inputs");
        var outputs = Expression.Parameter(typeof(Array[]), "outputs");
        var locals = new List<ParameterExpression>();
        var setup = new List<Expression>();
        ParameterExpression Load(int argument, AbstractValue aval, string name)
        {
            var type = aval.DType.ClrType();
            var local = Expression.Variable(type, name);
            locals.Add(local);
            setup.Add(Expression.Assign(local, Expression.ArrayIndex(Expression.Convert(Expression.ArrayIndex(inputs, Expression.Constant(argument)), type.MakeArrayType()), Expression.Constant(0))));
            return local;
        }
        var (cc, bc, n) = (condConstCount, bodyConstCount, carryCount);
        var condConsts = Enumerable.Range(0, cc).Select(i => Load(i, cond!.InputAvals[i], $"condConst{i}")).ToArray();
        var bodyConsts = Enumerable.Range(0, bc).Select(i => Load(cc + i, body.InputAvals[i], $"bodyConst{i}")).ToArray();
        var carries = Enumerable.Range(0, n).Select(j => Load(cc + bc + j, body.InputAvals[bc + j], $"carry{j}")).ToArray();

        var step = new List<Expression>();
        var done = Expression.Label("done");
        if (cond is not null)
        {
            if (Emit(cond, [.. condConsts, .. carries], step, locals, "c") is not [var predicate]) return null;
            step.Add(Expression.IfThen(Expression.Not(predicate), Expression.Break(done)));
        }
        else
        {
            var counter = Expression.Variable(typeof(int), "step");
            locals.Add(counter);
            step.Add(Expression.IfThen(Expression.GreaterThanOrEqual(counter, Expression.Constant(count!.Value)), Expression.Break(done)));
            step.Add(Expression.PreIncrementAssign(counter));
        }
        if (Emit(body, [.. bodyConsts, .. carries], step, locals, "b") is not { } next) return null;
        // every next carry is computed before any carry changes
        var staged = next.Select((e, j) => Expression.Variable(carries[j].Type, $"next{j}")).ToArray();
        locals.AddRange(staged);
        step.AddRange(staged.Select((s, j) => Expression.Assign(s, next[j])));
        step.AddRange(carries.Select((c, j) => Expression.Assign(c, staged[j])));

        var store = carries.Select((c, j) => (Expression)Expression.Assign(
            Expression.ArrayAccess(Expression.Convert(Expression.ArrayIndex(outputs, Expression.Constant(j)), c.Type.MakeArrayType()), Expression.Constant(0)), c));
        var block = Expression.Block(locals, [.. setup, Expression.Loop(Expression.Block(step), done), .. store, Expression.Empty()]);
        return Expression.Lambda<Action<Array[], Array[]>>(block, "while_loop", [inputs, outputs]).Compile();
    }

    /// <summary>
    /// Whether every input and equation of <paramref name="program"/> holds one element and every equation
    /// is of a one-output primitive (a nested cond or loop, even with one output, takes the general loop).
    /// </summary>
    private static bool AllScalar(Jaxpr program) =>
        program.InputAvals.All(a => a.Shape.Size == 1)
        && program.Equations.All(e => !e.Application.MultipleResults && e.Application.Aval.Shape.Size == 1
            && e.Application.Arguments.All(a => a is not ConstantExpression { Value: Tensor { Size: not 1 } }));

    /// <summary>
    /// Appends to <paramref name="statements"/> one local per equation of <paramref name="program"/> on
    /// <paramref name="inputs"/>; returns the outputs' expressions, or null when an equation is not elementwise.
    /// </summary>
    private static Expression[]? Emit(Jaxpr program, Expression[] inputs, List<Expression> statements, List<ParameterExpression> locals, string prefix)
    {
        var values = new Dictionary<Expression, Expression>();
        for (var i = 0; i < inputs.Length; i++) values[program.Inputs[i]] = inputs[i];
        var avals = new Dictionary<Expression, AbstractValue>();
        for (var i = 0; i < inputs.Length; i++) avals[program.Inputs[i]] = program.InputAvals[i];
        Expression ValueOf(Expression atom) => atom is ConstantExpression { Value: Tensor t }
            ? Expression.Constant(t.Data.GetValue(0), t.DType.ClrType())
            : values[atom];
        AbstractValue AvalOf(Expression atom) => atom is ConstantExpression { Value: Tensor t } ? t.Aval : avals[atom];
        for (var e = 0; e < program.Equations.Count; e++)
        {
            var (variable, app) = (program.Equations[e].Variable, program.Equations[e].Application);
            var output = app.Aval.Strong;
            avals[variable] = output;
            var context = new LoweringContext(app.Arguments.Select(a => AvalOf(a).Strong).ToArray(), output, app.Params);
            var args = app.Arguments.Select(ValueOf).ToArray();
            switch (app.Primitive.LowerCpu(context))
            {
                case ViewLowering when args.Length == 1 && args[0].Type == output.DType.ClrType():
                    values[variable] = args[0];
                    break;
                case ElementwiseLowering element:
                    var result = element.Element(args);
                    if (result.Type != output.DType.ClrType()) return null;
                    var local = Expression.Variable(result.Type, $"{prefix}{e}");
                    locals.Add(local);
                    statements.Add(Expression.Assign(local, result));
                    values[variable] = local;
                    break;
                default:
                    return null;
            }
        }
        return program.Outputs.Select(ValueOf).ToArray();
    }
}
