using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// A packed, cache-blocked matrix product in the Goto/BLIS scheme, <c>C[b] = A[b] B[b]</c> with
/// C row-major <c>[batch, m, n]</c>. For each block of columns, B is packed: all of its depth when
/// that fits <see cref="BBlockBytes"/> (else in chunks of many <see cref="KC"/>-deep steps; its
/// slices stay in L2/L3), on one core, or on several by the cores that first need each step
/// (one fork per chunk, no barrier between packing and multiplying). Most products give each core
/// its own share of B's columns instead (it packs those and all of A: no packed panel is shared
/// between cores). The rows of A are cut into blocks
/// of up to <c>MaxMC</c> rows, which cores take as they finish one (for tall products, split by
/// rows), shrinking to one panel at the end so that cores finish together (the heaviest first, for a triangle):
/// for each <see cref="KC"/>-deep step, a core packs its block of A (it stays in L2) and sweeps it
/// against B's slice with the micro-kernel, whose B panel (<c>KC x Columns</c>) stays in L1/L2.
/// A core waits for another only for a step of B that the other is still packing. Partial tiles at the edges go through a small scratch tile.
/// The hot loops are compiled fully optimised on first use under the JIT, and left to crossgen2
/// in a ReadyToRun build (<see cref="KernelCompilation"/>); the element type is unconstrained
/// (scalar sums through <see cref="GemmArithmetic"/>), so that crossgen2 precompiles the float32
/// and float64 instantiations (docs/jit.md, "First result in a fresh process").
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TKernel">The micro-kernel.</typeparam>
internal static class BlockedGemm<T, TKernel> where TKernel : IMicroKernel<T>
{
    /// <summary>
    /// The depth of a packed step: as deep as a micro-panel of B (<c>KC x Columns</c>) that fills
    /// the L1 data cache, between 128 and 512 in multiples of 64. Deep steps update each tile of C
    /// fewer times (every update reads and writes the tile through the cache): on a Xeon with a
    /// 48 KiB L1, 512 measured about 10% faster than 256.
    /// </summary>
    private static readonly int KC = Math.Clamp(CacheSizes.L1Data / (TKernel.Columns * Unsafe.SizeOf<T>()) / 64 * 64, 128, 512);

    /// <summary>The bytes of a packed block of A: half of a core's L2, so that it stays there while B's micro-panels stream past it.</summary>
    private static readonly int ABlockBytes = CacheSizes.L2 / 2;

    /// <summary>Each thread's scratch tile for the partial tiles at the edges of C (<c>Rows x Columns</c>).</summary>
    [ThreadStatic]
    private static T[]? t_edgeTile;

    /// <summary>The most bytes of B packed at once (a bound on the memory packing takes, not a cache size): beyond this, B is taken in blocks of columns and chunks of depth.</summary>
    private const int BBlockBytes = 64 * 1024 * 1024;

    /// <summary>The most rows of A packed at once.</summary>
    private static int MaxMC => Math.Max(TKernel.Rows, ABlockBytes / (KC * Unsafe.SizeOf<T>()) / TKernel.Rows * TKernel.Rows);

