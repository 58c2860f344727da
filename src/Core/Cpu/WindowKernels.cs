using System.Numerics;
using JaxSharp.Primitives.Windows;

namespace JaxSharp.Cpu;

/// <summary>
/// Where the windows of a <c>reduce_window</c> lie in its operand: for each axis, output coordinate
/// and window position, the offset of the operand element there, or -1 for padding and the holes of
/// base dilation. A window's offsets are the sums over axes (any -1 makes -1).
/// </summary>
internal sealed class WindowGeometry
{
    private readonly int[][] _axes;
    private readonly int[] _window;
    private readonly int[] _outShape;

    /// <summary>The windows of <paramref name="p"/> over an operand of <paramref name="input"/>, one per element of <paramref name="output"/>.</summary>
    public WindowGeometry(Shape input, Shape output, WindowParams p)
    {
        var strides = input.Strides();
        _window = p.WindowDimensions.ToArray();
        _outShape = output.ToArray();
        OutputSize = output.Size;
        InputSize = input.Size;
        WindowSize = _window.Aggregate(1, (a, b) => a * b);
        _axes = Enumerable.Range(0, input.Rank).Select(d =>
        {
            var table = new int[output[d] * _window[d]];
            for (var o = 0; o < output[d]; o++)
                for (var k = 0; k < _window[d]; k++)
                {
                    // the position in the padded, dilated operand, then in the operand
                    var at = o * p.WindowStrides[d] + k * p.WindowDilation[d] - p.PaddingLow[d];
                    var inside = at >= 0 && at % p.BaseDilation[d] == 0 && at / p.BaseDilation[d] < input[d];
                    table[o * _window[d] + k] = inside ? at / p.BaseDilation[d] * strides[d] : -1;
                }
            return table;
        }).ToArray();
    }

    /// <summary>The number of windows.</summary>
    public int OutputSize { get; }

    /// <summary>The operand's elements.</summary>
    public int InputSize { get; }

    /// <summary>The elements of one window.</summary>
    public int WindowSize { get; }

    /// <summary>Fills <paramref name="offsets"/> (of <see cref="WindowSize"/>) with the operand offsets of window <paramref name="output"/>, row-major over the window.</summary>
    public void Offsets(int output, Span<int> offsets)
    {
        if (WindowSize == 0) return;
        // the output coordinates, last axis first
        Span<int> coordinates = stackalloc int[_outShape.Length];
        for (var d = _outShape.Length - 1; d >= 0; d--)
        {
            coordinates[d] = output % _outShape[d];
            output /= _outShape[d];
        }
        offsets[0] = 0;
        var count = 1;
        for (var d = 0; d < _axes.Length; d++)
        {
            var (w, table, start) = (_window[d], _axes[d], coordinates[d] * _window[d]);
            // expand in place from the back: entry j becomes entries j·w .. j·w + w - 1
            for (var j = count - 1; j >= 0; j--)
            {
                var origin = offsets[j];
                for (var k = w - 1; k >= 0; k--)
                {
                    var t = table[start + k];
                    offsets[j * w + k] = origin < 0 || t < 0 ? -1 : origin + t;
                }
            }
            count *= w;
        }
    }
}

/// <summary>The CPU kernels of the window primitives: reductions, and the selection of max pooling's gradient.</summary>
internal static class WindowKernels
{
    /// <summary>The reductions of <c>reduce_window</c>.</summary>
    internal enum Monoid { Sum, Max, Min }

    /// <summary>The windows from which the reductions spread over cores.</summary>
    private const int ParallelWork = 1 << 15;

    /// <summary>Reduces every window of <paramref name="input"/> into <paramref name="output"/>.</summary>
    public static void Reduce(WindowGeometry geometry, Monoid monoid, Array input, Array output)
    {
        switch (output)
        {
            case float[] f: Reduce(geometry, monoid, (float[])input, f, float.NegativeInfinity, float.PositiveInfinity); break;
            case double[] d: Reduce(geometry, monoid, (double[])input, d, double.NegativeInfinity, double.PositiveInfinity); break;
            case int[] i when i.GetType() == typeof(int[]): Reduce(geometry, monoid, (int[])input, i, int.MinValue, int.MaxValue); break;
            case uint[] u: Reduce(geometry, monoid, (uint[])input, u, uint.MinValue, uint.MaxValue); break;
            default: throw new NotSupportedException($"reduce_window: no CPU kernel for {output.GetType().Name}");
        }
    }

