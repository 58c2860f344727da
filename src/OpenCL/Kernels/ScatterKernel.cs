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
/// a work item owns the elements it writes and walks the batch positions in order, combining
/// each update whose window covers them, so duplicates combine in the CPU's order and every
/// result, float sums included, is the CPU's bit for bit (and the last update wins for a plain
/// scatter). When the windows are one element wide along the axes the indices place them on
/// (scattering rows or elements), a work item owns a column of the operand and the work is
/// the operand's size plus the updates'; otherwise one work item per operand element tests
/// every batch position, the operand's size times their number, fine for few updates (the
/// plan for many: sort the updates by target first).
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
        string UpdateIndex(int axis)
        {
            var b = Array.IndexOf(batchAxes, axis);
            return b >= 0 ? $"b{b}" : $"r{windowDims[dn.UpdateWindowDims.IndexOf(axis)]}";
        }
        var update = $"in2[{IndexCode.Flat(updates, UpdateIndex)}]";
        // the axes where a window's position comes from its batch position (indexed or batching axes)
        var placed = Enumerable.Range(0, operand.Rank).Where(d => dn.ScatterDimsToOperandDims.Contains(d) || dn.OperandBatching.Contains(d)).ToArray();
        if (placed.All(d => sizes[d] == 1)) return ByColumn(facts, equation, operand, placed, sizes, starts, type, Combine(app.Primitive, type, update));
        var body = new StringBuilder(IndexCode.Decompose("gid", operand));
        body.Append($"    {type} acc = in0[gid];\n    for (long g = 0; g < {starts.Batch.Size}L; g++) {{\n");
        body.Append(starts.Code("g", "        "));
        for (var d = 0; d < operand.Rank; d++)
            body.Append($"        const long r{d} = i{d} - s{d};\n        ok = ok && r{d} >= 0 && r{d} < {sizes[d]}L;\n");
        body.Append($"        if (ok) acc = {Combine(app.Primitive, type, update)};\n    }}\n    out0[gid] = acc;\n");
        return IndexCode.PerElement(facts, equation, Name, body.ToString());
    }

    /// <summary>
    /// The kernel when every window is one element wide along the axes its batch position places
    /// it on (<paramref name="placed"/>: rows or elements scattered by index, the common case).
    /// Then the windows of two batch positions meet only at the same coordinates along the
    /// other axes, so one work item per such column (the operand's coordinates along the other
    /// axes) owns every element the column's updates reach: it copies its column of the operand,
    /// then walks the batch positions in order combining their updates. Work: the operand's size
    /// plus the updates', instead of their product.
    /// </summary>
    private static KernelText ByColumn(ProgramFacts facts, int equation, Shape operand, int[] placed, int[] sizes, WindowStarts starts, string type, string combined)
    {
        var strides = operand.Strides();
        var free = Enumerable.Range(0, operand.Rank).Except(placed).ToArray();
        var columns = new Shape(free.Select(d => operand[d]));
        var across = new Shape(placed.Select(d => operand[d]));
        var body = new StringBuilder(IndexCode.Decompose("gid", columns, "c"));
        body.Append($"    const long column = {string.Join(" + ", free.Select((d, k) => $"c{k} * {strides[d]}L").Prepend("0L"))};\n");
        body.Append($"    for (long q = 0; q < {across.Size}L; q++) {{\n");
        body.Append(IndexCode.Decompose("q", across, "q", "        "));
        body.Append($"        const long t = {string.Join(" + ", placed.Select((d, j) => $"q{j} * {strides[d]}L").Prepend("column"))};\n        out0[t] = in0[t];\n    }}\n");
        var inWindow = string.Join(" && ", free.Select((d, k) => $"c{k} < {sizes[d]}L").Prepend("true"));
        body.Append($"    if (!({inWindow})) return;\n    for (long g = 0; g < {starts.Batch.Size}L; g++) {{\n");
        body.Append(starts.Code("g", "        "));
        for (var d = 0; d < operand.Rank; d++)
            body.Append($"        const long r{d} = {(free.Contains(d) ? $"c{Array.IndexOf(free, d)}" : "0")};\n");
        body.Append($"        const long t = {string.Join(" + ", placed.Select(d => $"s{d} * {strides[d]}L").Prepend("column"))};\n");
        body.Append($"        if (ok) {{ const {type} acc = out0[t]; out0[t] = {combined}; }}\n    }}\n");
        var text = IndexCode.PerElement(facts, equation, Name, body.ToString());
        return text with { WorkItems = columns.Size };
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
