using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Convolution;

/// <summary>The parameters of <see cref="ConvGeneralDilated"/>, as JAX's (padding resolved to explicit pairs).</summary>
/// <param name="WindowStrides">The step between windows along each spatial axis.</param>
/// <param name="PaddingLow">Zeros added before each spatial axis of the (dilated) input; negative crops.</param>
/// <param name="PaddingHigh">Zeros added after each spatial axis of the (dilated) input; negative crops.</param>
/// <param name="LhsDilation">The input's dilation (transposed convolution): d - 1 zeros between neighbours.</param>
/// <param name="RhsDilation">The kernel's dilation (atrous convolution).</param>
/// <param name="DimensionNumbers">Where the batch, feature and spatial axes are.</param>
/// <param name="FeatureGroupCount">Groups of input features, each convolved with its own slice of the kernel (depthwise: the feature count).</param>
/// <param name="BatchGroupCount">Groups of the batch, each convolved with its own slice of the kernel's output features.</param>
public sealed record ConvParams(
    Ints WindowStrides, Ints PaddingLow, Ints PaddingHigh, Ints LhsDilation, Ints RhsDilation,
    ConvDimensionNumbers DimensionNumbers, int FeatureGroupCount = 1, int BatchGroupCount = 1) : PrimitiveParams;

