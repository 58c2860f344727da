using System.Linq.Expressions;
using JaxSharp.Cpu;
using JaxSharp.Cpu.Gemm;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives.LinearAlgebra;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>dot_general</c>: batched products <c>C[b] = A[b] B[b]</c> into a
/// row-major <c>[batch, m, n]</c> output, with the operands in any layout. The operands are
/// canonicalised as on the CPU (<see cref="GemmOperand"/>: batch, row and column offset tables),
/// so transposed or multi-axis operands are read in place. Each work group of 16 x 16 work items
/// computes a 64 x 64 tile of the output, staging 16-deep slices of both operands in local
/// memory; each work item keeps a 4 x 4 block of accumulators in registers.
/// </summary>
internal static class DotGeneralKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "dot_general";

    /// <summary>Work items along each side of a work group.</summary>
    private const int Threads = 16;

    /// <summary>Outputs per work item along each side (the register block).</summary>
    private const int Block = 4;

    /// <summary>The output tile of a work group along each side.</summary>
    private const int Tile = Threads * Block;

    /// <summary>The depth of the contracted slice staged in local memory.</summary>
    private const int Depth = 16;

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a dot_general, for <paramref name="device"/> (named in errors).</summary>
    public static KernelText Write(ProgramFacts facts, int equation, string device)
    {
        var app = facts.Application(equation);
        var dims = ((DotGeneralParams)app.Params).DimensionNumbers;
        var (lhsAtom, rhsAtom) = (app.Arguments[0], app.Arguments[1]);
        var (lhs, rhs) = (facts.AvalOf(lhsAtom), facts.AvalOf(rhsAtom));
        var output = app.Avals[0];
        var accumulator = output.DType switch
        {
            DType.Float32 => "float",
            DType.Float64 => "double",
            DType.Int32 or DType.UInt32 => "uint", // wraps as the CPU's two's complement arithmetic does
            _ => throw new NotSupportedException(
                $"dot_general: no OpenCL kernel on {device} for a {output.DType} result (float32, float64, int32 and uint32 run). " +
                "Convert the operands first (Np.AsType(x, DType.Float32)) or run it on the CPU: Jax.DevicePut(x, Jax.Devices(\"cpu\")[0]) (F#: devicePut).")
        };
        var lhsFree = DotGeneral.FreeAxes(lhs.Rank, dims.LhsContracting, dims.LhsBatch);
        var rhsFree = DotGeneral.FreeAxes(rhs.Rank, dims.RhsContracting, dims.RhsBatch);
        var a = new GemmOperand(lhs.Shape, dims.LhsBatch, lhsFree, dims.LhsContracting);
        var b = new GemmOperand(rhs.Shape, dims.RhsBatch, dims.RhsContracting, rhsFree);
        var (batch, m, k, n) = (a.Batch.Length, a.Rows.Length, a.Columns.Length, b.Columns.Length);
        var float64 = new[] { lhs, rhs, output }.Any(v => v.DType == DType.Float64);
        var source = $$"""
            {{OpenCLPrelude.For(float64)}}__kernel __attribute__((reqd_work_group_size({{Threads}}, {{Threads}}, 1)))
            void {{Name}}(__global const {{Stored(lhs.DType)}}* restrict lhs, __global const {{Stored(rhs.DType)}}* restrict rhs, __global {{Stored(output.DType)}}* restrict out,
                __global const int* lhsBatch, __global const int* lhsRows, __global const int* lhsColumns,
                __global const int* rhsBatch, __global const int* rhsRows, __global const int* rhsColumns) {
                const int M = {{m}}, N = {{n}}, K = {{k}};
                __local {{accumulator}} as[{{Depth}}][{{Tile}}];
                __local {{accumulator}} bs[{{Depth}}][{{Tile}}];
                {{accumulator}} acc[{{Block}}][{{Block}}];
                for (int i = 0; i < {{Block}}; i++) for (int j = 0; j < {{Block}}; j++) acc[i][j] = 0;
                const int tx = get_local_id(0), ty = get_local_id(1), t = ty * {{Threads}} + tx;
                const int n0 = get_group_id(0) * {{Tile}}, m0 = get_group_id(1) * {{Tile}}, b = get_global_id(2);
                const int lhsBase = lhsBatch[b], rhsBase = rhsBatch[b];
                for (int k0 = 0; k0 < K; k0 += {{Depth}}) {
                    for (int e = t; e < {{Depth * Tile}}; e += {{Threads * Threads}}) {
                        const int kk = e / {{Tile}}, ii = e % {{Tile}};
                        const bool inK = k0 + kk < K;
                        as[kk][ii] = inK && m0 + ii < M ? ({{accumulator}})lhs[lhsBase + lhsRows[m0 + ii] + lhsColumns[k0 + kk]] : 0;
                        bs[kk][ii] = inK && n0 + ii < N ? ({{accumulator}})rhs[rhsBase + rhsRows[k0 + kk] + rhsColumns[n0 + ii]] : 0;
                    }
                    barrier(CLK_LOCAL_MEM_FENCE);
                    for (int kk = 0; kk < {{Depth}}; kk++) {
                        {{accumulator}} x[{{Block}}], y[{{Block}}];
                        for (int i = 0; i < {{Block}}; i++) x[i] = as[kk][ty + i * {{Threads}}];
                        for (int j = 0; j < {{Block}}; j++) y[j] = bs[kk][tx + j * {{Threads}}];
                        for (int i = 0; i < {{Block}}; i++) for (int j = 0; j < {{Block}}; j++) acc[i][j] += x[i] * y[j];
                    }
                    barrier(CLK_LOCAL_MEM_FENCE);
                }
                for (int i = 0; i < {{Block}}; i++) for (int j = 0; j < {{Block}}; j++) {
                    const int row = m0 + ty + i * {{Threads}}, column = n0 + tx + j * {{Threads}};
                    if (row < M && column < N) out[((long)b * M + row) * N + column] = {{Store(output.DType)}};
                }
            }

            """;
        var groups = new[] { CeilDiv(n, Tile) * Threads, CeilDiv(m, Tile) * Threads, batch };
        return new KernelText(source, [lhsAtom, rhsAtom], [facts.Jaxpr.Equations[equation].Variable], [output],
            (long)batch * m * n, Name, [Table(a.Batch), Table(a.Rows), Table(a.Columns), Table(b.Batch), Table(b.Rows), Table(b.Columns)],
            new LaunchRange([.. groups.Select(g => (long)g)], [Threads, Threads, 1]));
    }

    private static string Stored(DType dtype) => dtype == DType.Bool ? "uchar" : OpenCLPrinter.TypeOf(dtype.ClrType());

    private static string Store(DType dtype) => dtype == DType.Int32 ? "as_int(acc[i][j])" : "acc[i][j]";

    private static int CeilDiv(int x, int y) => (x + y - 1) / y;

    /// <summary>An offset table, with one element at least (a buffer cannot be empty; an empty table is never read).</summary>
    private static int[] Table(int[] offsets) => offsets.Length == 0 ? [0] : offsets;
}
