using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// Completes a symmetric product of which only the lower triangle was computed: copies each
/// value below the diagonal of a square row-major matrix onto its mirror image above it. float32
/// blocks of 16 x 16 wholly below the diagonal are transposed in registers (AVX-512: sixteen
/// loads, 64 shuffles, sixteen stores); the rest goes value by value. Scalar, the copy costs about
/// a tenth of a 1000 x 1000 product; in registers, a few hundredths.
/// </summary>
internal static class SymmetricMirror
{
    private const int Block = 16;

    /// <summary>Mirrors the lower triangle of the <paramref name="n"/> x <paramref name="n"/> matrix at <paramref name="origin"/> onto its upper triangle.</summary>
    public static void LowerToUpper<T>(T[] c, int origin, int n, bool parallel) where T : unmanaged
    {
        var blocks = (n + Block - 1) / Block;
        // Block row bj of the upper triangle is filled from block column bj of the lower one.
        void BlockRow(int bj)
        {
            ref var matrix = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(c), origin);
            var top = bj * Block;
            var rows = Math.Min(Block, n - top);
            for (var left = top; left < n; left += Block)
            {
                var columns = Math.Min(Block, n - left);
                if (left > top && rows == Block && columns == Block && typeof(T) == typeof(float) && Avx512F.IsSupported)
                    Transpose16(ref Unsafe.As<T, float>(ref Unsafe.Add(ref matrix, left * n + top)), ref Unsafe.As<T, float>(ref Unsafe.Add(ref matrix, top * n + left)), n);
                else
                    for (var i = top; i < top + rows; i++)
                        for (var j = Math.Max(i + 1, left); j < left + columns; j++)
                            Unsafe.Add(ref matrix, i * n + j) = Unsafe.Add(ref matrix, j * n + i);
            }
        }
        if (parallel) Parallel.For(0, blocks, BlockRow);
        else for (var bj = 0; bj < blocks; bj++) BlockRow(bj);
    }

    /// <summary>Writes the transpose of the 16 x 16 block at <paramref name="source"/> to <paramref name="target"/>, both with row stride <paramref name="stride"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose16(ref float source, ref float target, int stride)
    {
        var s = (nuint)stride;
        // Rows interleaved by lanes, then by pairs of lanes, then by 128-bit quarters, twice.
        var r0 = Vector512.LoadUnsafe(ref source); var r1 = Vector512.LoadUnsafe(ref source, 1 * s); var r2 = Vector512.LoadUnsafe(ref source, 2 * s); var r3 = Vector512.LoadUnsafe(ref source, 3 * s);
        var r4 = Vector512.LoadUnsafe(ref source, 4 * s); var r5 = Vector512.LoadUnsafe(ref source, 5 * s); var r6 = Vector512.LoadUnsafe(ref source, 6 * s); var r7 = Vector512.LoadUnsafe(ref source, 7 * s);
        var r8 = Vector512.LoadUnsafe(ref source, 8 * s); var r9 = Vector512.LoadUnsafe(ref source, 9 * s); var r10 = Vector512.LoadUnsafe(ref source, 10 * s); var r11 = Vector512.LoadUnsafe(ref source, 11 * s);
        var r12 = Vector512.LoadUnsafe(ref source, 12 * s); var r13 = Vector512.LoadUnsafe(ref source, 13 * s); var r14 = Vector512.LoadUnsafe(ref source, 14 * s); var r15 = Vector512.LoadUnsafe(ref source, 15 * s);
        var t0 = Avx512F.UnpackLow(r0, r1); var t1 = Avx512F.UnpackHigh(r0, r1);
        var t2 = Avx512F.UnpackLow(r2, r3); var t3 = Avx512F.UnpackHigh(r2, r3);
        var t4 = Avx512F.UnpackLow(r4, r5); var t5 = Avx512F.UnpackHigh(r4, r5);
        var t6 = Avx512F.UnpackLow(r6, r7); var t7 = Avx512F.UnpackHigh(r6, r7);
        var t8 = Avx512F.UnpackLow(r8, r9); var t9 = Avx512F.UnpackHigh(r8, r9);
        var t10 = Avx512F.UnpackLow(r10, r11); var t11 = Avx512F.UnpackHigh(r10, r11);
        var t12 = Avx512F.UnpackLow(r12, r13); var t13 = Avx512F.UnpackHigh(r12, r13);
        var t14 = Avx512F.UnpackLow(r14, r15); var t15 = Avx512F.UnpackHigh(r14, r15);
        r0 = Pairs(t0, t2, low: true); r1 = Pairs(t0, t2, low: false); r2 = Pairs(t1, t3, low: true); r3 = Pairs(t1, t3, low: false);
        r4 = Pairs(t4, t6, low: true); r5 = Pairs(t4, t6, low: false); r6 = Pairs(t5, t7, low: true); r7 = Pairs(t5, t7, low: false);
        r8 = Pairs(t8, t10, low: true); r9 = Pairs(t8, t10, low: false); r10 = Pairs(t9, t11, low: true); r11 = Pairs(t9, t11, low: false);
        r12 = Pairs(t12, t14, low: true); r13 = Pairs(t12, t14, low: false); r14 = Pairs(t13, t15, low: true); r15 = Pairs(t13, t15, low: false);
        t0 = Avx512F.Shuffle4x128(r0, r4, 0x88); t4 = Avx512F.Shuffle4x128(r0, r4, 0xdd);
        t1 = Avx512F.Shuffle4x128(r1, r5, 0x88); t5 = Avx512F.Shuffle4x128(r1, r5, 0xdd);
        t2 = Avx512F.Shuffle4x128(r2, r6, 0x88); t6 = Avx512F.Shuffle4x128(r2, r6, 0xdd);
        t3 = Avx512F.Shuffle4x128(r3, r7, 0x88); t7 = Avx512F.Shuffle4x128(r3, r7, 0xdd);
        t8 = Avx512F.Shuffle4x128(r8, r12, 0x88); t12 = Avx512F.Shuffle4x128(r8, r12, 0xdd);
        t9 = Avx512F.Shuffle4x128(r9, r13, 0x88); t13 = Avx512F.Shuffle4x128(r9, r13, 0xdd);
        t10 = Avx512F.Shuffle4x128(r10, r14, 0x88); t14 = Avx512F.Shuffle4x128(r10, r14, 0xdd);
        t11 = Avx512F.Shuffle4x128(r11, r15, 0x88); t15 = Avx512F.Shuffle4x128(r11, r15, 0xdd);
        r0 = Avx512F.Shuffle4x128(t0, t8, 0x88); r8 = Avx512F.Shuffle4x128(t0, t8, 0xdd);
        r1 = Avx512F.Shuffle4x128(t1, t9, 0x88); r9 = Avx512F.Shuffle4x128(t1, t9, 0xdd);
        r2 = Avx512F.Shuffle4x128(t2, t10, 0x88); r10 = Avx512F.Shuffle4x128(t2, t10, 0xdd);
        r3 = Avx512F.Shuffle4x128(t3, t11, 0x88); r11 = Avx512F.Shuffle4x128(t3, t11, 0xdd);
        r4 = Avx512F.Shuffle4x128(t4, t12, 0x88); r12 = Avx512F.Shuffle4x128(t4, t12, 0xdd);
        r5 = Avx512F.Shuffle4x128(t5, t13, 0x88); r13 = Avx512F.Shuffle4x128(t5, t13, 0xdd);
        r6 = Avx512F.Shuffle4x128(t6, t14, 0x88); r14 = Avx512F.Shuffle4x128(t6, t14, 0xdd);
        r7 = Avx512F.Shuffle4x128(t7, t15, 0x88); r15 = Avx512F.Shuffle4x128(t7, t15, 0xdd);
        r0.StoreUnsafe(ref target); r1.StoreUnsafe(ref target, 1 * s); r2.StoreUnsafe(ref target, 2 * s); r3.StoreUnsafe(ref target, 3 * s);
        r4.StoreUnsafe(ref target, 4 * s); r5.StoreUnsafe(ref target, 5 * s); r6.StoreUnsafe(ref target, 6 * s); r7.StoreUnsafe(ref target, 7 * s);
        r8.StoreUnsafe(ref target, 8 * s); r9.StoreUnsafe(ref target, 9 * s); r10.StoreUnsafe(ref target, 10 * s); r11.StoreUnsafe(ref target, 11 * s);
        r12.StoreUnsafe(ref target, 12 * s); r13.StoreUnsafe(ref target, 13 * s); r14.StoreUnsafe(ref target, 14 * s); r15.StoreUnsafe(ref target, 15 * s);
    }

    /// <summary>The low (or high) 64-bit pairs of each 128-bit quarter of two vectors, interleaved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pairs(Vector512<float> x, Vector512<float> y, bool low) =>
        (low ? Avx512F.UnpackLow(x.AsDouble(), y.AsDouble()) : Avx512F.UnpackHigh(x.AsDouble(), y.AsDouble())).AsSingle();
}
