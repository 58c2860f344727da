using System.Linq.Expressions;
using System.Text;
using JaxSharp.IR;
using JaxSharp.Primitives;

namespace JaxSharp.Transforms;

/// <summary>
/// Simplifies a program before it is compiled, in one pass over its equations: constants are
/// folded (an equation of constants runs now), each primitive's algebraic rule is applied
/// (<see cref="Primitive.Simplify"/>: the <c>x * 1</c>, <c>x + 0</c>, <c>neg (neg x)</c>,
/// broadcasts of broadcasts that autodiff leaves behind), common subexpressions are shared
/// (the same primitive with equal parameters on the same atoms), and equations no output
/// needs are dropped. Programs nested in parameters (branches, loop bodies) are simplified
/// alike. An equation with several outputs is shared whole (each output stands
/// for the matching output of the first such equation), kept while any output is needed, and
/// neither folded nor rewritten.
/// </summary>
public static class Simplifier
{
    /// <summary>Constants of at most this many elements are compared by value, so that equal literals are shared.</summary>
    private const int InternedConstantSize = 64;

    /// <summary>An equation of constants is folded when its result has at most this many elements (or no more than an argument).</summary>
    private const int FoldedSize = 1024;

    /// <summary>What makes two equations the same computation: primitive, parameters and argument ids (a record class, not a tuple: see <c>LoopValue</c>).</summary>
    private sealed record SharedKey(Primitive Primitive, PrimitiveParams Params, string Arguments);

    /// <summary>The simplified program: same inputs, captures and outputs' values.</summary>
    /// <example><c>Simplifier.Simplify(Jax.MakeJaxpr(x => x * 1.0 + 0.0, x))</c> has no equations.</example>
    public static Jaxpr Simplify(Jaxpr jaxpr)
    {
        ArgumentNullException.ThrowIfNull(jaxpr);
        var avals = new Dictionary<Expression, AbstractValue>();
        var parameters = jaxpr.Lambda.Parameters;
        for (var i = 0; i < jaxpr.InputAvals.Count; i++) avals[parameters[i]] = jaxpr.InputAvals[i];
        for (var i = 0; i < jaxpr.CapturedValues.Count; i++) avals[parameters[jaxpr.InputAvals.Count + i]] = jaxpr.CapturedValues[i].Aval;
        var producers = new Dictionary<Expression, PrimitiveExpression>();
        var uses = new Dictionary<Expression, int>();
        foreach (var atom in jaxpr.Equations.SelectMany(e => e.Application.Arguments).Concat(jaxpr.Outputs))
            uses[atom] = uses.TryGetValue(atom, out var n) ? n + 1 : 1;
        var context = new SimplifyContext(avals, producers, uses);
        var substitutions = new Dictionary<Expression, Expression>();
        var interned = new Dictionary<string, ConstantExpression>();
        var shared = new Dictionary<SharedKey, IReadOnlyList<ParameterExpression>>();
        var ids = new Dictionary<Expression, int>(ReferenceEqualityComparer.Instance);
        var equations = new List<Equation>();

        Expression Resolve(Expression atom)
        {
            if (substitutions.TryGetValue(atom, out var s)) return s;
            if (atom is not ConstantExpression { Value: Tensor { Size: <= InternedConstantSize } t }) return atom;
            var key = ConstantKey(t);
            if (!interned.TryGetValue(key, out var canonical)) interned[key] = canonical = (ConstantExpression)atom;
            return canonical;
        }

        foreach (var eq in jaxpr.Equations)
        {
            var app = eq.Application.Update(eq.Application.Arguments.Select(Resolve).ToArray())
                .WithParams(SubPrograms.Rewrite(eq.Application.Params, Simplify));
            if (!app.MultipleResults)
            {
                if (Rewrite(app, context) is var rewritten && rewritten is not PrimitiveExpression)
                {
                    substitutions[eq.Variable] = Resolve(rewritten);
                    continue;
                }
                app = (PrimitiveExpression)rewritten;
            }
            var argumentIds = new int[app.Arguments.Count];
            for (var k = 0; k < argumentIds.Length; k++)
                argumentIds[k] = ids.TryGetValue(app.Arguments[k], out var id) ? id : ids[app.Arguments[k]] = ids.Count;
            var cseKey = new SharedKey(app.Primitive, app.Params, Ints.Joined(argumentIds));
            if (shared.TryGetValue(cseKey, out var existing) && existing.Select(v => avals[v]).SequenceEqual(app.Avals))
            {
                for (var k = 0; k < existing.Count; k++) substitutions[eq.Variables[k]] = existing[k];
                continue;
            }
            shared[cseKey] = eq.Variables;
            for (var k = 0; k < eq.Variables.Count; k++) avals[eq.Variables[k]] = app.Avals[k];
            if (!app.MultipleResults) producers[eq.Variable] = app;
            equations.Add(new Equation(eq.Variables, app));
        }
        var outputs = jaxpr.Outputs.Select(Resolve).ToArray();
        return Build(jaxpr, Live(equations, outputs), outputs);
    }

