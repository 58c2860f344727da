using System.Linq.Expressions;
using System.Text;
using JaxSharp.Cpu;

namespace JaxSharp.OpenCL.CodeGen;

/// <summary>
/// One fused group printed as an OpenCL C kernel: the buffers it reads (one argument each, in
/// order), the values it stores (side outputs, then the result), and how many work items run it.
/// </summary>
/// <param name="Source">The kernel's whole source, prelude included: the key of the device's kernel cache.</param>
/// <param name="Reads">The atoms whose buffers are its first arguments.</param>
/// <param name="Writes">The variables whose buffers are its last arguments.</param>
/// <param name="WriteAvals">Their shapes and dtypes.</param>
/// <param name="WorkItems">One per output element (none: nothing to launch).</param>
/// <param name="Name">The kernel's name in its source.</param>
/// <param name="Tables">Integer tables (index offsets) passed after the written buffers, uploaded once per program.</param>
/// <param name="Range">The launch geometry of a hand-written kernel; null: one-dimensional over <paramref name="WorkItems"/>.</param>
/// <param name="Next">The kernel launched after this one to finish its work (the second pass of a two-pass reduction), or null.</param>
internal sealed record KernelText(string Source, Expression[] Reads, Expression[] Writes, AbstractValue[] WriteAvals, long WorkItems,
    string Name = KernelText.FusedName, int[][]? Tables = null, LaunchRange? Range = null, KernelText? Next = null)
{
    /// <summary>The name of every generated (fused) kernel.</summary>
    public const string FusedName = "fused";

    /// <summary>This kernel, then the passes that follow it (<see cref="Next"/>), in launch order.</summary>
    public IEnumerable<KernelText> Passes()
    {
        for (var pass = this; pass is not null; pass = pass.Next) yield return pass;
    }
}

/// <summary>The global and work-group sizes of a kernel launched over up to three dimensions.</summary>
/// <param name="Global">Work items along each dimension (multiples of <paramref name="Local"/>).</param>
/// <param name="Local">Work items of a work group along each dimension.</param>
internal sealed record LaunchRange(long[] Global, long[] Local);

/// <summary>
/// Prints a <see cref="FusedLoop"/> (the CPU backend's plan of a fused group) as an OpenCL C
/// kernel with one work item per output element: the work item's index along the loop's domain
/// axes, each leaf read at its strides, each node's portable element expression printed by
/// <see cref="OpenCLPrinter"/>, the result (and side outputs) stored. A reduction's work item
/// walks the reduced axes itself, combining into one accumulator per reduction, unless the
/// reduction is long and its outputs few: then a work group combines each output in local
/// memory (<see cref="TreeReduction"/>, KernelWriter.Tree.cs).
/// </summary>
internal sealed partial class KernelWriter
{
    private readonly FusedLoop _loop;
    private readonly ProgramFacts _facts;
    private readonly string _device;
    private readonly DeviceLimits _limits;
    private readonly StringBuilder _body = new();
    private readonly Dictionary<Expression, int> _readIndex = new(ReferenceEqualityComparer.Instance);
    private readonly List<Expression> _reads = [];
    private bool _usesFloat64;

    private KernelWriter(FusedLoop loop, ProgramFacts facts, string device, DeviceLimits limits) =>
        (_loop, _facts, _device, _limits) = (loop, facts, device, limits);

    /// <summary>
    /// The kernel of <paramref name="loop"/> for the device of <paramref name="limits"/>: a long
    /// reduction to few outputs becomes a work-group tree reduction sized for it (one or two kernels, <see cref="KernelText.Next"/>).
    /// </summary>
    /// <exception cref="NotSupportedException">An element of the group has no OpenCL C form; the message names the primitive and the device.</exception>
    public static KernelText Write(FusedLoop loop, ProgramFacts facts, DeviceLimits limits) => new KernelWriter(loop, facts, limits.Name, limits).Write();

