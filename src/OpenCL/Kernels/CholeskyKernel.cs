using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>cholesky</c>: the CPU's Cholesky-Banachiewicz factorization of each
/// matrix (symmetrized first, the upper triangle zero, all NaN when the matrix is not positive
/// definite), one work item per matrix, in the working precision (<see cref="DecompositionCode"/>).
/// </summary>
internal static class CholeskyKernel
{
    /// <summary>The kernel of equation <paramref name="equation"/>, a cholesky.</summary>
    public static KernelText Write(DecompositionCode code, ProgramFacts facts, int equation)
    {
        var shape = facts.Application(equation).Avals[0].Shape;
        var n = shape[shape.Rank - 1];
        var matrices = n == 0 ? 0 : shape.Size / (n * n);
        return code.Kernel(facts, equation, "cholesky", matrices, (long)n * n, $$"""
                const long n = {{n}}L;
                __global real* a = ws;
                for (long i = 0; i < n * n; i++) a[i] = (real)in0[b * n * n + i];
                // symmetrize: (a + aᵀ) / 2
                for (long i = 0; i < n; i++)
                    for (long j = 0; j < i; j++)
                        a[i * n + j] = a[j * n + i] = (a[i * n + j] + a[j * n + i]) / {{code.Literal(2)}};
                int failed = 0;
                for (long i = 0; i < n && !failed; i++) {
                    for (long j = 0; j <= i && !failed; j++) {
                        real sum = a[i * n + j];
                        for (long k = 0; k < j; k++) sum -= a[i * n + k] * a[j * n + k];
                        if (i == j) {
                            if (!(sum > {{code.Literal(0)}})) failed = 1;
                            else a[i * n + i] = sqrt(sum);
                        }
                        else a[i * n + j] = sum / a[j * n + j];
                    }
                    for (long j = i + 1; j < n; j++) a[i * n + j] = {{code.Literal(0)}};
                }
                for (long i = 0; i < n * n; i++) out0[b * n * n + i] = failed ? NAN : a[i];

            """);
    }
}
