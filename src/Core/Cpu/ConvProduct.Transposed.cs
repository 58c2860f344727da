using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace JaxSharp.Cpu;

/// <summary>
/// The packing of panels whose columns are short runs in the input but whose steps are long ones
/// (a kernel gradient: columns (input feature, 3 x 3 kernel offset), steps (example, position)):
/// blocks of one vector of steps by one vector of columns are loaded along the steps and
/// transposed in registers, in place of a gather per step.
/// </summary>
internal static partial class ConvProduct<T, TKernel>
{
    /// <summary>
    /// Packs one panel of X run of steps by run of steps (<see cref="ConvProduct.StepRuns"/>): for each
    /// column, the extent of the run inside the input (all of it without <see cref="ConvClip"/>; empty
    /// for columns past the last); then, per block of one vector of steps and per vector of columns,
    /// AVX masked loads (zeros outside the extent: padding read in place) and a register transpose;
    /// where nothing is clipped (a padded copy, or no padding) and the panel and the block are full,
    /// plain loads and stores without a test per vector (<see cref="Block8Whole"/>; a fifth less
    /// packing time in a 3 x 3 kernel gradient). False (nothing written) without AVX, for other
    /// dtypes, or a micro-kernel width that is not a whole number of vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe bool PackTransposed(T[] input, int origin, ReadOnlySpan<int> steps, int firstStep, ConvProduct plan, int panel, Span<T> destination)
    {
        var (nr, lanes) = (TKernel.Columns, Vector256<T>.Count);
        if (!Avx.IsSupported || (typeof(T) != typeof(float) && typeof(T) != typeof(double)) || nr % lanes != 0) return false;
        var (columns, runs, clip) = (plan.InputColumns, plan.StepRuns, plan.Clip);
        var first = panel * nr;
        var count = Math.Min(nr, columns.Length - first);
        Span<int> starts = stackalloc int[nr];
        Span<int> lows = stackalloc int[nr];
        Span<int> highs = stackalloc int[nr];
        // each column's output position in the clip's tables, -1 past the last column
        Span<int> positions = stackalloc int[nr];
        for (var line = 0; line < nr; line++) positions[line] = line >= count ? -1 : clip is null ? 0 : (first + line) % clip.Positions;
        // a panel's columns share few positions (a 3 x 3 kernel's 9): each run's extent is found once per position
        var shared = clip is not null && clip.Positions <= nr;
        Span<int> positionLows = stackalloc int[shared ? clip!.Positions : 0];
        Span<int> positionHighs = stackalloc int[shared ? clip!.Positions : 0];
        fixed (T* from = input)
        fixed (T* to = destination)
        {
            for (var p = 0; p < steps.Length;)
            {
                var run = Math.Min(runs[firstStep + p], steps.Length - p);
                var offset = clip is null ? 0 : (firstStep + p) % clip.WindowSize * clip.Sizes.Length;
                for (var position = 0; position < positionLows.Length; position++)
                    (positionLows[position], positionHighs[position]) = Extent(clip!, position * clip!.Sizes.Length, offset, run);
                for (var line = 0; line < nr; line++)
                {
                    var (low, high) = positions[line] < 0 ? (0, 0) : clip is null ? (0, run)
                        : shared ? (positionLows[positions[line]], positionHighs[positions[line]])
                        : Extent(clip, positions[line] * clip.Sizes.Length, offset, run);
                    // a line with nothing to read points at the input's start: its loads are masked off entirely
                    (starts[line], lows[line], highs[line]) = low < high ? (origin + columns[first + line] + steps[p], low, high) : (0, 0, 0);
                }
                // every line reads its whole run (no clip, a full panel): blocks of whole vectors load and store unconditionally
                var whole = clip is null && count == nr;
                for (var j = 0; j < run; j += lanes)
                {
                    var rows = Math.Min(lanes, run - j);
                    if (whole && rows == lanes)
                    {
                        fixed (int* at = starts)
                            for (var g = 0; g < nr; g += lanes)
                            {
                                if (typeof(T) == typeof(float)) Block8Whole((float*)from, at + g, j, (float*)(to + (p + j) * nr + g), nr);
                                else Block4Whole((double*)from, at + g, j, (double*)(to + (p + j) * nr + g), nr);
                            }
                        continue;
                    }
                    for (var g = 0; g < nr; g += lanes)
                    {
                        var target = to + (p + j) * nr + g;
                        if (typeof(T) == typeof(float))
                            Block8((float*)from, starts.Slice(g, 8), lows.Slice(g, 8), highs.Slice(g, 8), j, rows, (float*)target, nr);
                        else
                            Block4((double*)from, starts.Slice(g, 4), lows.Slice(g, 4), highs.Slice(g, 4), j, rows, (double*)target, nr);
                    }
                }
                p += run;
            }
        }
        return true;
    }

    /// <summary>
    /// The extent [low, high) of a run of <paramref name="run"/> steps that a column reads inside the
    /// input (empty outside): the column's output position and the run's first window offset, both
    /// as indices into the clip's tables (times the axes).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Low, int High) Extent(ConvClip clip, int position, int offset, int run)
    {
        var last = clip.Sizes.Length - 1;
        for (var d = 0; d < last; d++)
        {
            var at = clip.PositionAt[position + d] + clip.WindowAt[offset + d];
            if (at < 0 || at >= clip.Sizes[d]) return (0, 0);
        }
        var start = clip.PositionAt[position + last] + clip.WindowAt[offset + last];
        return (Math.Max(0, -start), Math.Min(run, clip.Sizes[last] - start));
    }

