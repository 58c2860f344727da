using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace JaxSharp.Cpu;

/// <summary>
/// The CPU kernel of <c>dot_general</c>: batched products <c>C[b] = A[b] B[b]</c> of row-major
/// <c>A: [batch, m, k]</c> and <c>B: [batch, k, n]</c>. Operands in another axis order are
/// first copied into that layout (a transposed copy costs O(size), the product O(m n k)).
/// Blocks of 4 rows by 2 SIMD vectors of columns accumulate in registers over all of k;
/// large products split their row blocks across cores.
/// </summary>
internal static class MatMulKernel
{
    private const int Rows = 4;
    private const long ParallelWork = 1 << 20;

    /// <summary>
    /// The sizes of a product, and for each operand the gather offsets that bring it into
    /// <c>[batch, m, k]</c> (lhs) or <c>[batch, k, n]</c> (rhs) order; null when it already is.
    /// </summary>
    public sealed record Plan(int Batch, int M, int K, int N, int[]? LhsOffsets, int[]? RhsOffsets);

    /// <summary>The offsets that read a row-major array of <paramref name="shape"/> with its axes in <paramref name="order"/>; null for the identity order.</summary>
    public static int[]? Permutation(Shape shape, IEnumerable<int> order)
    {
        var axes = order.ToArray();
        if (axes.SequenceEqual(Enumerable.Range(0, shape.Rank))) return null;
        var strides = shape.Strides();
        return IndexMath.StridedOffsets(new Shape(axes.Select(d => shape[d])), axes.Select(d => strides[d]).ToArray());
    }

    /// <summary>Runs the product of <paramref name="lhs"/> and <paramref name="rhs"/> into <paramref name="output"/>, converting the operands to its element type first.</summary>
    public static void Run(Plan plan, Array lhs, Array rhs, Array output)
    {
        switch (output)
        {
            case float[] f: Multiply(plan, Prepare<float>(lhs, plan.LhsOffsets), Prepare<float>(rhs, plan.RhsOffsets), f); break;
            case double[] d: Multiply(plan, Prepare<double>(lhs, plan.LhsOffsets), Prepare<double>(rhs, plan.RhsOffsets), d); break;
            case int[] i: Multiply(plan, Prepare<int>(lhs, plan.LhsOffsets), Prepare<int>(rhs, plan.RhsOffsets), i); break;
            case uint[] u: Multiply(plan, Prepare<uint>(lhs, plan.LhsOffsets), Prepare<uint>(rhs, plan.RhsOffsets), u); break;
            default: throw new NotSupportedException($"dot_general: {output.GetType().Name}");
        }
    }

    /// <summary>The operand in the kernel's layout and element type: itself when it already is.</summary>
    private static T[] Prepare<T>(Array x, int[]? offsets) where T : INumber<T>
    {
        if (x is T[] same && offsets is null) return same;
        var result = new T[offsets?.Length ?? x.Length];
        switch (x)
        {
            case float[] f: ConvertInto(f, offsets, result); break;
            case double[] d: ConvertInto(d, offsets, result); break;
            case int[] i: ConvertInto(i, offsets, result); break;
            case uint[] u: ConvertInto(u, offsets, result); break;
            default: throw new NotSupportedException($"dot_general: {x.GetType().Name}");
        }
        return result;
    }

    private static void ConvertInto<TFrom, T>(TFrom[] source, int[]? offsets, T[] destination)
        where TFrom : INumber<TFrom> where T : INumber<T>
    {
        for (var i = 0; i < destination.Length; i++)
            destination[i] = T.CreateTruncating(source[offsets is null ? i : offsets[i]]);
    }

    private static void Multiply<T>(Plan p, T[] a, T[] b, T[] c) where T : unmanaged, INumber<T>
    {
        var rowBlocks = (p.M + Rows - 1) / Rows;
        var tiles = p.Batch * rowBlocks;
        void Tile(int t)
        {
            var batch = t / rowBlocks;
            var i0 = t % rowBlocks * Rows;
            RowBlock(p, a, b, c, batch, i0, Math.Min(Rows, p.M - i0));
        }
        if ((long)p.Batch * p.M * p.N * p.K >= ParallelWork && tiles > 1) Parallel.For(0, tiles, Tile);
        else for (var t = 0; t < tiles; t++) Tile(t);
    }

