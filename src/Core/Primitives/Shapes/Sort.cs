using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Shapes;

/// <summary>The parameters of <see cref="Sort"/> and <see cref="Argsort"/>.</summary>
/// <param name="Dimension">The axis sorted along.</param>
public sealed record SortParams(int Dimension) : PrimitiveParams;

/// <summary>
/// The common part of <c>sort</c> and <c>argsort</c>: a stable ascending sort of each lane
/// along one axis, NaNs last and -0.0 equal to 0.0 (as JAX and numpy).
/// </summary>
public abstract class LaneSort : Primitive
{
    /// <summary>The output dtype for an operand of <paramref name="input"/>.</summary>
    protected abstract DType OutputDType(DType input);

    /// <summary>Writes lane element j of the result: <c>output[lane[j]]</c> from the source offset <c>lane[order[j]]</c>.</summary>
    protected abstract void Write<T>(T[] input, Array output, int[] lane, int[] order);

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        ShapeChecks.Arity(Name, inputs, 1, "operand");
        var x = inputs[0];
        var d = ((SortParams)parameters).Dimension;
        if (d < 0 || d >= x.Rank)
            throw new ArgumentException($"{Name}: dimension {d} is out of range for shape {x.Shape} (rank {x.Rank}); a scalar cannot be sorted");
        var dtype = OutputDType(x.DType);
        return new AbstractValue(x.Shape, dtype, x.Weak && dtype == x.DType);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var shape = context.Inputs[0].Shape;
        var d = ((SortParams)context.Params).Dimension;
        var starts = IndexMath.AxisOffsets(shape, Enumerable.Range(0, shape.Rank).Where(a => a != d));
        return new KernelLowering(new SortKernel(this, starts, shape[d], shape.Strides()[d]).ToAction());
    }

    /// <summary>The axis sorted along renumbered around the batch axis, which stays in place: each lane is one example's.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var b = batchAxes[0]!.Value;
        var d = ((SortParams)parameters).Dimension;
        return (Bind(new SortParams(d < b ? d : d + 1), args[0]), b);
    }

    /// <summary>Ascending total order: NaN after everything, -0.0 equal to 0.0.</summary>
    private static int CompareValues<T>(T a, T b) => (a, b) switch
    {
        (float x, float y) => float.IsNaN(x) ? (float.IsNaN(y) ? 0 : 1) : float.IsNaN(y) ? -1 : x.CompareTo(y),
        (double x, double y) => double.IsNaN(x) ? (double.IsNaN(y) ? 0 : 1) : double.IsNaN(y) ? -1 : x.CompareTo(y),
        _ => Comparer<T>.Default.Compare(a, b),
    };

    private sealed class SortKernel(LaneSort sort, int[] starts, int length, int stride) : TypedKernel
    {
        protected override string Op => sort.Name;
        protected override int TypeSource => 0;

        protected override void Run<T>(Array[] inputs, Array output)
        {
            var x = (T[])inputs[0];
            var lane = new int[length];
            var order = new int[length];
            var values = new T[length];
            foreach (var start in starts)
            {
                for (var j = 0; j < length; j++) { lane[j] = start + j * stride; order[j] = j; values[j] = x[lane[j]]; }
                // ties keep their original order: stable
                Array.Sort(order, (a, b) => CompareValues(values[a], values[b]) is var c && c != 0 ? c : a.CompareTo(b));
                sort.Write(x, output, lane, order);
            }
        }
    }
}

/// <summary><c>sort</c>: the operand sorted ascending along one axis, stable, NaNs last.</summary>
public sealed class Sort : LaneSort
{
    /// <summary>The primitive.</summary>
    public static readonly Sort Instance = new();
    private Sort() { }
    /// <inheritdoc/>
    public override string Name => "sort";
    /// <inheritdoc/>
    protected override DType OutputDType(DType input) => input;

    /// <summary>
    /// As JAX: the tangent is permuted like the values, <c>take_along_axis(dx, argsort(x))</c>, so
    /// ties (stable order) and NaNs (last) carry their own tangents along.
    /// </summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        var x = primals[0];
        var d = ((SortParams)parameters).Dimension;
        var order = Argsort.Instance.Bind(parameters, x);
        var indices = ExpandDims.Instance.Bind(new ExpandDimsParams(new Ints(x.Rank)), order);
        // out[..., j, ...] = dx[..., order[..., j, ...], ...]: a gather along d, batched over every other axis
        var others = new Ints(Enumerable.Range(0, x.Rank).Where(a => a != d));
        var dn = new GatherDimensionNumbers(Ints.Empty, new Ints(d), new Ints(d), others, others);
        var sizes = new Ints(Enumerable.Repeat(1, x.Rank));
        return Indexing.Gather.Instance.Bind(new Indexing.GatherParams(dn, sizes, GatherScatterMode.Clip), tangents[0]!, indices);
    }

    /// <inheritdoc/>
    protected override void Write<T>(T[] input, Array output, int[] lane, int[] order)
    {
        var o = (T[])output;
        for (var j = 0; j < lane.Length; j++) o[lane[j]] = input[lane[order[j]]];
    }
}
