using JaxSharp.Primitives.Windows;

namespace JaxSharp;

public static partial class Lax
{
    /// <summary>
    /// <c>jax.lax.reduce_window</c> with the monoid named by <paramref name="computation"/>: "sum"
    /// (<c>lax.add</c>), "max" or "min", over windows of <paramref name="windowDimensions"/> (one
    /// entry per axis of x) moved by <paramref name="windowStrides"/> (null: ones). Padding is "VALID",
    /// "SAME" or "SAME_LOWER" and holds the monoid's identity (0, -inf, +inf). Differentiable (max and
    /// min through the first selected element of each window, as JAX) and batchable.
    /// </summary>
    /// <example><c>Lax.ReduceWindow(x, "max", [1, 2, 2, 1], [1, 2, 2, 1], "VALID")</c> is 2x2 max pooling of NHWC x.</example>
    public static Tensor ReduceWindow(Tensor x, string computation, int[] windowDimensions, int[]? windowStrides = null, string padding = "VALID", int[]? baseDilation = null, int[]? windowDilation = null)
    {
        NotNull(x);
        NotNull(computation);
        NotNull(windowDimensions);
        NotNull(padding);
        var (strides, baseDil, windowDil) = WindowSetup(x, windowDimensions, windowStrides, baseDilation, windowDilation);
        var input = x.Shape.Select((n, d) => Primitives.Convolution.ConvGeneralDilated.Dilate(n, baseDil[d])).ToArray();
        var window = windowDimensions.Select((k, d) => Primitives.Convolution.ConvGeneralDilated.Dilate(k, windowDil[d])).ToArray();
        return ReduceWindow(x, computation, windowDimensions, strides, WindowPadding($"reduce_window_{computation}", padding, input, window, strides), baseDil, windowDil);
    }

    /// <summary><c>jax.lax.reduce_window</c> with explicit (low, high) padding per axis (negative crops). See the string-padding overload.</summary>
    public static Tensor ReduceWindow(Tensor x, string computation, int[] windowDimensions, int[]? windowStrides, (int Low, int High)[] padding, int[]? baseDilation = null, int[]? windowDilation = null)
    {
        NotNull(x);
        NotNull(computation);
        NotNull(windowDimensions);
        NotNull(padding);
        var (strides, baseDil, windowDil) = WindowSetup(x, windowDimensions, windowStrides, baseDilation, windowDilation);
        var p = new WindowParams(new Ints(windowDimensions), new Ints(strides), new Ints(padding.Select(q => q.Low)), new Ints(padding.Select(q => q.High)), new Ints(baseDil), new Ints(windowDil));
        Primitives.Primitive primitive = computation.ToLowerInvariant() switch
        {
            "sum" or "add" => ReduceWindowSum.Instance,
            "max" => ReduceWindowMax.Instance,
            "min" => ReduceWindowMin.Instance,
            _ => throw new ArgumentException($"reduce_window: computation \"{computation}\" is not one of \"sum\", \"max\" or \"min\""),
        };
        return primitive.Bind(p, x);
    }

    private static (int[], int[], int[]) WindowSetup(Tensor x, int[] windowDimensions, int[]? windowStrides, int[]? baseDilation, int[]? windowDilation)
    {
        NotNull(windowDimensions);
        if (windowDimensions.Length != x.Rank)
            throw new ArgumentException($"reduce_window: window_dimensions {Ints.Format(windowDimensions)} need one entry per axis of x {x.Shape} ({x.Rank})");
        int[] Ones() => Enumerable.Repeat(1, x.Rank).ToArray();
        return (windowStrides ?? Ones(), baseDilation ?? Ones(), windowDilation ?? Ones());
    }
}
