using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives.LinearAlgebra;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>qr</c>: the CPU's Householder QR (LAPACK's geqrf and orgqr: each
/// reflector maps its column to beta e₁ with beta of the opposite sign to the diagonal entry,
/// so R's diagonal has the CPU's signs), one work item per matrix, in the working precision
/// (<see cref="DecompositionCode"/>). The scratch holds the working matrix, the reflectors
/// (zero for a zero column: no reflection, as the CPU's), one row of products and q.
/// </summary>
internal static class QrKernel
{
    /// <summary>The kernel of equation <paramref name="equation"/>, a qr.</summary>
    public static KernelText Write(DecompositionCode code, ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var shape = facts.AvalOf(app.Arguments[0]).Shape;
        var (m, n) = (shape[shape.Rank - 2], shape[shape.Rank - 1]);
        var k = Math.Min(m, n);
        var qcols = ((QrParams)app.Params).FullMatrices ? m : k;
        var width = Math.Max(n, qcols);
        var zero = code.Literal(0);
        // Reflect(v_j, x, from = j, cols, firstColumn) of the CPU: x -= 2 v (vᵀ x) / (vᵀ v) on rows j.., columns firstColumn..
        string Reflect(string x, string cols, string firstColumn) => $$"""
                        {
                            __global const real* v = vs + j * m;
                            real vv = {{zero}};
                            for (long i = 0; i < m - j; i++) vv += v[i] * v[i];
                            if (vv != {{zero}}) {
                                for (long c = {{firstColumn}}; c < {{cols}}; c++) w[c] = {{zero}};
                                for (long i = 0; i < m - j; i++)
                                    for (long c = {{firstColumn}}; c < {{cols}}; c++) w[c] += v[i] * {{x}}[(j + i) * {{cols}} + c];
                                for (long i = 0; i < m - j; i++) {
                                    const real f = {{code.Literal(2)}} * v[i] / vv;
                                    for (long c = {{firstColumn}}; c < {{cols}}; c++) {{x}}[(j + i) * {{cols}} + c] -= f * w[c];
                                }
                            }
                        }
            """;
        return code.Kernel(facts, equation, "qr", DecompositionCode.Matrices(shape), (long)m * n + (long)k * m + width + (long)m * qcols, $$"""
                const long m = {{m}}L, n = {{n}}L, k = {{k}}L, qcols = {{qcols}}L;
                __global real* a = ws;
                __global real* vs = a + m * n;
                __global real* w = vs + k * m;
                __global real* q = w + {{width}}L;
                for (long i = 0; i < m * n; i++) a[i] = (real)in0[b * m * n + i];
                for (long i = 0; i < k * m; i++) vs[i] = {{zero}};
                for (long j = 0; j < k; j++) {
                    real norm = {{zero}};
                    for (long i = j; i < m; i++) norm += a[i * n + j] * a[i * n + j];
                    norm = sqrt(norm);
                    if (norm == {{zero}}) continue;
                    const real beta = a[j * n + j] >= {{zero}} ? -norm : norm;
                    // v = x - beta e1; H = I - 2 v vᵀ / (vᵀ v)
                    for (long i = j; i < m; i++) vs[j * m + i - j] = a[i * n + j];
                    vs[j * m] -= beta;
            {{Reflect("a", "n", "j")}}
                }
                for (long i = 0; i < qcols; i++)
                    for (long c = 0; c < n; c++) out1[b * qcols * n + i * n + c] = c >= i ? a[i * n + c] : {{zero}};
                // q = H_0 H_1 ... H_{k-1} applied to the leading qcols columns of I
                for (long i = 0; i < m * qcols; i++) q[i] = {{zero}};
                for (long i = 0; i < min(m, qcols); i++) q[i * qcols + i] = {{code.Literal(1)}};
                for (long j = k - 1; j >= 0; j--) {
            {{Reflect("q", "qcols", "0")}}
                }
                for (long i = 0; i < m * qcols; i++) out0[b * m * qcols + i] = q[i];

            """);
    }
}
