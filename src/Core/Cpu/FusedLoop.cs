using System.Linq.Expressions;
using JaxSharp.IR;

namespace JaxSharp.Cpu;

/// <summary>A value a fused loop reads from memory: an atom of the program, at offsets given per domain axis.</summary>
/// <param name="Atom">The input, constant or stored variable read.</param>
/// <param name="Aval">Its shape and dtype.</param>
/// <param name="Strides">Per axis of the loop's domain, how far one step moves in the atom's row-major buffer.</param>
internal sealed record LoopLeaf(Expression Atom, AbstractValue Aval, int[] Strides);

/// <summary>
/// A value of a fused loop: a leaf read (<see cref="Leaf"/> &gt;= 0) or a computed node. A class, not
/// a struct: lists and maps of it then share the framework's precompiled code for references
/// instead of being JIT-compiled for it in every process (docs/jit.md, "First result in a fresh process").
/// </summary>
internal sealed record LoopValue(int Leaf, int Node);

/// <summary>One elementwise equation computed inside a fused loop, on values of the loop.</summary>
internal sealed record LoopNode(int Equation, Expression Variable, ElementwiseLowering Lowering, LoopValue[] Args, AbstractValue Aval);

/// <summary>
/// A value a fused loop stores beside its result, to its own buffer at the output's offsets: an
/// equation that other steps read. In a reduction loop it is another reduction over the same
/// axes, whose operand is <paramref name="Value"/>. In an elementwise loop it may also be a
/// reduction over leading axes of the loop's domain (a column sum, as a bias gradient sums a
/// product's cotangent over the batch), combined into its own buffer at
/// <paramref name="ReductionStrides"/> as the loop computes each element.
/// </summary>
/// <param name="Equation">The equation.</param>
/// <param name="Variable">Its variable, which names the buffer it is stored to.</param>
/// <param name="Value">Its value in the loop (for a reduction, its operand's).</param>
/// <param name="Reduction">How it combines; null for a value stored as it is.</param>
/// <param name="ReductionStrides">For a reduction in an elementwise loop, per domain axis its step in its buffer (0 along reduced axes); null otherwise.</param>
internal sealed record LoopSideOutput(int Equation, Expression Variable, LoopValue Value, ReductionLowering? Reduction, int[]? ReductionStrides = null);

/// <summary>
/// One fused group as a loop nest over a domain: the leaves it reads (each with its own
/// strides, so broadcasts and reshapes are index arithmetic), the elementwise nodes it
/// computes in order, and where its result goes: stored at the output's offsets, or, for a
/// reduction, combined into them. A loop joined from several (see <see cref="FusionPlanner"/>)
/// also stores the values of the others, of the same shape, at the same offsets (or, joined
/// from reductions over the same axes, combines them). Domain axes that every access walks
/// contiguously are merged, so that most loops are one or two axes deep.
/// </summary>
internal sealed class FusedLoop
{
    private FusedLoop(int[] equations, int[] domain, Builder builder, LoopValue result, LoopSideOutput[] sideOutputs, int[] outputStrides, AbstractValue output, ReductionLowering? reduction)
    {
        Equations = equations;
        Domain = domain;
        Leaves = builder.Leaves.ToArray();
        Nodes = builder.Nodes.ToArray();
        EmitOrder = builder.EmitOrder.ToArray();
        Result = result;
        SideOutputs = sideOutputs;
        OutputStrides = outputStrides;
        Output = output;
        Reduction = reduction;
    }

    /// <summary>The equations the loop computes, in program order; the last is the one it stores as its result.</summary>
    public int[] Equations { get; }

    /// <summary>The loop's axes (at least one); the last is the inner, vectorised loop.</summary>
    public int[] Domain { get; }

    public LoopLeaf[] Leaves { get; }

    public LoopNode[] Nodes { get; }

    /// <summary>Every leaf and node once, in the order the loop body reads or computes them: each after its arguments.</summary>
    public LoopValue[] EmitOrder { get; }

    /// <summary>The value stored (or, for a reduction, combined) at each domain index.</summary>
    public LoopValue Result { get; }

