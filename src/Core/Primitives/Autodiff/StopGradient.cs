using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Autodiff;

/// <summary>
/// <c>stop_gradient</c>: the identity on values, a constant to differentiation (its tangent is
/// zero). Any dtype.
/// </summary>
public sealed class StopGradient : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly StopGradient Instance = new();
    private StopGradient() { }
    /// <inheritdoc/>
    public override string Name => "stop_gradient";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"stop_gradient: takes 1 argument, got {inputs.Count}");
        return inputs[0];
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context) => new ElementwiseLowering(xs => xs[0], xs => xs[0]);

    /// <summary>d/dx stop_gradient x = 0: the tangent is a symbolic zero.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) => null;

    /// <summary>Elementwise: the batch axis stays where it is.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters) =>
        (Bind(parameters, args[0]), batchAxes[0]);
}
