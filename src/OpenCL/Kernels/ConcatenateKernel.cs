using System.Text;
using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>concatenate</c>: one work item per output element finds, from its
/// index along the joined axis, the operand that holds it and reads it there.
/// </summary>
internal static class ConcatenateKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "concatenate";

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a concatenate.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var axis = ((ConcatenateParams)app.Params).Dimension;
        var output = app.Avals[0].Shape;
        // the output as [outer, joined axis, inner]; an operand's block is [outer, its length, inner]
        var inner = output.Skip(axis + 1).Aggregate(1L, (a, b) => a * b);
        var body = new StringBuilder($"    const long inner = gid % {inner}L;\n    const long along = gid / {inner}L % {output[axis]}L;\n    const long outer = gid / {inner * output[axis]}L;\n");
        var first = 0L;
        for (var k = 0; k < app.Arguments.Count; k++)
        {
            var length = facts.AvalOf(app.Arguments[k]).Shape[axis];
            if (length == 0) continue;
            var read = $"in{k}[(outer * {length}L + along - {first}L) * {inner}L + inner]";
            body.Append(first + length == output[axis] ? $"    out0[gid] = {read};\n" : $"    if (along < {first + length}L) {{ out0[gid] = {read}; return; }}\n");
            first += length;
        }
        return IndexCode.PerElement(facts, equation, Name, body.ToString());
    }
}
