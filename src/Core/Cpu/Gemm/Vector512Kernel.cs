using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static JaxSharp.Cpu.Gemm.GemmArithmetic;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// The AVX-512 micro-kernel for float32 and float64: 12 rows by 2 vectors of columns (12 x 32
/// floats or 12 x 16 doubles), 24 accumulators of the 32 zmm registers. Each step of k loads
/// two vectors of B, broadcasts 12 values of A and issues 24 fused multiply-adds.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct Vector512Kernel<T> : IMicroKernel<T>
{
    /// <inheritdoc/>
    public static int Rows => 12;

    /// <inheritdoc/>
    public static int Columns => 2 * Vector512<T>.Count;

    /// <inheritdoc/>
    [MethodImpl(KernelCompilation.Hot)]
    public static void Multiply(int kc, ref T a, ref T b, ref T c, nint ldc, bool accumulate)
    {
        var w = (nuint)Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<T> c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.LoadUnsafe(ref b);
            var b1 = Vector512.LoadUnsafe(ref b, w);
            var x = Vector512.Create(a);
            c00 = FusedMultiplyAdd(x, b0, c00); c01 = FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(Unsafe.Add(ref a, 1));
            c10 = FusedMultiplyAdd(x, b0, c10); c11 = FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(Unsafe.Add(ref a, 2));
            c20 = FusedMultiplyAdd(x, b0, c20); c21 = FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(Unsafe.Add(ref a, 3));
            c30 = FusedMultiplyAdd(x, b0, c30); c31 = FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(Unsafe.Add(ref a, 4));
            c40 = FusedMultiplyAdd(x, b0, c40); c41 = FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(Unsafe.Add(ref a, 5));
            c50 = FusedMultiplyAdd(x, b0, c50); c51 = FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(Unsafe.Add(ref a, 6));
            c60 = FusedMultiplyAdd(x, b0, c60); c61 = FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(Unsafe.Add(ref a, 7));
            c70 = FusedMultiplyAdd(x, b0, c70); c71 = FusedMultiplyAdd(x, b1, c71);
            x = Vector512.Create(Unsafe.Add(ref a, 8));
            c80 = FusedMultiplyAdd(x, b0, c80); c81 = FusedMultiplyAdd(x, b1, c81);
            x = Vector512.Create(Unsafe.Add(ref a, 9));
            c90 = FusedMultiplyAdd(x, b0, c90); c91 = FusedMultiplyAdd(x, b1, c91);
            x = Vector512.Create(Unsafe.Add(ref a, 10));
            ca0 = FusedMultiplyAdd(x, b0, ca0); ca1 = FusedMultiplyAdd(x, b1, ca1);
            x = Vector512.Create(Unsafe.Add(ref a, 11));
            cb0 = FusedMultiplyAdd(x, b0, cb0); cb1 = FusedMultiplyAdd(x, b1, cb1);
            a = ref Unsafe.Add(ref a, 12);
            b = ref Unsafe.Add(ref b, 2 * w);
        }
        Store(ref c, accumulate, c00, c01);
        Store(ref Unsafe.Add(ref c, ldc), accumulate, c10, c11);
        Store(ref Unsafe.Add(ref c, 2 * ldc), accumulate, c20, c21);
        Store(ref Unsafe.Add(ref c, 3 * ldc), accumulate, c30, c31);
        Store(ref Unsafe.Add(ref c, 4 * ldc), accumulate, c40, c41);
        Store(ref Unsafe.Add(ref c, 5 * ldc), accumulate, c50, c51);
        Store(ref Unsafe.Add(ref c, 6 * ldc), accumulate, c60, c61);
        Store(ref Unsafe.Add(ref c, 7 * ldc), accumulate, c70, c71);
        Store(ref Unsafe.Add(ref c, 8 * ldc), accumulate, c80, c81);
        Store(ref Unsafe.Add(ref c, 9 * ldc), accumulate, c90, c91);
        Store(ref Unsafe.Add(ref c, 10 * ldc), accumulate, ca0, ca1);
        Store(ref Unsafe.Add(ref c, 11 * ldc), accumulate, cb0, cb1);
    }

    /// <summary>Writes (or adds) one row of the tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref T c, bool accumulate, Vector512<T> v0, Vector512<T> v1)
    {
        var w = (nuint)Vector512<T>.Count;
        if (accumulate)
        {
            v0 += Vector512.LoadUnsafe(ref c);
            v1 += Vector512.LoadUnsafe(ref c, w);
        }
        v0.StoreUnsafe(ref c);
        v1.StoreUnsafe(ref c, w);
    }
}
