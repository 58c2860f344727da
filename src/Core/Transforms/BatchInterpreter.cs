using System.Linq.Expressions;
using JaxSharp.IR;

namespace JaxSharp.Transforms;

/// <summary>
/// Batching of a program (the rewrite behind <c>vmap</c>): runs its equations on values that
/// carry an extra batch axis, each through its primitive's batching rule, which returns the
/// batched result and where its batch axis is. A value with no batch axis (an unmapped input, a
/// constant, or anything computed only from them) stays unbatched and runs as in the original
/// program: it is never broadcast to the batch size unless an operation needs it. Run inside a
/// trace, the batched equations are recorded: tracing this interpreter is the batching rewrite.
/// </summary>
internal static class BatchInterpreter
{
    /// <summary>The outputs of <paramref name="jaxpr"/> on batched arguments, with each output's batch axis (null: unbatched).</summary>
    public static (Tensor[] Outputs, int?[] Axes) Evaluate(Jaxpr jaxpr, IReadOnlyList<Tensor> args, IReadOnlyList<int?> axes)
    {
        var size = jaxpr.Lambda.Parameters.Count + jaxpr.Equations.Count;
        var values = new Dictionary<Expression, Tensor>(size);
        var batchAxes = new Dictionary<Expression, int>(size);
        for (var i = 0; i < args.Count; i++)
        {
            values[jaxpr.Inputs[i]] = args[i];
            if (axes[i] is { } a) batchAxes[jaxpr.Inputs[i]] = a;
        }
        for (var i = 0; i < jaxpr.Captures.Count; i++) values[jaxpr.Captures[i]] = jaxpr.CapturedValues[i];

        Tensor Value(Expression atom) => atom is ConstantExpression c ? (Tensor)c.Value! : values[atom];
        int? Axis(Expression atom) => batchAxes.TryGetValue(atom, out var a) ? a : null;

        foreach (var eq in jaxpr.Equations)
        {
            var app = eq.Application;
            var argValues = app.Arguments.Select(Value).ToArray();
            var argAxes = app.Arguments.Select(Axis).ToArray();
            if (argAxes.All(a => a is null))
            {
                var unbatched = app.Primitive.BindMany(app.Params, argValues);
                for (var k = 0; k < unbatched.Length; k++) values[eq.Variables[k]] = unbatched[k];
                continue;
            }
            var (results, axesOut) = app.Primitive.BatchMany(argValues, argAxes, app.Params);
            if (results.Length != eq.Variables.Count || axesOut.Length != eq.Variables.Count)
                throw new InvalidOperationException(
                    $"{app.Primitive.Name}: its Batch rule returned {results.Length} results and {axesOut.Length} batch axes for {eq.Variables.Count} outputs; return one of each per output");
            for (var k = 0; k < results.Length; k++)
            {
                values[eq.Variables[k]] = results[k];
                if (axesOut[k] is { } b) batchAxes[eq.Variables[k]] = Check(app, k, results[k], b);
            }
        }
        return (jaxpr.Outputs.Select(Value).ToArray(), jaxpr.Outputs.Select(Axis).ToArray());
    }

    /// <summary>The abstract values of one example: each argument without its batch axis.</summary>
    public static AbstractValue[] PerExampleAvals(IReadOnlyList<Tensor> args, IReadOnlyList<int?> axes) =>
        args.Select((x, i) => axes[i] is { } a ? x.Aval with { Shape = new Shape(x.Shape.Where((_, d) => d != a)) } : x.Aval).ToArray();

    private static int Check(PrimitiveExpression app, int output, Tensor result, int axis)
    {
        var expected = app.Avals[output];
        var perExample = axis >= 0 && axis < result.Rank ? result.Shape.Where((_, d) => d != axis) : null;
        if (perExample is null || !perExample.SequenceEqual(expected.Shape) || result.DType != expected.DType)
            throw new InvalidOperationException(
                $"{app.Primitive.Name}: its Batch rule returned {result.Aval} with batch axis {axis} for a per-example output {expected}" +
                (app.Avals.Count > 1 ? $" (output {output})" : "") + "; " +
                "the batched result must have one more axis than the output, at the returned position");
        return axis;
    }
}
