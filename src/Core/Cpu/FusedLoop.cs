using System.Linq.Expressions;
using JaxSharp.IR;

namespace JaxSharp.Cpu;

/// <summary>A value a fused loop reads from memory: an atom of the program, at offsets given per domain axis.</summary>
/// <param name="Atom">The input, constant or stored variable read.</param>
/// <param name="Aval">Its shape and dtype.</param>
/// <param name="Strides">Per axis of the loop's domain, how far one step moves in the atom's row-major buffer.</param>
internal sealed record LoopLeaf(Expression Atom, AbstractValue Aval, int[] Strides);

/// <summary>A value of a fused loop: a leaf read (<see cref="Leaf"/> &gt;= 0) or a computed node.</summary>
internal readonly record struct LoopValue(int Leaf, int Node);

/// <summary>One elementwise equation computed inside a fused loop, on values of the loop.</summary>
internal sealed record LoopNode(int Equation, Expression Variable, ElementwiseLowering Lowering, LoopValue[] Args, AbstractValue Aval);

/// <summary>
/// One fused group as a loop nest over a domain: the leaves it reads (each with its own
/// strides, so broadcasts and reshapes are index arithmetic), the elementwise nodes it
/// computes in order, and where its result goes: stored at the output's offsets, or, for a
/// reduction, combined into them. Domain axes that every access walks contiguously are
/// merged, so that most loops are one or two axes deep.
/// </summary>
internal sealed class FusedLoop
{
    private FusedLoop(int[] equations, int[] domain, LoopLeaf[] leaves, LoopNode[] nodes, LoopValue result, int[] outputStrides, AbstractValue output, ReductionLowering? reduction)
    {
        Equations = equations;
        Domain = domain;
        Leaves = leaves;
        Nodes = nodes;
        Result = result;
        OutputStrides = outputStrides;
        Output = output;
        Reduction = reduction;
    }

    /// <summary>The equations the loop computes, in program order; the last is the one it stores.</summary>
    public int[] Equations { get; }

    /// <summary>The loop's axes (at least one); the last is the inner, vectorised loop.</summary>
    public int[] Domain { get; }

    public LoopLeaf[] Leaves { get; }

    public LoopNode[] Nodes { get; }

    /// <summary>The value stored (or, for a reduction, combined) at each domain index.</summary>
    public LoopValue Result { get; }

    /// <summary>Per domain axis, the step in the output buffer (0 along reduced axes).</summary>
    public int[] OutputStrides { get; }

    public AbstractValue Output { get; }

    public ReductionLowering? Reduction { get; }

    /// <summary>The number of rows (all domain axes but the last).</summary>
    public int Rows => Domain.Length == 0 ? 1 : Domain[..^1].Aggregate(1, (a, b) => a * b);

    /// <summary>The length of a row (the last domain axis).</summary>
    public int Columns => Domain[^1];

    /// <summary>
    /// The loop of the group <paramref name="members"/> whose stored value is equation
    /// <paramref name="root"/>; null, with the equation whose index arithmetic failed, when a
    /// member read through a reshape cannot be indexed by axes.
    /// </summary>
    public static FusedLoop? Build(ProgramFacts program, int root, int[] members, out int failing)
    {
        var builder = new Builder(program, members.ToHashSet());
        failing = -1;
        try
        {
            var app = program.Application(root);
            int[] domain, outputStrides;
            LoopValue result;
            var reduction = program.Lowerings[root] as ReductionLowering;
            if (reduction is not null)
            {
                var operand = program.AvalOf(app.Arguments[0]).Shape;
                domain = operand.ToArray();
                var outStrides = app.Aval.Shape.Strides();
                outputStrides = new int[domain.Length];
                for (int d = 0, k = 0; d < domain.Length; d++)
                    if (!reduction.Axes.Contains(d)) outputStrides[d] = outStrides[k++];
                builder.Domain = domain;
                result = builder.Value(app.Arguments[0], operand.Strides());
            }
            else
            {
                domain = app.Aval.Shape.ToArray();
                outputStrides = app.Aval.Shape.Strides();
                builder.Domain = domain;
                result = builder.Value(program.Jaxpr.Equations[root].Variable, outputStrides);
            }
            var (collapsed, leafStrides, outStrided) = Collapse(domain, builder.Leaves.Select(l => l.Strides).ToList(), outputStrides);
            var leaves = builder.Leaves.Select((l, i) => l with { Strides = leafStrides[i] }).ToArray();
            return new FusedLoop(members, collapsed, leaves, builder.Nodes.ToArray(), result, outStrided, app.Aval, reduction);
        }
        catch (IndexingFailure f)
        {
            failing = f.Equation;
            return null;
        }
    }

