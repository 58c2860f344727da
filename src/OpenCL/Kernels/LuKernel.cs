using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>lu</c>: the CPU's LU with partial pivoting (LAPACK's getrf: the first
/// row of largest magnitude in the column is the pivot, a zero pivot is left in U), one work
/// item per matrix, in the working precision (<see cref="DecompositionCode"/>); the same lu,
/// pivots and permutation as the CPU.
/// </summary>
internal static class LuKernel
{
    /// <summary>The kernel of equation <paramref name="equation"/>, an lu.</summary>
    public static KernelText Write(DecompositionCode code, ProgramFacts facts, int equation)
    {
        var shape = facts.Application(equation).Avals[0].Shape;
        var (m, n) = (shape[shape.Rank - 2], shape[shape.Rank - 1]);
        var k = Math.Min(m, n);
        return code.Kernel(facts, equation, "lu", DecompositionCode.Matrices(shape), (long)m * n, $$"""
                const long m = {{m}}L, n = {{n}}L, k = {{k}}L;
                __global real* a = ws;
                __global int* pivots = out1 + b * k;
                __global int* permutation = out2 + b * m;
                for (long i = 0; i < m * n; i++) a[i] = (real)in0[b * m * n + i];
                for (long i = 0; i < m; i++) permutation[i] = (int)i;
                for (long j = 0; j < k; j++) {
                    long p = j;
                    for (long i = j + 1; i < m; i++)
                        if (fabs(a[i * n + j]) > fabs(a[p * n + j])) p = i;
                    pivots[j] = (int)p;
                    if (p != j) {
                        for (long c = 0; c < n; c++) { const real t = a[p * n + c]; a[p * n + c] = a[j * n + c]; a[j * n + c] = t; }
                        const int t = permutation[p]; permutation[p] = permutation[j]; permutation[j] = t;
                    }
                    const real pivot = a[j * n + j];
                    if (pivot == {{code.Literal(0)}}) continue;
                    for (long i = j + 1; i < m; i++) {
                        // l_ij = a_ij / u_jj; row i -= l_ij * row j (right of the diagonal)
                        const real l = a[i * n + j] /= pivot;
                        for (long c = j + 1; c < n; c++) a[i * n + c] += -l * a[j * n + c];
                    }
                }
                for (long i = 0; i < m * n; i++) out0[b * m * n + i] = a[i];

            """);
    }
}
