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
/// so transposed or multi-axis operands are read in place. A work group computes one output
/// tile, staging slices of both operands in local memory (read along whichever axis is
/// contiguous in memory, so that neighbouring work items read neighbouring addresses); each work
/// item keeps a block of accumulators in registers, its columns as vectors. The sizes are a
/// <see cref="DotTiling"/>, chosen per device class.
/// </summary>
internal static class DotGeneralKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "dot_general";

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a dot_general, for <paramref name="device"/> (named in errors), tiled as <paramref name="tiling"/>.</summary>
    public static KernelText Write(ProgramFacts facts, int equation, string device, DotTiling tiling)
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
        var (tn, tm, rows, vectors, width, depth) = (tiling.ThreadsN, tiling.ThreadsM, tiling.RowsPerItem, tiling.VectorsPerItem, tiling.VectorWidth, tiling.Depth);
        var (tileM, tileN, threads) = (tiling.TileM, tiling.TileN, tiling.WorkGroupSize);
        var vector = width == 1 ? accumulator : accumulator + width;
        var loadY = width == 1 ? $"bs[kk][tx + j * {tn}]" : $"vload{width}(tx + j * {tn}, bs[kk])";
        // stage each slice along the operand's contiguous axis, so that neighbouring work items read neighbouring addresses
        var (lhsAlongK, rhsAlongK) = (Contiguous(a.Columns) && !Contiguous(a.Rows), Contiguous(b.Rows) && !Contiguous(b.Columns));
        var source = $$"""
            {{OpenCLPrelude.For(float64)}}__kernel __attribute__((reqd_work_group_size({{tn}}, {{tm}}, 1)))
            void {{Name}}(__global const {{Stored(lhs.DType)}}* restrict lhs, __global const {{Stored(rhs.DType)}}* restrict rhs, __global {{Stored(output.DType)}}* restrict out,
                __global const int* lhsBatch, __global const int* lhsRows, __global const int* lhsColumns,
                __global const int* rhsBatch, __global const int* rhsRows, __global const int* rhsColumns) {
                const int M = {{m}}, N = {{n}}, K = {{k}};
                __local {{accumulator}} as[{{depth}}][{{tileM}}];
                __local {{accumulator}} bs[{{depth}}][{{tileN}}];
                {{vector}} acc[{{rows}}][{{vectors}}];
                for (int i = 0; i < {{rows}}; i++) for (int j = 0; j < {{vectors}}; j++) acc[i][j] = 0;
                const int tx = get_local_id(0), ty = get_local_id(1), t = ty * {{tn}} + tx;
                const int n0 = get_group_id(0) * {{tileN}}, m0 = get_group_id(1) * {{tileM}}, b = get_global_id(2);
                const int lhsBase = lhsBatch[b], rhsBase = rhsBatch[b];
                for (int k0 = 0; k0 < K; k0 += {{depth}}) {
                    for (int e = t; e < {{depth * tileM}}; e += {{threads}}) {
                        const int kk = {{(lhsAlongK ? $"e % {depth}" : $"e / {tileM}")}}, ii = {{(lhsAlongK ? $"e / {depth}" : $"e % {tileM}")}};
                        as[kk][ii] = k0 + kk < K && m0 + ii < M ? ({{accumulator}})lhs[lhsBase + lhsRows[m0 + ii] + lhsColumns[k0 + kk]] : 0;
                    }
                    for (int e = t; e < {{depth * tileN}}; e += {{threads}}) {
                        const int kk = {{(rhsAlongK ? $"e % {depth}" : $"e / {tileN}")}}, jj = {{(rhsAlongK ? $"e / {depth}" : $"e % {tileN}")}};
                        bs[kk][jj] = k0 + kk < K && n0 + jj < N ? ({{accumulator}})rhs[rhsBase + rhsRows[k0 + kk] + rhsColumns[n0 + jj]] : 0;
                    }
                    barrier(CLK_LOCAL_MEM_FENCE);
                    for (int kk = 0; kk < {{depth}}; kk++) {
                        {{accumulator}} x[{{rows}}];
                        {{vector}} y[{{vectors}}];
                        for (int i = 0; i < {{rows}}; i++) x[i] = as[kk][ty + i * {{tm}}];
                        for (int j = 0; j < {{vectors}}; j++) y[j] = {{loadY}};
                        for (int i = 0; i < {{rows}}; i++) for (int j = 0; j < {{vectors}}; j++) acc[i][j] += x[i] * y[j];
                    }
                    barrier(CLK_LOCAL_MEM_FENCE);
                }
                for (int i = 0; i < {{rows}}; i++) for (int j = 0; j < {{vectors}}; j++) {
                    {{accumulator}} lanes[{{width}}];
                    {{(width == 1 ? "lanes[0] = acc[i][j];" : $"vstore{width}(acc[i][j], 0, lanes);")}}
                    const int row = m0 + ty + i * {{tm}};
                    for (int v = 0; v < {{width}}; v++) {
                        const int column = n0 + (tx + j * {{tn}}) * {{width}} + v;
                        if (row < M && column < N) out[((long)b * M + row) * N + column] = {{Store(output.DType)}};
                    }
                }
            }

            """;
        var groups = new[] { CeilDiv(n, tileN) * tn, CeilDiv(m, tileM) * tm, batch };
        return new KernelText(source, [lhsAtom, rhsAtom], [facts.Jaxpr.Equations[equation].Variable], [output],
            (long)batch * m * n, Name, [Table(a.Batch), Table(a.Rows), Table(a.Columns), Table(b.Batch), Table(b.Rows), Table(b.Columns)],
            new LaunchRange([.. groups.Select(g => (long)g)], [tn, tm, 1]));
    }

    /// <summary>Whether consecutive indices of an offset table are consecutive elements in memory.</summary>
    private static bool Contiguous(int[] offsets)
    {
        for (var i = 1; i < offsets.Length; i++)
            if (offsets[i] != offsets[i - 1] + 1) return false;
        return offsets.Length > 1;
    }

    private static string Stored(DType dtype) => dtype == DType.Bool ? "uchar" : OpenCLPrinter.TypeOf(dtype.ClrType());

    private static string Store(DType dtype) => dtype == DType.Int32 ? "as_int(lanes[v])" : "lanes[v]";

    private static int CeilDiv(int x, int y) => (x + y - 1) / y;

    /// <summary>An offset table, with one element at least (a buffer cannot be empty; an empty table is never read).</summary>
    private static int[] Table(int[] offsets) => offsets.Length == 0 ? [0] : offsets;
}
