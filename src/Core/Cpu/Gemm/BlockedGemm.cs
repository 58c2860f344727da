using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// A packed, cache-blocked matrix product in the Goto/BLIS scheme, <c>C[b] = A[b] B[b]</c> with
/// C row-major <c>[batch, m, n]</c>. For each block of <see cref="NC"/> columns and each step of
/// <see cref="KC"/> along k, B's block is packed once (it stays in L2/L3), then each block of up to
/// <c>MC</c> rows of A is packed (it stays in L2) and swept by the micro-kernel, whose B panel
/// (<c>KC x Columns</c>) stays in L1. In parallel, the row blocks are shared out across cores, so
/// nothing is packed twice. Partial tiles at the edges go through a small scratch tile.
/// The hot loops are compiled fully optimised on first use (AggressiveOptimization): their
/// tier-0 code runs about 15 times slower, for the first 100 ms or so of a process.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TKernel">The micro-kernel.</typeparam>
internal static class BlockedGemm<T, TKernel> where T : unmanaged, INumber<T> where TKernel : IMicroKernel<T>
{
    /// <summary>The depth of a packed block: a B panel of 256 x 32 floats (or x 16 doubles) is 32 KiB, within L1.</summary>
    private const int KC = 256;

    /// <summary>The bytes of a packed block of A, about a quarter of a 2 MiB L2.</summary>
    private const int ABlockBytes = 512 * 1024;

    /// <summary>The widest block of columns packed at once.</summary>
    private static int NC => 4096 / TKernel.Columns * TKernel.Columns;

    /// <summary>The most rows of A packed at once.</summary>
    private static int MaxMC => ABlockBytes / (KC * Unsafe.SizeOf<T>()) / TKernel.Rows * TKernel.Rows;

