using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives.LinearAlgebra;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>eigh</c>: the CPU's cyclic Jacobi (the same rotations in the same
/// order, the same stopping rule, at most 80 sweeps), the eigenvalues sorted ascending with
/// their vectors (stable, NaNs last), and all NaN for a matrix with a NaN or infinity; one work
/// item per matrix, in the working precision (<see cref="DecompositionCode"/>). The scratch holds
/// the working matrix and the eigenvectors as rows.
/// </summary>
internal static class EighKernel
{
    /// <summary>The kernel of equation <paramref name="equation"/>, an eigh.</summary>
    public static KernelText Write(DecompositionCode code, ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var shape = app.Avals[0].Shape;
        var n = shape[shape.Rank - 1];
        var lower = ((EighParams)app.Params).Lower;
        var (zero, one) = (code.Literal(0), code.Literal(1));
        return code.Kernel(facts, equation, "eigh", n == 0 ? 0 : shape.Size / (n * n), 2L * n * n, $$"""
                const long n = {{n}}L;
                __global real* a = ws;
                __global real* vt = ws + n * n;
                __global {{IndexCode.Stored(app.Avals[0].DType)}}* v = out0 + b * n * n;
                __global {{IndexCode.Stored(app.Avals[1].DType)}}* w = out1 + b * n;
                for (long i = 0; i < n * n; i++) a[i] = (real)in0[b * n * n + i];
                // the symmetric matrix of the triangle that is read
                for (long i = 0; i < n; i++)
                    for (long j = 0; j < i; j++) {{(lower ? "a[j * n + i] = a[i * n + j];" : "a[i * n + j] = a[j * n + i];")}}
                real total = {{zero}};
                for (long i = 0; i < n * n; i++) total += a[i] * a[i];
                if (!isfinite(total)) {
                    // a NaN or infinity leaves no eigenvalue or vector defined: all NaN, as LAPACK's
                    for (long i = 0; i < n; i++) w[i] = NAN;
                    for (long i = 0; i < n * n; i++) v[i] = NAN;
                    return;
                }
                for (long i = 0; i < n * n; i++) vt[i] = {{zero}};
                for (long i = 0; i < n; i++) vt[i * n + i] = {{one}};
                for (int sweep = 0; sweep < 80; sweep++) {
                    real off = {{zero}};
                    for (long p = 0; p < n; p++)
                        for (long q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
                    if (!(off > {{code.Threshold(1e-34, onSquares: true)}} * total)) break;
                    for (long p = 0; p < n; p++)
                        for (long q = p + 1; q < n; q++) {
                            const real apq = a[p * n + q];
                            if (apq == {{zero}}) continue;
                            // the rotation (c, s) with t = tan that zeroes a_pq
                            const real theta = (a[q * n + q] - a[p * n + p]) / ({{code.Literal(2)}} * apq);
                            const real t = (theta >= {{zero}} ? {{one}} : -{{one}}) / (fabs(theta) + sqrt(theta * theta + {{one}}));
                            const real c = {{one}} / sqrt(t * t + {{one}});
                            const real s = t * c;
                            const real app = a[p * n + p], aqq = a[q * n + q];
                            for (long i = 0; i < n; i++) {
                                const real x = a[p * n + i], y = a[q * n + i];
                                a[p * n + i] = c * x - s * y;
                                a[q * n + i] = s * x + c * y;
                            }
                            a[p * n + p] = app - t * apq;
                            a[q * n + q] = aqq + t * apq;
                            a[p * n + q] = a[q * n + p] = {{zero}};
                            for (long i = 0; i < n; i++) {
                                a[i * n + p] = a[p * n + i];
                                a[i * n + q] = a[q * n + i];
                            }
                            for (long i = 0; i < n; i++) {
                                const real x = vt[p * n + i], y = vt[q * n + i];
                                vt[p * n + i] = c * x - s * y;
                                vt[q * n + i] = s * x + c * y;
                            }
                        }
                }
                // ascending, stable, NaNs last: eigenvalue i goes to the place of its rank
                for (long i = 0; i < n; i++) {
                    const real x = a[i * n + i];
                    long rank = 0;
                    for (long j = 0; j < n; j++) {
                        const real y = a[j * n + j];
                        const int before = isnan(y) ? (isnan(x) && j < i) : (isnan(x) || y < x || (y == x && j < i));
                        rank += before;
                    }
                    w[rank] = x;
                    for (long r = 0; r < n; r++) v[r * n + rank] = vt[i * n + r];
                }

            """);
    }
}