    /// <summary>The values stored (or reductions combined) beside the result, each to its own buffer.</summary>
    public LoopSideOutput[] SideOutputs { get; }

    /// <summary>Per domain axis, the step in the output buffer (0 along reduced axes).</summary>
    public int[] OutputStrides { get; }

    public AbstractValue Output { get; }

    public ReductionLowering? Reduction { get; }

    /// <summary>The number of rows (all domain axes but the last).</summary>
    public int Rows
    {
        get
        {
            var rows = 1;
            for (var d = 0; d < Domain.Length - 1; d++) rows *= Domain[d];
            return rows;
        }
    }

    /// <summary>The length of a row (the last domain axis).</summary>
    public int Columns => Domain[^1];

    /// <summary>
    /// The loop of the group <paramref name="members"/> that stores equations <paramref name="roots"/>
    /// (the last is its result, the others, of the result's shape, are side outputs; all
    /// elementwise, or all reductions over the same axes of operands of one shape, or elementwise
    /// with column reductions of operands of the result's shape before the last elementwise root);
    /// null, with the equation whose index arithmetic failed, when a member read through a
    /// reshape cannot be indexed by axes.
    /// </summary>
    public static FusedLoop? Build(ProgramFacts program, int[] roots, int[] members, out int failing)
    {
        var builder = new Builder(program, new HashSet<int>(members, null));
        failing = -1;
        try
        {
            var root = roots[^1];
            var app = program.Application(root);
            int[] domain, outputStrides;
            LoopValue result;
            var sideOutputs = new LoopSideOutput[roots.Length - 1];
            var reduction = program.Lowerings[root] as ReductionLowering;
            if (reduction is not null)
            {
                var operand = program.AvalOf(app.Arguments[0]).Shape;
                domain = operand.ToArray();
                outputStrides = ReducedStrides(domain, reduction.Axes, app.Aval.Shape);
                builder.Domain = domain;
                for (var k = 0; k < sideOutputs.Length; k++)
                {
                    var side = program.Application(roots[k]);
                    sideOutputs[k] = new LoopSideOutput(roots[k], program.Jaxpr.Equations[roots[k]].Variable,
                        builder.Value(side.Arguments[0], operand.Strides()), (ReductionLowering)program.Lowerings[roots[k]]);
                }
                result = builder.Value(app.Arguments[0], operand.Strides());
            }
            else
            {
                domain = app.Aval.Shape.ToArray();
                outputStrides = app.Aval.Shape.Strides();
                builder.Domain = domain;
                for (var k = 0; k < sideOutputs.Length; k++)
                {
                    var variable = program.Jaxpr.Equations[roots[k]].Variable;
                    sideOutputs[k] = program.Lowerings[roots[k]] is ReductionLowering columns
                        ? new LoopSideOutput(roots[k], variable, builder.Value(program.Application(roots[k]).Arguments[0], outputStrides), columns,
                            ReducedStrides(domain, columns.Axes, program.Application(roots[k]).Aval.Shape))
                        : new LoopSideOutput(roots[k], variable, builder.Value(variable, outputStrides), null);
                }
                result = builder.Value(program.Jaxpr.Equations[root].Variable, outputStrides);
            }
            var reductionStrides = sideOutputs.Where(s => s.ReductionStrides is not null).Select(s => s.ReductionStrides!).ToList();
            var strides = builder.Leaves.Select(l => l.Strides).ToList();
            // column sums index the domain as it is: reorder only a loop without them
            if (reduction is not null && reductionStrides.Count == 0) (domain, strides, outputStrides) = ContiguousLast(domain, strides, outputStrides);
            var (collapsed, leafStrides, outStrided) = Collapse(domain, [.. strides, .. reductionStrides], outputStrides);
            for (var i = 0; i < builder.Leaves.Count; i++) builder.Leaves[i] = builder.Leaves[i] with { Strides = leafStrides[i] };
            for (int k = 0, r = builder.Leaves.Count; k < sideOutputs.Length; k++)
                if (sideOutputs[k].ReductionStrides is not null) sideOutputs[k] = sideOutputs[k] with { ReductionStrides = leafStrides[r++] };
            // the result's equation last, as the loop stores it last (a column reduction joined after it comes before)
            var equations = RootLast(members, root);
            return new FusedLoop(equations, collapsed, builder, result, sideOutputs, outStrided, app.Aval, reduction);
        }
        catch (IndexingFailure f)
        {
            failing = f.Equation;
            return null;
        }
    }

