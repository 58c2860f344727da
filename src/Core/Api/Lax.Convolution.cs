using JaxSharp.Primitives.Convolution;

namespace JaxSharp;

public static partial class Lax
{
    /// <summary>
    /// <c>jax.lax.conv_general_dilated</c>: an N-d convolution (a cross-correlation, the kernel not
    /// flipped, as in JAX and every deep learning library) of <paramref name="lhs"/> (batch, features,
    /// spatial...) with the kernel <paramref name="rhs"/> (output features, input features, window...).
    /// <paramref name="padding"/> is "SAME" (output size ceil(input / stride), the odd element at the
    /// end), "SAME_LOWER" (at the start) or "VALID" (none). Differentiable in both operands and batchable.
    /// </summary>
    /// <param name="lhs">The input, float32 or float64.</param>
    /// <param name="rhs">The kernel, of the input's dtype and rank.</param>
    /// <param name="windowStrides">The step between windows, one per spatial axis.</param>
    /// <param name="padding">"SAME", "SAME_LOWER" or "VALID".</param>
    /// <param name="lhsDilation">The input's dilation (null: ones); string padding needs none, use explicit pairs instead.</param>
    /// <param name="rhsDilation">The kernel's dilation (atrous convolution; null: ones).</param>
    /// <param name="dimensionNumbers">The layouts as JAX's strings, e.g. ("NHWC", "HWIO", "NHWC"); null: ("NCHW", "OIHW", "NCHW") for any rank.</param>
    /// <param name="featureGroupCount">Groups of input features (depthwise: the feature count).</param>
    /// <param name="batchGroupCount">Groups of the batch.</param>
    /// <example><c>Lax.ConvGeneralDilated(x, w, [1, 1], "SAME", dimensionNumbers: ("NHWC", "HWIO", "NHWC"))</c></example>
    public static Tensor ConvGeneralDilated(Tensor lhs, Tensor rhs, int[] windowStrides, string padding, int[]? lhsDilation = null, int[]? rhsDilation = null,
        (string Lhs, string Rhs, string Out)? dimensionNumbers = null, int featureGroupCount = 1, int batchGroupCount = 1)
    {
        NotNull(lhs);
        NotNull(rhs);
        NotNull(windowStrides);
        NotNull(padding);
        var (dn, strides, lhsDil, rhsDil) = ConvSetup(lhs, rhs, windowStrides, lhsDilation, rhsDilation, dimensionNumbers);
        if (lhsDil.Any(d => d != 1))
            throw new ArgumentException($"conv_general_dilated: string padding \"{padding}\" is not defined with lhs_dilation {Ints.Format(lhsDil)}; give explicit (low, high) pairs, or use Lax.ConvTranspose");
        var input = dn.Lhs.Skip(2).Select(a => lhs.Shape[a]).ToArray();
        var window = dn.Rhs.Skip(2).Select((a, i) => Primitives.Convolution.ConvGeneralDilated.Dilate(rhs.Shape[a], rhsDil[i])).ToArray();
        var pads = WindowPadding("conv_general_dilated", padding, input, window, strides);
        return ConvGeneralDilated(lhs, rhs, strides, pads, lhsDil, rhsDil, dimensionNumbers, featureGroupCount, batchGroupCount);
    }

    /// <summary>
    /// <c>jax.lax.conv_general_dilated</c> with explicit padding: (low, high) zeros per spatial axis
    /// of the dilated input (negative crops). See the string-padding overload for the other arguments.
    /// </summary>
    /// <example><c>Lax.ConvGeneralDilated(x, w, [2, 2], [(1, 1), (1, 1)], lhsDilation: [2, 2])</c></example>
    public static Tensor ConvGeneralDilated(Tensor lhs, Tensor rhs, int[] windowStrides, (int Low, int High)[] padding, int[]? lhsDilation = null, int[]? rhsDilation = null,
        (string Lhs, string Rhs, string Out)? dimensionNumbers = null, int featureGroupCount = 1, int batchGroupCount = 1)
    {
        NotNull(lhs);
        NotNull(rhs);
        NotNull(windowStrides);
        NotNull(padding);
        var (dn, strides, lhsDil, rhsDil) = ConvSetup(lhs, rhs, windowStrides, lhsDilation, rhsDilation, dimensionNumbers);
        var p = new ConvParams(new Ints(strides), new Ints(padding.Select(q => q.Low)), new Ints(padding.Select(q => q.High)),
            new Ints(lhsDil), new Ints(rhsDil), dn, featureGroupCount, batchGroupCount);
        return Primitives.Convolution.ConvGeneralDilated.Instance.Bind(p, lhs, rhs);
    }