    /// <summary>
    /// Computes product <paramref name="batch"/> of <paramref name="a"/> (rows: m, columns: k) and
    /// <paramref name="b"/> (rows: k, columns: n) into <paramref name="c"/>, on all cores when
    /// <paramref name="parallel"/>. <paramref name="rowsDone"/> (an epilogue), when given, is
    /// called with (first row, row count) for every finished block of rows of C, on the core that
    /// finished it while the block is in its cache, when one chunk of B holds all of k and all
    /// columns (the usual case); otherwise once with (0, m) on the calling thread after the product.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void Multiply(T[] a, GemmOperand aLayout, T[] b, GemmOperand bLayout, T[] c, int batch, bool parallel, Action<int, int>? rowsDone = null)
    {
        var (m, k, n) = (aLayout.Rows.Length, aLayout.Columns.Length, bLayout.Columns.Length);
        var cOrigin = batch * m * n;
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            c.AsSpan(cOrigin, m * n).Clear();
            rowsDone?.Invoke(0, m);
            return;
        }
        // x @ x.T: C is symmetric, so only the tiles on or below the diagonal are computed and the
        // rest is mirrored (BLAS's syrk). c_ij and c_ji sum the same products in the same order.
        var symmetric = IsSymmetricProduct(a, aLayout, b, bLayout, batch);
        var workers = parallel ? Environment.ProcessorCount : 1;
        // Rows go in panels of the micro-kernel's height, blocks of panels at most MaxMC rows.
        var (panelsM, maxPanels) = (Divide(m, TKernel.Rows), MaxMC / TKernel.Rows);
        var aBlock = Math.Min(KC, k) * Math.Min(MaxMC, RoundUp(m, TKernel.Rows));
        var budget = BBlockBytes / Unsafe.SizeOf<T>();
        var maxNC = Math.Max(TKernel.Columns, budget / KC / TKernel.Columns * TKernel.Columns);
        // Cores share the larger side of C. Most products split B's columns: each core packs its
        // own columns of B and all of A, so no packed panel is written by one core and read by
        // another (on the 2-core Zen 5 VM, packing into lines the other core had read took about
        // 60% longer, and the MLP layer 128 x 784 by 784 x 512 ran 31% faster split by columns).
        // Products with more rows than columns, when A is too tall for one block, split A's rows
        // and share B's packed panels (tall products: a weight gradient x.T @ dz).
        var panelsN = Divide(n, TKernel.Columns);
        var splitColumns = workers > 1 && !symmetric && (m <= MaxMC || m <= n) && panelsN >= 2 * workers;
        // a block of rows is finished after one chunk only when it holds all of k and all columns
        var blockEpilogue = rowsDone is not null && !symmetric && !splitColumns && n <= maxNC && Depth(n) >= k;
        if (splitColumns)
            ForkJoin.Run(workers, part => Columns(part * panelsN / workers * TKernel.Columns, Math.Min(n, (part + 1) * panelsN / workers * TKernel.Columns), 1));
        else Columns(0, n, workers);

        // As many KC-deep steps of a block of nc columns of B as the budget holds (all of k, unless k is huge).
        int Depth(int nc) => Math.Max(KC, budget / (Divide(nc, TKernel.Columns) * TKernel.Columns) / KC * KC);

