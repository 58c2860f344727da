using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives.LinearAlgebra;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>svd</c>: the CPU's one-sided (Hestenes) Jacobi on the tall problem (a
/// wide matrix transposed), the same rotations, stopping rule and ordering (descending, ties by
/// column), the vectors of negligible singular values and the full-matrices completion from the
/// standard basis as the CPU's, and all NaN for a matrix with a NaN or infinity; one work item
/// per matrix, in the working precision (<see cref="DecompositionCode"/>). The scratch holds the
/// columns being rotated, the rotations, the norms, u's columns and the right vectors.
/// </summary>
internal static class SvdKernel
{
    /// <summary>The kernel of equation <paramref name="equation"/>, an svd.</summary>
    public static KernelText Write(DecompositionCode code, ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var p = (SvdParams)app.Params;
        var shape = facts.AvalOf(app.Arguments[0]).Shape;
        var (m, n) = (shape[shape.Rank - 2], shape[shape.Rank - 1]);
        var k = Math.Min(m, n);
        var (uCols, vtRows) = p.FullMatrices ? (m, n) : (k, k);
        // a tall problem as it is; a wide one transposed: aᵀ = u' s v'ᵀ gives u = v', vᵀ = u'ᵀ
        var wide = m < n;
        var (rows, cols) = wide ? (n, m) : (m, n);
        var ucols = wide ? vtRows : uCols;
        var (zero, one) = (code.Literal(0), code.Literal(1));
        var scratch = 2L * rows * cols + 2L * cols * cols + 2L * cols + (long)ucols * rows + ucols + 2L * rows;
        // g[j * rows + i] = tall[i, j]: a's columns (tall a), or a's rows (wide a: the columns of aᵀ)
        var column = wide ? "in0[b * rows * cols + j * rows + i]" : "in0[b * rows * cols + i * cols + j]";
        var outputs = !p.ComputeUv ? "" : wide
            ? $$"""
                    // u = v' (m x m); vᵀ = u'ᵀ
                    for (long i = 0; i < {{m}}L; i++)
                        for (long r = 0; r < {{uCols}}L; r++) out1[b * {{(long)m * uCols}}L + i * {{uCols}}L + r] = v[i * cols + r];
                    for (long r = 0; r < {{vtRows}}L; r++)
                        for (long j = 0; j < {{n}}L; j++) out2[b * {{(long)vtRows * n}}L + r * {{n}}L + j] = uc[r * rows + j];

                """
            : $$"""
                    for (long i = 0; i < {{m}}L; i++)
                        for (long r = 0; r < {{uCols}}L; r++) out1[b * {{(long)m * uCols}}L + i * {{uCols}}L + r] = uc[r * rows + i];
                    for (long r = 0; r < {{vtRows}}L; r++)
                        for (long j = 0; j < {{n}}L; j++) out2[b * {{(long)vtRows * n}}L + r * {{n}}L + j] = v[j * cols + r];

                """;
        var nanOutputs = !p.ComputeUv ? "" : $$"""
                        for (long i = 0; i < {{(long)m * uCols}}L; i++) out1[b * {{(long)m * uCols}}L + i] = NAN;
                        for (long i = 0; i < {{(long)vtRows * n}}L; i++) out2[b * {{(long)vtRows * n}}L + i] = NAN;
            """;
        return code.Kernel(facts, equation, "svd", DecompositionCode.Matrices(shape), scratch, $$"""
                const long rows = {{rows}}L, cols = {{cols}}L, ucols = {{ucols}}L;
                __global real* g = ws;
                __global real* vc = g + rows * cols;
                __global real* squares = vc + cols * cols;
                __global real* norms = squares + cols;
                __global real* uc = norms + cols;
                __global real* known = uc + ucols * rows;
                __global real* candidate = known + ucols;
                __global real* best = candidate + rows;
                __global real* v = best + rows;
                for (long i = 0; i < rows * cols; i++)
                    if (!isfinite((real)in0[b * rows * cols + i])) {
                        // a NaN or infinity leaves no singular value or vector defined: all NaN, as LAPACK's
                        for (long r = 0; r < {{k}}L; r++) out0[b * {{k}}L + r] = NAN;
            {{nanOutputs}}
                        return;
                    }
                for (long j = 0; j < cols; j++)
                    for (long i = 0; i < rows; i++) g[j * rows + i] = (real){{column}};
                for (long i = 0; i < cols * cols; i++) vc[i] = {{zero}};
                for (long j = 0; j < cols; j++) vc[j * cols + j] = {{one}};
                for (int sweep = 0; sweep < 80; sweep++) {
                    int rotated = 0;
                    // the squared column norms, exact at each sweep's start and updated by each rotation
                    for (long j = 0; j < cols; j++) {
                        real sum = {{zero}};
                        for (long i = 0; i < rows; i++) sum += g[j * rows + i] * g[j * rows + i];
                        squares[j] = sum;
                    }
                    for (long p = 0; p < cols; p++)
                        for (long q = p + 1; q < cols; q++) {
                            __global real* cp = g + p * rows;
                            __global real* cq = g + q * rows;
                            const real alpha = squares[p], beta = squares[q];
                            real gamma = {{zero}};
                            for (long i = 0; i < rows; i++) gamma += cp[i] * cq[i];
                            if (!(fabs(gamma) > {{code.Threshold(1e-17)}} * sqrt(alpha * beta))) continue;
                            rotated = 1;
                            const real zeta = (beta - alpha) / ({{code.Literal(2)}} * gamma);
                            const real t = (zeta >= {{zero}} ? {{one}} : -{{one}}) / (fabs(zeta) + sqrt({{one}} + zeta * zeta));
                            const real c = {{one}} / sqrt({{one}} + t * t);
                            const real sn = c * t;
                            for (long i = 0; i < rows; i++) {
                                const real x = cp[i], y = cq[i];
                                cp[i] = c * x - sn * y;
                                cq[i] = sn * x + c * y;
                            }
                            for (long i = 0; i < cols; i++) {
                                const real x = vc[p * cols + i], y = vc[q * cols + i];
                                vc[p * cols + i] = c * x - sn * y;
                                vc[q * cols + i] = sn * x + c * y;
                            }
                            squares[p] = c * c * alpha - {{code.Literal(2)}} * c * sn * gamma + sn * sn * beta;
                            squares[q] = sn * sn * alpha + {{code.Literal(2)}} * c * sn * gamma + c * c * beta;
                        }
                    if (!rotated) break;
                }
                for (long j = 0; j < cols; j++) {
                    real sum = {{zero}};
                    for (long i = 0; i < rows; i++) sum += g[j * rows + i] * g[j * rows + i];
                    norms[j] = sqrt(sum);
                }
                // descending, ties by column (.NET's order: NaN below every number): column j goes to the place of its rank
                real largest = {{zero}};
                for (long j = 0; j < cols; j++) {
                    const real x = norms[j];
                    long rank = 0;
                    for (long i = 0; i < cols; i++) {
                        const real y = norms[i];
                        const int before = isnan(x) ? (!isnan(y) || i < j) : (!isnan(y) && (y > x || (y == x && i < j)));
                        rank += before;
                    }
                    if (rank == 0) largest = x;
                    squares[rank] = (real)j; // the squares are spent: they now hold the order
                }
                for (long r = 0; r < ucols; r++) known[r] = {{zero}};
                for (long r = 0; r < cols; r++) {
                    const long j = (long)squares[r];
                    out0[b * {{k}}L + r] = norms[j];
                    for (long i = 0; i < cols; i++) v[i * cols + r] = vc[j * cols + i];
                    if (norms[j] > {{code.Literal(Math.Max(rows, cols))}} * {{code.Threshold(1e-15)}} * largest && norms[j] > {{zero}}) {
                        for (long i = 0; i < rows; i++) uc[r * rows + i] = g[j * rows + i] / norms[j];
                        known[r] = {{one}};
                    }
                }
                // the missing columns of u: the standard basis vector whose part orthogonal to the known ones is largest
                for (long r = 0; r < ucols; r++) {
                    if (known[r] != {{zero}}) continue;
                    real bestNorm = -{{one}};
                    for (long e = 0; e < rows; e++) {
                        for (long i = 0; i < rows; i++) candidate[i] = i == e ? {{one}} : {{zero}};
                        for (int pass = 0; pass < 2; pass++)
                            for (long o = 0; o < ucols; o++) {
                                if (known[o] == {{zero}}) continue;
                                __global const real* other = uc + o * rows;
                                real dot = {{zero}};
                                for (long i = 0; i < rows; i++) dot += other[i] * candidate[i];
                                for (long i = 0; i < rows; i++) candidate[i] -= dot * other[i];
                            }
                        real norm = {{zero}};
                        for (long i = 0; i < rows; i++) norm += candidate[i] * candidate[i];
                        if (norm > bestNorm) {
                            bestNorm = norm;
                            for (long i = 0; i < rows; i++) best[i] = candidate[i];
                        }
                    }
                    const real scale = {{one}} / sqrt(bestNorm);
                    for (long i = 0; i < rows; i++) uc[r * rows + i] = best[i] * scale;
                    known[r] = {{one}};
                }
            {{outputs}}
            """);
    }
}