    /// <summary>
    /// 8 steps (from <paramref name="j"/> within the run) of 8 float32 columns: each column's values
    /// by a masked load (only [low, high) read), transposed, the first <paramref name="rows"/> steps
    /// stored <paramref name="stride"/> apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Block8(float* from, ReadOnlySpan<int> starts, ReadOnlySpan<int> lows, ReadOnlySpan<int> highs, int j, int rows, float* target, int stride)
    {
        var index = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) + Vector256.Create(j);
        TransposeStore(Load(from, starts[0], lows[0], highs[0], j, index), Load(from, starts[1], lows[1], highs[1], j, index),
            Load(from, starts[2], lows[2], highs[2], j, index), Load(from, starts[3], lows[3], highs[3], j, index),
            Load(from, starts[4], lows[4], highs[4], j, index), Load(from, starts[5], lows[5], highs[5], j, index),
            Load(from, starts[6], lows[6], highs[6], j, index), Load(from, starts[7], lows[7], highs[7], j, index), rows, target, stride);
    }

    /// <summary><see cref="Block8"/> where all 8 steps of all 8 columns lie inside their runs: plain loads, all 8 steps stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Block8Whole(float* from, int* starts, int j, float* target, int stride) =>
        TransposeStore(Avx.LoadVector256(from + starts[0] + j), Avx.LoadVector256(from + starts[1] + j), Avx.LoadVector256(from + starts[2] + j),
            Avx.LoadVector256(from + starts[3] + j), Avx.LoadVector256(from + starts[4] + j), Avx.LoadVector256(from + starts[5] + j),
            Avx.LoadVector256(from + starts[6] + j), Avx.LoadVector256(from + starts[7] + j), 8, target, stride);

    /// <summary>
    /// The 8 x 8 float32 transpose of <see cref="Gemm.RegisterTranspose256"/>: columns r0..r7 (8 steps each)
    /// in, the first <paramref name="rows"/> steps stored as rows of 8 columns, <paramref name="stride"/> apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void TransposeStore(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7, int rows, float* target, int stride)
    {
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1); var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5); var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE); var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE); var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(s0, s4, 0x20).Store(target);
        if (rows > 1) Avx.Permute2x128(s1, s5, 0x20).Store(target + stride);
        if (rows > 2) Avx.Permute2x128(s2, s6, 0x20).Store(target + 2 * stride);
        if (rows > 3) Avx.Permute2x128(s3, s7, 0x20).Store(target + 3 * stride);
        if (rows > 4) Avx.Permute2x128(s0, s4, 0x31).Store(target + 4 * stride);
        if (rows > 5) Avx.Permute2x128(s1, s5, 0x31).Store(target + 5 * stride);
        if (rows > 6) Avx.Permute2x128(s2, s6, 0x31).Store(target + 6 * stride);
        if (rows > 7) Avx.Permute2x128(s3, s7, 0x31).Store(target + 7 * stride);
    }

    /// <summary>The float64 form of <see cref="Block8Whole"/>: 4 steps of 4 columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Block4Whole(double* from, int* starts, int j, double* target, int stride) =>
        TransposeStore(Avx.LoadVector256(from + starts[0] + j), Avx.LoadVector256(from + starts[1] + j),
            Avx.LoadVector256(from + starts[2] + j), Avx.LoadVector256(from + starts[3] + j), 4, target, stride);

    /// <summary>The float64 form of <see cref="Block8"/>: 4 steps of 4 columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Block4(double* from, ReadOnlySpan<int> starts, ReadOnlySpan<int> lows, ReadOnlySpan<int> highs, int j, int rows, double* target, int stride)
    {
        var index = Vector256.Create(0L, 1, 2, 3) + Vector256.Create((long)j);
        TransposeStore(Load(from, starts[0], lows[0], highs[0], j, index), Load(from, starts[1], lows[1], highs[1], j, index),
            Load(from, starts[2], lows[2], highs[2], j, index), Load(from, starts[3], lows[3], highs[3], j, index), rows, target, stride);
    }

    /// <summary>The float64 form of <see cref="TransposeStore(Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float}, int, float*, int)"/>: 4 columns of 4 steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void TransposeStore(Vector256<double> r0, Vector256<double> r1, Vector256<double> r2, Vector256<double> r3, int rows, double* target, int stride)
    {
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1); var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        Avx.Permute2x128(t0, t2, 0x20).Store(target);
        if (rows > 1) Avx.Permute2x128(t1, t3, 0x20).Store(target + stride);
        if (rows > 2) Avx.Permute2x128(t0, t2, 0x31).Store(target + 2 * stride);
        if (rows > 3) Avx.Permute2x128(t1, t3, 0x31).Store(target + 3 * stride);
    }

    /// <summary>One column's 8 float32 steps from <paramref name="j"/>: elements [low, high) of its run read, zeros elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<float> Load(float* from, int start, int low, int high, int j, Vector256<int> index)
    {
        if (low <= j && j + 8 <= high) return Avx.LoadVector256(from + start + j);
        var read = Vector256.GreaterThanOrEqual(index, Vector256.Create(low)) & Vector256.LessThan(index, Vector256.Create(high));
        return Avx.MaskLoad(from + start + j, read.AsSingle()); // an address only: masked-off lanes are not read
    }

    /// <summary>The float64 form of <see cref="Load(float*, int, int, int, int, Vector256{int})"/>: 4 steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<double> Load(double* from, int start, int low, int high, int j, Vector256<long> index)
    {
        if (low <= j && j + 4 <= high) return Avx.LoadVector256(from + start + j);
        var read = Vector256.GreaterThanOrEqual(index, Vector256.Create((long)low)) & Vector256.LessThan(index, Vector256.Create((long)high));
        return Avx.MaskLoad(from + start + j, read.AsDouble());
    }
}
