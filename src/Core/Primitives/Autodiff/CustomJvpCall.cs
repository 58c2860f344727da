namespace JaxSharp.Primitives.Autodiff;

/// <summary>The parameters of <see cref="CustomJvpCall"/>.</summary>
/// <param name="Function">The function, traced.</param>
/// <param name="Rule">The user's JVP rule: (primals, tangents) to (outputs, output tangents), one of each per output.</param>
public sealed record CustomJvpParams(ClosedProgram Function, Func<Tensor[], Tensor[], (Tensor[] Outputs, Tensor[] Tangents)> Rule) : PrimitiveParams;

/// <summary>
/// <c>custom_jvp_call</c>: a function with a differentiation rule given by the user (JAX's
/// <c>jax.custom_jvp</c>). It computes the function, with one output per output of the function;
/// its JVP is the user's rule, and reverse mode transposes the linear part of that rule.
/// </summary>
public sealed class CustomJvpCall : CallPrimitive
{
    /// <summary>The primitive.</summary>
    public static readonly CustomJvpCall Instance = new();
    private CustomJvpCall() { }
    /// <inheritdoc/>
    public override string Name => "custom_jvp_call";

    /// <inheritdoc/>
    protected override IReadOnlyList<AbstractValue> OutputAvals(PrimitiveParams parameters) => ((CustomJvpParams)parameters).Function.OutputAvals;

    /// <inheritdoc/>
    protected override Tensor[] Call(IReadOnlyList<Tensor> args, PrimitiveParams parameters) => ((CustomJvpParams)parameters).Function.Call(args);

    /// <summary>The user's rule on the explicit inputs (values closed over are constants to it).</summary>
    public override Tensor?[] JvpMany(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, IReadOnlyList<Tensor> outputs, PrimitiveParams parameters)
    {
        var p = (CustomJvpParams)parameters;
        var n = p.Function.InputCount;
        var (_, outTangents) = p.Rule(primals.Take(n).ToArray(), MaterializeTangents(primals, tangents, n));
        if (outTangents is null || outTangents.Length != outputs.Count)
            throw new ArgumentException($"custom_jvp: the rule returned {outTangents?.Length ?? 0} tangents for a function of {outputs.Count} outputs; return one tangent per output");
        for (var k = 0; k < outputs.Count; k++)
            if (outTangents[k] is not { } t || !t.Shape.Equals(outputs[k].Shape) || t.DType != outputs[k].DType)
                throw new ArgumentException(
                    $"custom_jvp: the rule returned a tangent {outTangents[k]?.Aval.ToString() ?? "null"} for " +
                    (outputs.Count > 1 ? $"output {k}, " : "an output ") + $"{outputs[k].Aval.Strong}; it must match the output's shape and dtype");
        return outTangents;
    }

    /// <summary>
    /// A batched custom_jvp call: the function and the user's rule, each mapped over the batch
    /// axis (moved to the front), so the rule still applies when the batched program is
    /// differentiated (<c>grad (vmap f)</c>), as in JAX.
    /// </summary>
    public override (Tensor[] Results, int?[] BatchAxes) BatchMany(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var p = (CustomJvpParams)parameters;
        var n = p.Function.InputCount;
        var m = p.Function.OutputAvals.Count;
        var (front, inAxes) = BatchedCall.ToFront(args, batchAxes);
        var explicitAxes = inAxes.Take(n).ToArray();
        // Only values the function closed over are batched: the rule sees none of them, so inline.
        if (explicitAxes.All(a => a is null)) return base.BatchMany(args, batchAxes, parameters);
        Tensor[] Rule(Tensor[] a)
        {
            var (outputs, tangents) = p.Rule(a[..n], a[n..]);
            return [.. outputs, .. tangents];
        }
        var rule = Jax.Vmap(Rule, [.. explicitAxes, .. explicitAxes]);
        var (program, callArgs) = ClosedProgram.Trace(Jax.Vmap(p.Function.Call, inAxes), front, "custom_jvp");
        var batched = new CustomJvpParams(program, (primals, tangents) =>
        {
            var outputs = rule([.. primals, .. tangents]);
            return (outputs[..m], outputs[m..]);
        });
        var results = BindMany(batched, callArgs);
        return (results, results.Select(_ => (int?)0).ToArray());
    }
}