    /// <summary>Output rows i0 .. i0 + rows - 1 of product <paramref name="batch"/>.</summary>
    private static void RowBlock<T>(Plan p, T[] a, T[] b, T[] c, int batch, int i0, int rows) where T : unmanaged, INumber<T>
    {
        var (k, n) = (p.K, p.N);
        var aBase = (batch * p.M + i0) * k;
        var bBase = batch * k * n;
        var cBase = (batch * p.M + i0) * n;
        var width = Vector512<T>.Count;
        var j0 = 0;
        if (rows == Rows)
            for (; j0 + 2 * width <= n; j0 += 2 * width)
                Block4x2(a, aBase, b, bBase, c, cBase, k, n, j0);
        for (var r = 0; r < rows; r++)
        {
            var j = j0;
            for (; j + width <= n; j += width)
                Block1x1(a, aBase + r * k, b, bBase, c, cBase + r * n, k, n, j);
            for (; j < n; j++)
            {
                var sum = T.Zero;
                for (var kk = 0; kk < k; kk++) sum += a[aBase + r * k + kk] * b[bBase + kk * n + j];
                c[cBase + r * n + j] = sum;
            }
        }
    }

    /// <summary>4 rows by 2 vectors of columns from column <paramref name="j"/>, accumulated in registers over all of k.</summary>
    private static void Block4x2<T>(T[] a, int aBase, T[] b, int bBase, T[] c, int cBase, int k, int n, int j) where T : unmanaged, INumber<T>
    {
        ref var ar = ref MemoryMarshal.GetArrayDataReference(a);
        ref var br = ref MemoryMarshal.GetArrayDataReference(b);
        ref var cr = ref MemoryMarshal.GetArrayDataReference(c);
        var w = (nuint)Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<T> c20 = default, c21 = default, c30 = default, c31 = default;
        var bi = (nuint)(bBase + j);
        for (var kk = 0; kk < k; kk++, bi += (nuint)n)
        {
            var b0 = Vector512.LoadUnsafe(ref br, bi);
            var b1 = Vector512.LoadUnsafe(ref br, bi + w);
            var ai = aBase + kk;
            var a0 = Vector512.Create(Unsafe.Add(ref ar, ai));
            var a1 = Vector512.Create(Unsafe.Add(ref ar, ai + k));
            var a2 = Vector512.Create(Unsafe.Add(ref ar, ai + 2 * k));
            var a3 = Vector512.Create(Unsafe.Add(ref ar, ai + 3 * k));
            c00 += a0 * b0; c01 += a0 * b1;
            c10 += a1 * b0; c11 += a1 * b1;
            c20 += a2 * b0; c21 += a2 * b1;
            c30 += a3 * b0; c31 += a3 * b1;
        }
        var ci = (nuint)(cBase + j);
        var row = (nuint)n;
        c00.StoreUnsafe(ref cr, ci); c01.StoreUnsafe(ref cr, ci + w);
        c10.StoreUnsafe(ref cr, ci + row); c11.StoreUnsafe(ref cr, ci + row + w);
        c20.StoreUnsafe(ref cr, ci + 2 * row); c21.StoreUnsafe(ref cr, ci + 2 * row + w);
        c30.StoreUnsafe(ref cr, ci + 3 * row); c31.StoreUnsafe(ref cr, ci + 3 * row + w);
    }

    /// <summary>One row by one vector of columns from column <paramref name="j"/>.</summary>
    private static void Block1x1<T>(T[] a, int aRow, T[] b, int bBase, T[] c, int cRow, int k, int n, int j) where T : unmanaged, INumber<T>
    {
        ref var br = ref MemoryMarshal.GetArrayDataReference(b);
        var acc = Vector512<T>.Zero;
        var bi = (nuint)(bBase + j);
        for (var kk = 0; kk < k; kk++, bi += (nuint)n)
            acc += Vector512.Create(a[aRow + kk]) * Vector512.LoadUnsafe(ref br, bi);
        acc.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(c), (nuint)(cRow + j));
    }
}
