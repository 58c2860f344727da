using System.Linq.Expressions;
using JaxSharp.Primitives;

namespace JaxSharp.IR;

/// <summary>
/// Records primitives as the equations of a let-normal program. A staging builder (jit,
/// makeJaxpr) records every primitive applied while it is the innermost one, as JAX's
/// omnistaging does; a dependent builder (vmap's per-example program, the tangent program of
/// linearize) records only primitives applied to its own values, and everything else runs in the
/// enclosing context, so values that do not depend on its inputs stay concrete. Values of an
/// outer level used inside become extra inputs (captures), and concrete tensors constants.
/// </summary>
internal sealed class ProgramBuilder : Trace
{
    private readonly List<ParameterExpression> _inputs = [];
    private readonly List<AbstractValue> _inputAvals = [];
    private readonly List<Equation> _equations = [];
    private int _variableCount;
    private readonly Dictionary<Tensor, ParameterExpression> _captures = new(ReferenceEqualityComparer.Instance);
    private readonly List<Tensor> _capturedValues = [];

    private ProgramBuilder(bool stages) : base(stages) { }

    /// <summary>Starts a staging program (jit, makeJaxpr): it records every primitive until disposed.</summary>
    public static ProgramBuilder Begin() => new(stages: true);

    /// <summary>Starts a program that records only the primitives applied to its own values, until disposed.</summary>
    public static ProgramBuilder BeginDependent() => new(stages: false);

    /// <summary>A new input of the program, as a traced tensor.</summary>
    public Tensor NewInput(AbstractValue aval)
    {
        var p = Expression.Parameter(typeof(Tensor), $"in{_inputs.Count}");
        _inputs.Add(p);
        _inputAvals.Add(aval);
        return new Tensor(new Tracer(this, p, aval));
    }

    /// <summary>Records <paramref name="primitive"/> applied to <paramref name="args"/> as a new equation, with a variable per output.</summary>
    public override Tensor[] Process(Primitive primitive, PrimitiveParams parameters, Tensor[] args)
    {
        var atoms = new Expression[args.Length];
        var avals = new AbstractValue[args.Length];
        for (var i = 0; i < args.Length; i++) { atoms[i] = Atom(args[i]); avals[i] = args[i].Aval; }
        var rhs = PrimitiveExpression.Create(primitive, atoms, avals, parameters);
        var variables = new ParameterExpression[rhs.Avals.Count];
        var outputs = new Tensor[variables.Length];
        for (var k = 0; k < variables.Length; k++)
        {
            variables[k] = Expression.Variable(typeof(Tensor), $"v{_variableCount++}");
            outputs[k] = new Tensor(new Tracer(this, variables[k], rhs.Avals[k]));
        }
        _equations.Add(new Equation(variables, rhs));
        return outputs;
    }

    /// <summary>The atom that stands for <paramref name="t"/> in this program.</summary>
    private Expression Atom(Tensor t)
    {
        if (t.Tracer?.Builder == this) return t.Tracer.Expression;
        if (t.Owner is not { } owner)
            return t.IsShapeOnly ? throw t.NoValue("a traced program uses it as a constant") : Expression.Constant(t, typeof(Tensor));
        if (owner.Ended || owner.IsLiveOnAnotherThread || owner.Depth > Depth) throw owner.Misused(t, null);
        if (!_captures.TryGetValue(t, out var p))
        {
            p = Expression.Parameter(typeof(Tensor), $"cap{_captures.Count}");
            _captures.Add(t, p);
            _capturedValues.Add(t);
        }
        return p;
    }

    /// <summary>Closes the program with its outputs; the builder must be the innermost one.</summary>
    public Jaxpr Finish(IReadOnlyList<Tensor> outputs)
    {
        var outAtoms = outputs.Select(Atom).ToArray();
        var equations = LiveEquations(outAtoms);
        var variables = Equation.VariablesOf(equations);
        var body = new List<Expression>(equations.Select(e => e.ToStatement())) { Expression.NewArrayInit(typeof(Tensor), outAtoms) };
        var parameters = _inputs.Concat(_captures.Values).ToArray();
        var lambda = Expression.Lambda(Expression.Block(typeof(Tensor[]), variables, body), parameters);
        return new Jaxpr(lambda, _inputAvals, _capturedValues);
    }

    /// <summary>
    /// The equations the outputs depend on, in order (dead-code elimination: primitives are
    /// pure, so an equation nothing reads is dropped, e.g. the primal outputs a gradient discards;
    /// an equation with several outputs is kept whole when any of them is read).
    /// </summary>
    private List<Equation> LiveEquations(IEnumerable<Expression> outputs)
    {
        var live = new HashSet<Expression>(outputs);
        var keep = new bool[_equations.Count];
        for (var i = _equations.Count - 1; i >= 0; i--)
        {
            if (!_equations[i].Variables.Any(live.Contains)) continue;
            keep[i] = true;
            live.UnionWith(_equations[i].Application.Arguments);
        }
        return _equations.Where((_, i) => keep[i]).ToList();
    }
}