    private static void Reduce<T>(WindowGeometry geometry, Monoid monoid, T[] x, T[] y, T lowest, T highest) where T : INumber<T>
    {
        var identity = monoid switch { Monoid.Sum => T.Zero, Monoid.Max => lowest, _ => highest };
        ForEachWindow(geometry, (window, offsets) =>
        {
            var acc = identity;
            foreach (var at in offsets)
            {
                if (at < 0) continue;
                var v = x[at];
                acc = monoid switch
                {
                    Monoid.Sum => acc + v,
                    Monoid.Max => v > acc || T.IsNaN(v) ? v : acc,
                    _ => v < acc || T.IsNaN(v) ? v : acc,
                };
            }
            y[window] = acc;
        });
    }

    /// <summary>For each window, the element of <paramref name="tangent"/> at the operand's selected element (zero when the window is all padding).</summary>
    public static void Gather(WindowGeometry geometry, bool selectsMax, Array tangent, Array operand, Array output)
    {
        switch (output)
        {
            case float[] f: Gather(geometry, selectsMax, (float[])tangent, (float[])operand, f); break;
            case double[] d: Gather(geometry, selectsMax, (double[])tangent, (double[])operand, d); break;
            case int[] i when i.GetType() == typeof(int[]): Gather(geometry, selectsMax, (int[])tangent, (int[])operand, i); break;
            case uint[] u: Gather(geometry, selectsMax, (uint[])tangent, (uint[])operand, u); break;
            default: throw new NotSupportedException($"select_and_gather_add: no CPU kernel for {output.GetType().Name}");
        }
    }

    private static void Gather<T>(WindowGeometry geometry, bool selectsMax, T[] t, T[] x, T[] y) where T : INumber<T> =>
        ForEachWindow(geometry, (window, offsets) =>
        {
            var at = Select(offsets, x, selectsMax);
            y[window] = at < 0 ? T.Zero : t[at];
        });

    /// <summary>Zeros of the operand's shape, with each window's <paramref name="source"/> element added at its selected element.</summary>
    public static void Scatter(WindowGeometry geometry, bool selectsMax, Array source, Array operand, Array output)
    {
        switch (output)
        {
            case float[] f: Scatter(geometry, selectsMax, (float[])source, (float[])operand, f); break;
            case double[] d: Scatter(geometry, selectsMax, (double[])source, (double[])operand, d); break;
            case int[] i when i.GetType() == typeof(int[]): Scatter(geometry, selectsMax, (int[])source, (int[])operand, i); break;
            case uint[] u: Scatter(geometry, selectsMax, (uint[])source, (uint[])operand, u); break;
            default: throw new NotSupportedException($"select_and_scatter_add: no CPU kernel for {output.GetType().Name}");
        }
    }

    private static void Scatter<T>(WindowGeometry geometry, bool selectsMax, T[] s, T[] x, T[] y) where T : INumber<T>
    {
        Array.Clear(y, 0, geometry.InputSize);
        // windows overlap, so their additions run in order on one core
        var offsets = new int[geometry.WindowSize];
        for (var window = 0; window < geometry.OutputSize; window++)
        {
            geometry.Offsets(window, offsets);
            var at = Select(offsets, x, selectsMax);
            if (at >= 0) y[at] += s[window];
        }
    }

    /// <summary>The offset of the window's first largest (or smallest) operand element, -1 when the window is all padding.</summary>
    private static int Select<T>(ReadOnlySpan<int> offsets, T[] x, bool selectsMax) where T : INumber<T>
    {
        var best = -1;
        foreach (var at in offsets)
        {
            if (at < 0) continue;
            if (best < 0 || (selectsMax ? x[at] > x[best] : x[at] < x[best])) best = at;
        }
        return best;
    }

    private delegate void WindowAction(int window, ReadOnlySpan<int> offsets);

    /// <summary>Runs <paramref name="action"/> on every window with its offsets, spread over cores when there are many.</summary>
    private static void ForEachWindow(WindowGeometry geometry, WindowAction action)
    {
        var count = geometry.OutputSize;
        var chunks = count * (long)geometry.WindowSize >= ParallelWork && Environment.ProcessorCount > 1 ? 4 * Environment.ProcessorCount : 1;
        var chunk = (count + chunks - 1) / Math.Max(chunks, 1);
        void Run(int c)
        {
            var offsets = new int[geometry.WindowSize];
            for (var window = c * chunk; window < Math.Min(count, (c + 1) * chunk); window++)
            {
                geometry.Offsets(window, offsets);
                action(window, offsets);
            }
        }
        if (chunks == 1) Run(0);
        else Parallel.For(0, chunks, Run);
    }
}
