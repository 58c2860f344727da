using JaxSharp.Cpu;
using JaxSharp.Primitives.Indexing;

namespace JaxSharp.Primitives.Shapes;

/// <summary>The parameters of <see cref="Sort"/>.</summary>
/// <param name="Dimension">The axis sorted along.</param>
/// <param name="NumKeys">How many leading operands are the keys, compared in order (lexicographically); the rest are carried along.</param>
public sealed record SortParams(int Dimension, int NumKeys = 1) : PrimitiveParams;

/// <summary>
/// <c>sort</c> (JAX's <c>lax.sort</c>): operands of one shape sorted together along one axis,
/// by the first <see cref="SortParams.NumKeys"/> of them compared lexicographically, stable,
/// NaNs last and -0.0 equal to 0.0 (as JAX and numpy); every operand is permuted alike, so
/// sorting <c>x</c> with an iota gives the sorted values and the positions that sort it in one
/// equation. One output per operand.
/// </summary>
public sealed class Sort : MultiOutputPrimitive
{
    /// <summary>The primitive.</summary>
    public static readonly Sort Instance = new();
    private Sort() { }

    /// <inheritdoc/>
    public override string Name => "sort";

    /// <inheritdoc/>
    public override AbstractValue[] InferShapes(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var (d, numKeys) = (SortParams)parameters;
        if (inputs.Count == 0) throw new ArgumentException("sort: no operands; give at least one tensor to sort");
        var x = inputs[0];
        if (numKeys < 1 || numKeys > inputs.Count)
            throw new ArgumentException($"sort: numKeys {numKeys} is out of range for {inputs.Count} operand(s); it counts the leading operands that are keys, from 1 to the number of operands");
        if (d < 0 || d >= x.Rank)
            throw new ArgumentException($"sort: dimension {d} is out of range for shape {x.Shape} (rank {x.Rank}); a scalar cannot be sorted");
        for (var i = 1; i < inputs.Count; i++)
            if (!inputs[i].Shape.Equals(x.Shape))
                throw new ArgumentException($"sort: operand {i} has shape {inputs[i].Shape} but operand 0 has {x.Shape}; operands sorted together must have one shape (broadcast them first)");
        return inputs.ToArray();
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var shape = context.Inputs[0].Shape;
        var (d, numKeys) = (SortParams)context.Params;
        var starts = IndexMath.AxisOffsets(shape, Enumerable.Range(0, shape.Rank).Where(a => a != d));
        return new MultiKernelLowering(new SortKernel(starts, shape[d], shape.Strides()[d], numKeys).Run);
    }

    /// <summary>
    /// As JAX: each output tangent is its operand's tangent permuted like the values,
    /// <c>take_along_axis(dx, perm)</c>, with the permutation from the same sort carrying an
    /// iota, so ties (stable order) and NaNs (last) carry their own tangents along.
    /// </summary>
    public override Tensor?[] JvpMany(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, IReadOnlyList<Tensor> outputs, PrimitiveParams parameters)
    {
        if (tangents.All(t => t is null)) return new Tensor?[outputs.Count];
        var (d, numKeys) = (SortParams)parameters;
        var x = primals[0];
        var iota = Iota.Instance.Bind(new IotaParams(DType.Int32, x.Shape, d));
        var order = Instance.BindMany(new SortParams(d, numKeys), [.. primals, iota])[^1];
        var indices = ExpandDims.Instance.Bind(new ExpandDimsParams(new Ints(x.Rank)), order);
        // out[..., j, ...] = dx[..., order[..., j, ...], ...]: a gather along d, batched over every other axis
        var others = new Ints(Enumerable.Range(0, x.Rank).Where(a => a != d));
        var dn = new GatherDimensionNumbers(Ints.Empty, new Ints(d), new Ints(d), others, others);
        var gather = new GatherParams(dn, new Ints(Enumerable.Repeat(1, x.Rank)), GatherScatterMode.Clip);
        return tangents.Select(t => t is null ? null : Gather.Instance.Bind(gather, t, indices)).ToArray();
    }

