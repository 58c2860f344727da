using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Windows;

/// <summary>
/// <c>select_and_gather_add(tangent, operand)</c>: for each window of <c>operand</c>, the element of
/// <c>tangent</c> where the operand's first max (or min) lies; zero for a window of padding only. The
/// JVP of max and min pooling. Linear in the tangent; its transpose is <see cref="SelectAndScatterAdd"/>.
/// </summary>
public sealed class SelectAndGatherAdd : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly SelectAndGatherAdd Instance = new();
    private SelectAndGatherAdd() { }
    /// <inheritdoc/>
    public override string Name => "select_and_gather_add";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 2) throw new ArgumentException($"{Name}: takes 2 arguments (tangent, operand), got {inputs.Count}");
        var (t, x) = (inputs[0], inputs[1]);
        if (!t.Shape.Equals(x.Shape) || t.DType != x.DType)
            throw new ArgumentException($"{Name}: the tangent {t.DType.Name()}{t.Shape} and the operand {x.DType.Name()}{x.Shape} must have one shape and dtype");
        return new AbstractValue(((SelectParams)parameters).Window.OutputShape(Name, x.Shape), t.DType, t.Weak);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var p = (SelectParams)context.Params;
        var geometry = new WindowGeometry(context.Inputs[1].Shape, context.Output.Shape, p.Window);
        return new KernelLowering((inputs, output) => WindowKernels.Gather(geometry, p.SelectsMax, inputs[0], inputs[1], output), WritesEveryElement: true);
    }

    /// <summary>Linear in the tangent; the selection is piecewise constant in the operand.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        tangents[0] is { } t ? Bind(parameters, t, primals[1]) : null;

    /// <summary>The cotangent added back at each window's selected element.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (primals[1] is null) throw new InvalidOperationException($"{Name}: transposed with respect to the operand; it is linear in the tangent only");
        return [SelectAndScatterAdd.Instance.Bind(parameters, cotangent, primals[1]!), null];
    }

    /// <summary>Both operands batched at the front, with a window of size 1 on the batch axis.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters) =>
        SelectAndScatterAdd.BatchBoth(this, args, batchAxes, (SelectParams)parameters);
}
