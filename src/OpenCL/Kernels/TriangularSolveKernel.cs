using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives.LinearAlgebra;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>triangular_solve</c>: the CPU's forward or back substitution of each
/// right-hand side (the columns of b on the left side, its rows on the right side), one work item
/// per matrix, in the working precision (<see cref="DecompositionCode"/>); a zero on the diagonal
/// gives infinities or NaNs, as on the CPU.
/// </summary>
internal static class TriangularSolveKernel
{
    /// <summary>The kernel of equation <paramref name="equation"/>, a triangular_solve.</summary>
    public static KernelText Write(DecompositionCode code, ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var p = (TriangularSolveParams)app.Params;
        var b = app.Avals[0].Shape;
        var m = facts.AvalOf(app.Arguments[0]).Shape[b.Rank - 1];
        var (rows, cols) = (b[b.Rank - 2], b[b.Rank - 1]);
        var matrices = rows * cols == 0 ? 0 : b.Size / (rows * cols);
        // one left solve M y = c: M = op(a) on the left side, op(a)ᵀ on the right (as the CPU's Solve)
        var transposed = p.TransposeA != !p.LeftSide;
        var lowerM = p.Lower != transposed;
        var (rowStride, colStride) = transposed ? (1, m) : (m, 1);
        var (elemStride, rhsStride, rhsCount) = p.LeftSide ? (cols, 1, cols) : (1, cols, rows);
        var divide = p.UnitDiagonal ? "" : $" / (real)a[i * {m + 1}L]";
        return code.Kernel(facts, equation, "triangular_solve", matrices, (long)rows * cols, $$"""
                const long size = {{(long)rows * cols}}L;
                __global const {{IndexCode.Stored(app.Avals[0].DType)}}* a = in0 + b * {{(long)m * m}}L;
                __global real* x = ws;
                for (long i = 0; i < size; i++) x[i] = (real)in1[b * size + i];
                for (long c = 0; c < {{rhsCount}}L; c++) {
                    __global real* y = x + c * {{rhsStride}}L;
                    for (long step = 0; step < {{m}}L; step++) {
                        const long i = {{(lowerM ? "step" : $"{m - 1}L - step")}};
                        real sum = y[i * {{elemStride}}L];
                        for (long j = {{(lowerM ? "0" : "i + 1")}}; j < {{(lowerM ? "i" : $"{m}L")}}; j++) sum -= (real)a[i * {{rowStride}}L + j * {{colStride}}L] * y[j * {{elemStride}}L];
                        y[i * {{elemStride}}L] = sum{{divide}};
                    }
                }
                for (long i = 0; i < size; i++) out0[b * size + i] = x[i];

            """);
    }
}
