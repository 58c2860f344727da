using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static JaxSharp.Cpu.Gemm.GemmArithmetic;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// The AVX-512 micro-kernel for products whose rows come in eights but not twelves (a
/// convolution's 64 output features: <see cref="Vector512Kernel{T}"/>'s 12-row tiles would
/// compute 72 rows, an eighth of them thrown away): 8 rows by 3 vectors of columns (8 x 48
/// floats or 8 x 24 doubles), 24 accumulators of the 32 zmm registers. Each step of k loads
/// three vectors of B, broadcasts 8 values of A and issues 24 fused multiply-adds.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct Vector512WideKernel<T> : IMicroKernel<T>
{
    /// <inheritdoc/>
    public static int Rows => 8;

    /// <inheritdoc/>
    public static int Columns => 3 * Vector512<T>.Count;

    /// <summary>Whether tiles of <see cref="Rows"/> rows waste fewer of <paramref name="rows"/> rows than <see cref="Vector512Kernel{T}"/>'s.</summary>
    public static bool FitsBetter(int rows) => (rows + 7) / 8 * 8 < (rows + 11) / 12 * 12;

    /// <inheritdoc/>
    [MethodImpl(KernelCompilation.Hot)]
    public static void Multiply(int kc, ref T a, ref T b, ref T c, nint ldc, bool accumulate)
    {
        var w = (nuint)Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector512<T> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        Vector512<T> c40 = default, c41 = default, c42 = default, c50 = default, c51 = default, c52 = default;
        Vector512<T> c60 = default, c61 = default, c62 = default, c70 = default, c71 = default, c72 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.LoadUnsafe(ref b);
            var b1 = Vector512.LoadUnsafe(ref b, w);
            var b2 = Vector512.LoadUnsafe(ref b, 2 * w);
            var x = Vector512.Create(a);
            c00 = FusedMultiplyAdd(x, b0, c00); c01 = FusedMultiplyAdd(x, b1, c01); c02 = FusedMultiplyAdd(x, b2, c02);
            x = Vector512.Create(Unsafe.Add(ref a, 1));
            c10 = FusedMultiplyAdd(x, b0, c10); c11 = FusedMultiplyAdd(x, b1, c11); c12 = FusedMultiplyAdd(x, b2, c12);
            x = Vector512.Create(Unsafe.Add(ref a, 2));
            c20 = FusedMultiplyAdd(x, b0, c20); c21 = FusedMultiplyAdd(x, b1, c21); c22 = FusedMultiplyAdd(x, b2, c22);
            x = Vector512.Create(Unsafe.Add(ref a, 3));
            c30 = FusedMultiplyAdd(x, b0, c30); c31 = FusedMultiplyAdd(x, b1, c31); c32 = FusedMultiplyAdd(x, b2, c32);
            x = Vector512.Create(Unsafe.Add(ref a, 4));
            c40 = FusedMultiplyAdd(x, b0, c40); c41 = FusedMultiplyAdd(x, b1, c41); c42 = FusedMultiplyAdd(x, b2, c42);
            x = Vector512.Create(Unsafe.Add(ref a, 5));
            c50 = FusedMultiplyAdd(x, b0, c50); c51 = FusedMultiplyAdd(x, b1, c51); c52 = FusedMultiplyAdd(x, b2, c52);
            x = Vector512.Create(Unsafe.Add(ref a, 6));
            c60 = FusedMultiplyAdd(x, b0, c60); c61 = FusedMultiplyAdd(x, b1, c61); c62 = FusedMultiplyAdd(x, b2, c62);
            x = Vector512.Create(Unsafe.Add(ref a, 7));
            c70 = FusedMultiplyAdd(x, b0, c70); c71 = FusedMultiplyAdd(x, b1, c71); c72 = FusedMultiplyAdd(x, b2, c72);
            a = ref Unsafe.Add(ref a, 8);
            b = ref Unsafe.Add(ref b, 3 * w);
        }
        Store(ref c, accumulate, c00, c01, c02);
        Store(ref Unsafe.Add(ref c, ldc), accumulate, c10, c11, c12);
        Store(ref Unsafe.Add(ref c, 2 * ldc), accumulate, c20, c21, c22);
        Store(ref Unsafe.Add(ref c, 3 * ldc), accumulate, c30, c31, c32);
        Store(ref Unsafe.Add(ref c, 4 * ldc), accumulate, c40, c41, c42);
        Store(ref Unsafe.Add(ref c, 5 * ldc), accumulate, c50, c51, c52);
        Store(ref Unsafe.Add(ref c, 6 * ldc), accumulate, c60, c61, c62);
        Store(ref Unsafe.Add(ref c, 7 * ldc), accumulate, c70, c71, c72);
    }

    /// <summary>Writes (or adds) one row of the tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref T c, bool accumulate, Vector512<T> v0, Vector512<T> v1, Vector512<T> v2)
    {
        var w = (nuint)Vector512<T>.Count;
        if (accumulate)
        {
            v0 += Vector512.LoadUnsafe(ref c);
            v1 += Vector512.LoadUnsafe(ref c, w);
            v2 += Vector512.LoadUnsafe(ref c, 2 * w);
        }
        v0.StoreUnsafe(ref c);
        v1.StoreUnsafe(ref c, w);
        v2.StoreUnsafe(ref c, 2 * w);
    }
}
