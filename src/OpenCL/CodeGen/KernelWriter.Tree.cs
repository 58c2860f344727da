using System.Linq.Expressions;
using System.Text;
using JaxSharp.Cpu;

namespace JaxSharp.OpenCL.CodeGen;

/// <summary>The work-group tree reduction of a fused group (see <see cref="TreeReduction"/>).</summary>
internal sealed partial class KernelWriter
{
    /// <summary>
    /// The kernels of a reduction group run as <paramref name="tree"/>: the first walks the reduced
    /// axes in strides of all the output's work items and combines each group's accumulators in
    /// local memory; with several groups per output it stores their partial results, which a
    /// second kernel combines into the outputs.
    /// </summary>
    private KernelText WriteTree(TreeReduction tree, int[] kept, int[] reduced,
        (Expression Variable, AbstractValue Aval, ReductionLowering Reduction)[] writes, long outputs, long length)
    {
        var (size, groups) = (tree.GroupSize, tree.GroupsPerOutput);
        for (var k = 0; k < writes.Length; k++) Line($"__local {Declared(writes[k].Aval.DType)} tree{k}[{size}];");
        Line("const int lid = get_local_id(0);");
        Line(groups == 1 ? "const int gid = get_group_id(0), part = 0;" : $"const int gid = get_group_id(0) / {groups}, part = get_group_id(0) % {groups};");
        Decompose("gid", kept, 1);
        for (var k = 0; k < writes.Length; k++)
            Line($"{Declared(writes[k].Aval.DType)} acc{k} = {OpenCLPrinter.Literal(writes[k].Reduction.Identity)};");
        // the trip count is the same for every work item of a group (the last step masks the tail),
        // so that CPU implementations (PoCL) can vectorise the work items of the loop's body
        Line($"for (int start = part * {size}; start < {length}; start += {(long)groups * size}) {{");
        Line("const int r = start + lid;", 2);
        Line($"if (r < {length}) {{", 2);
        Decompose("r", reduced, 3);
        var elements = Values(3);
        for (var k = 0; k < writes.Length; k++) Line($"acc{k} = {Combined(writes[k], $"acc{k}", elements[k])};", 3);
        Line("}", 2);
        Line("}");
        CombineInGroup(writes, size);
        var partials = groups == 1 ? null : writes.Select((w, k) => (Variable: (Expression)Expression.Variable(typeof(Tensor), $"partials{k}"), Aval: new AbstractValue(new Shape((int)(outputs * groups)), w.Aval.DType))).ToArray();
        var target = groups == 1 ? Offset(_loop.OutputStrides) : $"gid * {groups} + part";
        Line("if (lid == 0) {");
        for (var k = 0; k < writes.Length; k++) Line($"out{k}[{target}] = tree{k}[0];", 2);
        Line("}");
        var stored = partials is null ? writes.Select(w => (w.Variable, w.Aval)).ToArray() : partials;
        var parameters = _reads.Select((atom, k) => $"__global const {Stored(_facts.AvalOf(atom).DType)}* restrict in{k}")
            .Concat(stored.Select((w, k) => $"__global {Stored(w.Aval.DType)}* restrict out{k}"));
        var source = Kernel(KernelText.FusedName, size, parameters, _body);
        var next = partials is null ? null : SecondPass(writes, partials, kept, size, groups, outputs);
        return new KernelText(source, [.. _reads], [.. stored.Select(w => w.Variable)], [.. stored.Select(w => w.Aval)], outputs * groups * size,
            Range: new LaunchRange([outputs * groups * size], [size]), Next: next);
    }

    /// <summary>The kernel that combines the <paramref name="groups"/> partial results of each output, one work group per output.</summary>
    private KernelText SecondPass((Expression Variable, AbstractValue Aval, ReductionLowering Reduction)[] writes,
        (Expression Variable, AbstractValue Aval)[] partials, int[] kept, int size, int groups, long outputs)
    {
        var saved = _body.ToString();
        _body.Clear();
        for (var k = 0; k < writes.Length; k++) Line($"__local {Declared(writes[k].Aval.DType)} tree{k}[{size}];");
        Line("const int lid = get_local_id(0), gid = get_group_id(0);");
        Decompose("gid", kept, 1);
        for (var k = 0; k < writes.Length; k++)
            Line($"{Declared(writes[k].Aval.DType)} acc{k} = {OpenCLPrinter.Literal(writes[k].Reduction.Identity)};");
        Line($"for (int r = lid; r < {groups}; r += {size}) {{");
        for (var k = 0; k < writes.Length; k++) Line($"acc{k} = {Combined(writes[k], $"acc{k}", $"in{k}[gid * {groups} + r]")};", 2);
        Line("}");
        CombineInGroup(writes, size);
        Line("if (lid == 0) {");
        for (var k = 0; k < writes.Length; k++) Line($"out{k}[{Offset(_loop.OutputStrides)}] = tree{k}[0];", 2);
        Line("}");
        var parameters = partials.Select((p, k) => $"__global const {Stored(p.Aval.DType)}* restrict in{k}")
            .Concat(writes.Select((w, k) => $"__global {Stored(w.Aval.DType)}* restrict out{k}"));
        var source = Kernel(PartialsName, size, parameters, _body);
        _body.Clear().Append(saved);
        return new KernelText(source, [.. partials.Select(p => p.Variable)], [.. writes.Select(w => w.Variable)], [.. writes.Select(w => w.Aval)],
            outputs * size, PartialsName, Range: new LaunchRange([outputs * size], [size]));
    }

    /// <summary>The name of the second pass's kernel.</summary>
    public const string PartialsName = "fused_partials";

    /// <summary>Stores each work item's accumulators in local memory and halves them, pairwise, down to element 0.</summary>
    private void CombineInGroup((Expression Variable, AbstractValue Aval, ReductionLowering Reduction)[] writes, int size)
    {
        for (var k = 0; k < writes.Length; k++) Line($"tree{k}[lid] = acc{k};");
        Line("barrier(CLK_LOCAL_MEM_FENCE);");
        Line($"for (int step = {size / 2}; step > 0; step >>= 1) {{");
        Line("if (lid < step) {", 2);
        for (var k = 0; k < writes.Length; k++)
        {
            var type = Declared(writes[k].Aval.DType);
            Line($"const {type} a{k} = tree{k}[lid], b{k} = tree{k}[lid + step];", 3);
            Line($"tree{k}[lid] = {Combined(writes[k], $"a{k}", $"b{k}")};", 3);
        }
        Line("}", 2);
        Line("barrier(CLK_LOCAL_MEM_FENCE);", 2);
        Line("}");
    }

    /// <summary>The reduction's combination of two C expressions of its dtype.</summary>
    private string Combined((Expression Variable, AbstractValue Aval, ReductionLowering Reduction) write, string accumulator, string element)
    {
        var type = write.Aval.DType.ClrType();
        return Print(write.Reduction.Combine(Expression.Parameter(type, accumulator), Expression.Parameter(type, element)), p => p.Name!, _loop.Equations[^1]);
    }

    /// <summary>A whole kernel source with a fixed work-group size: the prelude, the signature and <paramref name="body"/>.</summary>
    private string Kernel(string name, int size, IEnumerable<string> parameters, StringBuilder body) =>
        new StringBuilder(OpenCLPrelude.For(_usesFloat64))
            .Append($"__kernel __attribute__((reqd_work_group_size({size}, 1, 1)))\nvoid {name}({string.Join(", ", parameters)}) {{\n")
            .Append(body).Append("}\n").ToString();
}
