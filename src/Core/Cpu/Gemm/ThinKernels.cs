using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static JaxSharp.Cpu.Gemm.GemmArithmetic;

namespace JaxSharp.Cpu.Gemm;

/// <summary>Where the lines of one side of a thin product lie in its buffer: line <c>i</c> starts at <c>Base + Offsets[i]</c>, or <c>Base + i * Stride</c> without a table.</summary>
/// <param name="Base">The offset of line 0 (with the table: of the table's origin).</param>
/// <param name="Offsets">The offset of each line from <paramref name="Base"/>, or null for equally spaced lines.</param>
/// <param name="Stride">The distance between consecutive lines when there is no table.</param>
internal readonly record struct Lines(int Base, int[]? Offsets, int Stride)
{
    /// <summary>The start of line <paramref name="i"/>.</summary>
    public int this[int i] => Base + (Offsets is null ? i * Stride : Offsets[i]);
}

/// <summary>
/// The loops of products with a side too thin for the packed micro-kernel
/// (<see cref="ThinProduct"/>), on 256-bit vectors of float32 or float64 (512-bit ones first in the
/// eight-row loop and the four-row sums where AVX-512 is accelerated: the same multiply-adds in the
/// same order, so the same bits), reading the operands in place:
/// <list type="bullet">
/// <item><see cref="Axpy"/>: each output row is a combination of rows of the streamed operand
/// (<c>out[r, j] = Σ_p coef[r, p] src[p, j]</c>), vectors along the contiguous <c>j</c>;</item>
/// <item><see cref="Dot"/>: each output value is a dot product of two lines contiguous along the
/// contracted dimension, vectors along it, one sum at the end;</item>
/// <item><see cref="Outer"/>: a contraction of length one, each output row a multiple of one row.</item>
/// </list>
/// Axpy and Dot keep up to eight accumulators in registers, so that the fused multiply-adds overlap.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal static class ThinKernels<T>
{
    private static int W => Vector256<T>.Count;

    /// <summary>
    /// <c>output[r * ldo + j] = Σ_p coef[r * k + p] src[srcRows[p] + j]</c> for rows <c>r &lt; rows</c> and
    /// columns <c>j0 ≤ j &lt; j1</c>, p over the whole contraction <paramref name="k"/>: eight rows at a time by
    /// one vector, then four by two, two by four, the last row alone.
    /// </summary>
    public static void Axpy(ReadOnlySpan<T> coef, int rows, int k, T[] src, Lines srcRows, int j0, int j1, Span<T> output, int ldo) =>
        AxpyPart(coef, rows, k, 0, k, src, srcRows, j0, j1, output, ldo);

    /// <summary>
    /// <see cref="Axpy"/> over the part
    /// <c>p0 ≤ p &lt; p1</c> of the contraction only (coef's rows still <paramref name="k"/> apart).
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void AxpyPart(ReadOnlySpan<T> coef, int rows, int k, int p0, int p1, T[] src, Lines srcRows, int j0, int j1, Span<T> output, int ldo)
    {
        var r = 0;
        for (; r + 8 <= rows; r += 8) AxpyEight(coef.Slice(r * k), k, p0, p1, src, srcRows, j0, j1, output.Slice(r * ldo), ldo);
        for (; r + 4 <= rows; r += 4) AxpyFour(coef.Slice(r * k), k, p0, p1, src, srcRows, j0, j1, output.Slice(r * ldo), ldo);
        for (; r + 2 <= rows; r += 2) AxpyTwo(coef.Slice(r * k), k, p0, p1, src, srcRows, j0, j1, output.Slice(r * ldo), ldo);
        for (; r < rows; r++) AxpyOne(coef.Slice(r * k, k), p0, p1, src, srcRows, j0, j1, output.Slice(r * ldo));
    }

    /// <summary>
    /// Eight output rows by one vector: one pass over the source for eight rows (a 10-wide output
    /// layer's weight gradient reads its activations twice instead of four times), eight chains
    /// of fused multiply-adds in p order from zero, as <see cref="AxpyFour"/>'s, so the same bits.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void AxpyEight(ReadOnlySpan<T> coef, int k, int p0, int p1, T[] src, Lines srcRows, int j0, int j1, Span<T> output, int ldo)
    {
        ref var s = ref MemoryMarshal.GetArrayDataReference(src);
        ref var o = ref MemoryMarshal.GetReference(output);
        // the eight coefficient rows as refs of their own: offsets r * k computed in the loop cost more than its loads
        ref var a0 = ref MemoryMarshal.GetReference(coef);
        ref var a1 = ref Unsafe.Add(ref a0, k);
        ref var a2 = ref Unsafe.Add(ref a1, k);
        ref var a3 = ref Unsafe.Add(ref a2, k);
        ref var a4 = ref Unsafe.Add(ref a3, k);
        ref var a5 = ref Unsafe.Add(ref a4, k);
        ref var a6 = ref Unsafe.Add(ref a5, k);
        ref var a7 = ref Unsafe.Add(ref a6, k);
        var j = j0;
        // full-width AVX-512 units (Zen 5) run these twice as fast as two 256-bit halves; on Zen 4 they cost about the same
        if (Vector512.IsHardwareAccelerated)
            for (var w512 = Vector512<T>.Count; j + w512 <= j1; j += w512)
            {
                Vector512<T> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
                ref var column = ref Unsafe.Add(ref s, j);
                for (var p = p0; p < p1; p++)
                {
                    var b = Vector512.LoadUnsafe(ref Unsafe.Add(ref column, srcRows[p]));
                    var q = (nuint)p;
                    c0 = FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a0, q)), b, c0);
                    c1 = FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a1, q)), b, c1);
                    c2 = FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a2, q)), b, c2);
                    c3 = FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a3, q)), b, c3);
                    c4 = FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a4, q)), b, c4);
                    c5 = FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a5, q)), b, c5);
                    c6 = FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a6, q)), b, c6);
                    c7 = FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a7, q)), b, c7);
                }
                c0.StoreUnsafe(ref Unsafe.Add(ref o, j));
                c1.StoreUnsafe(ref Unsafe.Add(ref o, ldo + j));
                c2.StoreUnsafe(ref Unsafe.Add(ref o, 2 * ldo + j));
                c3.StoreUnsafe(ref Unsafe.Add(ref o, 3 * ldo + j));
                c4.StoreUnsafe(ref Unsafe.Add(ref o, 4 * ldo + j));
                c5.StoreUnsafe(ref Unsafe.Add(ref o, 5 * ldo + j));
                c6.StoreUnsafe(ref Unsafe.Add(ref o, 6 * ldo + j));
                c7.StoreUnsafe(ref Unsafe.Add(ref o, 7 * ldo + j));
            }
        for (var w = W; j + w <= j1; j += w)
        {
            Vector256<T> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
            ref var column = ref Unsafe.Add(ref s, j);
            for (var p = p0; p < p1; p++)
            {
                var b = Vector256.LoadUnsafe(ref Unsafe.Add(ref column, srcRows[p]));
                var q = (nuint)p;
                c0 = Fma(Vector256.Create(Unsafe.Add(ref a0, q)), b, c0);
                c1 = Fma(Vector256.Create(Unsafe.Add(ref a1, q)), b, c1);
                c2 = Fma(Vector256.Create(Unsafe.Add(ref a2, q)), b, c2);
                c3 = Fma(Vector256.Create(Unsafe.Add(ref a3, q)), b, c3);
                c4 = Fma(Vector256.Create(Unsafe.Add(ref a4, q)), b, c4);
                c5 = Fma(Vector256.Create(Unsafe.Add(ref a5, q)), b, c5);
                c6 = Fma(Vector256.Create(Unsafe.Add(ref a6, q)), b, c6);
                c7 = Fma(Vector256.Create(Unsafe.Add(ref a7, q)), b, c7);
            }
            c0.StoreUnsafe(ref Unsafe.Add(ref o, j));
            c1.StoreUnsafe(ref Unsafe.Add(ref o, ldo + j));
            c2.StoreUnsafe(ref Unsafe.Add(ref o, 2 * ldo + j));
            c3.StoreUnsafe(ref Unsafe.Add(ref o, 3 * ldo + j));
            c4.StoreUnsafe(ref Unsafe.Add(ref o, 4 * ldo + j));
            c5.StoreUnsafe(ref Unsafe.Add(ref o, 5 * ldo + j));
            c6.StoreUnsafe(ref Unsafe.Add(ref o, 6 * ldo + j));
            c7.StoreUnsafe(ref Unsafe.Add(ref o, 7 * ldo + j));
        }
        for (var r = 0; r < 8; r++) AxpyOne(coef.Slice(r * k, k), p0, p1, src, srcRows, j, j1, output.Slice(r * ldo));
    }

    /// <summary>
    /// Two output rows by four vectors: one pass over the source for the two rows a 10-wide layer's
    /// weight gradient leaves after its eight (one row at a time read the source twice more), the
    /// same chains of fused multiply-adds in p order from zero as the other loops, so the same bits.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void AxpyTwo(ReadOnlySpan<T> coef, int k, int p0, int p1, T[] src, Lines srcRows, int j0, int j1, Span<T> output, int ldo)
    {
        ref var s = ref MemoryMarshal.GetArrayDataReference(src);
        ref var a0 = ref MemoryMarshal.GetReference(coef);
        ref var a1 = ref Unsafe.Add(ref a0, k);
        ref var o = ref MemoryMarshal.GetReference(output);
        var w = (nuint)W;
        var j = j0;
        for (; j + 4 * W <= j1; j += 4 * W)
        {
            Vector256<T> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
            for (var p = p0; p < p1; p++)
            {
                ref var row = ref Unsafe.Add(ref s, srcRows[p] + j);
                var (b0, b1, b2, b3) = (Vector256.LoadUnsafe(ref row), Vector256.LoadUnsafe(ref row, w), Vector256.LoadUnsafe(ref row, 2 * w), Vector256.LoadUnsafe(ref row, 3 * w));
                var x = Vector256.Create(Unsafe.Add(ref a0, p));
                c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01); c02 = Fma(x, b2, c02); c03 = Fma(x, b3, c03);
                x = Vector256.Create(Unsafe.Add(ref a1, p));
                c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11); c12 = Fma(x, b2, c12); c13 = Fma(x, b3, c13);
            }
            StorePair(ref Unsafe.Add(ref o, j), c00, c01);
            StorePair(ref Unsafe.Add(ref o, j + 2 * W), c02, c03);
            StorePair(ref Unsafe.Add(ref o, ldo + j), c10, c11);
            StorePair(ref Unsafe.Add(ref o, ldo + j + 2 * W), c12, c13);
        }
        for (var r = 0; r < 2; r++) AxpyOne(coef.Slice(r * k, k), p0, p1, src, srcRows, j, j1, output.Slice(r * ldo));
    }

    [MethodImpl(KernelCompilation.Hot)]
    private static void AxpyFour(ReadOnlySpan<T> coef, int k, int p0, int p1, T[] src, Lines srcRows, int j0, int j1, Span<T> output, int ldo)
    {
        ref var s = ref MemoryMarshal.GetArrayDataReference(src);
        ref var a = ref MemoryMarshal.GetReference(coef);
        ref var o = ref MemoryMarshal.GetReference(output);
        var w = W;
        var j = j0;
        for (; j + 2 * w <= j1; j += 2 * w)
        {
            Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
            for (var p = p0; p < p1; p++)
            {
                ref var row = ref Unsafe.Add(ref s, srcRows[p] + j);
                var b0 = Vector256.LoadUnsafe(ref row);
                var b1 = Vector256.LoadUnsafe(ref row, (nuint)w);
                var x = Vector256.Create(Unsafe.Add(ref a, p));
                c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
                x = Vector256.Create(Unsafe.Add(ref a, k + p));
                c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
                x = Vector256.Create(Unsafe.Add(ref a, 2 * k + p));
                c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
                x = Vector256.Create(Unsafe.Add(ref a, 3 * k + p));
                c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            }
            StorePair(ref Unsafe.Add(ref o, j), c00, c01);
            StorePair(ref Unsafe.Add(ref o, ldo + j), c10, c11);
            StorePair(ref Unsafe.Add(ref o, 2 * ldo + j), c20, c21);
            StorePair(ref Unsafe.Add(ref o, 3 * ldo + j), c30, c31);
        }
        for (var r = 0; r < 4; r++) AxpyOne(coef.Slice(r * k, k), p0, p1, src, srcRows, j, j1, output.Slice(r * ldo));
    }

    /// <summary>
    /// One output row, streamed along the source rows: for each block of columns (which stays in L1),
    /// four source rows at a time are read from start to end of the block and added into the output
    /// block, so the source is read in long contiguous runs the hardware prefetcher follows, instead
    /// of a few vectors of every row per pass.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void AxpyOne(ReadOnlySpan<T> coef, int p0, int p1, T[] src, Lines srcRows, int j0, int j1, Span<T> output)
    {
        ref var s = ref MemoryMarshal.GetArrayDataReference(src);
        ref var a = ref MemoryMarshal.GetReference(coef);
        ref var o = ref MemoryMarshal.GetReference(output);
        var block = OutputBlock;
        for (var jb = j0; jb < j1; jb += block)
        {
            var count = Math.Min(block, j1 - jb);
            ref var target = ref Unsafe.Add(ref o, jb);
            MemoryMarshal.CreateSpan(ref target, count).Clear();
            var p = p0;
            for (; p + 4 <= p1; p += 4)
                AddFourRows(ref target, count,
                    ref Unsafe.Add(ref s, srcRows[p] + jb), ref Unsafe.Add(ref s, srcRows[p + 1] + jb),
                    ref Unsafe.Add(ref s, srcRows[p + 2] + jb), ref Unsafe.Add(ref s, srcRows[p + 3] + jb),
                    Unsafe.Add(ref a, p), Unsafe.Add(ref a, p + 1), Unsafe.Add(ref a, p + 2), Unsafe.Add(ref a, p + 3));
            for (; p < p1; p++)
                AddRow(ref target, count, ref Unsafe.Add(ref s, srcRows[p] + jb), Unsafe.Add(ref a, p));
        }
    }

    /// <summary>The columns of one output block: 4 KiB of float32, 8 KiB of float64, well inside L1 beside the rows' streams.</summary>
    private static int OutputBlock => 1024;

    /// <summary><c>target[j] += a0 r0[j]</c> for <c>j &lt; count</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(ref T target, int count, ref T r0, T a0)
    {
        var (w, x0, j) = (W, Vector256.Create(a0), 0);
        for (; j + w <= count; j += w) Fma(x0, Vector256.LoadUnsafe(ref r0, (nuint)j), Vector256.LoadUnsafe(ref target, (nuint)j)).StoreUnsafe(ref target, (nuint)j);
        for (; j < count; j++) Unsafe.Add(ref target, j) = Add(Unsafe.Add(ref target, j), Multiply(a0, Unsafe.Add(ref r0, j)));
    }

    /// <summary>
    /// <c>target[j] += a0 r0[j] + a1 r1[j] + a2 r2[j] + a3 r3[j]</c> for <c>j &lt; count</c>, two vectors at a time.
    /// A call of its own, not inlined: inside <see cref="AxpyOne"/> (whose block loop calls
    /// <c>Clear</c>) the JIT kept the target and the count on the stack and reloaded both every
    /// iteration, about a quarter of a matrix-vector product's time.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | KernelCompilation.Hot)]
    private static void AddFourRows(ref T target, int count, ref T r0, ref T r1, ref T r2, ref T r3, T a0, T a1, T a2, T a3)
    {
        // indices as nuint: int ones were sign-extended twice an iteration
        var (w, n) = ((nuint)W, (nuint)count);
        nuint j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var (y0, y1, y2, y3) = (Vector512.Create(a0), Vector512.Create(a1), Vector512.Create(a2), Vector512.Create(a3));
            for (var w512 = (nuint)Vector512<T>.Count; j + w512 <= n; j += w512)
            {
                var t = FusedMultiplyAdd(y0, Vector512.LoadUnsafe(ref r0, j), Vector512.LoadUnsafe(ref target, j));
                t = FusedMultiplyAdd(y1, Vector512.LoadUnsafe(ref r1, j), t);
                t = FusedMultiplyAdd(y2, Vector512.LoadUnsafe(ref r2, j), t);
                FusedMultiplyAdd(y3, Vector512.LoadUnsafe(ref r3, j), t).StoreUnsafe(ref target, j);
            }
        }
        var (x0, x1, x2, x3) = (Vector256.Create(a0), Vector256.Create(a1), Vector256.Create(a2), Vector256.Create(a3));
        for (; j + 2 * w <= n; j += 2 * w)
        {
            var (u, v) = (j, j + w);
            var t0 = Fma(x0, Vector256.LoadUnsafe(ref r0, u), Vector256.LoadUnsafe(ref target, u));
            var t1 = Fma(x0, Vector256.LoadUnsafe(ref r0, v), Vector256.LoadUnsafe(ref target, v));
            t0 = Fma(x1, Vector256.LoadUnsafe(ref r1, u), t0);
            t1 = Fma(x1, Vector256.LoadUnsafe(ref r1, v), t1);
            t0 = Fma(x2, Vector256.LoadUnsafe(ref r2, u), t0);
            t1 = Fma(x2, Vector256.LoadUnsafe(ref r2, v), t1);
            t0 = Fma(x3, Vector256.LoadUnsafe(ref r3, u), t0);
            t1 = Fma(x3, Vector256.LoadUnsafe(ref r3, v), t1);
            t0.StoreUnsafe(ref target, u);
            t1.StoreUnsafe(ref target, v);
        }
        for (; j + w <= n; j += w)
        {
            var t = Fma(x0, Vector256.LoadUnsafe(ref r0, j), Vector256.LoadUnsafe(ref target, j));
            t = Fma(x1, Vector256.LoadUnsafe(ref r1, j), t);
            t = Fma(x2, Vector256.LoadUnsafe(ref r2, j), t);
            Fma(x3, Vector256.LoadUnsafe(ref r3, j), t).StoreUnsafe(ref target, j);
        }
        for (; j < n; j++)
        {
            // In C#'s order: target + (((a0 r0 + a1 r1) + a2 r2) + a3 r3).
            var sum = Add(Add(Add(Multiply(a0, Unsafe.Add(ref r0, j)), Multiply(a1, Unsafe.Add(ref r1, j))), Multiply(a2, Unsafe.Add(ref r2, j))), Multiply(a3, Unsafe.Add(ref r3, j)));
            Unsafe.Add(ref target, j) = Add(Unsafe.Add(ref target, j), sum);
        }
    }

    /// <summary>
    /// <c>output[i * ldi + j * ldj] = Σ_p x[xLines[i] + p] y[yLines[j] + p]</c> for <c>i0 ≤ i &lt; i1</c> and
    /// <c>j &lt; yCount</c>, p over <paramref name="k"/>: four lines of x by two of y at a time, then by one.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void Dot(T[] x, Lines xLines, int i0, int i1, T[] y, Lines yLines, int yCount, int k, Span<T> output, int ldi, int ldj)
    {
        ref var xs = ref MemoryMarshal.GetArrayDataReference(x);
        ref var ys = ref MemoryMarshal.GetArrayDataReference(y);
        ref var o = ref MemoryMarshal.GetReference(output);
        var i = i0;
        for (; i + 4 <= i1; i += 4)
        {
            ref var x0 = ref Unsafe.Add(ref xs, xLines[i]);
            ref var x1 = ref Unsafe.Add(ref xs, xLines[i + 1]);
            ref var x2 = ref Unsafe.Add(ref xs, xLines[i + 2]);
            ref var x3 = ref Unsafe.Add(ref xs, xLines[i + 3]);
            var j = 0;
            for (; j + 2 <= yCount; j += 2)
                DotFourByTwo(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref ys, yLines[j]), ref Unsafe.Add(ref ys, yLines[j + 1]), k,
                    ref Unsafe.Add(ref o, i * ldi + j * ldj), ldi, ldj);
            if (j < yCount)
                DotFourByOne(ref x0, ref x1, ref x2, ref x3, ref Unsafe.Add(ref ys, yLines[j]), k, ref Unsafe.Add(ref o, i * ldi + j * ldj), ldi);
        }
        for (; i < i1; i++)
            for (var j = 0; j < yCount; j++)
                Unsafe.Add(ref o, i * ldi + j * ldj) = DotOne(ref Unsafe.Add(ref xs, xLines[i]), ref Unsafe.Add(ref ys, yLines[j]), k);
    }

    [MethodImpl(KernelCompilation.Hot)]
    private static void DotFourByTwo(ref T x0, ref T x1, ref T x2, ref T x3, ref T y0, ref T y1, int k, ref T o, int ldi, int ldj)
    {
        var w = W;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        var p = 0;
        for (; p + w <= k; p += w)
        {
            var (b0, b1) = (Vector256.LoadUnsafe(ref y0, (nuint)p), Vector256.LoadUnsafe(ref y1, (nuint)p));
            var a = Vector256.LoadUnsafe(ref x0, (nuint)p);
            c00 = Fma(a, b0, c00); c01 = Fma(a, b1, c01);
            a = Vector256.LoadUnsafe(ref x1, (nuint)p);
            c10 = Fma(a, b0, c10); c11 = Fma(a, b1, c11);
            a = Vector256.LoadUnsafe(ref x2, (nuint)p);
            c20 = Fma(a, b0, c20); c21 = Fma(a, b1, c21);
            a = Vector256.LoadUnsafe(ref x3, (nuint)p);
            c30 = Fma(a, b0, c30); c31 = Fma(a, b1, c31);
        }
        Unsafe.Add(ref o, 0) = Add(Vector256.Sum(c00), Tail(ref x0, ref y0, p, k));
        Unsafe.Add(ref o, ldj) = Add(Vector256.Sum(c01), Tail(ref x0, ref y1, p, k));
        Unsafe.Add(ref o, ldi) = Add(Vector256.Sum(c10), Tail(ref x1, ref y0, p, k));
        Unsafe.Add(ref o, ldi + ldj) = Add(Vector256.Sum(c11), Tail(ref x1, ref y1, p, k));
        Unsafe.Add(ref o, 2 * ldi) = Add(Vector256.Sum(c20), Tail(ref x2, ref y0, p, k));
        Unsafe.Add(ref o, 2 * ldi + ldj) = Add(Vector256.Sum(c21), Tail(ref x2, ref y1, p, k));
        Unsafe.Add(ref o, 3 * ldi) = Add(Vector256.Sum(c30), Tail(ref x3, ref y0, p, k));
        Unsafe.Add(ref o, 3 * ldi + ldj) = Add(Vector256.Sum(c31), Tail(ref x3, ref y1, p, k));
    }

    /// <summary>Four dot products with one y line: two accumulators per x line (eight chains of fused multiply-adds), since a matrix-vector product has no second y line to share the loads with.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void DotFourByOne(ref T x0, ref T x1, ref T x2, ref T x3, ref T y0, int k, ref T o, int ldi)
    {
        var w = W;
        Vector256<T> c0 = default, c1 = default, c2 = default, c3 = default, d0 = default, d1 = default, d2 = default, d3 = default;
        var p = 0;
        for (; p + 2 * w <= k; p += 2 * w)
        {
            var ahead = (p + ElementsAhead) * Unsafe.SizeOf<T>();
            Prefetch(ref x0, ahead); Prefetch(ref x1, ahead); Prefetch(ref x2, ahead); Prefetch(ref x3, ahead);
            var (b, e) = (Vector256.LoadUnsafe(ref y0, (nuint)p), Vector256.LoadUnsafe(ref y0, (nuint)(p + w)));
            c0 = Fma(Vector256.LoadUnsafe(ref x0, (nuint)p), b, c0);
            d0 = Fma(Vector256.LoadUnsafe(ref x0, (nuint)(p + w)), e, d0);
            c1 = Fma(Vector256.LoadUnsafe(ref x1, (nuint)p), b, c1);
            d1 = Fma(Vector256.LoadUnsafe(ref x1, (nuint)(p + w)), e, d1);
            c2 = Fma(Vector256.LoadUnsafe(ref x2, (nuint)p), b, c2);
            d2 = Fma(Vector256.LoadUnsafe(ref x2, (nuint)(p + w)), e, d2);
            c3 = Fma(Vector256.LoadUnsafe(ref x3, (nuint)p), b, c3);
            d3 = Fma(Vector256.LoadUnsafe(ref x3, (nuint)(p + w)), e, d3);
        }
        if (p + w <= k)
        {
            var b = Vector256.LoadUnsafe(ref y0, (nuint)p);
            c0 = Fma(Vector256.LoadUnsafe(ref x0, (nuint)p), b, c0);
            c1 = Fma(Vector256.LoadUnsafe(ref x1, (nuint)p), b, c1);
            c2 = Fma(Vector256.LoadUnsafe(ref x2, (nuint)p), b, c2);
            c3 = Fma(Vector256.LoadUnsafe(ref x3, (nuint)p), b, c3);
            p += w;
        }
        Unsafe.Add(ref o, 0) = Add(Vector256.Sum(c0 + d0), Tail(ref x0, ref y0, p, k));
        Unsafe.Add(ref o, ldi) = Add(Vector256.Sum(c1 + d1), Tail(ref x1, ref y0, p, k));
        Unsafe.Add(ref o, 2 * ldi) = Add(Vector256.Sum(c2 + d2), Tail(ref x2, ref y0, p, k));
        Unsafe.Add(ref o, 3 * ldi) = Add(Vector256.Sum(c3 + d3), Tail(ref x3, ref y0, p, k));
    }

    /// <summary>One dot product, with two accumulators so that consecutive fused multiply-adds do not wait for each other.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static T DotOne(ref T x, ref T y, int k)
    {
        var w = W;
        Vector256<T> c0 = default, c1 = default;
        var p = 0;
        for (; p + 2 * w <= k; p += 2 * w)
        {
            c0 = Fma(Vector256.LoadUnsafe(ref x, (nuint)p), Vector256.LoadUnsafe(ref y, (nuint)p), c0);
            c1 = Fma(Vector256.LoadUnsafe(ref x, (nuint)(p + w)), Vector256.LoadUnsafe(ref y, (nuint)(p + w)), c1);
        }
        for (; p + w <= k; p += w) c0 = Fma(Vector256.LoadUnsafe(ref x, (nuint)p), Vector256.LoadUnsafe(ref y, (nuint)p), c0);
        return Add(Vector256.Sum(c0 + c1), Tail(ref x, ref y, p, k));
    }

    /// <summary>
    /// The outer product's rows <c>i0 ≤ i &lt; i1</c>: <c>output[i * n + j] = column[i] row[j]</c>, each row
    /// written once, four vectors at a time.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void Outer(ReadOnlySpan<T> column, ReadOnlySpan<T> row, int i0, int i1, Span<T> output)
    {
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var o = ref MemoryMarshal.GetReference(output);
        var (w, n) = (W, row.Length);
        for (var i = i0; i < i1; i++)
        {
            var a = column[i];
            var x = Vector256.Create(a);
            ref var line = ref Unsafe.Add(ref o, i * n);
            var j = 0;
            for (; j + 4 * w <= n; j += 4 * w)
            {
                (x * Vector256.LoadUnsafe(ref r, (nuint)j)).StoreUnsafe(ref line, (nuint)j);
                (x * Vector256.LoadUnsafe(ref r, (nuint)(j + w))).StoreUnsafe(ref line, (nuint)(j + w));
                (x * Vector256.LoadUnsafe(ref r, (nuint)(j + 2 * w))).StoreUnsafe(ref line, (nuint)(j + 2 * w));
                (x * Vector256.LoadUnsafe(ref r, (nuint)(j + 3 * w))).StoreUnsafe(ref line, (nuint)(j + 3 * w));
            }
            for (; j + w <= n; j += w) (x * Vector256.LoadUnsafe(ref r, (nuint)j)).StoreUnsafe(ref line, (nuint)j);
            for (; j < n; j++) Unsafe.Add(ref line, j) = Multiply(a, Unsafe.Add(ref r, j));
        }
    }

    /// <summary>The scalar rest of a dot product, from <paramref name="p"/> to <paramref name="k"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Tail(ref T x, ref T y, int p, int k)
    {
        var total = default(T)!;
        for (; p < k; p++) total = Add(total, Multiply(Unsafe.Add(ref x, p), Unsafe.Add(ref y, p)));
        return total;
    }

    /// <summary>How far ahead the matrix-vector dot loop asks for its lines: 1 KiB, so that its four streams keep several misses in flight.</summary>
    private static int ElementsAhead => 1024 / Unsafe.SizeOf<T>();

    /// <summary>
    /// Asks for the cache line <paramref name="bytes"/> bytes past <paramref name="at"/> in L1. The
    /// address is computed as a raw pointer and only hinted: a line past the array, or one the
    /// collector has since moved, costs a wasted fetch and never a fault.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(ref T at, int bytes)
    {
        if (Sse.IsSupported) Sse.Prefetch0((byte*)Unsafe.AsPointer(ref at) + bytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePair(ref T o, Vector256<T> v0, Vector256<T> v1)
    {
        v0.StoreUnsafe(ref o);
        v1.StoreUnsafe(ref o, (nuint)W);
    }

    /// <summary>x * y + z in one rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma(Vector256<T> x, Vector256<T> y, Vector256<T> z)
    {
        if (typeof(T) == typeof(float)) return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        throw new NotSupportedException($"dot_general: the thin-product kernels take float32 or float64, not {typeof(T).Name}");
    }
}