    /// <summary>Per axis of <paramref name="domain"/>, the step in the row-major buffer of a reduction over <paramref name="axes"/> (0 along them).</summary>
    private static int[] ReducedStrides(int[] domain, Ints axes, Shape reduced)
    {
        var kept = reduced.Strides();
        var strides = new int[domain.Length];
        for (int d = 0, k = 0; d < domain.Length; d++)
            if (!axes.Contains(d)) strides[d] = kept[k++];
        return strides;
    }

    /// <summary>
    /// The domain of a reduction loop reordered so that a leaf read across rows (a fused
    /// transpose: <c>sum (x.T, 1)</c>) is read contiguously by the inner loop: the axis along
    /// which that leaf's stride is 1 moves last, when the output's stride along it is 0 (reduced,
    /// accumulated along the row) or 1 (combined column by column), and fewer leaves are then
    /// read across rows than before. Reductions combine in any order of the domain.
    /// </summary>
    private static (int[] Domain, List<int[]> Leaves, int[] Output) ContiguousLast(int[] domain, List<int[]> leaves, int[] output)
    {
        static int Strided(IEnumerable<int[]> strides) => strides.Count(s => s[^1] is not (0 or 1));
        var last = domain.Length - 1;
        if (last < 1 || leaves.FirstOrDefault(s => s[^1] is not (0 or 1)) is not { } strided) return (domain, leaves, output);
        var axis = Enumerable.Range(0, last).Where(d => strided[d] == 1 && domain[d] > 1 && output[d] is 0 or 1).DefaultIfEmpty(-1).First();
        if (axis < 0) return (domain, leaves, output);
        int[] order = [.. Enumerable.Range(0, domain.Length).Where(d => d != axis), axis];
        int[] Reorder(int[] a) => [.. order.Select(d => a[d])];
        var reordered = leaves.Select(Reorder).ToList();
        return Strided(reordered) < Strided(leaves) ? (Reorder(domain), reordered, Reorder(output)) : (domain, leaves, output);
    }

    /// <summary>
    /// Drops axes of size 1 and merges neighbouring axes that every access (leaves and output)
    /// walks as one: stride[d] = stride[d + 1] * size[d + 1].
    /// </summary>
    /// <remarks>
    /// Plain arrays and loops rather than LINQ and lists over int: this runs in the first jit of
    /// every process, and the framework's generic code over int is JIT-compiled there, not precompiled.
    /// </remarks>
    private static (int[] Domain, List<int[]> Leaves, int[] Output) Collapse(int[] domain, List<int[]> leaves, int[] output)
    {
        var count = 0;
        foreach (var size in domain)
            if (size != 1) count++;
        // the kept axes' sizes, and each access's strides along them: the leaves', then the output's
        var dims = new int[count];
        var strides = new int[leaves.Count + 1][];
        for (var a = 0; a < strides.Length; a++) strides[a] = new int[count];
        for (int d = 0, k = 0; d < domain.Length; d++)
        {
            if (domain[d] == 1) continue;
            dims[k] = domain[d];
            for (var a = 0; a < leaves.Count; a++) strides[a][k] = leaves[a][d];
            strides[^1][k] = output[d];
            k++;
        }
        for (var d = count - 2; d >= 0; d--)
        {
            if (!WalkedAsOne(strides, dims, d)) continue;
            // the merged axis keeps axis d + 1's stride
            dims[d] *= dims[d + 1];
            RemoveAt(dims, d + 1, count);
            foreach (var s in strides) RemoveAt(s, d, count);
            count--;
        }
        if (count == 0) return ([1], [.. leaves.Select(_ => new[] { 0 })], [0]);
        return (Prefix(dims, count), [.. strides.Take(leaves.Count).Select(s => Prefix(s, count))], Prefix(strides[^1], count));
    }

