using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// Completes a symmetric product of which only the lower triangle was computed: copies each
/// value below the diagonal of a square row-major matrix onto its mirror image above it. float32
/// blocks of 16 x 16 wholly below the diagonal are transposed in registers
/// (<see cref="RegisterTranspose"/>); the rest goes value by value. Scalar, the copy costs about
/// a tenth of a 1000 x 1000 product; in registers, a few hundredths.
/// </summary>
internal static class SymmetricMirror
{
    private const int Block = 16;

    /// <summary>Mirrors the lower triangle of the <paramref name="n"/> x <paramref name="n"/> matrix at <paramref name="origin"/> onto its upper triangle.</summary>
    public static void LowerToUpper<T>(T[] c, int origin, int n, bool parallel)
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
                    RegisterTranspose.Block16(ref Unsafe.As<T, float>(ref Unsafe.Add(ref matrix, left * n + top)), (nuint)n, Block,
                        ref Unsafe.As<T, float>(ref Unsafe.Add(ref matrix, top * n + left)), (nuint)n);
                else
                    for (var i = top; i < top + rows; i++)
                        for (var j = Math.Max(i + 1, left); j < left + columns; j++)
                            Unsafe.Add(ref matrix, i * n + j) = Unsafe.Add(ref matrix, j * n + i);
            }
        }
        if (parallel) Parallel.For(0, blocks, BlockRow);
        else for (var bj = 0; bj < blocks; bj++) BlockRow(bj);
    }
}
