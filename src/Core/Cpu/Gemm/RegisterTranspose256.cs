using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// Square transposes in 256-bit registers (AVX): 8 x 8 float32 (eight loads, 24 shuffles) and
/// 4 x 4 float64 (four loads, eight shuffles). The packing of a row-major A or a transposed B
/// uses them where AVX-512 is missing; callers check <see cref="Avx.IsSupported"/>.
/// </summary>
internal static class RegisterTranspose256
{
    /// <summary>
    /// Transposes 8 steps of 8 lines: line r's 8 values start at <paramref name="source"/> +
    /// <paramref name="starts"/>[r]; step j's values of the first <paramref name="rows"/> lines are
    /// stored at <paramref name="target"/> + j * <paramref name="targetStride"/>. Lines at and past
    /// <paramref name="rows"/> are read (give them any valid start) but never stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block8(ref float source, ReadOnlySpan<int> starts, int rows, ref float target, nuint targetStride)
    {
        var r0 = Vector256.LoadUnsafe(ref source, (nuint)starts[0]); var r1 = Vector256.LoadUnsafe(ref source, (nuint)starts[1]);
        var r2 = Vector256.LoadUnsafe(ref source, (nuint)starts[2]); var r3 = Vector256.LoadUnsafe(ref source, (nuint)starts[3]);
        var r4 = Vector256.LoadUnsafe(ref source, (nuint)starts[4]); var r5 = Vector256.LoadUnsafe(ref source, (nuint)starts[5]);
        var r6 = Vector256.LoadUnsafe(ref source, (nuint)starts[6]); var r7 = Vector256.LoadUnsafe(ref source, (nuint)starts[7]);
        // Interleave lanes of row pairs, then pairs of lanes of row quads, then 128-bit halves.
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1); var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5); var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE); var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE); var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
        var t = targetStride;
        StoreFirst(Avx.Permute2x128(s0, s4, 0x20), ref target, rows);
        StoreFirst(Avx.Permute2x128(s1, s5, 0x20), ref Unsafe.Add(ref target, t), rows);
        StoreFirst(Avx.Permute2x128(s2, s6, 0x20), ref Unsafe.Add(ref target, 2 * t), rows);
        StoreFirst(Avx.Permute2x128(s3, s7, 0x20), ref Unsafe.Add(ref target, 3 * t), rows);
        StoreFirst(Avx.Permute2x128(s0, s4, 0x31), ref Unsafe.Add(ref target, 4 * t), rows);
        StoreFirst(Avx.Permute2x128(s1, s5, 0x31), ref Unsafe.Add(ref target, 5 * t), rows);
        StoreFirst(Avx.Permute2x128(s2, s6, 0x31), ref Unsafe.Add(ref target, 6 * t), rows);
        StoreFirst(Avx.Permute2x128(s3, s7, 0x31), ref Unsafe.Add(ref target, 7 * t), rows);
    }

    /// <summary>The float64 form of <see cref="Block8"/>: 4 steps of 4 lines.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block4(ref double source, ReadOnlySpan<int> starts, int rows, ref double target, nuint targetStride)
    {
        var r0 = Vector256.LoadUnsafe(ref source, (nuint)starts[0]); var r1 = Vector256.LoadUnsafe(ref source, (nuint)starts[1]);
        var r2 = Vector256.LoadUnsafe(ref source, (nuint)starts[2]); var r3 = Vector256.LoadUnsafe(ref source, (nuint)starts[3]);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1); var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t = targetStride;
        StoreFirst(Avx.Permute2x128(t0, t2, 0x20), ref target, rows);
        StoreFirst(Avx.Permute2x128(t1, t3, 0x20), ref Unsafe.Add(ref target, t), rows);
        StoreFirst(Avx.Permute2x128(t0, t2, 0x31), ref Unsafe.Add(ref target, 2 * t), rows);
        StoreFirst(Avx.Permute2x128(t1, t3, 0x31), ref Unsafe.Add(ref target, 3 * t), rows);
    }

    /// <summary>Stores the first <paramref name="count"/> lanes of <paramref name="v"/> (all of them, or a 16-, 8- and 4-byte piece as needed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFirst<T>(Vector256<T> v, ref T target, int count)
    {
        if (count == Vector256<T>.Count)
        {
            v.StoreUnsafe(ref target);
            return;
        }
        ref var bytes = ref Unsafe.As<T, byte>(ref target);
        var (rest, done, part) = (count * Unsafe.SizeOf<T>(), 0, v.AsByte().GetLower());
        if (rest >= 16)
        {
            part.StoreUnsafe(ref bytes);
            (rest, done, part) = (rest - 16, 16, v.AsByte().GetUpper());
        }
        if (rest >= 8) Unsafe.WriteUnaligned(ref Unsafe.Add(ref bytes, done), part.AsUInt64().ToScalar());
        // Lane rest / 4 - 1 (0 or 2) by constant indices: a variable GetElement throws through a helper that keeps crossgen2 from precompiling the callers.
        if (rest % 8 == 4) Unsafe.WriteUnaligned(ref Unsafe.Add(ref bytes, done + rest - 4), (uint)(rest > 8 ? part.AsUInt64().GetElement(1) : part.AsUInt64().ToScalar()));
    }
}
