using System.Numerics;
using System.Runtime.Intrinsics;
using JaxSharp.Cpu.Gemm;

namespace JaxSharp.Cpu;

/// <summary>
/// The CPU kernel of <c>dot_general</c>: batched products <c>C[b] = A[b] B[b]</c> into a row-major
/// <c>[batch, m, n]</c> output, with the operands in any layout (the packing of
/// <see cref="BlockedGemm{T, TKernel}"/> reads them in place, so <c>x @ x.T</c> copies nothing).
/// float32 and float64 run the AVX-512 micro-kernel, or the 256-bit one where Vector512 is not
/// accelerated; integers run the same blocked driver with the scalar micro-kernel.
/// </summary>
internal static class MatMulKernel
{
    /// <summary>The multiply-adds from which a product (or a batch of them) is worth spreading over cores (about 5 µs on one).</summary>
    private const long ParallelWork = 1 << 20;

    /// <summary>A product's operands: the lhs with rows m and columns k, the rhs with rows k and columns n.</summary>
    public sealed record Plan(GemmOperand Lhs, GemmOperand Rhs)
    {
        /// <summary>The number of independent products.</summary>
        public int Batch => Lhs.Batch.Length;

        /// <summary>The rows of each product.</summary>
        public int M => Lhs.Rows.Length;

        /// <summary>The contracted length.</summary>
        public int K => Lhs.Columns.Length;

        /// <summary>The columns of each product.</summary>
        public int N => Rhs.Columns.Length;
    }

    /// <summary>
    /// Runs the product of <paramref name="lhs"/> and <paramref name="rhs"/> into <paramref name="output"/>, converting the operands to its element type first.
    /// <paramref name="rowsDone"/> (an epilogue) is called with (first row, row count) of the
    /// <c>[batch x m, n]</c> output for each finished block of rows, on the core that finished it,
    /// where the blocked product of one matrix runs; else once with all rows after the product.
    /// </summary>
    public static void Run(Plan plan, Array lhs, Array rhs, Array output, Action<int, int>? rowsDone = null)
    {
        switch (output)
        {
            // Operands of the output's type skip Convert, whose INumber<T> constraint keeps crossgen2 from precompiling it.
            case float[] f: Multiply(plan, lhs as float[] ?? Convert<float>(lhs), rhs as float[] ?? Convert<float>(rhs), f, rowsDone); break;
            case double[] d: Multiply(plan, lhs as double[] ?? Convert<double>(lhs), rhs as double[] ?? Convert<double>(rhs), d, rowsDone); break;
            case int[] i: Batched<int, ScalarKernel<int>>(plan, Convert<int>(lhs), Convert<int>(rhs), i, rowsDone); break;
            case uint[] u: Batched<uint, ScalarKernel<uint>>(plan, Convert<uint>(lhs), Convert<uint>(rhs), u, rowsDone); break;
            default: throw new NotSupportedException($"dot_general: {output.GetType().Name}");
        }
    }

    /// <summary>
    /// A float product: thin ones (a side below the micro-kernel's tile)
    /// on <see cref="ThinProduct"/>'s loops, the rest on the widest accelerated micro-kernel.
    /// </summary>
    /// <remarks>
    /// <typeparamref name="T"/> is unconstrained so that crossgen2 precompiles the float32 and
    /// float64 instantiations of this method and the kernels behind it.
    /// </remarks>
    internal static void Multiply<T>(Plan plan, T[] a, T[] b, T[] c, Action<int, int>? rowsDone = null)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            if (!ThinProduct.TryMultiply(plan, a, b, c, Vector512Kernel<T>.Rows, Vector512Kernel<T>.Columns)) Batched<T, Vector512Kernel<T>>(plan, a, b, c, rowsDone);
            else rowsDone?.Invoke(0, plan.Batch * plan.M);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            if (!ThinProduct.TryMultiply(plan, a, b, c, Vector256Kernel<T>.Rows, Vector256Kernel<T>.Columns)) Batched<T, Vector256Kernel<T>>(plan, a, b, c, rowsDone);
            else rowsDone?.Invoke(0, plan.Batch * plan.M);
        }
        else Portable(plan, a, b, c, rowsDone);
    }

    /// <summary>Hardware without 256-bit SIMD: the scalar micro-kernel, whose <c>INumber&lt;T&gt;</c> arithmetic needs the element type spelled out.</summary>
    private static void Portable<T>(Plan plan, T[] a, T[] b, T[] c, Action<int, int>? rowsDone)
    {
        switch (c)
        {
            case float[] f: Batched<float, ScalarKernel<float>>(plan, (float[])(object)a, (float[])(object)b, f, rowsDone); break;
            case double[] d: Batched<double, ScalarKernel<double>>(plan, (double[])(object)a, (double[])(object)b, d, rowsDone); break;
            case int[] i when i.GetType() == typeof(int[]): Batched<int, ScalarKernel<int>>(plan, (int[])(object)a, (int[])(object)b, i, rowsDone); break;
            case uint[] u: Batched<uint, ScalarKernel<uint>>(plan, (uint[])(object)a, (uint[])(object)b, u, rowsDone); break;
            default: throw new NotSupportedException($"dot_general: {typeof(T).Name}");
        }
    }

    /// <summary>
    /// All products of the batch with the micro-kernel <typeparamref name="TKernel"/>: one after
    /// another, each on all cores, when each is large; spread over the cores when only the batch is.
    /// </summary>
    internal static void Batched<T, TKernel>(Plan plan, T[] a, T[] b, T[] c, Action<int, int>? rowsDone = null) where TKernel : IMicroKernel<T>
    {
        var work = (long)plan.M * plan.N * plan.K;
        var eachParallel = work >= ParallelWork && Environment.ProcessorCount > 1;
        if (plan.Batch == 1)
            BlockedGemm<T, TKernel>.Multiply(a, plan.Lhs, b, plan.Rhs, c, 0, eachParallel, rowsDone);
        else if (!eachParallel && work * plan.Batch >= ParallelWork)
            Parallel.For(0, plan.Batch, i => BlockedGemm<T, TKernel>.Multiply(a, plan.Lhs, b, plan.Rhs, c, i, parallel: false));
        else
            for (var i = 0; i < plan.Batch; i++) BlockedGemm<T, TKernel>.Multiply(a, plan.Lhs, b, plan.Rhs, c, i, eachParallel);
        if (plan.Batch != 1) rowsDone?.Invoke(0, plan.Batch * plan.M);
    }

    /// <summary>The operand in element type <typeparamref name="T"/> (same layout): itself when it already is.</summary>
    private static T[] Convert<T>(Array x) where T : INumber<T> => x switch
    {
        T[] same => same,
        float[] f => Array.ConvertAll(f, T.CreateTruncating),
        double[] d => Array.ConvertAll(d, T.CreateTruncating),
        int[] i => Array.ConvertAll(i, T.CreateTruncating),
        uint[] u => Array.ConvertAll(u, T.CreateTruncating),
        _ => throw new NotSupportedException($"dot_general: {x.GetType().Name}"),
    };
}
