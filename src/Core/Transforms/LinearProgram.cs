using System.Linq.Expressions;
using JaxSharp.IR;
using JaxSharp.Primitives.Elementwise;

namespace JaxSharp.Transforms;

/// <summary>
/// The tangent computation of a function at a point: a program whose inputs are the tangents of
/// the inputs differentiated with respect to, and whose every equation applies a primitive to at
/// least one value that depends on them; the other arguments (residuals) are constants, or
/// captures of values of enclosing levels. It runs forward (<see cref="Apply"/>, JAX's
/// <c>linearize</c>) or transposed (<see cref="Transpose"/>, the pullback of <c>vjp</c> and
/// <c>grad</c>), which walks the equations backwards calling each primitive's transpose rule,
/// with symbolic zero cotangents.
/// </summary>
internal sealed class LinearProgram
{
    private readonly bool[] _hasTangent;
    private readonly int[] _programOutput;

    /// <param name="program">The recorded tangent program; its outputs are the nonzero output tangents.</param>
    /// <param name="hasTangent">For each output of the function, whether its tangent is nonzero (a program output, in order).</param>
    public LinearProgram(Jaxpr program, bool[] hasTangent)
    {
        Program = program;
        _hasTangent = hasTangent;
        _programOutput = new int[hasTangent.Length];
        for (int o = 0, k = 0; o < hasTangent.Length; o++) _programOutput[o] = hasTangent[o] ? k++ : -1;
    }

    /// <summary>For each output of the function, whether its tangent is nonzero (an output of <see cref="Program"/>, in order).</summary>
    public IReadOnlyList<bool> HasTangent => _hasTangent;

    /// <summary>The recorded program (it prints as a jaxpr).</summary>
    public Jaxpr Program { get; }

    /// <summary>The output tangents (null: zero) for tangents of the inputs.</summary>
    public Tensor?[] Apply(IReadOnlyList<Tensor> tangents)
    {
        var values = Program.Evaluate(tangents);
        return _programOutput.Select(k => k < 0 ? null : values[k]).ToArray();
    }

    /// <summary>
    /// The cotangents of the inputs (null: zero) for cotangents of the function's outputs (null:
    /// zero): the transpose of the program, run backwards. <paramref name="nonLinearError"/>, when
    /// given, turns a primitive that cannot be transposed into that caller's error (for
    /// functions the user claims are linear).
    /// </summary>
    public Tensor?[] Transpose(IReadOnlyList<Tensor?> outputCotangents, Func<string, Exception>? nonLinearError = null)
    {
        var linear = new HashSet<Expression>(Program.Inputs);
        foreach (var eq in Program.Equations) linear.UnionWith(eq.Variables);
        var cotangents = new Dictionary<Expression, Tensor>();
        void Accumulate(Expression atom, Tensor? ct)
        {
            if (ct is null || !linear.Contains(atom)) return;
            cotangents[atom] = cotangents.TryGetValue(atom, out var sum) ? Add.Instance.Bind(Primitives.PrimitiveParams.None, sum, ct) : ct;
        }
        for (var o = 0; o < _programOutput.Length; o++)
            if (_programOutput[o] >= 0) Accumulate(Program.Outputs[_programOutput[o]], outputCotangents[o]);

        var residuals = new Dictionary<Expression, Tensor>();
        for (var i = 0; i < Program.Captures.Count; i++) residuals[Program.Captures[i]] = Program.CapturedValues[i];
        Tensor Residual(Expression atom) => atom is ConstantExpression c ? (Tensor)c.Value! : residuals[atom];
        var avals = Avals(residuals);

        for (var e = Program.Equations.Count - 1; e >= 0; e--)
        {
            var (variables, app) = (Program.Equations[e].Variables, Program.Equations[e].Application);
            var cts = new Tensor?[variables.Count];
            var any = false;
            for (var k = 0; k < cts.Length; k++) any |= cotangents.Remove(variables[k], out cts[k]);
            if (!any) continue;
            var primals = app.Arguments.Select(a => linear.Contains(a) ? null : Residual(a)).ToArray();
            var argAvals = app.Arguments.Select(a => avals[a]).ToArray();
            var argCotangents = TransposeRule(app, cts, primals, argAvals, nonLinearError);
            for (var i = 0; i < app.Arguments.Count; i++)
                if (primals[i] is null) Accumulate(app.Arguments[i], CheckCotangent(app, i, argCotangents[i], argAvals[i]));
        }
        return Program.Inputs.Select(p => cotangents.GetValueOrDefault(p)).ToArray();
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

    private Dictionary<Expression, AbstractValue> Avals(Dictionary<Expression, Tensor> residuals)
    {
        var avals = new Dictionary<Expression, AbstractValue>();
        for (var i = 0; i < Program.Inputs.Count; i++) avals[Program.Inputs[i]] = Program.InputAvals[i];
        foreach (var (capture, value) in residuals) avals[capture] = value.Aval;
        foreach (var eq in Program.Equations)
        {
            for (var k = 0; k < eq.Variables.Count; k++) avals[eq.Variables[k]] = eq.Application.Avals[k];
            foreach (var arg in eq.Application.Arguments)
                if (arg is ConstantExpression c) avals[arg] = ((Tensor)c.Value!).Aval;
        }
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
