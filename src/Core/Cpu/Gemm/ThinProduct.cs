using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// Products with a side too thin for the packed micro-kernel, without packing either operand:
/// matrix-vector and vector-matrix products, and products with fewer rows or columns than the
/// micro-kernel's tile (a 10-wide output layer). The thin side is gathered into a small
/// contiguous block (at most tile x k); the other operand is read in place, either
/// along its contiguous free axis (<see cref="ThinKernels{T}.Axpy"/>) or along its contiguous
/// contracted axis (<see cref="ThinKernels{T}.Dot"/>). An outer product (a contraction of length
/// one, any layout) gathers both sides and writes each output row once
/// (<see cref="ThinKernels{T}.Outer"/>). The long side is split across cores when the product is
/// worth it. A layout neither loop can read in place goes to <see cref="BlockedGemm{T, TKernel}"/>.
/// </summary>
internal static class ThinProduct
{
    /// <summary>The multiply-adds from which one product is split across cores (about 3 µs on one).</summary>
    private const long ParallelWork = 1 << 16;

    /// <summary>
    /// Runs every product of <paramref name="plan"/>'s batch on a dedicated path and returns true,
    /// or returns false (nothing written) when the shapes are not thin, the layout is not one
    /// the loops read in place, or 256-bit vectors are not accelerated.
    /// </summary>
    /// <param name="plan">The operands' layouts.</param>
    /// <param name="a">The lhs buffer.</param>
    /// <param name="b">The rhs buffer.</param>
    /// <param name="c">The row-major <c>[batch, m, n]</c> output.</param>
    /// <param name="tileRows">The micro-kernel's rows: fewer output rows make a thin product.</param>
    /// <param name="tileColumns">The micro-kernel's columns: fewer output columns make a thin product.</param>
    public static bool TryMultiply<T>(MatMulKernel.Plan plan, T[] a, T[] b, T[] c, int tileRows, int tileColumns)
    {
        if (!Vector256.IsHardwareAccelerated || (typeof(T) != typeof(float) && typeof(T) != typeof(double))) return false;
        var (m, k, n) = (plan.M, plan.K, plan.N);
        if (m == 0 || n == 0 || k == 0) return false;
        if (Choose(plan, tileRows, tileColumns) is not { } path) return false; // a Path, not a Path? read through Nullable's Value, JIT-compiled in every process
        var work = (long)m * n * k;
        var eachParallel = work >= ParallelWork && Environment.ProcessorCount > 1;
        if (!eachParallel && plan.Batch > 1 && work * plan.Batch >= ParallelWork)
            Parallel.For(0, plan.Batch, i => Run(path, plan, a, b, c, i, parallel: false));
        else
            for (var i = 0; i < plan.Batch; i++) Run(path, plan, a, b, c, i, eachParallel);
        return true;
    }

    /// <summary>How a thin product is computed.</summary>
    private enum Path
    {
        /// <summary>Few rows, B row-major: output rows as combinations of B's rows read in place.</summary>
        FewRowsAxpy,

        /// <summary>Few rows, B's columns contiguous along k: dot products of A's rows with B's columns.</summary>
        FewRowsDot,

        /// <summary>Few columns, A row-major: dot products of A's rows read in place with B's columns.</summary>
        FewColumnsDot,

        /// <summary>Few columns, A stored transposed: output columns as combinations of A's columns read in place.</summary>
        FewColumnsAxpy,

        /// <summary>A contraction of length one (an outer product), any layout: each output row a multiple of B's one row.</summary>
        Outer,
    }

    private static Path? Choose(MatMulKernel.Plan plan, int tileRows, int tileColumns)
    {
        var (m, n) = (plan.M, plan.N);
        var w = Vector256<float>.Count;
        if (plan.K == 1) return Path.Outer;
        if (m < tileRows)
        {
            if (plan.Rhs.ColumnsContiguous && n >= w) return Path.FewRowsAxpy;
            if (plan.Rhs.RowsContiguous) return Path.FewRowsDot;
        }
        if (n < tileColumns)
        {
            if (plan.Lhs.ColumnsContiguous) return Path.FewColumnsDot;
            if (plan.Lhs.RowsContiguous && m >= w) return Path.FewColumnsAxpy;
        }
        return null;
    }

