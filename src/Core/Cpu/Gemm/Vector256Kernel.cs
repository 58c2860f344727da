using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// The 256-bit micro-kernel (AVX2 with FMA, or any 256-bit SIMD) for float32 and float64 where
/// Vector512 is not accelerated: 6 rows by 2 vectors of columns, 12 accumulators of 16 ymm registers.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct Vector256Kernel<T> : IMicroKernel<T>
{
    /// <inheritdoc/>
    public static int Rows => 6;

    /// <inheritdoc/>
    public static int Columns => 2 * Vector256<T>.Count;

    /// <inheritdoc/>
    [MethodImpl(KernelCompilation.Hot)]
    public static void Multiply(int kc, ref T a, ref T b, ref T c, nint ldc, bool accumulate)
    {
        var w = (nuint)Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.LoadUnsafe(ref b);
            var b1 = Vector256.LoadUnsafe(ref b, w);
            var x = Vector256.Create(a);
            c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector256.Create(Unsafe.Add(ref a, 1));
            c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector256.Create(Unsafe.Add(ref a, 2));
            c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector256.Create(Unsafe.Add(ref a, 3));
            c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            x = Vector256.Create(Unsafe.Add(ref a, 4));
            c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
            x = Vector256.Create(Unsafe.Add(ref a, 5));
            c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
            a = ref Unsafe.Add(ref a, 6);
            b = ref Unsafe.Add(ref b, 2 * w);
        }
        Store(ref c, accumulate, c00, c01);
        Store(ref Unsafe.Add(ref c, ldc), accumulate, c10, c11);
        Store(ref Unsafe.Add(ref c, 2 * ldc), accumulate, c20, c21);
        Store(ref Unsafe.Add(ref c, 3 * ldc), accumulate, c30, c31);
        Store(ref Unsafe.Add(ref c, 4 * ldc), accumulate, c40, c41);
        Store(ref Unsafe.Add(ref c, 5 * ldc), accumulate, c50, c51);
    }

    /// <summary>x * y + z, fused where the hardware has FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma(Vector256<T> x, Vector256<T> y, Vector256<T> z)
    {
        if (!System.Runtime.Intrinsics.X86.Fma.IsSupported) return x * y + z;
        if (typeof(T) == typeof(float)) return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        throw new NotSupportedException($"dot_general: the 256-bit kernel takes float32 or float64, not {typeof(T).Name}");
    }

    /// <summary>Writes (or adds) one row of the tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref T c, bool accumulate, Vector256<T> v0, Vector256<T> v1)
    {
        var w = (nuint)Vector256<T>.Count;
        if (accumulate)
        {
            v0 += Vector256.LoadUnsafe(ref c);
            v1 += Vector256.LoadUnsafe(ref c, w);
        }
        v0.StoreUnsafe(ref c);
        v1.StoreUnsafe(ref c, w);
    }
}
