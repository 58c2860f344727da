using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives.Reductions;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>reduce_and</c> and <c>reduce_or</c> over bool arrays (stored one byte
/// each): one work item per output element walks its group (the CPU's group start and offset
/// tables) and stops at the first element that decides the result, as the CPU's kernel.
/// </summary>
internal static class LogicalReductionKernel
{
    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a reduce_and or reduce_or.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var absorbing = app.Primitive switch
        {
            ReduceAnd => "0",
            ReduceOr => "1",
            _ => throw new ArgumentException($"logical reduction: {app.Primitive.Name} has no kernel here"),
        };
        var shape = facts.AvalOf(app.Arguments[0]).Shape;
        var axes = ((ReduceParams)app.Params).Axes;
        var starts = IndexMath.AxisOffsets(shape, Enumerable.Range(0, shape.Rank).Where(d => !axes.Contains(d)));
        var offsets = IndexMath.AxisOffsets(shape, axes);
        var name = app.Primitive.Name;
        var source = $$"""
            __kernel void {{name}}(__global const uchar* restrict x, __global uchar* restrict out, __global const int* starts, __global const int* offsets) {
                const int o = get_global_id(0);
                uchar result = 1 - {{absorbing}};
                for (int r = 0; r < {{offsets.Length}}; r++)
                    if ((x[starts[o] + offsets[r]] != 0) == {{absorbing}}) { result = {{absorbing}}; break; }
                out[o] = result;
            }

            """;
        var output = app.Avals[0];
        return new KernelText(source, [app.Arguments[0]], [facts.Jaxpr.Equations[equation].Variable], [output], output.Shape.Size, name,
            [Table(starts), Table(offsets)]);
    }

    /// <summary>An offset table, with one element at least (a buffer cannot be empty; an empty table is never read).</summary>
    private static int[] Table(int[] offsets) => offsets.Length == 0 ? [0] : offsets;
}