    /// <summary>
    /// Drops axes of size 1 and merges neighbouring axes that every access (leaves and output)
    /// walks as one: stride[d] = stride[d + 1] * size[d + 1].
    /// </summary>
    private static (int[] Domain, List<int[]> Leaves, int[] Output) Collapse(int[] domain, List<int[]> leaves, int[] output)
    {
        var all = leaves.Append(output).ToList();
        var keep = Enumerable.Range(0, domain.Length).Where(d => domain[d] != 1).ToList();
        var dims = keep.Select(d => domain[d]).ToList();
        var strides = all.Select(s => keep.Select(d => s[d]).ToList()).ToList();
        for (var d = dims.Count - 2; d >= 0; d--)
        {
            if (!strides.All(s => s[d] == s[d + 1] * dims[d + 1])) continue;
            dims[d] *= dims[d + 1];
            dims.RemoveAt(d + 1);
            foreach (var s in strides) s.RemoveAt(d);
        }
        if (dims.Count == 0)
        {
            dims.Add(1);
            foreach (var s in strides) s.Add(0);
        }
        return (dims.ToArray(), strides.Take(leaves.Count).Select(s => s.ToArray()).ToList(), strides[^1].ToArray());
    }

    private sealed class IndexingFailure(int equation) : Exception
    {
        public int Equation { get; } = equation;
    }

    /// <summary>Walks the group from its result to its leaves, giving every value the strides it is read at.</summary>
    private sealed class Builder(ProgramFacts program, HashSet<int> members)
    {
        private readonly Dictionary<string, LoopValue> _values = [];
        private readonly Dictionary<Expression, int> _atomIds = new(ReferenceEqualityComparer.Instance);

        public int[] Domain { get; set; } = [];
        public List<LoopLeaf> Leaves { get; } = [];
        public List<LoopNode> Nodes { get; } = [];

        public LoopValue Value(Expression atom, int[] strides)
        {
            if (!_atomIds.TryGetValue(atom, out var id)) _atomIds[atom] = id = _atomIds.Count;
            var key = $"{id}:{string.Join(",", strides)}";
            if (_values.TryGetValue(key, out var known)) return known;
            LoopValue value;
            if (!program.EquationOf.TryGetValue(atom, out var eq) || !members.Contains(eq))
            {
                Leaves.Add(new LoopLeaf(atom, program.AvalOf(atom), strides));
                value = new LoopValue(Leaves.Count - 1, -1);
            }
            else
            {
                var app = program.Application(eq);
                value = program.Lowerings[eq] switch
                {
                    ViewLowering { Strides: null } => Value(app.Arguments[0], strides),
                    ViewLowering { Strides: { } view } => Value(app.Arguments[0], Through(eq, strides, app.Aval.Shape, view)),
                    ElementwiseLowering e => Node(eq, e, app, strides),
                    var other => throw new InvalidOperationException($"fusion: {app.Primitive.Name} ({other.GetType().Name}) cannot be inside a loop"),
                };
            }
            return _values[key] = value;
        }

        private LoopValue Node(int eq, ElementwiseLowering lowering, PrimitiveExpression app, int[] strides)
        {
            var shape = app.Aval.Shape;
            var args = app.Arguments.Select(a =>
            {
                var argShape = program.AvalOf(a).Shape;
                if (argShape.Equals(shape)) return Value(a, strides);
                if (argShape.Size == 1) return Value(a, new int[Domain.Length]);
                var aligned = new int[shape.Rank];
                var argStrides = argShape.Strides();
                for (var k = 0; k < shape.Rank; k++)
                {
                    var j = k - (shape.Rank - argShape.Rank);
                    aligned[k] = j < 0 || argShape[j] == 1 ? 0 : argStrides[j];
                }
                return Value(a, Through(eq, strides, shape, aligned));
            }).ToArray();
            Nodes.Add(new LoopNode(eq, program.Jaxpr.Equations[eq].Variable, lowering, args, app.Aval));
            return new LoopValue(-1, Nodes.Count - 1);
        }

        /// <summary>
        /// The strides of a value read through index map <paramref name="map"/> (per axis of
        /// <paramref name="shape"/>) from a value of <paramref name="shape"/> read at <paramref name="strides"/>.
        /// </summary>
        private int[] Through(int eq, int[] strides, Shape shape, IReadOnlyList<int> map)
        {
            var rowMajor = shape.Strides();
            var result = new int[strides.Length];
            for (var d = 0; d < strides.Length; d++)
            {
                if (Domain[d] == 1 || strides[d] == 0) continue;
                var k = Enumerable.Range(0, shape.Rank).Where(k => shape[k] == Domain[d] && rowMajor[k] == strides[d]).DefaultIfEmpty(-1).First();
                if (k < 0) throw new IndexingFailure(eq);
                result[d] = map[k];
            }
            return result;
        }
    }
}