    /// <summary>
    /// Computes product <paramref name="batch"/> of <paramref name="a"/> (rows: m, columns: k) and
    /// <paramref name="b"/> (rows: k, columns: n) into <paramref name="c"/>, on all cores when
    /// <paramref name="parallel"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(T[] a, GemmOperand aLayout, T[] b, GemmOperand bLayout, T[] c, int batch, bool parallel)
    {
        var (m, k, n) = (aLayout.Rows.Length, aLayout.Columns.Length, bLayout.Columns.Length);
        var cOrigin = batch * m * n;
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            c.AsSpan(cOrigin, m * n).Clear();
            return;
        }
        // x @ x.T: C is symmetric, so only the tiles on or below the diagonal are computed and the
        // rest is mirrored (BLAS's syrk). c_ij and c_ji sum the same products in the same order.
        var symmetric = IsSymmetricProduct(a, aLayout, b, bLayout, batch);
        var workers = parallel ? Environment.ProcessorCount : 1;
        // Several row blocks per core, so that a core slowed by other work does not hold up the rest.
        var mc = Math.Min(MaxMC, RoundUp((m + 4 * workers - 1) / (4 * workers), TKernel.Rows));
        var rowBlocks = (m + mc - 1) / mc;
        for (var jc = 0; jc < n; jc += NC)
        {
            var nc = Math.Min(NC, n - jc);
            for (var pc = 0; pc < k; pc += KC)
            {
                var kc = Math.Min(KC, k - pc);
                using var bPacked = PackBuffer<T>.Rent(kc * RoundUp(nc, TKernel.Columns));
                var packedB = bPacked;
                var columns = bLayout.Columns.AsMemory(jc, nc);
                var depthB = bLayout.Rows.AsMemory(pc, kc);
                var panels = (nc + TKernel.Columns - 1) / TKernel.Columns;
                var chunk = (panels + workers - 1) / workers * TKernel.Columns;
                [MethodImpl(MethodImplOptions.AggressiveOptimization)]
                void PackB(int w)
                {
                    var first = w * chunk;
                    if (first >= nc) return;
                    var count = Math.Min(chunk, nc - first);
                    Packing.Pack(b, bLayout.Batch[batch], columns.Span.Slice(first, count), bLayout.ColumnsContiguous,
                        depthB.Span, TKernel.Columns, packedB.Span.Slice(first * kc));
                }
                [MethodImpl(MethodImplOptions.AggressiveOptimization)]
                void RowBlock(int block)
                {
                    var ic = block * mc;
                    var rows = Math.Min(mc, m - ic);
                    using var aPacked = PackBuffer<T>.Rent(kc * RoundUp(rows, TKernel.Rows));
                    Packing.Pack(a, aLayout.Batch[batch], aLayout.Rows.AsSpan(ic, rows), aLayout.RowsContiguous,
                        aLayout.Columns.AsSpan(pc, kc), TKernel.Rows, aPacked.Span);
                    MacroKernel(aPacked.Span, packedB.Span, rows, nc, kc, c.AsSpan(cOrigin + ic * n + jc), n, pc > 0, symmetric ? ic - jc : int.MaxValue);
                }
                if (workers > 1)
                {
                    Parallel.For(0, workers, PackB);
                    // In a symmetric product the lower row blocks hold the most tiles: start with them.
                    Parallel.For(0, rowBlocks, i => RowBlock(symmetric ? rowBlocks - 1 - i : i));
                }
                else
                {
                    PackB(0);
                    for (var block = 0; block < rowBlocks; block++) RowBlock(block);
                }
            }
        }
        if (symmetric) MirrorLowerToUpper(c, cOrigin, n, workers > 1);
    }

    /// <summary>Whether the product is <c>X Xᵀ</c>: one buffer, B's columns at A's rows and B's rows at A's columns.</summary>
    private static bool IsSymmetricProduct(T[] a, GemmOperand aLayout, T[] b, GemmOperand bLayout, int batch) =>
        ReferenceEquals(a, b) && aLayout.Batch[batch] == bLayout.Batch[batch]
        && aLayout.Rows.AsSpan().SequenceEqual(bLayout.Columns) && aLayout.Columns.AsSpan().SequenceEqual(bLayout.Rows);

    /// <summary>Copies the lower triangle of the square row-major matrix at <paramref name="origin"/> onto its upper triangle, in cache-sized blocks.</summary>
    private static void MirrorLowerToUpper(T[] c, int origin, int n, bool parallel)
    {
        const int block = 64;
        var blocks = (n + block - 1) / block;
        void BlockRow(int bi)
        {
            var (top, bottom) = (bi * block, Math.Min(n, (bi + 1) * block));
            for (var left = top; left < n; left += block)
            {
                var right = Math.Min(n, left + block);
                for (var i = top; i < bottom; i++)
                    for (var j = Math.Max(i + 1, left); j < right; j++)
                        c[origin + i * n + j] = c[origin + j * n + i];
            }
        }
        if (parallel) Parallel.For(0, blocks, BlockRow);
        else for (var bi = 0; bi < blocks; bi++) BlockRow(bi);
    }

    /// <summary>Sweeps a packed block of A (mc x kc) against a packed block of B (kc x nc) into C (row stride ldc).</summary>
    /// <remarks>
    /// <paramref name="diagonal"/> is the column (within this block) where the block's first row
    /// meets the diagonal of a symmetric product: tiles whose every column lies past their last
    /// row's diagonal are skipped (their values are mirrored later). int.MaxValue computes all.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MacroKernel(Span<T> a, Span<T> b, int mc, int nc, int kc, Span<T> c, int ldc, bool accumulate, int diagonal)
    {
        var (mr, nr) = (TKernel.Rows, TKernel.Columns);
        Span<T> scratch = stackalloc T[mr * nr];
        ref var cRef = ref MemoryMarshal.GetReference(c);
        for (var jr = 0; jr < nc; jr += nr)
        {
            var cols = Math.Min(nr, nc - jr);
            ref var bPanel = ref b[jr * kc];
            for (var ir = 0; ir < mc; ir += mr)
            {
                var rows = Math.Min(mr, mc - ir);
                if (diagonal != int.MaxValue && jr >= diagonal + ir + rows) continue;
                ref var aPanel = ref a[ir * kc];
                ref var tile = ref Unsafe.Add(ref cRef, ir * ldc + jr);
                if (rows == mr && cols == nr)
                    TKernel.Multiply(kc, ref aPanel, ref bPanel, ref tile, ldc, accumulate);
                else
                {
                    TKernel.Multiply(kc, ref aPanel, ref bPanel, ref MemoryMarshal.GetReference(scratch), nr, false);
                    AddEdge(scratch, rows, cols, ref tile, ldc, accumulate);
                }
            }
        }
    }

    /// <summary>Writes (or adds) the top-left rows x cols of a scratch tile into C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddEdge(Span<T> scratch, int rows, int cols, ref T c, int ldc, bool accumulate)
    {
        for (var r = 0; r < rows; r++)
        {
            var source = scratch.Slice(r * TKernel.Columns, cols);
            var target = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref c, r * ldc), cols);
            if (!accumulate) source.CopyTo(target);
            else for (var j = 0; j < cols; j++) target[j] += source[j];
        }
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;
}