    /// <summary>Whether every access walks axes <paramref name="d"/> and d + 1 as one: stride[d] = stride[d + 1] * size[d + 1].</summary>
    private static bool WalkedAsOne(int[][] strides, int[] dims, int d)
    {
        foreach (var s in strides)
            if (s[d] != s[d + 1] * dims[d + 1]) return false;
        return true;
    }

    /// <summary>Removes element <paramref name="index"/> of the first <paramref name="count"/> of <paramref name="values"/>, moving the later ones down.</summary>
    private static void RemoveAt(int[] values, int index, int count)
    {
        for (var i = index; i < count - 1; i++) values[i] = values[i + 1];
    }

    /// <summary>A copy of the first <paramref name="count"/> of <paramref name="values"/>.</summary>
    private static int[] Prefix(int[] values, int count)
    {
        var prefix = new int[count];
        for (var i = 0; i < count; i++) prefix[i] = values[i];
        return prefix;
    }

    /// <summary>The loop's equations: <paramref name="members"/> in order without <paramref name="root"/>, then <paramref name="root"/>.</summary>
    private static int[] RootLast(int[] members, int root)
    {
        var others = 0;
        foreach (var m in members)
            if (m != root) others++;
        var equations = new int[others + 1];
        var k = 0;
        foreach (var m in members)
            if (m != root) equations[k++] = m;
        equations[k] = root;
        return equations;
    }

    private sealed class IndexingFailure(int equation) : Exception
    {
        public int Equation { get; } = equation;
    }

    /// <summary>
    /// Walks the group from its result to its leaves, giving every value the strides it is read
    /// at. The walk keeps its own stack instead of recursing, so a group as deep as the program
    /// needs no call stack. It visits arguments in order and records in <see cref="EmitOrder"/>
    /// each leaf when first reached and each node after its arguments.
    /// </summary>
    private sealed class Builder(ProgramFacts program, HashSet<int> members)
    {
        private readonly Dictionary<string, LoopValue> _values = [];
        private readonly Dictionary<Expression, int> _atomIds = new(ReferenceEqualityComparer.Instance);

        public int[] Domain { get; set; } = [];
        public List<LoopLeaf> Leaves { get; } = [];
        public List<LoopNode> Nodes { get; } = [];
        public List<LoopValue> EmitOrder { get; } = [];

        /// <summary>One pending value of the walk: an atom read at strides, and for a node the arguments found so far.</summary>
        private sealed class Visit(Expression atom, int[] strides)
        {
            public Expression Atom { get; } = atom;
            public int[] Strides { get; } = strides;
            public string? Key { get; set; }
            public int Equation { get; set; } = -1;
            public LoopValue[]? Args { get; set; }
            public int Next { get; set; }
        }

        /// <summary>The value of <paramref name="atom"/> read at <paramref name="strides"/>, building the nodes and leaves it needs.</summary>
        public LoopValue Value(Expression atom, int[] strides)
        {
            var pending = new Stack<Visit>();
            pending.Push(new Visit(atom, strides));
            LoopValue? done = null;
            while (pending.TryPeek(out var visit))
            {
                if (done is { } argument)
                {
                    done = null;
                    if (visit.Args is null)
                    {
                        done = Finish(pending, visit, argument);
                        continue;
                    }
                    visit.Args[visit.Next++] = argument;
                }
                else if (visit.Key is null && Start(pending, visit) is { } known)
                {
                    done = known;
                    continue;
                }
                if (visit.Args is null) continue;
                if (visit.Next < visit.Args.Length)
                {
                    pending.Push(Argument(visit, visit.Next));
                    continue;
                }
                var app = program.Application(visit.Equation);
                Nodes.Add(new LoopNode(visit.Equation, program.Jaxpr.Equations[visit.Equation].Variable, (ElementwiseLowering)program.Lowerings[visit.Equation], visit.Args, app.Aval));
                EmitOrder.Add(new LoopValue(-1, Nodes.Count - 1));
                done = Finish(pending, visit, EmitOrder[^1]);
            }
            return done!;
        }

