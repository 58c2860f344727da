using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Windows;

/// <summary>
/// <c>select_and_scatter_add(source, operand)</c>: an array of the operand's shape, zero but for each
/// window's first max (or min) of the operand, where that window's element of <c>source</c> is added.
/// Max pooling's gradient. Linear in the source; its transpose is <see cref="SelectAndGatherAdd"/>.
/// </summary>
public sealed class SelectAndScatterAdd : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly SelectAndScatterAdd Instance = new();
    private SelectAndScatterAdd() { }
    /// <inheritdoc/>
    public override string Name => "select_and_scatter_add";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 2) throw new ArgumentException($"{Name}: takes 2 arguments (source, operand), got {inputs.Count}");
        var (s, x) = (inputs[0], inputs[1]);
        var windows = ((SelectParams)parameters).Window.OutputShape(Name, x.Shape);
        if (!s.Shape.Equals(windows) || s.DType != x.DType)
            throw new ArgumentException($"{Name}: the source {s.DType.Name()}{s.Shape} must have the dtype of the operand {x.DType.Name()}{x.Shape} and one element per window, shape {windows}");
        return new AbstractValue(x.Shape, s.DType, s.Weak);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var p = (SelectParams)context.Params;
        var geometry = new WindowGeometry(context.Inputs[1].Shape, context.Inputs[0].Shape, p.Window);
        return new KernelLowering((inputs, output) => WindowKernels.Scatter(geometry, p.SelectsMax, inputs[0], inputs[1], output), WritesEveryElement: true);
    }

    /// <summary>Linear in the source; the selection is piecewise constant in the operand.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        tangents[0] is { } s ? Bind(parameters, s, primals[1]) : null;

    /// <summary>Each window's selected element of the cotangent.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (primals[1] is null) throw new InvalidOperationException($"{Name}: transposed with respect to the operand; it is linear in the source only");
        return [SelectAndGatherAdd.Instance.Bind(parameters, cotangent, primals[1]!), null];
    }

    /// <summary>Both operands batched at the front, with a window of size 1 on the batch axis.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters) =>
        BatchBoth(this, args, batchAxes, (SelectParams)parameters);

    /// <summary>The batching rule of both selecting primitives: both arguments with the batch in front (an unbatched one broadcast), a window of 1 there.</summary>
    internal static (Tensor, int?) BatchBoth(Primitive primitive, IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, SelectParams p)
    {
        var size = Rules.BatchSize(args, batchAxes);
        var front = args.Select((x, i) => Rules.BatchToFront(x, batchAxes[i], size)).ToArray();
        return (primitive.Bind(p with { Window = p.Window.WithBatchAxis() }, front), 0);
    }
}