    private KernelText Write()
    {
        var domain = _loop.Domain;
        var reduction = _loop.Reduction;
        var kept = Enumerable.Range(0, domain.Length).Where(d => reduction is null || _loop.OutputStrides[d] != 0).ToArray();
        var reduced = Enumerable.Range(0, domain.Length).Except(kept).ToArray();
        var writes = _loop.SideOutputs.Select(s => (s.Variable, Aval: _facts.AvalOf(s.Variable), s.Value, s.Reduction))
            .Append((Variable: _facts.Jaxpr.Equations[_loop.Equations[^1]].Variable, Aval: _loop.Output, Value: _loop.Result, Reduction: reduction)).ToArray();
        var workItems = kept.Aggregate(1L, (n, d) => n * domain[d]);
        var length = reduced.Aggregate(1L, (n, d) => n * domain[d]);
        if (reduction is not null && TreeReduction.Plan(workItems, length, writes.Length, _limits) is { } tree)
            return WriteTree(tree, kept, reduced, [.. writes.Select(w => (w.Variable, w.Aval, w.Reduction!))], workItems, length);
        Line("int gid = get_global_id(0);");
        Decompose("gid", kept, 1);
        string[] values;
        if (reduction is null) values = Values(1);
        else
        {
            var accs = new string[writes.Length];
            for (var k = 0; k < writes.Length; k++)
            {
                accs[k] = $"acc{k}";
                Line($"{Declared(writes[k].Aval.DType)} {accs[k]} = {OpenCLPrinter.Literal(writes[k].Reduction!.Identity)};");
            }
            Line($"for (int r = 0; r < {length}; r++) {{");
            Decompose("r", reduced, 2);
            var elements = Values(2);
            for (var k = 0; k < writes.Length; k++)
            {
                var type = writes[k].Aval.DType.ClrType();
                var (acc, x) = (Expression.Parameter(type, accs[k]), Expression.Parameter(type, elements[k]));
                var combined = Print(writes[k].Reduction!.Combine(acc, x), p => p.Name!, _loop.Equations[^1]);
                Line($"{accs[k]} = {combined};", 2);
            }
            Line("}");
            values = accs;
        }
        var output = Offset(_loop.OutputStrides);
        for (var k = 0; k < writes.Length; k++)
            Line($"out{k}[{output}] = {(writes[k].Aval.DType == DType.Bool ? $"(uchar)({values[k]})" : values[k])};");
        var parameters = _reads.Select((atom, k) => $"__global const {Stored(_facts.AvalOf(atom).DType)}* restrict in{k}")
            .Concat(writes.Select((w, k) => $"__global {Stored(w.Aval.DType)}* restrict out{k}"));
        var source = new StringBuilder(OpenCLPrelude.For(_usesFloat64 || writes.Any(w => w.Aval.DType == DType.Float64)))
            .Append($"__kernel void {KernelText.FusedName}({string.Join(", ", parameters)}) {{\n").Append(_body).Append("}\n").ToString();
        return new KernelText(source, [.. _reads], writes.Select(w => w.Variable).ToArray(), writes.Select(w => w.Aval).ToArray(), workItems);
    }

    /// <summary>Declares the index along each of <paramref name="axes"/> from the flat index <paramref name="flat"/> (the last axis fastest).</summary>
    private void Decompose(string flat, int[] axes, int indent)
    {
        if (axes.Length == 0) return;
        var rest = $"{flat}Rest";
        Line($"int {rest} = {flat};", indent);
        for (var k = axes.Length - 1; k >= 0; k--)
        {
            var d = axes[k];
            if (k == 0) Line($"int i{d} = {rest};", indent);
            else
            {
                Line($"int i{d} = {rest} % {_loop.Domain[d]};", indent);
                Line($"{rest} /= {_loop.Domain[d]};", indent);
            }
        }
    }

