namespace JaxSharp.Primitives.Autodiff;

/// <summary>The parameters of <see cref="CustomVjpCall"/>.</summary>
/// <param name="Function">The function, traced.</param>
/// <param name="Forward">The user's forward pass: inputs to (outputs, residuals).</param>
/// <param name="Backward">The user's backward pass: (residuals, output cotangents) to input cotangents.</param>
public sealed record CustomVjpParams(
    ClosedProgram Function,
    Func<Tensor[], (Tensor[] Outputs, Tensor[] Residuals)> Forward,
    Func<Tensor[], Tensor[], Tensor[]> Backward) : PrimitiveParams;

/// <summary>
/// <c>custom_vjp_call</c>: a function whose reverse-mode derivative is given by the user (JAX's
/// <c>jax.custom_vjp</c>), with one output per output of the function: differentiation runs the
/// user's forward pass and records a <see cref="CustomVjpLinear"/> equation, whose transpose is
/// the user's backward pass.
/// </summary>
public sealed class CustomVjpCall : CallPrimitive
{
    /// <summary>The primitive.</summary>
    public static readonly CustomVjpCall Instance = new();
    private CustomVjpCall() { }
    /// <inheritdoc/>
    public override string Name => "custom_vjp_call";

    /// <inheritdoc/>
    protected override IReadOnlyList<AbstractValue> OutputAvals(PrimitiveParams parameters) => ((CustomVjpParams)parameters).Function.OutputAvals;

    /// <inheritdoc/>
    protected override Tensor[] Call(IReadOnlyList<Tensor> args, PrimitiveParams parameters) => ((CustomVjpParams)parameters).Function.Call(args);

    /// <summary>Runs the user's forward pass; the tangents are the linear equation that its backward pass transposes.</summary>
    public override Tensor?[] JvpMany(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, IReadOnlyList<Tensor> outputs, PrimitiveParams parameters)
    {
        var p = (CustomVjpParams)parameters;
        var n = p.Function.InputCount;
        var inputs = primals.Take(n).ToArray();
        var (_, residuals) = p.Forward(inputs);
        var linear = new CustomVjpLinearParams(p.Backward, residuals.Length, inputs.Select(x => x.Aval.Strong).ToArray(), outputs.Select(o => o.Aval.Strong).ToArray());
        return CustomVjpLinear.Instance.BindMany(linear, [.. residuals, .. MaterializeTangents(primals, tangents, n)]);
    }

    /// <summary>
    /// A batched custom_vjp call: the function and the user's forward and backward passes, each
    /// mapped over the batch axis (moved to the front); the cotangent of an unbatched input is
    /// summed over the batch. The rule still applies to <c>grad (vmap f)</c>, as in JAX.
    /// </summary>
    public override (Tensor[] Results, int?[] BatchAxes) BatchMany(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var p = (CustomVjpParams)parameters;
        var n = p.Function.InputCount;
        var m = p.Function.OutputAvals.Count;
        var (front, inAxes) = BatchedCall.ToFront(args, batchAxes);
        var explicitAxes = inAxes.Take(n).ToArray();
        // Only values the function closed over are batched: the rule sees none of them, so inline.
        if (explicitAxes.All(a => a is null)) return base.BatchMany(args, batchAxes, parameters);
        var residualCount = -1;
        Tensor[] Forward(Tensor[] a)
        {
            var (outputs, residuals) = p.Forward(a);
            residualCount = residuals.Length;
            return [.. outputs, .. residuals];
        }
        var forward = Jax.Vmap(Forward, explicitAxes);
        var (program, callArgs) = ClosedProgram.Trace(Jax.Vmap(p.Function.Call, inAxes), front, "custom_vjp");
        var batched = new CustomVjpParams(program,
            inputs =>
            {
                var outputs = forward(inputs);
                return (outputs[..m], outputs[m..]);
            },
            (residuals, cotangents) =>
            {
                var backward = Jax.Vmap(a => p.Backward(a[..residualCount], a[residualCount..]));
                var cts = backward([.. residuals, .. cotangents]);
                return cts.Select((c, i) => explicitAxes[i] is null ? Reductions.ReduceSum.Instance.Bind(new Reductions.ReduceParams(new Ints(0)), c) : c).ToArray();
            });
        var results = BindMany(batched, callArgs);
        return (results, results.Select(_ => (int?)0).ToArray());
    }
}
