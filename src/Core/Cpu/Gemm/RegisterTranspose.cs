using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// A 16 x 16 float32 transpose in AVX-512 registers: sixteen loads, 64 shuffles (rows
/// interleaved by lanes, then by pairs of lanes, then by 128-bit quarters, twice), sixteen
/// stores. The symmetric mirror and the packing of strided operands use it; callers check
/// <see cref="Avx512F.IsSupported"/>.
/// </summary>
internal static class RegisterTranspose
{
    /// <summary>
    /// Transposes the block of <paramref name="rows"/> (at most 16) rows of 16 floats at
    /// <paramref name="source"/> (rows <paramref name="sourceStride"/> apart; missing rows read as
    /// zeros) into 16 rows at <paramref name="target"/>, <paramref name="targetStride"/> apart.
    /// Rows 0 to 14 of the target are stored as whole vectors, so when the target stride is less
    /// than 16 each spills into the next, which the next store overwrites; row 15 stores only its
    /// first <paramref name="rows"/> values, so nothing past the block is written.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void Block16(ref float source, nuint sourceStride, int rows, ref float target, nuint targetStride)
    {
        var (s, t) = (sourceStride, targetStride);
        var r0 = Vector512.LoadUnsafe(ref source); var r1 = Row(ref source, 1 * s, 1 < rows); var r2 = Row(ref source, 2 * s, 2 < rows); var r3 = Row(ref source, 3 * s, 3 < rows);
        var r4 = Row(ref source, 4 * s, 4 < rows); var r5 = Row(ref source, 5 * s, 5 < rows); var r6 = Row(ref source, 6 * s, 6 < rows); var r7 = Row(ref source, 7 * s, 7 < rows);
        var r8 = Row(ref source, 8 * s, 8 < rows); var r9 = Row(ref source, 9 * s, 9 < rows); var r10 = Row(ref source, 10 * s, 10 < rows); var r11 = Row(ref source, 11 * s, 11 < rows);
        var r12 = Row(ref source, 12 * s, 12 < rows); var r13 = Row(ref source, 13 * s, 13 < rows); var r14 = Row(ref source, 14 * s, 14 < rows); var r15 = Row(ref source, 15 * s, 15 < rows);
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
        r0.StoreUnsafe(ref target); r1.StoreUnsafe(ref target, 1 * t); r2.StoreUnsafe(ref target, 2 * t); r3.StoreUnsafe(ref target, 3 * t);
        r4.StoreUnsafe(ref target, 4 * t); r5.StoreUnsafe(ref target, 5 * t); r6.StoreUnsafe(ref target, 6 * t); r7.StoreUnsafe(ref target, 7 * t);
        r8.StoreUnsafe(ref target, 8 * t); r9.StoreUnsafe(ref target, 9 * t); r10.StoreUnsafe(ref target, 10 * t); r11.StoreUnsafe(ref target, 11 * t);
        r12.StoreUnsafe(ref target, 12 * t); r13.StoreUnsafe(ref target, 13 * t); r14.StoreUnsafe(ref target, 14 * t); StoreFirst(r15, ref target, 15 * t, rows);
    }

    /// <summary>The low (or high) 64-bit pairs of each 128-bit quarter of two vectors, interleaved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pairs(Vector512<float> x, Vector512<float> y, bool low) =>
        (low ? Avx512F.UnpackLow(x.AsDouble(), y.AsDouble()) : Avx512F.UnpackHigh(x.AsDouble(), y.AsDouble())).AsSingle();

    /// <summary>Row <paramref name="offset"/> of the source, or zeros when it is past the block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row(ref float source, nuint offset, bool present) =>
        present ? Vector512.LoadUnsafe(ref source, offset) : Vector512<float>.Zero;

    /// <summary>Stores the first <paramref name="count"/> lanes of <paramref name="v"/>: by halves and quarters, then one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFirst(Vector512<float> v, ref float target, nuint offset, int count)
    {
        if (count == 16)
        {
            v.StoreUnsafe(ref target, offset);
            return;
        }
        var done = 0;
        var rest = v.GetLower();
        if (count >= 8)
        {
            rest.StoreUnsafe(ref target, offset);
            (done, rest) = (8, v.GetUpper());
        }
        var quarter = rest.GetLower();
        if (count - done >= 4)
        {
            quarter.StoreUnsafe(ref target, offset + (nuint)done);
            (done, quarter) = (done + 4, rest.GetUpper());
        }
        for (var i = 0; done + i < count; i++) Unsafe.Add(ref target, offset + (nuint)(done + i)) = quarter.GetElement(i);
    }
}
