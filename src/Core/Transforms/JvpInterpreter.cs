using System.Linq.Expressions;
using JaxSharp.IR;

namespace JaxSharp.Transforms;

/// <summary>
/// Forward-mode differentiation of a program: runs its equations on primal values and, beside
/// each, the primitive's JVP rule on the tangents. Tangents are symbolic: <c>null</c> stands for
/// zero, and an equation whose input tangents are all zero gets a zero tangent without a rule
/// call, so differentiating with respect to an unused input costs nothing. Run inside a trace,
/// both the primal and the tangent equations are recorded: tracing this interpreter is the
/// JVP rewrite of the program.
/// </summary>
internal static class JvpInterpreter
{
    /// <summary>The outputs of <paramref name="jaxpr"/> and their tangents (null: zero).</summary>
    public static (Tensor[] Outputs, Tensor?[] Tangents) Evaluate(Jaxpr jaxpr, IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents)
    {
        var size = jaxpr.Lambda.Parameters.Count + jaxpr.Equations.Count;
        var values = new Dictionary<Expression, Tensor>(size);
        var derivs = new Dictionary<Expression, Tensor>(size);
        for (var i = 0; i < primals.Count; i++)
        {
            values[jaxpr.Inputs[i]] = primals[i];
            if (tangents[i] is { } t && Differentiable(primals[i].Aval)) derivs[jaxpr.Inputs[i]] = t;
        }
        for (var i = 0; i < jaxpr.Captures.Count; i++) values[jaxpr.Captures[i]] = jaxpr.CapturedValues[i];

        Tensor Value(Expression atom) => atom is ConstantExpression c ? (Tensor)c.Value! : values[atom];
        Tensor? Deriv(Expression atom) => derivs.GetValueOrDefault(atom);

        foreach (var eq in jaxpr.Equations)
        {
            var app = eq.Application;
            var args = app.Arguments.Select(Value).ToArray();
            var argTangents = app.Arguments.Select(Deriv).ToArray();
            var output = app.Primitive.Bind(app.Params, args);
            values[eq.Variable] = output;
            if (argTangents.All(t => t is null) || !Differentiable(app.Aval)) continue;
            if (app.Primitive.Jvp(args, argTangents, output, app.Params) is { } tangent)
                derivs[eq.Variable] = CheckTangent(app, tangent);
        }
        return (jaxpr.Outputs.Select(Value).ToArray(), jaxpr.Outputs.Select(Deriv).ToArray());
    }

    /// <summary>Whether values of this type have tangents: floats do; integers and bools have zero tangents, as JAX's float0.</summary>
    public static bool Differentiable(AbstractValue aval) => aval.DType.IsFloat();

    private static Tensor CheckTangent(PrimitiveExpression app, Tensor tangent)
    {
        if (!tangent.Shape.Equals(app.Aval.Shape) || tangent.DType != app.Aval.DType)
            throw new InvalidOperationException(
                $"{app.Primitive.Name}: its Jvp rule returned a tangent {tangent.Aval} for an output {app.Aval}; a tangent must have the output's shape and dtype");
        return tangent;
    }
}
