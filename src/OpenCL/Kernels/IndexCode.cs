using System.Text;
using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// What the hand-written kernels of index maps, gather and scatter, cumulative ops and sort
/// share: the C type a dtype is stored as, the row-major index of a flat position, and the
/// kernel text of an equation with one work item per output element.
/// </summary>
internal static class IndexCode
{
    /// <summary>The C type of an element stored in a buffer (bool as uchar: OpenCL has no bool buffers).</summary>
    public static string Stored(DType dtype) => dtype == DType.Bool ? "uchar" : OpenCLPrinter.TypeOf(dtype.ClrType());

    /// <summary>The prelude for kernels over <paramref name="values"/> (with the float64 helpers when one is float64).</summary>
    public static string Prelude(IEnumerable<AbstractValue> values) => OpenCLPrelude.For(values.Any(v => v.DType == DType.Float64));

    /// <summary>
    /// Declares <c>{prefix}0</c> ... <c>{prefix}(rank-1)</c>, the row-major index into
    /// <paramref name="shape"/> of the flat position <paramref name="flat"/> (a long expression), each line at <paramref name="indent"/>.
    /// </summary>
    public static string Decompose(string flat, Shape shape, string prefix = "i", string indent = "    ")
    {
        var text = new StringBuilder($"{indent}long {prefix}Rest = {flat};\n");
        for (var d = shape.Rank - 1; d >= 0; d--)
        {
            if (d == 0)
            {
                text.Append($"{indent}const long {prefix}0 = {prefix}Rest;\n");
                break;
            }
            text.Append($"{indent}const long {prefix}{d} = {prefix}Rest % {shape[d]};\n{indent}{prefix}Rest /= {shape[d]};\n");
        }
        return text.ToString();
    }

    /// <summary>The flat row-major offset into <paramref name="shape"/> of the index held in <c>{prefix}d</c> (<paramref name="index"/> per axis).</summary>
    public static string Flat(Shape shape, Func<int, string> index)
    {
        var strides = shape.Strides();
        var terms = Enumerable.Range(0, shape.Rank).Where(d => shape[d] != 1).Select(d => strides[d] == 1 ? $"({index(d)})" : $"({index(d)}) * {strides[d]}L").ToArray();
        return terms.Length == 0 ? "0" : string.Join(" + ", terms);
    }

    /// <summary>
    /// The kernel of equation <paramref name="equation"/> that computes each element of its one
    /// output in its own work item: <paramref name="body"/> sees <c>gid</c> (the flat output
    /// position), reads <c>in0</c>, <c>in1</c>... (the equation's arguments, in order) and stores
    /// to <c>out0[gid]</c>.
    /// </summary>
    public static KernelText PerElement(ProgramFacts facts, int equation, string name, string body)
    {
        var app = facts.Application(equation);
        var atoms = app.Arguments.ToArray();
        var output = app.Avals[0];
        var parameters = atoms.Select((a, k) => $"__global const {Stored(facts.AvalOf(a).DType)}* restrict in{k}")
            .Append($"__global {Stored(output.DType)}* restrict out0");
        var source = $"{Prelude(atoms.Select(facts.AvalOf).Append(output))}__kernel void {name}({string.Join(", ", parameters)}) {{\n" +
                     $"    const long gid = get_global_id(0);\n{body}}}\n";
        return new KernelText(source, atoms, [facts.Jaxpr.Equations[equation].Variable], [output], output.Shape.Size, name);
    }
}