    /// <summary>
    /// <c>jax.lax.conv</c>: <see cref="ConvGeneralDilated(Tensor, Tensor, int[], string, int[], int[], ValueTuple{string, string, string}?, int, int)"/>
    /// with layouts NCHW / OIHW and no dilation.
    /// </summary>
    /// <example><c>Lax.Conv(x, w, [1, 1], "SAME")</c></example>
    public static Tensor Conv(Tensor lhs, Tensor rhs, int[] windowStrides, string padding) => ConvGeneralDilated(lhs, rhs, windowStrides, padding);

    /// <summary>
    /// <c>jax.lax.conv_transpose</c>: the fractionally strided convolution (the input dilated by
    /// <paramref name="strides"/>), with output sizes as Keras's Conv2DTranspose: "SAME" gives
    /// input × stride. Layouts default to channels last (NHWC / HWIO / NHWC for rank 4, NC / IO / NC
    /// for rank 2). With <paramref name="transposeKernel"/>, the kernel's spatial axes are flipped and
    /// its feature axes swapped, so that the result is the gradient of <see cref="Conv"/> with the same kernel.
    /// </summary>
    /// <example><c>Lax.ConvTranspose(x, w, [2, 2], "SAME")</c> doubles the spatial sizes of an NHWC x.</example>
    public static Tensor ConvTranspose(Tensor lhs, Tensor rhs, int[] strides, string padding, int[]? rhsDilation = null,
        (string Lhs, string Rhs, string Out)? dimensionNumbers = null, bool transposeKernel = false)
    {
        NotNull(lhs);
        NotNull(rhs);
        NotNull(strides);
        NotNull(padding);
        var mode = padding.ToUpperInvariant();
        if (mode is not ("SAME" or "VALID"))
            throw new ArgumentException($"conv_transpose: padding \"{padding}\" is not one of \"SAME\" or \"VALID\"; or give (low, high) pairs");
        return ConvTransposeWith(lhs, rhs, strides, (k, s, _) => TransposePadding(k, s, mode), rhsDilation, dimensionNumbers, transposeKernel);
    }

    /// <summary>
    /// <c>jax.lax.conv_transpose</c> with explicit padding: (low, high) pairs of the transposed
    /// convolution itself (JAX's default reading of integer padding).
    /// </summary>
    public static Tensor ConvTranspose(Tensor lhs, Tensor rhs, int[] strides, (int Low, int High)[] padding, int[]? rhsDilation = null,
        (string Lhs, string Rhs, string Out)? dimensionNumbers = null, bool transposeKernel = false)
    {
        NotNull(lhs);
        NotNull(rhs);
        NotNull(strides);
        NotNull(padding);
        if (padding.Length != strides.Length)
            throw new ArgumentException($"conv_transpose: padding has {padding.Length} pairs but strides {Ints.Format(strides)} has {strides.Length} entries; give one pair per spatial axis");
        return ConvTransposeWith(lhs, rhs, strides, (_, _, i) => padding[i], rhsDilation, dimensionNumbers, transposeKernel);
    }

