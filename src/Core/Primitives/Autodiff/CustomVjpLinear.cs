using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Autodiff;

/// <summary>The parameters of <see cref="CustomVjpLinear"/>.</summary>
/// <param name="Backward">The user's backward pass.</param>
/// <param name="ResidualCount">How many leading arguments are residuals; the rest are input tangents.</param>
/// <param name="InputAvals">The function's inputs, which the backward pass's cotangents must match.</param>
/// <param name="Outputs">The function's outputs.</param>
public sealed record CustomVjpLinearParams(
    Func<Tensor[], Tensor[], Tensor[]> Backward, int ResidualCount, AbstractValue[] InputAvals, AbstractValue[] Outputs) : PrimitiveParams;

/// <summary>
/// <c>custom_vjp_linear</c>: the linear map of a <c>custom_vjp</c> function's derivative, known only
/// through its transpose (the user's backward pass). Forward mode cannot evaluate it, as in JAX.
/// </summary>
public sealed class CustomVjpLinear : MultiOutputPrimitive
{
    /// <summary>The primitive.</summary>
    public static readonly CustomVjpLinear Instance = new();
    private CustomVjpLinear() { }
    /// <inheritdoc/>
    public override string Name => "custom_vjp_linear";

    /// <inheritdoc/>
    public override AbstractValue[] InferShapes(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) => ((CustomVjpLinearParams)parameters).Outputs;

    /// <summary>Forward-mode use is an error, as in JAX.</summary>
    public override CpuLowering LowerCpu(LoweringContext context) => throw new NotSupportedException(
        "custom_vjp: forward-mode differentiation (jvp, jacfwd, linearize) of a function with a custom_vjp rule is not supported, as in JAX; " +
        "use reverse mode (grad, vjp, jacrev), or give the function a custom_jvp rule instead");

    /// <summary>The user's backward pass: residuals and output cotangents (zeros for outputs that have none) to input cotangents.</summary>
    public override Tensor?[] TransposeMany(IReadOnlyList<Tensor?> cotangents, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var p = (CustomVjpLinearParams)parameters;
        var residuals = primals.Take(p.ResidualCount).Select(r => r!).ToArray();
        var cts = p.Backward(residuals, cotangents.Select((c, k) => c ?? Rules.Zeros(p.Outputs[k])).ToArray());
        if (cts is null) throw new ArgumentException("custom_vjp: the backward pass returned null; return one cotangent per input");
        if (cts.Length != p.InputAvals.Length)
            throw new ArgumentException($"custom_vjp: the backward pass returned {cts.Length} cotangents for a function of {p.InputAvals.Length} inputs; return one per input");
        for (var i = 0; i < cts.Length; i++)
            if (!cts[i].Shape.Equals(p.InputAvals[i].Shape) || cts[i].DType != p.InputAvals[i].DType)
                throw new ArgumentException($"custom_vjp: the backward pass returned a cotangent {cts[i].Aval} for input {i} of type {p.InputAvals[i]}; it must match the input's shape and dtype");
        return [.. new Tensor?[p.ResidualCount], .. cts];
    }
}
