using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// Copies a block of an operand into the order the micro-kernel reads: panels of
/// <c>width</c> lines (rows of A or columns of B), each panel stored step by step along the
/// contracted dimension (<c>width</c> consecutive values per step), the last panel padded
/// with zeros. Reads any strided layout through the operand's offset tables: contiguous runs
/// are copied by vectors, panel by panel, lines whose steps are adjacent are transposed in registers, other
/// full panels are gathered (AVX2), the rest element by element.
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
    /// <param name="width">The lines per panel: the micro-kernel's rows (A) or columns (B).</param>
    /// <param name="destination">The packed panels, one after another.</param>
    [MethodImpl(KernelCompilation.Hot)]
    public static void Pack<T>(T[] source, int origin, ReadOnlySpan<int> lines, bool linesContiguous,
        ReadOnlySpan<int> depth, int width, Span<T> destination)
    {
        var kc = depth.Length;
        var full = lines.Length / width * width;
        // Runs copy by vectors, 12-float runs too (a transposed A): faster than gathers once the
        // stores go panel by panel (CopyRuns).
        if (linesContiguous)
            CopyRuns(source, origin + lines[0], depth, full, width, destination);
        else if (!Transpose(source, origin, lines[..full], depth, width, destination)
                 && !Transpose256(source, origin, lines[..full], depth, width, destination)
                 && !Gather(source, origin, lines[..full], depth, width, destination))
            full = 0;
        for (var first = full; first < lines.Length; first += width)
        {
            var count = Math.Min(width, lines.Length - first);
            var panel = destination.Slice(first * kc, width * kc);
            for (var r = 0; r < count; r++)
            {
                var line = origin + lines[first + r];
                for (var p = 0; p < kc; p++) panel[p * width + r] = source[line + depth[p]];
            }
            if (count < width)
                for (var p = 0; p < kc; p++) panel.Slice(p * width + count, width - count).Clear();
        }
    }

    /// <summary>
    /// The full panels of a block whose lines are adjacent: panel by panel, the run of
    /// <paramref name="width"/> values at each step goes to the panel's next row. Panel by panel,
    /// the stores are sequential; step by step, each step wrote to every panel, a panel's size
    /// apart (48 KB for a 384-deep panel of 32 floats: the same L1 set), and packing the
    /// 784 x 512 weights of an MLP took 80 µs against 52 (a blocked-copy scratch test, the weights in L3).
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void CopyRuns<T>(T[] source, int start, ReadOnlySpan<int> depth, int count, int width, Span<T> destination)
    {
        var kc = depth.Length;
        ref var d = ref MemoryMarshal.GetReference(destination);
        for (var first = 0; first < count; first += width)
        {
            ref var panel = ref Unsafe.Add(ref d, first * kc);
            for (var p = 0; p < kc; p++)
                Copy(ref source[start + first + depth[p]], ref Unsafe.Add(ref panel, p * width), width);
        }
    }

    /// <summary>Copies <paramref name="width"/> values by the widest vectors that fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy<T>(ref T from, ref T to, int width)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + Vector512<T>.Count <= width; i += Vector512<T>.Count)
                Vector512.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
        for (; i + Vector256<T>.Count <= width; i += Vector256<T>.Count)
            Vector256.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
        for (; i + Vector128<T>.Count <= width; i += Vector128<T>.Count)
            Vector128.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
        for (; i < width; i++) Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
    }

    /// <summary>
    /// Full float32 panels of equally spaced lines whose steps are adjacent (a row-major A, or
    /// the B of <c>x @ x.T</c>): 16 steps of up to 16 lines at a time are loaded as vectors along
    /// the lines and transposed in registers (<see cref="RegisterTranspose"/>), about five times
    /// faster than gathers; the last steps go value by value. False (nothing written) without
    /// AVX-512, or for other dtypes, layouts, or widths that are neither at most 16 nor a
    /// multiple of 16 (a narrower group's stores spill into the next step's values only).
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static bool Transpose<T>(T[] source, int origin, ReadOnlySpan<int> lines, ReadOnlySpan<int> depth, int width, Span<T> destination)
    {
        if (typeof(T) != typeof(float) || !Avx512F.IsSupported || (width > 16 && width % 16 != 0) || lines.Length == 0) return false;
        var kc = depth.Length;
        var lineStride = lines.Length > 1 ? lines[1] - lines[0] : 0;
        for (var i = 1; i < lines.Length; i++)
            if (lines[i] - lines[i - 1] != lineStride) return false;
        for (var p = 1; p < kc; p++)
            if (depth[p] != depth[p - 1] + 1) return false;
        var vectorSteps = kc / 16 * 16;
        ref var from = ref Unsafe.As<T, float>(ref MemoryMarshal.GetArrayDataReference(source));
        ref var to = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(destination));
        for (var first = 0; first < lines.Length; first += width)
        {
            ref var panel = ref Unsafe.Add(ref to, first * kc);
            for (var g = 0; g < width; g += 16)
            {
                var rows = Math.Min(16, width - g);
                ref var start = ref Unsafe.Add(ref from, origin + lines[first + g] + depth[0]);
                for (var p = 0; p < vectorSteps; p += 16)
                    RegisterTranspose.Block16(ref Unsafe.Add(ref start, p), (nuint)lineStride, rows, ref Unsafe.Add(ref panel, p * width + g), (nuint)width);
                for (var p = vectorSteps; p < kc; p++)
                    for (var r = 0; r < rows; r++)
                        Unsafe.Add(ref panel, p * width + g + r) = Unsafe.Add(ref start, r * lineStride + p);
            }
        }
        return true;
    }

    /// <summary>
    /// Full float32 or float64 panels of lines whose steps are adjacent (a row-major A, or a
    /// transposed B), where AVX-512 is missing: 8 steps of up to 8 lines at a time (4 of 4 for
    /// float64) are loaded as vectors along the lines and transposed in registers
    /// (<see cref="RegisterTranspose256"/>), about three times faster than gathers; the last steps
    /// go value by value. False (nothing written) without AVX, for other dtypes, or when the steps
    /// are not adjacent.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static bool Transpose256<T>(T[] source, int origin, ReadOnlySpan<int> lines, ReadOnlySpan<int> depth, int width, Span<T> destination)
    {
        if (!Avx.IsSupported || (typeof(T) != typeof(float) && typeof(T) != typeof(double)) || lines.Length == 0) return false;
        var kc = depth.Length;
        for (var p = 1; p < kc; p++)
            if (depth[p] != depth[p - 1] + 1) return false;
        var group = Vector256<T>.Count;
        var vectorSteps = kc / group * group;
        ref var from = ref MemoryMarshal.GetArrayDataReference(source);
        ref var to = ref MemoryMarshal.GetReference(destination);
        Span<int> starts = stackalloc int[group];
        for (var first = 0; first < lines.Length; first += width)
        {
            ref var panel = ref Unsafe.Add(ref to, first * kc);
            for (var g = 0; g < width; g += group)
            {
                var rows = Math.Min(group, width - g);
                // Lines past the panel's width repeat its first line: read, never stored.
                for (var r = 0; r < group; r++) starts[r] = origin + lines[first + g + (r < rows ? r : 0)] + depth[0];
                for (var p = 0; p < vectorSteps; p += group)
                {
                    ref var target = ref Unsafe.Add(ref panel, p * width + g);
                    if (typeof(T) == typeof(float))
                        RegisterTranspose256.Block8(ref Unsafe.As<T, float>(ref Unsafe.Add(ref from, p)), starts, rows, ref Unsafe.As<T, float>(ref target), (nuint)width);
                    else
                        RegisterTranspose256.Block4(ref Unsafe.As<T, double>(ref Unsafe.Add(ref from, p)), starts, rows, ref Unsafe.As<T, double>(ref target), (nuint)width);
                }
                for (var p = vectorSteps; p < kc; p++)
                    for (var r = 0; r < rows; r++)
                        Unsafe.Add(ref panel, p * width + g + r) = Unsafe.Add(ref from, starts[r] + p);
            }
        }
        return true;
    }

    /// <summary>
    /// Full panels by AVX2 gathers: for each group of lines and each step, one gather of the
    /// group's values. False (nothing written) without AVX2 or for widths the gathers do not
    /// tile (a multiple of 4 lines is needed).
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static unsafe bool Gather<T>(T[] source, int origin, ReadOnlySpan<int> lines, ReadOnlySpan<int> depth, int width, Span<T> destination)
    {
        if (!Avx2.IsSupported || width % 4 != 0 || (typeof(T) != typeof(float) && typeof(T) != typeof(double))) return false;
        var kc = depth.Length;
        fixed (byte* s = &Unsafe.As<T, byte>(ref MemoryMarshal.GetArrayDataReference(source)))
        fixed (byte* d = &Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(destination)))
        fixed (int* line = lines)
        fixed (int* step = depth)
        {
            for (var first = 0; first < lines.Length; first += width)
            {
                if (typeof(T) == typeof(float))
                {
                    var src = (float*)s + origin;
                    var panel = (float*)d + first * kc;
                    var g = 0;
                    for (; g + 8 <= width; g += 8)
                    {
                        var index = Avx.LoadVector256(line + first + g);
                        for (var p = 0; p < kc; p++) Avx.Store(panel + p * width + g, Avx2.GatherVector256(src + step[p], index, 4));
                    }
                    if (g < width)
                    {
                        var index = Sse2.LoadVector128(line + first + g);
                        for (var p = 0; p < kc; p++) Sse.Store(panel + p * width + g, Avx2.GatherVector128(src + step[p], index, 4));
                    }
                }
                else
                {
                    var src = (double*)s + origin;
                    var panel = (double*)d + first * kc;
                    for (var g = 0; g < width; g += 4)
                    {
                        var index = Sse2.LoadVector128(line + first + g);
                        for (var p = 0; p < kc; p++) Avx.Store(panel + p * width + g, Avx2.GatherVector256(src + step[p], index, 8));
                    }
                }
            }
        }
        return true;
    }
}
