using System.Runtime.InteropServices;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// Copies a block of an operand into the order the micro-kernel reads: panels of
/// <c>width</c> lines (rows of A or columns of B), each panel stored step by step along the
/// contracted dimension (<c>width</c> consecutive values per step), the last panel padded
/// with zeros. Reads any strided layout through the operand's offset tables.
/// </summary>
internal static class Packing
{
    /// <summary>
    /// Packs one block into <paramref name="destination"/> (<c>width * depth.Length</c> values per panel).
    /// </summary>
    /// <param name="source">The operand's buffer.</param>
    /// <param name="origin">The offset of the product (its batch index) in <paramref name="source"/>.</param>
    /// <param name="lines">The offsets of the block's lines (rows of A, columns of B).</param>
    /// <param name="linesContiguous">Consecutive lines are adjacent: each step's values are one contiguous run.</param>
    /// <param name="depth">The offsets of the block's steps along the contracted dimension.</param>
    /// <param name="depthContiguous">Consecutive steps are adjacent: each line is one contiguous run.</param>
    /// <param name="width">The lines per panel: the micro-kernel's rows (A) or columns (B).</param>
    /// <param name="destination">The packed panels, one after another.</param>
    public static void Pack<T>(T[] source, int origin, ReadOnlySpan<int> lines, bool linesContiguous,
        ReadOnlySpan<int> depth, bool depthContiguous, int width, Span<T> destination) where T : unmanaged
    {
        var kc = depth.Length;
        for (var first = 0; first < lines.Length; first += width)
        {
            var count = Math.Min(width, lines.Length - first);
            var panel = destination.Slice(first * kc, width * kc);
            if (linesContiguous)
                for (var p = 0; p < kc; p++)
                    source.AsSpan(origin + lines[first] + depth[p], count).CopyTo(panel.Slice(p * width, count));
            else if (depthContiguous)
                for (var r = 0; r < count; r++)
                    Scatter(source.AsSpan(origin + lines[first + r] + depth[0], kc), panel.Slice(r), width);
            else
                for (var r = 0; r < count; r++)
                {
                    var line = origin + lines[first + r];
                    for (var p = 0; p < kc; p++) panel[p * width + r] = source[line + depth[p]];
                }
            if (count < width)
                for (var p = 0; p < kc; p++) panel.Slice(p * width + count, width - count).Clear();
        }
    }

    /// <summary>Writes <c>run[p]</c> to <c>destination[p * stride]</c>.</summary>
    private static void Scatter<T>(ReadOnlySpan<T> run, Span<T> destination, int stride) where T : unmanaged
    {
        ref var d = ref MemoryMarshal.GetReference(destination);
        for (var p = 0; p < run.Length; p++) System.Runtime.CompilerServices.Unsafe.Add(ref d, p * stride) = run[p];
    }
}
