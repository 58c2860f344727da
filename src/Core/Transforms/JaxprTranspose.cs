using System.Linq.Expressions;
using JaxSharp.IR;
using JaxSharp.Primitives;
using JaxSharp.Primitives.Elementwise;

namespace JaxSharp.Transforms;

/// <summary>
/// The transpose of a closed program that is linear in some of its inputs (JAX's
/// <c>backward_pass</c> over a jaxpr): the equations that depend only on the other (non-linear)
/// inputs run forward first; then the linear ones are walked backwards, each primitive's
/// transpose rule turning output cotangents into input cotangents, with symbolic zeros. Used by
/// the transpose rules of <c>cond</c> and <c>scan</c>, whose branches and bodies are such programs.
/// </summary>
internal static class JaxprTranspose
{
    /// <summary>
    /// The cotangents of the linear inputs of <paramref name="program"/> (null: zero), given the
    /// values of its non-linear inputs (<paramref name="inputs"/>: a value for each non-linear input,
    /// null for each linear one) and the cotangents of its outputs (null: zero).
    /// <paramref name="nonLinearError"/>, when given, turns a primitive that cannot be transposed
    /// into that caller's error (for functions the user claims are linear).
    /// </summary>
    public static Tensor?[] Backward(Jaxpr program, IReadOnlyList<Tensor?> inputs, IReadOnlyList<Tensor?> outputCotangents, string op,
        Func<string, Exception>? nonLinearError = null)
    {
        if (inputs.Count != program.Inputs.Count) throw new ArgumentException($"{op}: {inputs.Count} inputs for a program of {program.Inputs.Count}");
        var values = new Dictionary<Expression, Tensor>();
        var linear = new HashSet<Expression>();
        for (var i = 0; i < inputs.Count; i++)
            if (inputs[i] is { } v) values[program.Inputs[i]] = v; else linear.Add(program.Inputs[i]);
        for (var i = 0; i < program.Captures.Count; i++) values[program.Captures[i]] = program.CapturedValues[i];
        Tensor Value(Expression atom) => atom is ConstantExpression c ? (Tensor)c.Value! : values[atom];
        var avals = new Dictionary<Expression, AbstractValue>();
        for (var i = 0; i < program.Inputs.Count; i++) avals[program.Inputs[i]] = program.InputAvals[i];
        for (var i = 0; i < program.Captures.Count; i++) avals[program.Captures[i]] = program.CapturedValues[i].Aval;
        foreach (var eq in program.Equations)
            for (var k = 0; k < eq.Variables.Count; k++) avals[eq.Variables[k]] = eq.Application.Avals[k];
        AbstractValue AvalOf(Expression atom) => atom is ConstantExpression c ? ((Tensor)c.Value!).Aval : avals[atom];

        var linearEquations = new List<Equation>();
        foreach (var eq in program.Equations)
        {
            var app = eq.Application;
            if (app.Arguments.Any(linear.Contains))
            {
                linear.UnionWith(eq.Variables);
                linearEquations.Add(eq);
                continue;
            }
            var results = app.Primitive.BindMany(app.Params, app.Arguments.Select(Value).ToArray());
            for (var k = 0; k < results.Length; k++) values[eq.Variables[k]] = results[k];
        }

        var cotangents = new Dictionary<Expression, Tensor>();
        void Accumulate(Expression atom, Tensor? ct)
        {
            if (ct is null || !linear.Contains(atom)) return;
            cotangents[atom] = cotangents.TryGetValue(atom, out var sum) ? Add.Instance.Bind(PrimitiveParams.None, sum, ct) : ct;
        }
        for (var o = 0; o < program.Outputs.Count; o++) Accumulate(program.Outputs[o], outputCotangents[o]);

        for (var e = linearEquations.Count - 1; e >= 0; e--)
        {
            var (variables, app) = (linearEquations[e].Variables, linearEquations[e].Application);
            var cts = new Tensor?[variables.Count];
            var any = false;
            for (var k = 0; k < cts.Length; k++) any |= cotangents.Remove(variables[k], out cts[k]);
            if (!any) continue;
            var primals = app.Arguments.Select(a => linear.Contains(a) ? null : Value(a)).ToArray();
            var argAvals = app.Arguments.Select(AvalOf).ToArray();
            var argCts = TransposeRule(app, cts, primals, argAvals, nonLinearError);
            for (var i = 0; i < app.Arguments.Count; i++)
                if (primals[i] is null) Accumulate(app.Arguments[i], CheckCotangent(app, i, argCts[i], argAvals[i]));
        }
        return program.Inputs.Select((p, i) => inputs[i] is null ? cotangents.GetValueOrDefault(p) : null).ToArray();
    }

    private static Tensor?[] TransposeRule(PrimitiveExpression app, Tensor?[] cts, Tensor?[] primals, AbstractValue[] avals, Func<string, Exception>? nonLinearError)
    {
        if (nonLinearError is null) return app.Primitive.TransposeMany(cts, primals, avals, app.Params);
        try
        {
            return app.Primitive.TransposeMany(cts, primals, avals, app.Params);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
        {
            throw nonLinearError($"{app.Primitive.Name} is applied to {(primals.Count(p => p is null) > 1 ? "several values" : "a value")} that depends on the inputs ({e.Message})");
        }
    }

    private static Tensor? CheckCotangent(PrimitiveExpression app, int i, Tensor? ct, AbstractValue input)
    {
        if (ct is not null && (!ct.Shape.Equals(input.Shape) || ct.DType != input.DType))
            throw new InvalidOperationException(
                $"{app.Primitive.Name}: its Transpose rule returned a cotangent {ct.Aval} for argument {i} of type {input.Strong}; a cotangent must have its argument's shape and dtype");
        return ct;
    }
}
