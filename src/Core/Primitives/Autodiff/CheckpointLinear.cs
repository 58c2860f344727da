using JaxSharp.Transforms;

namespace JaxSharp.Primitives.Autodiff;

/// <summary>
/// <c>checkpoint_linear</c>: the derivative of a checkpointed function at its inputs, applied to
/// tangents. Its arguments are the call's arguments (inputs, then captures) followed by one
/// tangent per input; it is linear in the tangents. Its transpose re-linearizes the function at the
/// inputs, recomputing the intermediate values, and runs the pullback.
/// </summary>
public sealed class CheckpointLinear : CallPrimitive
{
    /// <summary>The primitive.</summary>
    public static readonly CheckpointLinear Instance = new();
    private CheckpointLinear() { }
    /// <inheritdoc/>
    public override string Name => "checkpoint_linear";

    /// <inheritdoc/>
    protected override IReadOnlyList<AbstractValue> OutputAvals(PrimitiveParams parameters) =>
        ((CheckpointParams)parameters).Function.OutputAvals.Select(a => a.Strong).ToArray();

    /// <summary>The JVP of the function at the inputs along the tangents.</summary>
    protected override Tensor[] Call(IReadOnlyList<Tensor> args, PrimitiveParams parameters)
    {
        var f = ((CheckpointParams)parameters).Function;
        var callArgs = args.Take(args.Count - f.InputCount).ToArray();
        var tangents = args.Skip(callArgs.Length).ToArray();
        var (outputs, outTangents) = Linearization.Jvp(f.Bound(callArgs), callArgs.Take(f.InputCount).ToArray(), tangents);
        return outTangents.Select((t, k) => t ?? Jax.ZerosLike(outputs[k])).ToArray();
    }

    /// <summary>Recomputes the function's linearization at the inputs and pulls the cotangents back.</summary>
    public override Tensor?[] TransposeMany(IReadOnlyList<Tensor?> cotangents, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var f = ((CheckpointParams)parameters).Function;
        var callCount = primals.Count - f.InputCount;
        if (primals.Take(callCount).Any(p => p is null))
            throw new InvalidOperationException("checkpoint_linear: its inputs must be residuals (not linear); only its tangents are linear");
        var callArgs = primals.Take(callCount).Select(p => p!).ToArray();
        var wrt = Enumerable.Range(0, f.InputCount).Where(i => primals[callCount + i] is null).ToArray();
        var (_, linear) = Linearization.Linearize(f.Bound(callArgs), callArgs.Take(f.InputCount).ToArray(), wrt);
        var cts = linear.Transpose(cotangents);
        var result = new Tensor?[primals.Count];
        for (var k = 0; k < wrt.Length; k++) result[callCount + wrt[k]] = cts[k];
        return result;
    }
}
