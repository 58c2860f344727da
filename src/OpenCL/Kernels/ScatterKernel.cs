using System.Text;
using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives;
using JaxSharp.Primitives.Indexing;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>scatter</c>, <c>scatter_add</c>, <c>scatter_mul</c>,
/// <c>scatter_min</c> and <c>scatter_max</c>, XLA's, with batching axes, in both of JAX's modes
/// (windows that leave the operand are clamped, or dropped). Deterministic rather than atomic:
/// one work item per operand element walks the batch positions in order and combines each
/// update whose window covers it into its running value, so duplicates combine in the CPU's
/// order and every result, float sums included, is the CPU's bit for bit (and the last update
/// wins for a plain scatter). The cost is the operand's size times the number of batch
/// positions: it suits the few updates of indexing and gradients of gathers; many updates into
/// a large operand would want the updates sorted by target first.
/// </summary>
internal static class ScatterKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "scatter";

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a scatter.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var p = (ScatterParams)app.Params;
        var dn = p.DimensionNumbers;
        var (operand, indices, updates) = (facts.AvalOf(app.Arguments[0]).Shape, facts.AvalOf(app.Arguments[1]).Shape, facts.AvalOf(app.Arguments[2]).Shape);
        var output = app.Avals[0];
        var windowDims = Enumerable.Range(0, operand.Rank).Where(d => !dn.InsertedWindowDims.Contains(d) && !dn.OperandBatching.Contains(d)).ToArray();
        var sizes = Enumerable.Repeat(1, operand.Rank).ToArray();
        for (var i = 0; i < windowDims.Length; i++) sizes[windowDims[i]] = updates[dn.UpdateWindowDims[i]];
        var starts = new WindowStarts(operand, indices, sizes, dn.ScatterDimsToOperandDims, dn.OperandBatching, dn.IndicesBatching, p.Mode == GatherScatterMode.Clip);
        var batchAxes = Enumerable.Range(0, updates.Rank).Where(d => !dn.UpdateWindowDims.Contains(d)).ToArray();
        var type = IndexCode.Stored(output.DType);
        var body = new StringBuilder(IndexCode.Decompose("gid", operand));
        body.Append($"    {type} acc = in0[gid];\n    for (long g = 0; g < {starts.Batch.Size}L; g++) {{\n");
        body.Append(starts.Code("g", "        "));
        for (var d = 0; d < operand.Rank; d++)
            body.Append($"        const long r{d} = i{d} - s{d};\n        ok = ok && r{d} >= 0 && r{d} < {sizes[d]}L;\n");
        string UpdateIndex(int axis)
        {
            var b = Array.IndexOf(batchAxes, axis);
            return b >= 0 ? $"b{b}" : $"r{windowDims[dn.UpdateWindowDims.IndexOf(axis)]}";
        }
        body.Append($"        if (ok) acc = {Combine(app.Primitive, type, $"in2[{IndexCode.Flat(updates, UpdateIndex)}]")};\n    }}\n    out0[gid] = acc;\n");
        return IndexCode.PerElement(facts, equation, Name, body.ToString());
    }

    /// <summary>The running value combined with an update, as the CPU's <c>Combine</c>.</summary>
    private static string Combine(Primitive primitive, string type, string update) => (primitive, type) switch
    {
        (Scatter, _) => update,
        (ScatterAdd, "int") => $"jx_add_int(acc, {update})",
        (ScatterAdd, _) => $"acc + {update}",
        (ScatterMul, "int") => $"jx_mul_int(acc, {update})",
        (ScatterMul, _) => $"acc * {update}",
        (ScatterMax, _) => $"jx_max_{type}(acc, {update})",
        (ScatterMin, _) => $"jx_min_{type}(acc, {update})",
        _ => throw new ArgumentException($"scatter: {primitive.Name} has no OpenCL combiner"),
    };
}