    private static Tensor ConvTransposeWith(Tensor lhs, Tensor rhs, int[] strides, Func<int, int, int, (int, int)> pads, int[]? rhsDilation,
        (string Lhs, string Rhs, string Out)? dimensionNumbers, bool transposeKernel)
    {
        NotNull(lhs);
        NotNull(rhs);
        NotNull(strides);
        if (lhs.Rank != rhs.Rank || lhs.Rank < 2)
            throw new ArgumentException($"conv_transpose: lhs {lhs.Shape} and rhs {rhs.Shape} must have the same rank, at least 2");
        var letters = "HWD"[..Math.Min(3, lhs.Rank - 2)];
        if (dimensionNumbers is null && lhs.Rank > 5)
            throw new ArgumentException($"conv_transpose: no default layout for rank {lhs.Rank}; pass dimensionNumbers such as (\"NC...\", \"OI...\", \"NC...\")");
        var layouts = dimensionNumbers ?? ($"N{letters}C", $"{letters}IO", $"N{letters}C");
        var dn = ParseConvLayouts(layouts, lhs.Rank);
        var spatial = lhs.Rank - 2;
        if (strides.Length != spatial)
            throw new ArgumentException($"conv_transpose: strides {Ints.Format(strides)} need one entry per spatial axis ({spatial}) of lhs {lhs.Shape}");
        var rhsDil = rhsDilation ?? Enumerable.Repeat(1, spatial).ToArray();
        if (rhsDil.Length != spatial)
            throw new ArgumentException($"conv_transpose: rhs_dilation {Ints.Format(rhsDil)} needs one entry per spatial axis ({spatial}) of lhs {lhs.Shape}");
        var padding = Enumerable.Range(0, spatial).Select(i => pads(Primitives.Convolution.ConvGeneralDilated.Dilate(rhs.Shape[dn.Rhs[i + 2]], rhsDil[i]), strides[i], i)).ToArray();
        if (transposeKernel)
        {
            rhs = Rev(rhs, new Ints(dn.Rhs.Skip(2)));
            var order = Enumerable.Range(0, rhs.Rank).ToArray();
            (order[dn.Rhs[0]], order[dn.Rhs[1]]) = (order[dn.Rhs[1]], order[dn.Rhs[0]]);
            rhs = Transpose(rhs, new Ints(order));
        }
        return ConvGeneralDilated(lhs, rhs, Enumerable.Repeat(1, spatial).ToArray(), padding, strides, rhsDil, layouts);
    }

    /// <summary>JAX's <c>_conv_transpose_padding</c>: the (before, after) padding of a transposed convolution for kernel size k and stride s.</summary>
    private static (int, int) TransposePadding(int k, int s, string mode)
    {
        int padLength, before;
        if (mode == "SAME")
        {
            padLength = k + s - 2;
            before = s > k - 1 ? k - 1 : (padLength + 1) / 2;
        }
        else
        {
            padLength = k + s - 2 + Math.Max(k - s, 0);
            before = k - 1;
        }
        return (before, padLength - before);
    }

    /// <summary>
    /// JAX's <c>padtype_to_pads</c>: explicit (low, high) pairs for "SAME", "SAME_LOWER" or "VALID"
    /// windows of the given sizes and strides over an input.
    /// </summary>
    internal static (int Low, int High)[] WindowPadding(string op, string padding, int[] input, int[] window, int[] strides)
    {
        var mode = padding.ToUpperInvariant();
        if (mode == "VALID") return input.Select(_ => (0, 0)).ToArray();
        if (mode is not ("SAME" or "SAME_LOWER"))
            throw new ArgumentException($"{op}: padding \"{padding}\" is not one of \"SAME\", \"SAME_LOWER\" or \"VALID\"; or give (low, high) pairs per spatial axis");
        return input.Select((size, i) =>
        {
            var output = (size + strides[i] - 1) / strides[i];
            var total = Math.Max(0, (output - 1) * strides[i] + window[i] - size);
            var low = mode == "SAME" ? total / 2 : (total + 1) / 2;
            return (low, total - low);
        }).ToArray();
    }

    private static (ConvDimensionNumbers, int[], int[], int[]) ConvSetup(Tensor lhs, Tensor rhs, int[] windowStrides, int[]? lhsDilation, int[]? rhsDilation, (string, string, string)? dimensionNumbers)
    {
        NotNull(lhs);
        NotNull(rhs);
        NotNull(windowStrides);
        if (lhs.Rank != rhs.Rank || lhs.Rank < 2)
            throw new ArgumentException($"conv_general_dilated: lhs {lhs.Shape} and rhs {rhs.Shape} must have the same rank, at least 2 (batch and feature axes, then the spatial axes)");
        var dn = dimensionNumbers is { } names ? ParseConvLayouts(names, lhs.Rank) : ConvDimensionNumbers.Default(lhs.Rank);
        var spatial = lhs.Rank - 2;
        if (windowStrides.Length != spatial)
            throw new ArgumentException($"conv_general_dilated: window_strides {Ints.Format(windowStrides)} need one entry per spatial axis ({spatial}) of lhs {lhs.Shape}");
        return (dn, windowStrides, lhsDilation ?? Enumerable.Repeat(1, spatial).ToArray(), rhsDilation ?? Enumerable.Repeat(1, spatial).ToArray());
    }

    private static ConvDimensionNumbers ParseConvLayouts((string Lhs, string Rhs, string Out) names, int rank) =>
        ConvDimensionNumbers.Parse(names.Lhs, names.Rhs, names.Out, rank);
}
