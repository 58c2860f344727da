using System.Numerics;
using System.Runtime.CompilerServices;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// The portable micro-kernel: 4 x 4 scalar accumulators, for hardware without 256-bit SIMD
/// and for checking the blocked driver independently of the vector kernels.
/// </summary>
/// <typeparam name="T">Any numeric element type.</typeparam>
internal readonly struct ScalarKernel<T> : IMicroKernel<T> where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public static int Rows => 4;

    /// <inheritdoc/>
    public static int Columns => 4;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(int kc, ref T a, ref T b, ref T c, nint ldc, bool accumulate)
    {
        Span<T> tile = stackalloc T[16];
        for (var p = 0; p < kc; p++)
        {
            for (var r = 0; r < 4; r++)
            {
                var x = Unsafe.Add(ref a, r);
                for (var j = 0; j < 4; j++) tile[r * 4 + j] += x * Unsafe.Add(ref b, j);
            }
            a = ref Unsafe.Add(ref a, 4);
            b = ref Unsafe.Add(ref b, 4);
        }
        for (var r = 0; r < 4; r++)
            for (var j = 0; j < 4; j++)
            {
                ref var target = ref Unsafe.Add(ref c, r * ldc + j);
                target = accumulate ? target + tile[r * 4 + j] : tile[r * 4 + j];
            }
    }
}
