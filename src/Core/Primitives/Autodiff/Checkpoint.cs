namespace JaxSharp.Primitives.Autodiff;

/// <summary>The parameters of <see cref="Checkpoint"/> and <see cref="CheckpointLinear"/>.</summary>
/// <param name="Function">The function, traced.</param>
public sealed record CheckpointParams(ClosedProgram Function) : PrimitiveParams;

/// <summary>
/// <c>checkpoint</c> (JAX's <c>jax.checkpoint</c> / remat): computes the function; under
/// differentiation it saves only its inputs, and reverse mode recomputes its intermediate values
/// in the backward pass instead of storing them.
/// </summary>
public sealed class Checkpoint : CallPrimitive
{
    /// <summary>The primitive.</summary>
    public static readonly Checkpoint Instance = new();
    private Checkpoint() { }
    /// <inheritdoc/>
    public override string Name => "checkpoint";

    /// <inheritdoc/>
    protected override IReadOnlyList<AbstractValue> OutputAvals(PrimitiveParams parameters) => ((CheckpointParams)parameters).Function.OutputAvals;

    /// <inheritdoc/>
    protected override Tensor[] Call(IReadOnlyList<Tensor> args, PrimitiveParams parameters) => ((CheckpointParams)parameters).Function.Call(args);

    /// <summary>The tangents are one <see cref="CheckpointLinear"/> equation over the inputs and their tangents: no residual but the inputs.</summary>
    public override Tensor?[] JvpMany(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, IReadOnlyList<Tensor> outputs, PrimitiveParams parameters)
    {
        var n = ((CheckpointParams)parameters).Function.InputCount;
        return CheckpointLinear.Instance.BindMany(parameters, [.. primals, .. MaterializeTangents(primals, tangents, n)]);
    }
}
