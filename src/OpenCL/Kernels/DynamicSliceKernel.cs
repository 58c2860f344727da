using System.Text;
using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives;
using JaxSharp.Primitives.Indexing;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernels of <c>dynamic_slice</c> and <c>dynamic_update_slice</c>: the start
/// indices are read on the device (int32 scalars) and clamped, as on the CPU and in JAX, so that
/// the box lies inside the operand. One work item per output element: a slice reads its element
/// at the start plus its index; an update writes the update's element inside the box and the
/// operand's elsewhere (one pass, no copy first).
/// </summary>
internal static class DynamicSliceKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "dynamic_slice";

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a dynamic_slice or dynamic_update_slice.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var operand = facts.AvalOf(app.Arguments[0]).Shape;
        var update = app.Primitive is DynamicUpdateSlice;
        var box = update ? facts.AvalOf(app.Arguments[1]).Shape : new Shape(((DynamicSliceParams)app.Params).SliceSizes);
        var firstStart = update ? 2 : 1;
        var body = new StringBuilder(IndexCode.Decompose("gid", update ? operand : box));
        for (var d = 0; d < operand.Rank; d++)
            body.Append($"    const long s{d} = clamp(in{firstStart + d}[0], 0, {operand[d] - box[d]});\n");
        if (update)
        {
            var inBox = string.Join(" && ", Enumerable.Range(0, operand.Rank).Select(d => $"i{d} >= s{d} && i{d} < s{d} + {box[d]}L").Prepend("true"));
            body.Append($"    out0[gid] = {inBox} ? in1[{IndexCode.Flat(box, d => $"i{d} - s{d}")}] : in0[gid];\n");
        }
        else body.Append($"    out0[gid] = in0[{IndexCode.Flat(operand, d => $"s{d} + i{d}")}];\n");
        return IndexCode.PerElement(facts, equation, Name, body.ToString());
    }
}
