using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Reductions;

/// <summary>The parameters of a reduction: the axes reduced away.</summary>
/// <param name="Axes">Distinct axes in [0, rank), sorted.</param>
public sealed record ReduceParams(Ints Axes) : PrimitiveParams;

/// <summary>
/// What every reduction over some axes shares: the shape rule (the output drops the reduced
/// axes; the axes must be distinct and in range) and the offsets a kernel reads: the start of
/// each output element's group and the offsets within one group, both row-major.
/// </summary>
public abstract class AxisReduction : Primitive
{
    /// <summary>The reduced axes, from the parameters.</summary>
    protected virtual Ints AxesOf(PrimitiveParams parameters) => ((ReduceParams)parameters).Axes;

    /// <summary>The parameters with the reduced axes replaced by <paramref name="axes"/> (for batching).</summary>
    protected virtual PrimitiveParams WithAxes(PrimitiveParams parameters, Ints axes) => new ReduceParams(axes);

    /// <summary>Whether the reduction accepts <paramref name="dtype"/>; numeric dtypes by default.</summary>
    protected virtual bool Accepts(DType dtype) => dtype != DType.Bool;

    /// <summary>What the reduction accepts and how to convert, for error messages.</summary>
    protected virtual string AcceptedDescription => "a numeric array (not bool); convert it first, e.g. Np.AsType(x, DType.Int32)";

    /// <summary>The output dtype and weak flag for input <paramref name="x"/>; the input's by default.</summary>
    protected virtual (DType DType, bool Weak) OutputType(AbstractValue x, PrimitiveParams parameters) => (x.DType, x.Weak);

    /// <summary>Further checks of the axes against the input (e.g. exactly one non-empty axis).</summary>
    protected virtual void CheckAxes(AbstractValue x, Ints axes) { }

    /// <summary>
    /// The kernel: <paramref name="groupStarts"/>[o] is where output element o's group starts in
    /// the input, <paramref name="groupOffsets"/> the offsets of the group's elements from there.
    /// </summary>
    protected virtual Action<Array[], Array> Kernel(LoweringContext context, int[] groupStarts, int[] groupOffsets) => throw MissingRule(nameof(LowerCpu));

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"{Name}: takes 1 argument, got {inputs.Count}");
        var x = inputs[0];
        var axes = AxesOf(parameters);
        if (!Accepts(x.DType))
            throw new ArgumentException($"{Name}: expected {AcceptedDescription}; got {x.DType.Name()}{x.Shape}");
        foreach (var a in axes)
            if (a < 0 || a >= x.Rank)
                throw new ArgumentException($"{Name}: axis {a} is out of range for shape {x.Shape} (rank {x.Rank}); use axes in [0, {x.Rank})");
        if (axes.Repeats())
            throw new ArgumentException($"{Name}: axes {axes} repeat an axis; give each axis once");
        CheckAxes(x, axes);
        var kept = KeptAxes(x.Rank, axes);
        var dims = new int[kept.Length];
        for (var k = 0; k < dims.Length; k++) dims[k] = x.Shape[kept[k]];
        var (dtype, weak) = OutputType(x, parameters);
        return new AbstractValue(new Shape(dims), dtype, weak);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var shape = context.Inputs[0].Shape;
        var axes = AxesOf(context.Params);
        var starts = IndexMath.AxisOffsets(shape, KeptAxes(shape.Rank, axes));
        var offsets = IndexMath.AxisOffsets(shape, axes);
        return new KernelLowering(Kernel(context, starts, offsets));
    }

    /// <summary>
    /// The reduced axes renumbered around the batch axis, which is never reduced and survives at
    /// its position less the reduced axes before it: no data moves.
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var b = batchAxes[0]!.Value;
        var axes = AxesOf(parameters);
        // per-example axis a is axis a (a < b) or a + 1 (a >= b) of the batched operand
        var shifted = new Ints(axes.Select(a => a < b ? a : a + 1));
        return (Bind(WithAxes(parameters, shifted), args[0]), b - axes.Count(a => a < b));
    }

    /// <summary><paramref name="reduced"/> (shaped like the output) broadcast back along the reduced axes to <paramref name="input"/>'s shape.</summary>
    protected static Tensor BroadcastBack(Tensor reduced, Shape input, Ints axes)
    {
        return Shapes.BroadcastInDim.Instance.Bind(new Shapes.BroadcastInDimParams(input, new Ints(KeptAxes(input.Rank, axes))), reduced);
    }

    /// <summary>The axes of a rank-<paramref name="rank"/> input that are not reduced, in order (a loop: LINQ over int is JIT-compiled in every process).</summary>
    private static int[] KeptAxes(int rank, Ints axes)
    {
        var kept = new List<int>();
        for (var d = 0; d < rank; d++)
            if (!axes.Contains(d)) kept.Add(d);
        return kept.ToArray();
    }
}