        /// <summary>
        /// Starts a visit: returns its value when it is known or a leaf; otherwise pushes the
        /// view's argument, or prepares the node's arguments, and returns null.
        /// </summary>
        private LoopValue? Start(Stack<Visit> pending, Visit visit)
        {
            if (!_atomIds.TryGetValue(visit.Atom, out var id)) _atomIds[visit.Atom] = id = _atomIds.Count;
            visit.Key = $"{id}:{Ints.Joined(visit.Strides)}";
            if (_values.TryGetValue(visit.Key, out var known)) return Finish(pending, visit, known);
            if (!program.EquationOf.TryGetValue(visit.Atom, out var eq) || !members.Contains(eq))
            {
                Leaves.Add(new LoopLeaf(visit.Atom, program.AvalOf(visit.Atom), visit.Strides));
                EmitOrder.Add(new LoopValue(Leaves.Count - 1, -1));
                return Finish(pending, visit, EmitOrder[^1]);
            }
            visit.Equation = eq;
            var app = program.Application(eq);
            switch (program.Lowerings[eq])
            {
                case ViewLowering { StrideArray: null }:
                    pending.Push(new Visit(app.Arguments[0], visit.Strides));
                    break;
                case ViewLowering { StrideArray: { } view }:
                    pending.Push(new Visit(app.Arguments[0], Through(eq, visit.Strides, app.Aval.Shape, view)));
                    break;
                case ElementwiseLowering:
                    visit.Args = new LoopValue[app.Arguments.Count];
                    break;
                case var other:
                    throw new InvalidOperationException($"fusion: {app.Primitive.Name} ({other.GetType().Name}) cannot be inside a loop");
            }
            return null;
        }

        /// <summary>Records the value of a finished visit and pops it.</summary>
        private LoopValue Finish(Stack<Visit> pending, Visit visit, LoopValue value)
        {
            pending.Pop();
            return _values[visit.Key!] = value;
        }

        /// <summary>The visit of argument <paramref name="k"/> of a node, at the strides the node reads it.</summary>
        private Visit Argument(Visit node, int k)
        {
            var app = program.Application(node.Equation);
            var shape = app.Aval.Shape;
            var a = app.Arguments[k];
            var argShape = program.AvalOf(a).Shape;
            if (argShape.Equals(shape)) return new Visit(a, node.Strides);
            if (argShape.Size == 1) return new Visit(a, new int[Domain.Length]);
            var aligned = new int[shape.Rank];
            var argStrides = argShape.Strides();
            for (var d = 0; d < shape.Rank; d++)
            {
                var j = d - (shape.Rank - argShape.Rank);
                aligned[d] = j < 0 || argShape[j] == 1 ? 0 : argStrides[j];
            }
            return new Visit(a, Through(node.Equation, node.Strides, shape, aligned));
        }

        /// <summary>
        /// The strides of a value read through index map <paramref name="map"/> (per axis of
        /// <paramref name="shape"/>) from a value of <paramref name="shape"/> read at <paramref name="strides"/>.
        /// </summary>
        /// <remarks>
        /// <paramref name="map"/> is an array and the axis is found by a loop: an array through
        /// <c>IReadOnlyList&lt;int&gt;</c> and LINQ's Range and Where over int run framework code that
        /// every process would JIT-compile.
        /// </remarks>
        private int[] Through(int eq, int[] strides, Shape shape, int[] map)
        {
            var rowMajor = shape.Strides();
            var result = new int[strides.Length];
            for (var d = 0; d < strides.Length; d++)
            {
                if (Domain[d] == 1 || strides[d] == 0) continue;
                var k = 0;
                while (k < shape.Rank && !(shape[k] == Domain[d] && rowMajor[k] == strides[d])) k++;
                if (k == shape.Rank) throw new IndexingFailure(eq);
                result[d] = map[k];
            }
            return result;
        }
    }
}