/// <summary>
/// <c>conv_general_dilated</c>: XLA's convolution, N-d over the spatial axes, with strides,
/// explicit padding, input and kernel dilation, feature and batch groups, and operands in any
/// layout. out[n, o, p] = sum over i, k of lhs[n, g·I + i, p·s + k·d] rhs[o, i, k] on the padded,
/// dilated input (g the group of o). Bilinear: JVP and transposes as JAX's, batching by folding
/// the batch into the batch, feature or group axes. The CPU kernel runs packed products on views of
/// the input (<see cref="ConvKernel"/>).
/// </summary>
public sealed partial class ConvGeneralDilated : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly ConvGeneralDilated Instance = new();
    private ConvGeneralDilated() { }
    /// <inheritdoc/>
    public override string Name => "conv_general_dilated";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 2) throw new ArgumentException($"conv_general_dilated: takes 2 arguments (lhs, rhs), got {inputs.Count}");
        var (lhs, rhs) = (inputs[0], inputs[1]);
        var p = (ConvParams)parameters;
        var shown = $"lhs {lhs.DType.Name()}{lhs.Shape} and rhs {rhs.DType.Name()}{rhs.Shape}";
        if (lhs.DType != rhs.DType)
            throw new ArgumentException($"conv_general_dilated: dtypes of {shown} differ; convert one with Np.AsType");
        if (!lhs.DType.IsFloat())
            throw new ArgumentException($"conv_general_dilated: {shown} must be float32 or float64; convert with Np.AsType(x, DType.Float32)");
        if (lhs.Rank != rhs.Rank || lhs.Rank < 2)
            throw new ArgumentException($"conv_general_dilated: {shown} must have the same rank, at least 2 (batch and feature axes, then the spatial axes)");
        var dn = p.DimensionNumbers;
        var rank = lhs.Rank;
        if (dn.Lhs.Count != rank || dn.Rhs.Count != rank || dn.Out.Count != rank)
            throw new ArgumentException($"conv_general_dilated: dimension_numbers {dn} need one axis per dimension of {shown}");
        var spatialCount = rank - 2;
        foreach (var (name, list) in new[] { ("window_strides", p.WindowStrides), ("padding", p.PaddingLow), ("padding", p.PaddingHigh), ("lhs_dilation", p.LhsDilation), ("rhs_dilation", p.RhsDilation) })
            if (list.Count != spatialCount)
                throw new ArgumentException($"conv_general_dilated: {name} has {list.Count} entries but {shown} have {spatialCount} spatial axes; give one per spatial axis");
        foreach (var (name, list) in new[] { ("window_strides", p.WindowStrides), ("lhs_dilation", p.LhsDilation), ("rhs_dilation", p.RhsDilation) })
            if (list.Any(v => v < 1))
                throw new ArgumentException($"conv_general_dilated: {name} {list} must be positive");
        var (g, b) = (p.FeatureGroupCount, p.BatchGroupCount);
        if (g < 1 || b < 1)
            throw new ArgumentException($"conv_general_dilated: feature_group_count {g} and batch_group_count {b} must be positive");
        if (g > 1 && b > 1)
            throw new ArgumentException($"conv_general_dilated: at most one of feature_group_count ({g}) and batch_group_count ({b}) may be above 1");
        var (batch, features) = (lhs.Shape[dn.Lhs[0]], lhs.Shape[dn.Lhs[1]]);
        var (outFeatures, inFeatures) = (rhs.Shape[dn.Rhs[0]], rhs.Shape[dn.Rhs[1]]);
        if (features % g != 0)
            throw new ArgumentException($"conv_general_dilated: feature_group_count {g} must divide the lhs feature size {features} ({shown})");
        if (features / g != inFeatures)
            throw new ArgumentException($"conv_general_dilated: the lhs feature size {features} / feature_group_count {g} must equal the rhs input feature size {inFeatures} ({shown}, dimension_numbers {dn}); check the layout strings");
        if (outFeatures % g != 0)
            throw new ArgumentException($"conv_general_dilated: the rhs output feature size {outFeatures} must be a multiple of feature_group_count {g} ({shown})");
        if (batch % b != 0)
            throw new ArgumentException($"conv_general_dilated: batch_group_count {b} must divide the lhs batch size {batch} ({shown})");
        if (outFeatures % b != 0)
            throw new ArgumentException($"conv_general_dilated: the rhs output feature size {outFeatures} must be a multiple of batch_group_count {b} ({shown})");
        var canonical = new long[rank];
        canonical[0] = batch / b;
        canonical[1] = outFeatures;
        for (var i = 0; i < spatialCount; i++)
        {
            var input = Dilate(lhs.Shape[dn.Lhs[i + 2]], p.LhsDilation[i]);
            var window = Dilate(rhs.Shape[dn.Rhs[i + 2]], p.RhsDilation[i]);
            var padded = (long)input + p.PaddingLow[i] + p.PaddingHigh[i];
            if (padded < 0)
                throw new ArgumentException($"conv_general_dilated: padding ({p.PaddingLow[i]}, {p.PaddingHigh[i]}) of spatial axis {i} crops more than its size {input} ({shown}); crop less");
            canonical[i + 2] = Math.Max(0, (padded - window) / p.WindowStrides[i] + 1);
            if (padded < window) canonical[i + 2] = 0;
        }
        var shape = new long[rank];
        for (var i = 0; i < rank; i++) shape[dn.Out[i]] = canonical[i];
        return new AbstractValue(TensorLimits.Shape(Name, shape), lhs.DType, lhs.Weak && rhs.Weak);
    }

    /// <summary>JAX's <c>dilate_dim</c>: the size of an axis of <paramref name="size"/> with <paramref name="dilation"/> - 1 holes between neighbours.</summary>
    internal static int Dilate(int size, int dilation) => size == 0 ? 0 : 1 + dilation * (size - 1);

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var plan = new ConvKernel.Plan(context.Inputs[0].Shape, context.Inputs[1].Shape, context.Output.Shape, (ConvParams)context.Params);
        return new KernelLowering((inputs, output) => ConvKernel.Run(plan, inputs[0], inputs[1], output), WritesEveryElement: true);
    }

    /// <summary>Bilinear: d conv(lhs, rhs) = conv(dlhs, rhs) + conv(lhs, drhs).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        var fromLhs = tangents[0] is { } dl ? Bind(parameters, dl, primals[1]) : null;
        var fromRhs = tangents[1] is { } dr ? Bind(parameters, primals[0], dr) : null;
        return fromLhs is null ? fromRhs : fromRhs is null ? fromLhs : Lax.Add(fromLhs, fromRhs);
    }
}