        // Columns [start, end) of C, on the given number of cores (their rows shared as below).
        [MethodImpl(KernelCompilation.Hot)]
        void Columns(int start, int end, int workers)
        {
            for (var jc = start; jc < end; jc += maxNC)
            {
                var nc = Math.Min(maxNC, end - jc);
                var panels = (nc + TKernel.Columns - 1) / TKernel.Columns;
                var depth = Depth(nc);
                using var bPacked = PackBuffer<T>.Rent(Math.Min(depth, k) * panels * TKernel.Columns);
                var packedB = bPacked;
                var columns = bLayout.Columns.AsMemory(jc, nc);
                var panelsPerTask = Math.Max(1, (panels + 2 * workers - 1) / (2 * workers));
                var panelTasks = (panels + panelsPerTask - 1) / panelsPerTask;
                for (var p0 = 0; p0 < k; p0 += depth)
                {
                    var (chunkStart, chunkEnd) = (p0, Math.Min(k, p0 + depth));
                    var steps = (chunkEnd - chunkStart + KC - 1) / KC;
                    // Step s of the chunk starts at s * KC * panels * Columns: its panels are KC (or fewer) deep.
                    [MethodImpl(KernelCompilation.Hot)]
                    void PackB(int task)
                    {
                        var offset = task / panelTasks * KC;
                        var first = task % panelTasks * panelsPerTask * TKernel.Columns;
                        var (kc, count) = (Math.Min(KC, chunkEnd - chunkStart - offset), Math.Min(panelsPerTask * TKernel.Columns, nc - first));
                        Packing.Pack(b, bLayout.Batch[batch], columns.Span.Slice(first, count), bLayout.ColumnsContiguous,
                            bLayout.Rows.AsSpan(chunkStart + offset, kc), TKernel.Columns, packedB.Span.Slice(offset * panels * TKernel.Columns + first * kc));
                    }
                    // On several cores, each step of B is packed by the cores that first need it (null: all packed beforehand).
                    var packState = workers > 1 ? new int[steps * panelTasks] : null;
                    Action<int> packB = PackB;
                    // Rows [ic, ic + rows) through every step of the chunk.
                    [MethodImpl(KernelCompilation.Hot)]
                    void RowBlock(int ic, int rows)
                    {
                        using var aPacked = PackBuffer<T>.Rent(aBlock);
                        for (var pc = chunkStart; pc < chunkEnd; pc += KC)
                        {
                            var kc = Math.Min(KC, chunkEnd - pc);
                            if (packState is not null) EnsurePacked(packState, (pc - chunkStart) / KC * panelTasks, panelTasks, packB);
                            Packing.Pack(a, aLayout.Batch[batch], aLayout.Rows.AsSpan(ic, rows), aLayout.RowsContiguous,
                                aLayout.Columns.AsSpan(pc, kc), TKernel.Rows, aPacked.Span);
                            MacroKernel(aPacked.Span, packedB.Span.Slice((pc - chunkStart) * panels * TKernel.Columns), rows, nc, kc,
                                c.AsSpan(cOrigin + ic * n + jc), n, pc > 0, symmetric ? ic - jc : int.MaxValue);
                        }
                        if (blockEpilogue) rowsDone!(ic, rows);
                    }
                    if (workers > 1)
                    {
                        // One fork per chunk, on the spinning ForkJoin: a 256 x 256 product splits in
                        // microseconds, not a Parallel.For per phase. Cores take the next block of
                        // panels as they finish one, each block a cores-th of the panels left (guided
                        // scheduling): large blocks first, since every block reads all of B's panels
                        // from L2 again (a (2 x cores)th made the 128-row products of an MLP step 4%
                        // slower), single panels last, so the cores finish within a panel of each other
                        // even when one is slowed by other work. In a symmetric product the lower rows hold
                        // the most tiles, so blocks are taken from the bottom up.
                        var taken = 0;
                        ForkJoin.Run(workers, _ =>
                        {
                            while (TakePanels(ref taken, panelsM, maxPanels, workers) is var (start, count) && count > 0)
                            {
                                var first = symmetric ? panelsM - start - count : start;
                                var ic = first * TKernel.Rows;
                                RowBlock(ic, Math.Min(count * TKernel.Rows, m - ic));
                            }
                        });
                    }
                    else
                    {
                        for (var task = 0; task < steps * panelTasks; task++) PackB(task);
                        for (var ic = 0; ic < m; ic += MaxMC) RowBlock(ic, Math.Min(MaxMC, m - ic));
                    }
                }
            }
        }
        if (symmetric) SymmetricMirror.LowerToUpper(c, cOrigin, n, workers > 1);
        if (rowsDone is not null && !blockEpilogue) rowsDone(0, m);
    }

    /// <summary>
    /// Makes sure the pack tasks <c>[first, first + count)</c> of B are done before a core reads them:
    /// packs those no core has claimed (state 0 to 1, then 2 when packed), then waits for those
    /// another core is packing. A task is claimed only by a running core, so the wait always ends.
    /// </summary>
    private static void EnsurePacked(int[] state, int first, int count, Action<int> pack)
    {
        for (var task = first; task < first + count; task++)
        {
            if (Volatile.Read(ref state[task]) != 0 || Interlocked.CompareExchange(ref state[task], 1, 0) != 0) continue;
            try { pack(task); }
            finally { Volatile.Write(ref state[task], 2); }
        }
        for (var task = first; task < first + count; task++)
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref state[task]) != 2) spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Whether the product is <c>X Xᵀ</c>: one buffer, B's columns at A's rows and B's rows at A's columns.</summary>
    private static bool IsSymmetricProduct(T[] a, GemmOperand aLayout, T[] b, GemmOperand bLayout, int batch) =>
        ReferenceEquals(a, b) && aLayout.Batch[batch] == bLayout.Batch[batch]
        && aLayout.Rows.AsSpan().SequenceEqual(bLayout.Columns) && aLayout.Columns.AsSpan().SequenceEqual(bLayout.Rows);

    /// <summary>Sweeps a packed block of A (mc x kc) against a packed block of B (kc x nc) into C (row stride ldc).</summary>
    /// <remarks>
    /// <paramref name="diagonal"/> is the column (within this block) where the block's first row
    /// meets the diagonal of a symmetric product: tiles whose every column lies past their last
    /// row's diagonal are skipped (their values are mirrored later). int.MaxValue computes all.
    /// </remarks>
    [MethodImpl(KernelCompilation.Hot)]
    private static void MacroKernel(Span<T> a, Span<T> b, int mc, int nc, int kc, Span<T> c, int ldc, bool accumulate, int diagonal)
    {
        var (mr, nr) = (TKernel.Rows, TKernel.Columns);
        var scratch = t_edgeTile ??= new T[mr * nr];
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
                {
                    PrefetchTile(ref tile, ldc);
                    TKernel.Multiply(kc, ref aPanel, ref bPanel, ref tile, ldc, accumulate);
                }
                else
                {
                    TKernel.Multiply(kc, ref aPanel, ref bPanel, ref MemoryMarshal.GetArrayDataReference(scratch), nr, false);
                    AddEdge(scratch, rows, cols, ref tile, ldc, accumulate);
                }
            }
        }
    }

    /// <summary>Writes (or adds) the top-left rows x cols of a scratch tile into C.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void AddEdge(Span<T> scratch, int rows, int cols, ref T c, int ldc, bool accumulate)
    {
        for (var r = 0; r < rows; r++)
        {
            var source = scratch.Slice(r * TKernel.Columns, cols);
            var target = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref c, r * ldc), cols);
            if (!accumulate) source.CopyTo(target);
            else for (var j = 0; j < cols; j++) target[j] = GemmArithmetic.Add(target[j], source[j]);
        }
    }

    /// <summary>
    /// Asks for a full tile of C in L1 before the micro-kernel runs: its k loop hides the
    /// misses, which it would otherwise wait for when it loads and stores the tile at the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchTile(ref T tile, int ldc)
    {
        if (!Sse.IsSupported) return;
        var first = (byte*)Unsafe.AsPointer(ref tile);
        var (stride, last) = ((nint)ldc * Unsafe.SizeOf<T>(), TKernel.Columns * Unsafe.SizeOf<T>() - 1);
        for (var r = 0; r < TKernel.Rows; r++)
        {
            Sse.Prefetch0(first + r * stride);
            Sse.Prefetch0(first + r * stride + last);
        }
    }

    /// <summary>
    /// Claims the next block of row panels from the shared count <paramref name="taken"/>: a
    /// <paramref name="workers"/>-th of those left (rounded up), between one and <paramref name="maxPanels"/>.
    /// The first panel and the count; a count of 0 when none are left.
    /// </summary>
    private static (int Start, int Count) TakePanels(ref int taken, int panels, int maxPanels, int workers)
    {
        while (true)
        {
            var start = Volatile.Read(ref taken);
            if (start >= panels) return (start, 0);
            var count = Math.Clamp((panels - start + workers - 1) / workers, 1, maxPanels);
            if (Interlocked.CompareExchange(ref taken, start + count, start) == start) return (start, count);
        }
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    private static int Divide(int x, int divisor) => (x + divisor - 1) / divisor;
}
