using System.Text;
using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>sort</c>, along any axis, of several operands by their first
/// <c>num_keys</c> (compared lexicographically), stable, NaN after every number and -0 equal to
/// +0, as the CPU and JAX. One work item per element counts the elements of its line that sort
/// before it (smaller, or equal and earlier: its rank) and writes every operand's element at
/// that rank. That is the CPU's permutation exactly, with no comparisons shared between work
/// items: work grows as the square of the line length, so it suits lines of up to a few
/// thousand elements; a merge sort in local memory is the plan for longer ones.
/// </summary>
internal static class SortKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "sort";

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a sort.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var (axis, numKeys) = (SortParams)app.Params;
        var shape = app.Avals[0].Shape;
        var (length, stride) = (shape[axis], shape.Strides()[axis]);
        var operands = app.Arguments.Count;
        var source = new StringBuilder(IndexCode.Prelude(app.Avals));
        // -1, 0, 1 as element a of key k compares with element b
        source.Append("int compare(");
        source.Append(string.Join(", ", Enumerable.Range(0, numKeys).Select(k => $"__global const {IndexCode.Stored(app.Avals[k].DType)}* restrict in{k}")));
        source.Append(", long a, long b) {\n");
        for (var k = 0; k < numKeys; k++)
        {
            var isFloat = app.Avals[k].DType.IsFloat();
            source.Append($"    {{ const {IndexCode.Stored(app.Avals[k].DType)} x = in{k}[a], y = in{k}[b];\n");
            if (isFloat) source.Append("      if (isnan(x) || isnan(y)) { if (!(isnan(x) && isnan(y))) return isnan(x) ? 1 : -1; }\n      else ");
            else source.Append("      ");
            source.Append("if (x != y) return x < y ? -1 : 1; }\n");
        }
        source.Append("    return 0;\n}\n");
        var parameters = app.Arguments.Select((a, k) => $"__global const {IndexCode.Stored(app.Avals[k].DType)}* restrict in{k}")
            .Concat(app.Avals.Select((v, k) => $"__global {IndexCode.Stored(v.DType)}* restrict out{k}"));
        var keys = string.Join(", ", Enumerable.Range(0, numKeys).Select(k => $"in{k}"));
        source.Append($$"""
            __kernel void {{Name}}({{string.Join(", ", parameters)}}) {
                const long gid = get_global_id(0);
                const long j = gid / {{stride}}L % {{length}}L;
                const long line = gid - j * {{stride}}L;
                long rank = 0;
                for (long k = 0; k < {{length}}L; k++) {
                    const int c = compare({{keys}}, line + k * {{stride}}L, gid);
                    rank += c < 0 || (c == 0 && k < j) ? 1 : 0;
                }
                const long target = line + rank * {{stride}}L;

            """);
        for (var k = 0; k < operands; k++) source.Append($"    out{k}[target] = in{k}[gid];\n");
        source.Append("}\n");
        var variables = facts.Jaxpr.Equations[equation].Variables.ToArray<System.Linq.Expressions.Expression>();
        return new KernelText(source.ToString(), [.. app.Arguments], variables, [.. app.Avals], shape.Size, Name);
    }
}
