using JaxSharp.Primitives.Convolution;

namespace JaxSharp.Primitives.Windows;

/// <summary>The window of <c>reduce_window</c> and of max pooling's gradient, one entry per axis of the operand.</summary>
/// <param name="WindowDimensions">The window's size along each axis.</param>
/// <param name="WindowStrides">The step between windows.</param>
/// <param name="PaddingLow">Identity elements added before each axis of the (dilated) operand.</param>
/// <param name="PaddingHigh">Identity elements added after each axis.</param>
/// <param name="BaseDilation">The operand's dilation: d - 1 holes between neighbours.</param>
/// <param name="WindowDilation">The window's dilation.</param>
public sealed record WindowParams(Ints WindowDimensions, Ints WindowStrides, Ints PaddingLow, Ints PaddingHigh, Ints BaseDilation, Ints WindowDilation) : PrimitiveParams
{
    /// <summary>The output shape for an operand of <paramref name="shape"/>, or an error that names <paramref name="op"/>.</summary>
    internal Shape OutputShape(string op, Shape shape)
    {
        var rank = shape.Rank;
        foreach (var (name, list) in new[] { ("window_dimensions", WindowDimensions), ("window_strides", WindowStrides), ("padding", PaddingLow), ("padding", PaddingHigh), ("base_dilation", BaseDilation), ("window_dilation", WindowDilation) })
            if (list.Count != rank)
                throw new ArgumentException($"{op}: {name} {list} has {list.Count} entries but the operand {shape} has {rank} axes; give one per axis");
        foreach (var (name, list) in new[] { ("window_dimensions", WindowDimensions), ("window_strides", WindowStrides), ("base_dilation", BaseDilation), ("window_dilation", WindowDilation) })
            if (list.Any(v => v < 1))
                throw new ArgumentException($"{op}: {name} {list} must be positive");
        var dims = new long[rank];
        for (var d = 0; d < rank; d++)
        {
            var padded = (long)ConvGeneralDilated.Dilate(shape[d], BaseDilation[d]) + PaddingLow[d] + PaddingHigh[d];
            if (padded < 0)
                throw new ArgumentException($"{op}: padding ({PaddingLow[d]}, {PaddingHigh[d]}) of axis {d} crops more than its size {shape[d]} (operand {shape}); crop less");
            var window = ConvGeneralDilated.Dilate(WindowDimensions[d], WindowDilation[d]);
            dims[d] = padded < window ? 0 : (padded - window) / WindowStrides[d] + 1;
        }
        return TensorLimits.Shape(op, dims);
    }

    /// <summary>The same window with an axis of size 1 in front (stride 1, no padding or dilation), for a batch axis.</summary>
    internal WindowParams WithBatchAxis() => new(Prepend(WindowDimensions, 1), Prepend(WindowStrides, 1), Prepend(PaddingLow, 0), Prepend(PaddingHigh, 0), Prepend(BaseDilation, 1), Prepend(WindowDilation, 1));

    private static Ints Prepend(Ints list, int value) => new([value, .. list]);
}

/// <summary>The parameters of <see cref="SelectAndGatherAdd"/> and <see cref="SelectAndScatterAdd"/>: the window and which element it selects.</summary>
/// <param name="Window">The window.</param>
/// <param name="SelectsMax">True: the first largest element of each window (max pooling); false: the first smallest.</param>
public sealed record SelectParams(WindowParams Window, bool SelectsMax) : PrimitiveParams;