    private static void Run<T>(Path path, MatMulKernel.Plan plan, T[] a, T[] b, T[] c, int batch, bool parallel)
    {
        var (m, k, n) = (plan.M, plan.K, plan.N);
        var (lhs, rhs) = (plan.Lhs, plan.Rhs);
        var (aOrigin, bOrigin, cOrigin) = (lhs.Batch[batch], rhs.Batch[batch], batch * m * n);
        var output = c.AsMemory(cOrigin, m * n);
        switch (path)
        {
            case Path.FewRowsAxpy:
            {
                using var coef = GatherRows(a, aOrigin, lhs.Rows, lhs.Columns, lhs.ColumnsContiguous);
                var coefs = coef.Array;
                var source = new Lines(bOrigin + rhs.Columns[0], rhs.Rows, 0);
                var contractionParts = Math.Min(Environment.ProcessorCount, k / ContractionPart);
                if (parallel && contractionParts >= Environment.ProcessorCount)
                    SplitContraction(contractionParts, m, k, n, output, (p0, p1, partial) =>
                        ThinKernels<T>.AxpyPart(coefs, m, k, p0, p1, b, source, 0, n, partial, n));
                else Split(n, 2 * Vector256<T>.Count, parallel, (j0, j1) =>
                    ThinKernels<T>.Axpy(coefs, m, k, b, source, j0, j1, output.Span, n));
                break;
            }
            case Path.FewRowsDot:
            {
                using var coef = GatherRows(a, aOrigin, lhs.Rows, lhs.Columns, lhs.ColumnsContiguous);
                var coefs = coef.Array;
                var columns = new Lines(bOrigin + rhs.Rows[0], rhs.Columns, 0);
                Split(n, 4, parallel, (j0, j1) =>
                    ThinKernels<T>.Dot(b, columns, j0, j1, coefs, new Lines(0, null, k), m, k, output.Span, 1, n));
                break;
            }
            case Path.FewColumnsDot:
            {
                using var coef = GatherRows(b, bOrigin, rhs.Columns, rhs.Rows, rhs.RowsContiguous);
                var coefs = coef.Array;
                var rows = new Lines(aOrigin + lhs.Columns[0], lhs.Rows, 0);
                Split(m, 4, parallel, (i0, i1) =>
                    ThinKernels<T>.Dot(a, rows, i0, i1, coefs, new Lines(0, null, k), n, k, output.Span, n, 1));
                break;
            }
            case Path.FewColumnsAxpy:
            {
                using var coef = GatherRows(b, bOrigin, rhs.Columns, rhs.Rows, rhs.RowsContiguous);
                using var transposed = Rented<T>.Of(n * m);
                var (coefs, columns) = (coef.Array, transposed.Array);
                var source = new Lines(aOrigin + lhs.Rows[0], lhs.Columns, 0);
                Split(m, 4 * Vector256<T>.Count, parallel, (i0, i1) =>
                {
                    ThinKernels<T>.Axpy(coefs, n, k, a, source, i0, i1, columns, m);
                    CopyTransposed(columns, m, n, i0, i1, output.Span);
                });
                break;
            }
            case Path.Outer:
            {
                using var column = GatherRows(a, aOrigin, lhs.Rows, lhs.Columns, lhs.ColumnsContiguous);
                using var row = GatherRows(b, bOrigin, rhs.Rows, rhs.Columns, rhs.ColumnsContiguous);
                var (columnValues, rowValues) = (column.Array, row.Array);
                Split(m, 1, parallel, (i0, i1) =>
                    ThinKernels<T>.Outer(columnValues.AsSpan(0, m), rowValues.AsSpan(0, n), i0, i1, output.Span));
                break;
            }
        }
    }

    /// <summary>
    /// Rows <c>[i0, i1)</c> of the row-major <c>m x n</c> output from the <c>n x m</c> block of its
    /// columns: <c>output[i * n + j] = columns[j * m + i]</c>, by refs (the span-indexed loop's bounds
    /// checks took a fifth of a 10-wide weight gradient's time).
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void CopyTransposed<T>(T[] columns, int m, int n, int i0, int i1, Span<T> output)
    {
        ref var from = ref MemoryMarshal.GetArrayDataReference(columns);
        ref var to = ref MemoryMarshal.GetReference(output);
        for (var i = i0; i < i1; i++)
        {
            ref var row = ref Unsafe.Add(ref to, i * n);
            ref var column = ref Unsafe.Add(ref from, i);
            for (var j = 0; j < n; j++) Unsafe.Add(ref row, j) = Unsafe.Add(ref column, j * m);
        }
    }

