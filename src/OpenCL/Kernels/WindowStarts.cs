using System.Text;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// Where gather's and scatter's window of batch position <c>g</c> starts in the operand, in
/// OpenCL C, as the CPU's <c>WindowPlan.Start</c>: per operand axis <c>d</c>, <c>s{d}</c> is the
/// index vector's entry for it (clamped so the window fits, in clip mode; in fill-or-drop mode a
/// window that leaves the operand clears <c>ok</c>), the batch coordinate for a batching axis,
/// else 0. The indices are <c>in1</c>, int32, with the index vector as their last axis.
/// </summary>
/// <param name="Operand">The operand's shape.</param>
/// <param name="Indices">The indices' shape (batch axes, then the index vector).</param>
/// <param name="WindowSizes">The window's size along each operand axis.</param>
/// <param name="StartIndexMap">The operand axis each index vector entry starts.</param>
/// <param name="OperandBatching">The operand's batching axes.</param>
/// <param name="IndicesBatching">The indices' axes that index them.</param>
/// <param name="Clip">Clamp the starts (else fill or drop windows that leave the operand).</param>
internal sealed record WindowStarts(Shape Operand, Shape Indices, IReadOnlyList<int> WindowSizes, Ints StartIndexMap, Ints OperandBatching, Ints IndicesBatching, bool Clip)
{
    /// <summary>The batch positions' shape: the indices' without the index vector.</summary>
    public Shape Batch => new(Indices.Take(Indices.Rank - 1));

    /// <summary>Declares <c>ok</c>, the batch coordinates <c>b{j}</c> of <paramref name="g"/> and the starts <c>s{d}</c>.</summary>
    public string Code(string g, string indent)
    {
        var batch = Batch;
        var vector = StartIndexMap.Count;
        var code = new StringBuilder($"{indent}bool ok = true;\n");
        code.Append(IndexCode.Decompose(g, batch, "b", indent));
        for (var d = 0; d < Operand.Rank; d++)
        {
            var k = StartIndexMap.IndexOf(d);
            var i = OperandBatching.IndexOf(d);
            var limit = Operand[d] - WindowSizes[d];
            if (k >= 0 && Clip) code.Append($"{indent}const long s{d} = clamp(in1[{g} * {vector}L + {k}L], 0, {limit});\n");
            else if (k >= 0)
                code.Append($"{indent}const long s{d} = in1[{g} * {vector}L + {k}L];\n{indent}ok = ok && s{d} >= 0 && s{d} <= {limit}L;\n");
            else if (i >= 0) code.Append($"{indent}const long s{d} = b{IndicesBatching[i]};\n");
            else code.Append($"{indent}const long s{d} = 0;\n");
        }
        return code.ToString();
    }
}