    /// <summary>Every operand with its batch axis in front (unbatched ones broadcast), sorted along the axis one further in.</summary>
    public override (Tensor[] Results, int?[] BatchAxes) BatchMany(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var (d, numKeys) = (SortParams)parameters;
        var size = Rules.BatchSize(args, batchAxes);
        var moved = args.Select((a, i) => Rules.BatchToFront(a, batchAxes[i], size)).ToArray();
        var results = Instance.BindMany(new SortParams(d + 1, numKeys), moved);
        return (results, results.Select(_ => (int?)0).ToArray());
    }

    /// <summary>
    /// One key operand's view of a lane: <c>Load</c> copies the lane's values into a contiguous
    /// scratch array, and <c>Compare</c> orders two lane positions by them ascending, NaN after
    /// everything, -0.0 equal to 0.0.
    /// </summary>
    private static (Action<int[]> Load, Comparison<int> Compare) LaneKey(Array keys, int length)
    {
        switch (keys)
        {
            case float[] x:
            {
                var v = new float[length];
                return (lane => { for (var j = 0; j < v.Length; j++) v[j] = x[lane[j]]; },
                    (a, b) => float.IsNaN(v[a]) ? (float.IsNaN(v[b]) ? 0 : 1) : float.IsNaN(v[b]) ? -1 : v[a].CompareTo(v[b]));
            }
            case double[] x:
            {
                var v = new double[length];
                return (lane => { for (var j = 0; j < v.Length; j++) v[j] = x[lane[j]]; },
                    (a, b) => double.IsNaN(v[a]) ? (double.IsNaN(v[b]) ? 0 : 1) : double.IsNaN(v[b]) ? -1 : v[a].CompareTo(v[b]));
            }
            // The CLR lets int[] and uint[] match each other's patterns (array covariance): test the exact type.
            case uint[] x when keys.GetType() == typeof(uint[]): return Plain(x, length);
            case int[] x: return Plain(x, length);
            case bool[] x: return Plain(x, length);
            default: throw new NotSupportedException($"sort kernel: {keys.GetType().Name}");
        }
    }

    private static (Action<int[]> Load, Comparison<int> Compare) Plain<T>(T[] x, int length) where T : IComparable<T>
    {
        var v = new T[length];
        return (lane => { for (var j = 0; j < v.Length; j++) v[j] = x[lane[j]]; }, (a, b) => v[a].CompareTo(v[b]));
    }

    /// <summary>Writes <c>output[lane[j]] = input[lane[order[j]]]</c> for the lane.</summary>
    private static void Permute(Array input, Array output, int[] lane, int[] order)
    {
        switch (input)
        {
            case float[] x: PermuteTyped(x, (float[])output, lane, order); break;
            case double[] x: PermuteTyped(x, (double[])output, lane, order); break;
            case int[] x: PermuteTyped(x, (int[])output, lane, order); break;
            case uint[] x: PermuteTyped(x, (uint[])output, lane, order); break;
            case bool[] x: PermuteTyped(x, (bool[])output, lane, order); break;
            default: throw new NotSupportedException($"sort kernel: {input.GetType().Name}");
        }
    }

    private static void PermuteTyped<T>(T[] input, T[] output, int[] lane, int[] order)
    {
        for (var j = 0; j < lane.Length; j++) output[lane[j]] = input[lane[order[j]]];
    }

    private sealed class SortKernel(int[] starts, int length, int stride, int numKeys)
    {
        public void Run(Array[] inputs, Array[] outputs)
        {
            var lane = new int[length];
            var order = new int[length];
            var keys = inputs.Take(numKeys).Select(k => LaneKey(k, length)).ToArray();
            var first = keys[0].Compare;
            // lexicographic over the keys; ties keep their original order: stable
            Comparison<int> compare = keys.Length == 1
                ? (a, b) => first(a, b) is var c && c != 0 ? c : a.CompareTo(b)
                : (a, b) =>
                {
                    foreach (var key in keys)
                        if (key.Compare(a, b) is var c && c != 0) return c;
                    return a.CompareTo(b);
                };
            foreach (var start in starts)
            {
                for (var j = 0; j < length; j++) { lane[j] = start + j * stride; order[j] = j; }
                foreach (var key in keys) key.Load(lane);
                Array.Sort(order, compare);
                for (var i = 0; i < inputs.Length; i++) Permute(inputs[i], outputs[i], lane, order);
            }
        }
    }
}
