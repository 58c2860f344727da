using System.Linq.Expressions;
using JaxSharp.IR;
using JaxSharp.Primitives.Elementwise;

namespace JaxSharp.Transforms;

/// <summary>
/// A program linearized at a point: the JVP rewrite of the program, split into its primal
/// equations (evaluated once, now: their values are the residuals) and its linear equations
/// (those that depend on a tangent input). The linear part runs forward
/// (<see cref="ApplyLinear"/>, JAX's <c>linearize</c>) or transposed (<see cref="Transpose"/>,
/// the pullback of <c>vjp</c> and <c>grad</c>). Transposition walks the linear equations
/// backwards, calling each primitive's transpose rule, with symbolic zero cotangents.
/// </summary>
internal sealed class LinearizedProgram
{
    private readonly Jaxpr _jvp;
    private readonly int _primalCount;
    private readonly int[] _wrt;
    private readonly int[] _tangentOutputIndex;
    private readonly HashSet<Expression> _linear;
    private readonly List<Equation> _linearEquations = [];
    private readonly Dictionary<Expression, Tensor> _residuals;

    private LinearizedProgram(Jaxpr jaxpr, IReadOnlyList<Tensor> primals, int[] wrt)
    {
        _primalCount = primals.Count;
        _wrt = wrt;
        var outputCount = jaxpr.Outputs.Count;
        _tangentOutputIndex = new int[outputCount];
        var tangentAvals = wrt.Select(i => jaxpr.InputAvals[i].Strong);
        _jvp = Tracing.Trace(args =>
        {
            var tangents = new Tensor?[_primalCount];
            for (var k = 0; k < wrt.Length; k++) tangents[wrt[k]] = args[_primalCount + k];
            var (outputs, outTangents) = JvpInterpreter.Evaluate(jaxpr, args[.._primalCount], tangents);
            var nonZero = 0;
            for (var o = 0; o < outputCount; o++)
                _tangentOutputIndex[o] = outTangents[o] is null ? -1 : outputCount + nonZero++;
            return [.. outputs, .. outTangents.OfType<Tensor>()];
        }, jaxpr.InputAvals.Concat(tangentAvals).ToArray());

        var size = _jvp.Lambda.Parameters.Count + _jvp.Equations.Count;
        _linear = new HashSet<Expression>(size);
        _residuals = new Dictionary<Expression, Tensor>(size);
        foreach (var p in _jvp.Inputs.Skip(_primalCount)) _linear.Add(p);
        for (var i = 0; i < _primalCount; i++) _residuals[_jvp.Inputs[i]] = primals[i];
        for (var i = 0; i < _jvp.Captures.Count; i++) _residuals[_jvp.Captures[i]] = _jvp.CapturedValues[i];
        foreach (var eq in _jvp.Equations)
        {
            var app = eq.Application;
            if (app.Arguments.Any(_linear.Contains))
            {
                _linear.Add(eq.Variable);
                _linearEquations.Add(eq);
            }
            else
            {
                _residuals[eq.Variable] = app.Primitive.Bind(app.Params, app.Arguments.Select(Residual).ToArray());
            }
        }
        Outputs = _jvp.Outputs.Take(outputCount).Select(Residual).ToArray();
    }

    /// <summary>
    /// Linearizes <paramref name="jaxpr"/> at <paramref name="primals"/> with respect to the
    /// inputs <paramref name="wrt"/> (the others are held constant). The primal equations run now,
    /// in the current context: eagerly, or recorded into an enclosing trace.
    /// </summary>
    public static LinearizedProgram Linearize(Jaxpr jaxpr, IReadOnlyList<Tensor> primals, int[] wrt) => new(jaxpr, primals, wrt);

    /// <summary>The outputs of the program at the point.</summary>
    public Tensor[] Outputs { get; }

    /// <summary>The abstract values of the inputs differentiated with respect to.</summary>
    public IEnumerable<AbstractValue> WrtAvals => _wrt.Select(i => _jvp.InputAvals[i].Strong);

