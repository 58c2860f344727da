namespace JaxSharp.Primitives.Autodiff;

/// <summary>The parameters of <see cref="CustomJvpCall"/>.</summary>
/// <param name="Function">The function, traced.</param>
/// <param name="Rule">The user's JVP rule: (primals, tangents) to (output, output tangent).</param>
public sealed record CustomJvpParams(ClosedProgram Function, Func<Tensor[], Tensor[], (Tensor Output, Tensor Tangent)> Rule) : PrimitiveParams;

/// <summary>
/// <c>custom_jvp_call</c>: a function with a differentiation rule given by the user (JAX's
/// <c>jax.custom_jvp</c>). It computes the function; its JVP is the user's rule, and reverse
/// mode transposes the linear part of that rule.
/// </summary>
public sealed class CustomJvpCall : CallPrimitive
{
    /// <summary>The primitive.</summary>
    public static readonly CustomJvpCall Instance = new();
    private CustomJvpCall() { }
    /// <inheritdoc/>
    public override string Name => "custom_jvp_call";

    /// <inheritdoc/>
    protected override AbstractValue OutputAval(PrimitiveParams parameters) => ((CustomJvpParams)parameters).Function.OutputAval;

    /// <inheritdoc/>
    protected override Tensor Call(IReadOnlyList<Tensor> args, PrimitiveParams parameters) => ((CustomJvpParams)parameters).Function.Call(args);

    /// <summary>The user's rule on the explicit inputs (values closed over are constants to it).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        var p = (CustomJvpParams)parameters;
        var n = p.Function.InputCount;
        var (_, tangent) = p.Rule(primals.Take(n).ToArray(), MaterializeTangents(primals, tangents, n));
        if (!tangent.Shape.Equals(output.Shape) || tangent.DType != output.DType)
            throw new ArgumentException($"custom_jvp: the rule returned a tangent {tangent.Aval} for an output {output.Aval.Strong}; it must match the output's shape and dtype");
        return tangent;
    }

    /// <summary>
    /// A batched custom_jvp call: the function and the user's rule, each mapped over the batch
    /// axis (moved to the front), so the rule still applies when the batched program is
    /// differentiated (<c>grad (vmap f)</c>), as in JAX.
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var p = (CustomJvpParams)parameters;
        var n = p.Function.InputCount;
        var (front, inAxes) = BatchedCall.ToFront(args, batchAxes);
        var explicitAxes = inAxes.Take(n).ToArray();
        // Only values the function closed over are batched: the rule sees none of them, so inline.
        if (explicitAxes.All(a => a is null)) return base.Batch(args, batchAxes, parameters);
        Tensor[] Rule(Tensor[] a)
        {
            var (output, tangent) = p.Rule(a[..n], a[n..]);
            return [output, tangent];
        }
        var rule = Jax.Vmap(Rule, [.. explicitAxes, .. explicitAxes]);
        var (program, callArgs) = ClosedProgram.Trace(a => [Jax.Vmap(b => [p.Function.Call(b)], inAxes)(a)[0]], front, "custom_jvp");
        var batched = new CustomJvpParams(program, (primals, tangents) =>
        {
            var outputs = rule([.. primals, .. tangents]);
            return (outputs[0], outputs[1]);
        });
        return (Bind(batched, callArgs), 0);
    }
}