    /// <summary>The offset of an access with <paramref name="strides"/> at the current domain index.</summary>
    private static string Offset(int[] strides)
    {
        var terms = strides.Select((s, d) => s == 0 ? null : s == 1 ? $"i{d}" : $"i{d} * {s}").OfType<string>().ToArray();
        return terms.Length == 0 ? "0" : string.Join(" + ", terms);
    }

    /// <summary>Declares every leaf and node in emit order; returns the names of the written values (side outputs, then the result).</summary>
    private string[] Values(int indent)
    {
        var leaves = new string[_loop.Leaves.Length];
        var nodes = new string[_loop.Nodes.Length];
        var names = new Dictionary<ParameterExpression, string>();
        string NameOf(LoopValue v) => v.Leaf >= 0 ? leaves[v.Leaf] : nodes[v.Node];
        Expression ValueOf(LoopValue v)
        {
            var name = NameOf(v);
            var type = v.Leaf >= 0 ? _loop.Leaves[v.Leaf].Aval.DType.ClrType() : _loop.Nodes[v.Node].Aval.DType.ClrType();
            var parameter = Expression.Parameter(type, name);
            names[parameter] = name;
            return parameter;
        }
        foreach (var value in _loop.EmitOrder)
        {
            if (value.Leaf >= 0)
            {
                var leaf = _loop.Leaves[value.Leaf];
                var name = leaves[value.Leaf] = $"x{value.Leaf}";
                var type = Declared(leaf.Aval.DType);
                if (leaf.Atom is ConstantExpression { Value: Tensor { Size: 1 } scalar })
                    Line($"const {type} {name} = {OpenCLPrinter.Literal(scalar.Data.GetValue(0))};", indent);
                else
                {
                    if (!_readIndex.TryGetValue(leaf.Atom, out var k))
                    {
                        _readIndex[leaf.Atom] = k = _reads.Count;
                        _reads.Add(leaf.Atom);
                    }
                    var read = $"in{k}[{Offset(leaf.Strides)}]";
                    Line($"const {type} {name} = {(leaf.Aval.DType == DType.Bool ? $"({read} != 0)" : read)};", indent);
                }
                continue;
            }
            var node = _loop.Nodes[value.Node];
            var args = node.Args.Select(ValueOf).ToArray();
            var nodeName = nodes[value.Node] = $"v{value.Node}";
            var element = Lowered(node, args);
            Line($"const {Declared(DTypes.FromClrType(element.Type))} {nodeName} = {Print(element, p => names[p], node.Equation)};", indent);
        }
        return [.. _loop.SideOutputs.Select(s => NameOf(s.Value)), NameOf(_loop.Result)];
    }

    private Expression Lowered(LoopNode node, Expression[] args)
    {
        try
        {
            return node.Lowering.Portable(args);
        }
        catch (InvalidOperationException e)
        {
            throw Missing(node.Equation, e.Message);
        }
    }

    private string Print(Expression element, Func<ParameterExpression, string> names, int equation)
    {
        try
        {
            return OpenCLPrinter.Print(element, names);
        }
        catch (UnprintableElement e)
        {
            throw Missing(equation, e.Message);
        }
    }

    private NotSupportedException Missing(int equation, string why)
    {
        var primitive = _facts.Application(equation).Primitive.Name;
        return new NotSupportedException($"{primitive}: no OpenCL kernel on {_device} yet ({why}). Run it on the CPU: Jax.DevicePut(x, Jax.Devices(\"cpu\")[0]) (F#: devicePut) before the call.");
    }

    /// <summary>The C type of a value held in a local.</summary>
    private string Declared(DType dtype)
    {
        if (dtype == DType.Float64) _usesFloat64 = true;
        return OpenCLPrinter.TypeOf(dtype.ClrType());
    }

    /// <summary>The C type of an element stored in a buffer (bool as uchar: OpenCL has no bool buffers).</summary>
    private string Stored(DType dtype) => dtype == DType.Bool ? "uchar" : Declared(dtype);

    private void Line(string text, int indent = 1) => _body.Append(' ', 4 * indent).Append(text).Append('\n');
}