    /// <summary>
    /// The lines of one side as a contiguous row-major block: element <c>(r, p)</c> of the block is
    /// <c>source[origin + lines[r] + depth[p]]</c>; a line whose steps are adjacent
    /// (<paramref name="depthContiguous"/>) is one block copy. Compiled fully optimised: at tier 0,
    /// gathering the 784 values of a matrix-vector product's vector value by value took several
    /// microseconds of its 25.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static Rented<T> GatherRows<T>(T[] source, int origin, int[] lines, int[] depth, bool depthContiguous)
    {
        var block = Rented<T>.Of(lines.Length * depth.Length);
        var target = block.Array;
        for (var r = 0; r < lines.Length; r++)
        {
            var (line, row) = (origin + lines[r], r * depth.Length);
            if (depthContiguous && depth.Length > 0) source.AsSpan(line + depth[0], depth.Length).CopyTo(target.AsSpan(row, depth.Length));
            else for (var p = 0; p < depth.Length; p++) target[row + p] = source[line + depth[p]];
        }
        return block;
    }

    /// <summary>The fewest rows of the long operand in one part of a split contraction, so that adding the partial products costs little beside them.</summary>
    private const int ContractionPart = 32;

    /// <summary>Runs <paramref name="body"/> on ranges of <c>[0, extent)</c>, across cores when <paramref name="parallel"/>: ranges a multiple of <paramref name="grain"/> long, one per core.</summary>
    private static void Split(int extent, int grain, bool parallel, Action<int, int> body)
    {
        var parts = parallel ? Environment.ProcessorCount : 1;
        var size = (extent + parts - 1) / parts;
        size = Math.Max(grain, (size + grain - 1) / grain * grain);
        parts = (extent + size - 1) / size;
        if (parts <= 1) body(0, extent);
        else ForkJoin.Run(parts, part => body(part * size, Math.Min(extent, (part + 1) * size)));
    }

    /// <summary>
    /// Runs <paramref name="body"/> on <paramref name="parts"/> ranges of the contraction <c>[0, k)</c> across
    /// cores, each writing its partial <c>m x n</c> product (the first into <paramref name="output"/>, the
    /// others into scratch), then adds the partial products into <paramref name="output"/>: each part streams
    /// one contiguous run of the long operand's lines instead of a slice of every line.
    /// </summary>
    private static void SplitContraction<T>(int parts, int m, int k, int n, Memory<T> output, Action<int, int, Span<T>> body)
    {
        var size = (k + parts - 1) / parts;
        parts = (k + size - 1) / size;
        using var scratch = Rented<T>.Of((parts - 1) * m * n);
        var partials = scratch.Array;
        ForkJoin.Run(parts, part =>
        {
            var (p0, p1) = (part * size, Math.Min(k, (part + 1) * size));
            body(p0, p1, part == 0 ? output.Span : partials.AsSpan((part - 1) * m * n, m * n));
        });
        var total = output.Span;
        for (var part = 1; part < parts; part++) AddInto(total, partials.AsSpan((part - 1) * m * n, m * n));
    }

    /// <summary><c>total[i] += addend[i]</c>, a vector at a time.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void AddInto<T>(Span<T> total, ReadOnlySpan<T> addend)
    {
        var (w, i) = (Vector256<T>.Count, 0);
        ref var sum = ref MemoryMarshal.GetReference(total);
        ref var term = ref MemoryMarshal.GetReference(addend);
        for (; i + w <= total.Length; i += w) (Vector256.LoadUnsafe(ref sum, (nuint)i) + Vector256.LoadUnsafe(ref term, (nuint)i)).StoreUnsafe(ref sum, (nuint)i);
        for (; i < total.Length; i++) total[i] = GemmArithmetic.Add(total[i], addend[i]);
    }

    /// <summary>A pooled scratch array of at least the length asked for.</summary>
    private readonly struct Rented<T> : IDisposable
    {
        private Rented(T[] array) => Array = array;

        /// <summary>The array (possibly longer than asked).</summary>
        public T[] Array { get; }

        /// <summary>An array of at least <paramref name="length"/> elements from the shared pool.</summary>
        public static Rented<T> Of(int length) => new(System.Buffers.ArrayPool<T>.Shared.Rent(length));

        /// <summary>Returns the array to the pool.</summary>
        public void Dispose() => System.Buffers.ArrayPool<T>.Shared.Return(Array);
    }
}
