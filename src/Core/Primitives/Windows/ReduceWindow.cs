using JaxSharp.Cpu;
using JaxSharp.Primitives.Convolution;

namespace JaxSharp.Primitives.Windows;

/// <summary>
/// <c>reduce_window</c> with a monoid (sum, max or min): each output element reduces one window of
/// the padded, dilated operand (padding holds the identity). Batching adds a window of size 1 on the
/// batch axis.
/// </summary>
public abstract class ReduceWindow : Primitive
{
    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"{Name}: takes 1 argument (the operand), got {inputs.Count}");
        var x = inputs[0];
        if (x.DType == DType.Bool)
            throw new ArgumentException($"{Name}: got a bool operand {x.Shape}; convert it first, e.g. Np.AsType(x, DType.Int32)");
        return new AbstractValue(((WindowParams)parameters).OutputShape(Name, x.Shape), x.DType, x.Weak);
    }

    /// <summary>The reduction the kernel runs.</summary>
    private protected abstract WindowKernels.Monoid Monoid { get; }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var geometry = new WindowGeometry(context.Inputs[0].Shape, context.Output.Shape, (WindowParams)context.Params);
        var monoid = Monoid;
        return new KernelLowering((inputs, output) => WindowKernels.Reduce(geometry, monoid, inputs[0], output), WritesEveryElement: true);
    }

    /// <inheritdoc/>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters) =>
        (Bind(((WindowParams)parameters).WithBatchAxis(), Rules.MoveAxis(args[0], batchAxes[0]!.Value, 0)), 0);
}

/// <summary><c>reduce_window_sum</c>: sum pooling. Linear: its transpose pads the cotangent and sums it over windows again (JAX's rule).</summary>
public sealed class ReduceWindowSum : ReduceWindow
{
    /// <summary>The primitive.</summary>
    public static readonly ReduceWindowSum Instance = new();
    private ReduceWindowSum() { }
    /// <inheritdoc/>
    public override string Name => "reduce_window_sum";
    private protected override WindowKernels.Monoid Monoid => WindowKernels.Monoid.Sum;

    /// <summary>Linear: the tangent summed over the same windows.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        tangents[0] is { } t ? Bind(parameters, t) : null;

    /// <summary>
    /// JAX's <c>_reduce_window_sum_transpose_rule</c>: the cotangent, dilated by the strides and padded
    /// as a convolution's input gradient, summed over windows at the base dilation's stride.
    /// </summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var p = (WindowParams)parameters;
        var input = inputs[0].Shape;
        var rank = input.Rank;
        var (low, high, interior) = (new int[rank], new int[rank], new int[rank]);
        for (var d = 0; d < rank; d++)
        {
            var inputDilated = ConvGeneralDilated.Dilate(input[d], p.BaseDilation[d]);
            var window = ConvGeneralDilated.Dilate(p.WindowDimensions[d], p.WindowDilation[d]);
            var outDilated = ConvGeneralDilated.Dilate(cotangent.Shape[d], p.WindowStrides[d]);
            low[d] = window - p.PaddingLow[d] - 1;
            high[d] = inputDilated + window - 1 - outDilated - low[d];
            interior[d] = p.WindowStrides[d] - 1;
        }
        var padded = Shapes.Pad.Instance.Bind(new Shapes.PadParams(new Ints(low), new Ints(high), new Ints(interior)), cotangent, Rules.Full(0, cotangent.DType, Shape.Scalar));
        var ones = new Ints(Enumerable.Repeat(1, rank));
        var zeros = new Ints(new int[rank]);
        return [Bind(new WindowParams(p.WindowDimensions, p.BaseDilation, zeros, zeros, ones, p.WindowDilation), padded)];
    }
}

/// <summary>A max or min window reduction, differentiated through the element each window selects (JAX's select_and_gather_add).</summary>
public abstract class ReduceWindowChooser : ReduceWindow
{
    /// <summary>Whether the reduction is max (else min).</summary>
    private protected abstract bool SelectsMax { get; }

    /// <summary>The tangent of the selected element of each window: d max(x over w) = dx at the first argmax.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        tangents[0] is { } t ? SelectAndGatherAdd.Instance.Bind(new SelectParams((WindowParams)parameters, SelectsMax), t, primals[0]) : null;
}

/// <summary><c>reduce_window_max</c>: max pooling (padding holds -inf, or the dtype's least value).</summary>
public sealed class ReduceWindowMax : ReduceWindowChooser
{
    /// <summary>The primitive.</summary>
    public static readonly ReduceWindowMax Instance = new();
    private ReduceWindowMax() { }
    /// <inheritdoc/>
    public override string Name => "reduce_window_max";
    private protected override WindowKernels.Monoid Monoid => WindowKernels.Monoid.Max;
    private protected override bool SelectsMax => true;
}

/// <summary><c>reduce_window_min</c>: min pooling (padding holds +inf, or the dtype's greatest value).</summary>
public sealed class ReduceWindowMin : ReduceWindowChooser
{
    /// <summary>The primitive.</summary>
    public static readonly ReduceWindowMin Instance = new();
    private ReduceWindowMin() { }
    /// <inheritdoc/>
    public override string Name => "reduce_window_min";
    private protected override WindowKernels.Monoid Monoid => WindowKernels.Monoid.Min;
    private protected override bool SelectsMax => false;
}