    /// <summary>The output tangents for tangents of the inputs <c>wrt</c> (null: zero).</summary>
    public Tensor?[] ApplyLinear(IReadOnlyList<Tensor> tangents)
    {
        var values = new Dictionary<Expression, Tensor>(_wrt.Length + _linearEquations.Count);
        for (var k = 0; k < _wrt.Length; k++) values[_jvp.Inputs[_primalCount + k]] = tangents[k];
        Tensor Read(Expression atom) => values.TryGetValue(atom, out var v) ? v : Residual(atom);
        foreach (var eq in _linearEquations)
        {
            var app = eq.Application;
            values[eq.Variable] = app.Primitive.Bind(app.Params, app.Arguments.Select(Read).ToArray());
        }
        return _tangentOutputIndex.Select(j => j < 0 ? null : Read(_jvp.Outputs[j])).ToArray();
    }

    /// <summary>
    /// The cotangents of the inputs <c>wrt</c> (null: zero) for cotangents of the outputs
    /// (null: zero): the transpose of the linear part, run backwards.
    /// </summary>
    public Tensor?[] Transpose(IReadOnlyList<Tensor?> outputCotangents)
    {
        var cotangents = new Dictionary<Expression, Tensor>();
        void Accumulate(Expression atom, Tensor? ct)
        {
            if (ct is null || !_linear.Contains(atom)) return;
            cotangents[atom] = cotangents.TryGetValue(atom, out var sum) ? Add.Instance.Bind(Primitives.PrimitiveParams.None, sum, ct) : ct;
        }
        for (var o = 0; o < _tangentOutputIndex.Length; o++)
            if (_tangentOutputIndex[o] >= 0) Accumulate(_jvp.Outputs[_tangentOutputIndex[o]], outputCotangents[o]);

        for (var e = _linearEquations.Count - 1; e >= 0; e--)
        {
            var (variable, app) = (_linearEquations[e].Variable, _linearEquations[e].Application);
            if (!cotangents.Remove(variable, out var ct)) continue;
            var primals = app.Arguments.Select(a => _linear.Contains(a) ? null : Residual(a)).ToArray();
            var avals = app.Arguments.Select(AvalOf).ToArray();
            var argCotangents = app.Primitive.Transpose(ct, primals, avals, app.Params);
            for (var i = 0; i < app.Arguments.Count; i++)
                if (primals[i] is null) Accumulate(app.Arguments[i], CheckCotangent(app, i, argCotangents[i], avals[i]));
        }
        return _jvp.Inputs.Skip(_primalCount).Select(p => cotangents.GetValueOrDefault(p)).ToArray();
    }

    private Tensor Residual(Expression atom) => atom is ConstantExpression c ? (Tensor)c.Value! : _residuals[atom];

    private AbstractValue AvalOf(Expression atom) => atom switch
    {
        ConstantExpression c => ((Tensor)c.Value!).Aval,
        _ when JvpAvals.TryGetValue(atom, out var a) => a,
        _ => Residual(atom).Aval,
    };

    private Dictionary<Expression, AbstractValue> JvpAvals => field ??= BuildAvals();

    private Dictionary<Expression, AbstractValue> BuildAvals()
    {
        var avals = new Dictionary<Expression, AbstractValue>(_jvp.Inputs.Count + _jvp.Equations.Count);
        for (var i = 0; i < _jvp.Inputs.Count; i++) avals[_jvp.Inputs[i]] = _jvp.InputAvals[i];
        foreach (var eq in _jvp.Equations) avals[eq.Variable] = eq.Application.Aval;
        return avals;
    }

    private static Tensor? CheckCotangent(PrimitiveExpression app, int i, Tensor? ct, AbstractValue input)
    {
        if (ct is not null && (!ct.Shape.Equals(input.Shape) || ct.DType != input.DType))
            throw new InvalidOperationException(
                $"{app.Primitive.Name}: its Transpose rule returned a cotangent {ct.Aval} for argument {i} of type {input.Strong}; a cotangent must have its argument's shape and dtype");
        return ct;
    }
}
