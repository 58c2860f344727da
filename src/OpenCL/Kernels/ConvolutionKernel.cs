using System.Text;
using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives.Convolution;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>conv_general_dilated</c>, direct: one work item per output element
/// sums lhs times rhs over the input features of its group, then over the kernel window row-major,
/// in that fixed order, with any dimension numbers (strides read in place), strides, padding
/// (negative crops), lhs and rhs dilation and feature or batch groups (XLA's: group g of the output
/// features reads input features g·I... or batch entries g·N...). The CPU sums in its GEMM's order,
/// so float results agree to rounding, not bit for bit. No tiling or local memory: a first kernel
/// that is correct everywhere; im2col into the tiled dot_general is the way to speed.
/// </summary>
internal static class ConvolutionKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "conv_general_dilated";

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a conv_general_dilated.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var p = (ConvParams)app.Params;
        var dn = p.DimensionNumbers;
        var (lhs, rhs) = (facts.AvalOf(app.Arguments[0]).Shape, facts.AvalOf(app.Arguments[1]).Shape);
        var output = app.Avals[0];
        var (ls, rs) = (lhs.Strides(), rhs.Strides());
        var spatial = lhs.Rank - 2;
        var groups = p.FeatureGroupCount * p.BatchGroupCount;
        var perGroup = Math.Max(1, rhs[dn.Rhs[0]] / groups);
        var inFeatures = rhs[dn.Rhs[1]];
        var batch = output.Shape[dn.Out[0]];
        var window = new Shape(Enumerable.Range(0, spatial).Select(j => rhs[dn.Rhs[j + 2]]));
        var type = IndexCode.Stored(output.DType);
        var body = new StringBuilder(IndexCode.Decompose("gid", output.Shape));
        body.Append($"    const long n = i{dn.Out[0]};\n    const long o = i{dn.Out[1]};\n    const long g = o / {perGroup}L;\n");
        var lhsBatch = p.BatchGroupCount > 1 ? $"(g * {batch}L + n)" : "n";
        var firstFeature = p.FeatureGroupCount > 1 ? $"g * {inFeatures}L" : "0";
        body.Append($"    {type} acc = 0;\n    for (long c = 0; c < {inFeatures}L; c++) {{\n");
        body.Append($"        const long lhsBase = {lhsBatch} * {ls[dn.Lhs[0]]}L + ({firstFeature} + c) * {ls[dn.Lhs[1]]}L;\n");
        body.Append($"        const long rhsBase = o * {rs[dn.Rhs[0]]}L + c * {rs[dn.Rhs[1]]}L;\n");
        body.Append($"        for (long k = 0; k < {window.Size}L; k++) {{\n");
        body.Append(IndexCode.Decompose("k", window, "k", "            "));
        body.Append("            long at = lhsBase;\n            long w = rhsBase;\n");
        for (var j = 0; j < spatial; j++)
        {
            var (l, r, dilation) = (dn.Lhs[j + 2], dn.Rhs[j + 2], p.LhsDilation[j]);
            body.Append($"            const long q{j} = i{dn.Out[j + 2]} * {p.WindowStrides[j]}L + k{j} * {p.RhsDilation[j]}L - {p.PaddingLow[j]}L;\n");
            var hole = dilation == 1 ? "" : $" || q{j} % {dilation}L != 0";
            body.Append($"            if (q{j} < 0{hole} || q{j} / {dilation}L >= {lhs[l]}L) continue;\n");
            body.Append($"            at += q{j} / {dilation}L * {ls[l]}L;\n            w += k{j} * {rs[r]}L;\n");
        }
        body.Append("            acc += in0[at] * in1[w];\n        }\n    }\n    out0[gid] = acc;\n");
        return IndexCode.PerElement(facts, equation, Name, body.ToString());
    }
}
