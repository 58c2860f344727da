using System.Linq.Expressions;

namespace JaxSharp.IR;

/// <summary>Interprets a <see cref="Jaxpr"/> by binding its primitives in order.</summary>
internal static class JaxprEvaluator
{
    public static Tensor[] Evaluate(Jaxpr jaxpr, IReadOnlyList<Tensor> inputs) => Evaluate(jaxpr, inputs, jaxpr.CapturedValues);

    /// <summary>Runs the program with <paramref name="captures"/> bound to its capture parameters instead of its own captured values.</summary>
    public static Tensor[] Evaluate(Jaxpr jaxpr, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor> captures)
    {
        if (inputs.Count != jaxpr.InputAvals.Count)
            throw new ArgumentException($"jaxpr: expected {jaxpr.InputAvals.Count} inputs, got {inputs.Count}");
        var env = new Dictionary<Expression, Tensor>(inputs.Count + captures.Count + jaxpr.Equations.Count);
        var parameters = jaxpr.Lambda.Parameters;
        for (var i = 0; i < inputs.Count; i++)
        {
            if (!inputs[i].Shape.Equals(jaxpr.InputAvals[i].Shape) || inputs[i].DType != jaxpr.InputAvals[i].DType)
                throw new ArgumentException($"jaxpr: input {i} is {inputs[i].Aval} but the program was traced for {jaxpr.InputAvals[i]}");
            env[parameters[i]] = inputs[i];
        }
        for (var i = 0; i < captures.Count; i++) env[parameters[inputs.Count + i]] = captures[i];
        Tensor Read(Expression atom) => atom is ConstantExpression c ? (Tensor)c.Value! : env[atom];
        foreach (var eq in jaxpr.Equations)
        {
            var app = eq.Application;
            var args = new Tensor[app.Arguments.Count];
            for (var i = 0; i < args.Length; i++) args[i] = Read(app.Arguments[i]);
            var results = app.Primitive.BindMany(app.Params, args);
            for (var k = 0; k < results.Length; k++) env[eq.Variables[k]] = results[k];
        }
        return jaxpr.Outputs.Select(Read).ToArray();
    }
}
