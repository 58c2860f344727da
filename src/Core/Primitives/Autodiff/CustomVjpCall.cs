namespace JaxSharp.Primitives.Autodiff;

/// <summary>The parameters of <see cref="CustomVjpCall"/>.</summary>
/// <param name="Function">The function, traced.</param>
/// <param name="Forward">The user's forward pass: inputs to (output, residuals).</param>
/// <param name="Backward">The user's backward pass: (residuals, output cotangent) to input cotangents.</param>
public sealed record CustomVjpParams(
    ClosedProgram Function,
    Func<Tensor[], (Tensor Output, Tensor[] Residuals)> Forward,
    Func<Tensor[], Tensor, Tensor[]> Backward) : PrimitiveParams;

/// <summary>
/// <c>custom_vjp_call</c>: a function whose reverse-mode derivative is given by the user (JAX's
/// <c>jax.custom_vjp</c>): differentiation runs the user's forward pass and records a
/// <see cref="CustomVjpLinear"/> equation, whose transpose is the user's backward pass.
/// </summary>
public sealed class CustomVjpCall : CallPrimitive
{
    /// <summary>The primitive.</summary>
    public static readonly CustomVjpCall Instance = new();
    private CustomVjpCall() { }
    /// <inheritdoc/>
    public override string Name => "custom_vjp_call";

    /// <inheritdoc/>
    protected override AbstractValue OutputAval(PrimitiveParams parameters) => ((CustomVjpParams)parameters).Function.OutputAval;

    /// <inheritdoc/>
    protected override Tensor Call(IReadOnlyList<Tensor> args, PrimitiveParams parameters) => ((CustomVjpParams)parameters).Function.Call(args);

    /// <summary>Runs the user's forward pass; the tangent is the linear equation that its backward pass transposes.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        var p = (CustomVjpParams)parameters;
        var n = p.Function.InputCount;
        var inputs = primals.Take(n).ToArray();
        var (_, residuals) = p.Forward(inputs);
        var linear = new CustomVjpLinearParams(p.Backward, residuals.Length, inputs.Select(x => x.Aval.Strong).ToArray(), output.Aval.Strong);
        return CustomVjpLinear.Instance.Bind(linear, [.. residuals, .. MaterializeTangents(primals, tangents, n)]);
    }

    /// <summary>
    /// A batched custom_vjp call: the function and the user's forward and backward passes, each
    /// mapped over the batch axis (moved to the front); the cotangent of an unbatched input is
    /// summed over the batch. The rule still applies to <c>grad (vmap f)</c>, as in JAX.
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var p = (CustomVjpParams)parameters;
        var n = p.Function.InputCount;
        var (front, inAxes) = BatchedCall.ToFront(args, batchAxes);
        var explicitAxes = inAxes.Take(n).ToArray();
        // Only values the function closed over are batched: the rule sees none of them, so inline.
        if (explicitAxes.All(a => a is null)) return base.Batch(args, batchAxes, parameters);
        var residualCount = -1;
        Tensor[] Forward(Tensor[] a)
        {
            var (output, residuals) = p.Forward(a);
            residualCount = residuals.Length;
            return [output, .. residuals];
        }
        var forward = Jax.Vmap(Forward, explicitAxes);
        var (program, callArgs) = ClosedProgram.Trace(a => [Jax.Vmap(b => [p.Function.Call(b)], inAxes)(a)[0]], front, "custom_vjp");
        var batched = new CustomVjpParams(program,
            inputs =>
            {
                var outputs = forward(inputs);
                return (outputs[0], outputs[1..]);
            },
            (residuals, cotangent) =>
            {
                var backward = Jax.Vmap(a => p.Backward(a[..residualCount], a[residualCount]));
                var cotangents = backward([.. residuals, cotangent]);
                return cotangents.Select((c, i) => explicitAxes[i] is null ? Reductions.ReduceSum.Instance.Bind(new Reductions.ReduceParams(new Ints(0)), c) : c).ToArray();
            });
        return (Bind(batched, callArgs), 0);
    }
}
