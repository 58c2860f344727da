using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using JaxSharp.Primitives;

namespace JaxSharp.IR;

/// <summary>
/// Records primitives applied to traced tensors as the equations of a let-normal program.
/// Builders nest (grad of jit of ...): the innermost active one records every primitive; a
/// tracer of an outer builder used inside becomes an extra input (a capture), and a concrete
/// tensor becomes a constant. A tracer whose builder has finished is a leaked tracer: an error.
/// </summary>
internal sealed class ProgramBuilder : IDisposable
{
    [ThreadStatic] private static ProgramBuilder? s_current;

    private readonly List<ParameterExpression> _inputs = [];
    private readonly List<AbstractValue> _inputAvals = [];
    private readonly List<ParameterExpression> _variables = [];
    private readonly List<Expression> _equations = [];
    private readonly Dictionary<Tensor, ParameterExpression> _captures = new(ReferenceEqualityComparer.Instance);
    private readonly List<Tensor> _capturedValues = [];
    private readonly ProgramBuilder? _parent;
    private readonly int _thread = Environment.CurrentManagedThreadId;
    private bool _finished;

    private ProgramBuilder(ProgramBuilder? parent) => _parent = parent;

    /// <summary>
    /// Whether this builder is still recording, on a thread other than the caller's: its
    /// tracers met on this thread were handed across threads, not leaked.
    /// </summary>
    public bool IsRecordingOnAnotherThread => !Volatile.Read(ref _finished) && _thread != Environment.CurrentManagedThreadId;

    /// <summary>The innermost active builder, or null when running eagerly.</summary>
    public static ProgramBuilder? Current => s_current;

    /// <summary>Starts a program; it records until disposed.</summary>
    public static ProgramBuilder Begin() => s_current = new ProgramBuilder(s_current);

    /// <summary>
    /// Runs eagerly until disposed, even inside a trace: for host work on concrete values,
    /// such as converting a literal to the dtype of the tensor it meets.
    /// </summary>
    public static Suspension Suspend()
    {
        var suspended = s_current;
        s_current = null;
        return new Suspension(suspended);
    }

    /// <summary>Restores the trace that <see cref="Suspend"/> set aside.</summary>
    public readonly struct Suspension(ProgramBuilder? suspended) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose() => s_current = suspended;
    }

    /// <summary>A new input of the program, as a traced tensor.</summary>
    public Tensor NewInput(AbstractValue aval)
    {
        var p = Expression.Parameter(typeof(Tensor), $"in{_inputs.Count}");
        _inputs.Add(p);
        _inputAvals.Add(aval);
        return new Tensor(new Tracer(this, p, aval));
    }

    /// <summary>Records <paramref name="primitive"/> applied to <paramref name="args"/> as a new equation.</summary>
    public Tensor Record(Primitive primitive, PrimitiveParams parameters, Tensor[] args)
    {
        var atoms = new Expression[args.Length];
        var avals = new AbstractValue[args.Length];
        for (var i = 0; i < args.Length; i++) { atoms[i] = Atom(args[i]); avals[i] = args[i].Aval; }
        var rhs = PrimitiveExpression.Create(primitive, atoms, avals, parameters);
        var v = Expression.Variable(typeof(Tensor), $"v{_variables.Count}");
        _variables.Add(v);
        _equations.Add(Expression.Assign(v, rhs));
        return new Tensor(new Tracer(this, v, rhs.Aval));
    }

    /// <summary>The atom that stands for <paramref name="t"/> in this program.</summary>
    private Expression Atom(Tensor t)
    {
        if (t.Tracer is not { } tracer) return Expression.Constant(t, typeof(Tensor));
        if (tracer.Builder == this) return tracer.Expression;
        if (!tracer.Builder.IsActiveOuterOf(this)) throw tracer.UsedOutsideItsTrace(null);
        if (!_captures.TryGetValue(t, out var p))
        {
            p = Expression.Parameter(typeof(Tensor), $"cap{_captures.Count}");
            _captures.Add(t, p);
            _capturedValues.Add(t);
        }
        return p;
    }

    private bool IsActiveOuterOf(ProgramBuilder inner)
    {
        if (_finished) return false;
        for (var b = inner._parent; b is not null; b = b._parent)
            if (b == this) return true;
        return false;
    }

    /// <summary>Closes the program with its outputs; the builder must be the innermost one.</summary>
    public Jaxpr Finish(IReadOnlyList<Tensor> outputs)
    {
        var outAtoms = outputs.Select(Atom).ToArray();
        var (variables, equations) = LiveEquations(outAtoms);
        var body = new List<Expression>(equations) { Expression.NewArrayInit(typeof(Tensor), outAtoms) };
        var parameters = _inputs.Concat(_captures.Values).ToArray();
        var lambda = Expression.Lambda(Expression.Block(typeof(Tensor[]), variables, body), parameters);
        return new Jaxpr(lambda, _inputAvals, _capturedValues);
    }

    /// <summary>
    /// The equations the outputs depend on, in order (dead-code elimination: primitives are
    /// pure, so an equation nothing reads is dropped, e.g. the primal outputs a gradient discards).
    /// </summary>
    private (List<ParameterExpression> Variables, List<Expression> Equations) LiveEquations(IEnumerable<Expression> outputs)
    {
        var live = new HashSet<Expression>(outputs);
        var keep = new bool[_equations.Count];
        for (var i = _equations.Count - 1; i >= 0; i--)
        {
            if (!live.Contains(_variables[i])) continue;
            keep[i] = true;
            foreach (var arg in ((PrimitiveExpression)((BinaryExpression)_equations[i]).Right).Arguments) live.Add(arg);
        }
        return (_variables.Where((_, i) => keep[i]).ToList(), _equations.Where((_, i) => keep[i]).ToList());
    }

    /// <summary>Ends recording; tracers of this builder are dead from now on.</summary>
    public void Dispose()
    {
        if (s_current != this) throw new InvalidOperationException("ProgramBuilder: builders must end in the reverse order they began");
        Volatile.Write(ref _finished, true);
        s_current = _parent;
    }
}