    /// <summary>The application after folding and algebraic rules: an atom, or the (possibly new) application.</summary>
    private static Expression Rewrite(PrimitiveExpression app, SimplifyContext context)
    {
        for (var step = 0; step < 16; step++)
        {
            if (Fold(app) is { } constant) return constant;
            var simpler = app.Primitive.Simplify(app, context);
            switch (simpler)
            {
                case null: return app;
                case PrimitiveExpression p when p.Aval == app.Aval && !ReferenceEquals(p, app): app = p; break;
                case PrimitiveExpression: return app;
                default: return simpler;
            }
        }
        return app;
    }

    /// <summary>The value of an equation whose arguments are all constants, when it is small; else null.</summary>
    private static ConstantExpression? Fold(PrimitiveExpression app)
    {
        if (app.Arguments.Count == 0 || !app.Arguments.All(a => a is ConstantExpression)) return null;
        var args = app.Arguments.Select(a => (Tensor)((ConstantExpression)a).Value!).ToArray();
        if (app.Aval.Shape.Size > Math.Max(FoldedSize, args.Max(a => a.Size))) return null;
        try
        {
            using var eager = ProgramBuilder.Suspend();
            return Expression.Constant(app.Primitive.Bind(app.Params, args), typeof(Tensor));
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The equations the outputs need, in order.</summary>
    private static List<Equation> Live(List<Equation> equations, IEnumerable<Expression> outputs)
    {
        var live = new HashSet<Expression>(outputs);
        var keep = new bool[equations.Count];
        for (var i = equations.Count - 1; i >= 0; i--)
        {
            if (!equations[i].Variables.Any(live.Contains)) continue;
            keep[i] = true;
            live.UnionWith(equations[i].Application.Arguments);
        }
        return equations.Where((_, i) => keep[i]).ToList();
    }

    private static Jaxpr Build(Jaxpr original, List<Equation> equations, Expression[] outputs)
    {
        var body = new List<Expression>(equations.Select(e => e.ToStatement()))
        {
            Expression.NewArrayInit(typeof(Tensor), outputs),
        };
        var lambda = Expression.Lambda(Expression.Block(typeof(Tensor[]), Equation.VariablesOf(equations), body), original.Lambda.Parameters);
        return new Jaxpr(lambda, original.InputAvals, original.CapturedValues);
    }

    /// <summary>A constant's type and values as text, equal for equal constants.</summary>
    internal static string ConstantKey(Tensor t)
    {
        var sb = new StringBuilder(t.Aval.ToString()).Append(t.Aval.Weak ? "~" : "").Append(':');
        foreach (var x in t.Data) sb.Append(x is float f ? BitConverter.SingleToInt32Bits(f) : x is double d ? BitConverter.DoubleToInt64Bits(d) : x).Append(',');
        return sb.ToString();
    }
}
