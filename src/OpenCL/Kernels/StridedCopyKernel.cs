using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives;
using JaxSharp.Primitives.Indexing;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of the index maps that read the operand at strided offsets, as the CPU's
/// <see cref="IndexMath.StridedOffsets"/>: <c>rev</c> (negated strides from the far end),
/// and <c>slice</c> (scaled strides from the start). One work item per output element computes its offset from
/// its index; any dtype, bit for bit. (<c>transpose</c> is a view, read through permuted strides
/// by the loop kernels, and so are <c>squeeze</c> and <c>expand_dims</c>, reshapes.)
/// </summary>
internal static class StridedCopyKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "strided_copy";

    /// <summary>Whether <paramref name="primitive"/> is one of the maps this kernel computes.</summary>
    public static bool Handles(Primitive primitive) => primitive is Rev or Slice;

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var input = facts.AvalOf(app.Arguments[0]).Shape;
        var output = app.Avals[0].Shape;
        var inStrides = input.Strides();
        var (start, strides) = app.Params switch
        {
            RevParams r => Reversed(input, inStrides, r.Dimensions),
            SliceParams s => (Enumerable.Range(0, input.Rank).Sum(d => (long)s.StartIndices[d] * inStrides[d]),
                Enumerable.Range(0, input.Rank).Select(d => s.Strides[d] * inStrides[d]).ToArray()),
            _ => throw new NotSupportedException($"{app.Primitive.Name}: no strided copy kernel on OpenCL; it handles rev and slice"),
        };
        var terms = Enumerable.Range(0, output.Rank).Where(d => output[d] != 1 && strides[d] != 0).Select(d => $"i{d} * {strides[d]}L");
        var offset = string.Join(" + ", terms.Prepend($"{start}L"));
        return IndexCode.PerElement(facts, equation, Name, $"{IndexCode.Decompose("gid", output)}    out0[gid] = in0[{offset}];\n");
    }

    /// <summary>Reading backwards along <paramref name="axes"/>: start at their last element, step back.</summary>
    private static (long Start, int[] Strides) Reversed(Shape shape, int[] strides, Ints axes)
    {
        var result = (int[])strides.Clone();
        var start = 0L;
        foreach (var d in axes)
        {
            start += (shape[d] - 1L) * strides[d];
            result[d] = -strides[d];
        }
        return (shape.Size == 0 ? 0 : start, result);
    }
}
