namespace JaxSharp.Primitives.Convolution;

/// <summary>The transpose and batching rules of <c>conv_general_dilated</c>, as JAX's (jax/_src/lax/convolution.py).</summary>
public sealed partial class ConvGeneralDilated
{
    /// <summary>
    /// Linear in one operand at a time (JAX's <c>_conv_general_dilated_transpose_lhs</c>/<c>_rhs</c>):
    /// the input's cotangent is a convolution of the output cotangent with the reversed kernel, input
    /// and output features swapped; the kernel's is a convolution of the input with the output
    /// cotangent, batch and feature axes swapped.
    /// </summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (primals[0] is null == primals[1] is null)
            throw new InvalidOperationException("conv_general_dilated: transposed with respect to both or neither operand; it is linear in one operand at a time");
        var p = (ConvParams)parameters;
        return primals[0] is null
            ? [TransposeLhs(cotangent, inputs[0], primals[1]!, p), null]
            : [null, TransposeRhs(cotangent, primals[0]!, inputs[1], p)];
    }

    private Tensor TransposeLhs(Tensor g, AbstractValue lhs, Tensor rhs, ConvParams p)
    {
        var dn = p.DimensionNumbers;
        var (lhsSpatial, rhsSpatial, outSpatial) = (ConvDimensionNumbers.Spatial(dn.Lhs), ConvDimensionNumbers.Spatial(dn.Rhs), ConvDimensionNumbers.Spatial(dn.Out));
        var groups = p.FeatureGroupCount;
        if (p.FeatureGroupCount > 1 || p.BatchGroupCount > 1)
        {
            // the group axis moves from the kernel's output features into its input features
            var count = Math.Max(p.FeatureGroupCount, p.BatchGroupCount);
            rhs = ReshapeAxisInto(dn.Rhs[0], dn.Rhs[1], ReshapeAxisOutOf(dn.Rhs[0], count, rhs));
            groups = count;
        }
        var (low, high) = VjpLhsPadding(Sizes(lhs.Shape, lhsSpatial), Sizes(rhs.Shape, rhsSpatial), p.WindowStrides, Sizes(g.Shape, outSpatial), p.PaddingLow, p.LhsDilation, p.RhsDilation);
        var reversed = Lax.Rev(rhs, new Ints(rhsSpatial));
        var dims = new ConvDimensionNumbers(dn.Out, ConvDimensionNumbers.SwapFirstTwo(dn.Rhs), dn.Lhs);
        var transposed = new ConvParams(p.LhsDilation, low, high, p.WindowStrides, p.RhsDilation, dims, groups, 1);
        var result = Bind(transposed, g, reversed);
        if (p.BatchGroupCount > 1)
            result = ReshapeAxisInto(dn.Lhs[1], dn.Lhs[0], ReshapeAxisOutOf(dn.Lhs[1], p.BatchGroupCount, result));
        return result;
    }

    private Tensor TransposeRhs(Tensor g, Tensor lhs, AbstractValue rhs, ConvParams p)
    {
        // a convolution whose kernel would have a spatial size of 0 is degenerate: the cotangent is zero
        if (g.Shape.Size == 0) return Rules.Zeros(rhs);
        var dn = p.DimensionNumbers;
        var (lhsSpatial, rhsSpatial, outSpatial) = (ConvDimensionNumbers.Spatial(dn.Lhs), ConvDimensionNumbers.Spatial(dn.Rhs), ConvDimensionNumbers.Spatial(dn.Out));
        // feature groups of the forward convolution are batch groups of this one, and the other way round
        var (featureGroups, batchGroups) = (p.BatchGroupCount, p.FeatureGroupCount);
        var dims = new ConvDimensionNumbers(ConvDimensionNumbers.SwapFirstTwo(dn.Lhs), ConvDimensionNumbers.SwapFirstTwo(dn.Out), ConvDimensionNumbers.SwapFirstTwo(dn.Rhs));
        var (low, high) = VjpRhsPadding(Sizes(lhs.Shape, lhsSpatial), Sizes(rhs.Shape, rhsSpatial), p.WindowStrides, Sizes(g.Shape, outSpatial), p.PaddingLow, p.LhsDilation, p.RhsDilation);
        var transposed = new ConvParams(p.RhsDilation, low, high, p.LhsDilation, p.WindowStrides, dims, featureGroups, batchGroups);
        return Bind(transposed, lhs, g);
    }

    private static int[] Sizes(Shape shape, int[] axes) => axes.Select(a => shape[a]).ToArray();

    /// <summary>JAX's <c>_conv_general_vjp_lhs_padding</c>.</summary>
    private static (Ints Low, Ints High) VjpLhsPadding(int[] input, int[] window, Ints strides, int[] output, Ints low, Ints lhsDilation, Ints rhsDilation)
    {
        var (before, after) = (new int[input.Length], new int[input.Length]);
        for (var i = 0; i < input.Length; i++)
        {
            var (lhsDilated, rhsDilated, outDilated) = (Dilate(input[i], lhsDilation[i]), Dilate(window[i], rhsDilation[i]), Dilate(output[i], strides[i]));
            before[i] = rhsDilated - low[i] - 1;
            after[i] = lhsDilated + rhsDilated - 1 - outDilated - before[i];
        }
        return (new Ints(before), new Ints(after));
    }

    /// <summary>JAX's <c>_conv_general_vjp_rhs_padding</c>.</summary>
    private static (Ints Low, Ints High) VjpRhsPadding(int[] input, int[] window, Ints strides, int[] output, Ints low, Ints lhsDilation, Ints rhsDilation)
    {
        var high = new int[input.Length];
        for (var i = 0; i < input.Length; i++)
        {
            var (lhsDilated, rhsDilated, outDilated) = (Dilate(input[i], lhsDilation[i]), Dilate(window[i], rhsDilation[i]), Dilate(output[i], strides[i]));
            high[i] = outDilated - lhsDilated + rhsDilated - low[i] - 1;
        }
        return (low, new Ints(high));
    }

    /// <summary>
    /// JAX's <c>_conv_general_dilated_batch_rule</c>: a batched input folds its batch axis into the
    /// convolution's batch axis (or its batch groups); a batched kernel into its output features
    /// (or, with groups, inside each group); both batched become feature (or batch) groups.
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var p = (ConvParams)parameters;
        var dn = p.DimensionNumbers;
        var (lhs, rhs) = (args[0], args[1]);
        var (lb, rb) = (batchAxes[0], batchAxes[1]);
        if (lb is null && rb is null) return (Bind(p, lhs, rhs), null);
        var size = lb is { } l0 ? lhs.Shape[l0] : rhs.Shape[rb!.Value];
        if (size == 0)
        {
            var unbatched = InferShape([Unbatched(lhs, lb), Unbatched(rhs, rb)], p);
            return (Rules.Full(0, unbatched.DType, new Shape([0, .. unbatched.Shape])), 0);
        }
        if (lb is { } l && rb is { } r)
        {
            var folded = p.BatchGroupCount > 1
                ? (ReshapeAxisInto(l, dn.Lhs[0], lhs), p with { BatchGroupCount = p.BatchGroupCount * size })
                : (ReshapeAxisInto(l, dn.Lhs[1], lhs), p with { FeatureGroupCount = p.FeatureGroupCount * size });
            var result = Bind(folded.Item2, folded.Item1, ReshapeAxisInto(r, dn.Rhs[0], rhs));
            return (ReshapeAxisOutOf(dn.Out[1], size, result), dn.Out[1]);
        }
        if (lb is { } lOnly)
        {
            Tensor newLhs;
            if (p.BatchGroupCount == 1) newLhs = ReshapeAxisInto(lOnly, dn.Lhs[0], lhs);
            else
            {
                // the example axis goes inside each batch group
                newLhs = ReshapeAxisOutOf(dn.Lhs[0] + (lOnly <= dn.Lhs[0] ? 1 : 0), p.BatchGroupCount, lhs);
                newLhs = ReshapeAxisInto(lOnly + (dn.Lhs[0] < lOnly ? 1 : 0), dn.Lhs[0] + 1, newLhs);
                newLhs = ReshapeAxisInto(dn.Lhs[0], dn.Lhs[0], newLhs);
            }
            return (ReshapeAxisOutOf(dn.Out[0], size, Bind(p, newLhs, rhs)), dn.Out[0]);
        }
        var rOnly = rb!.Value;
        if (p.FeatureGroupCount == 1 && p.BatchGroupCount == 1)
            return (ReshapeAxisOutOf(dn.Out[1], size, Bind(p, lhs, ReshapeAxisInto(rOnly, dn.Rhs[0], rhs))), dn.Out[1]);
        // groups stay outermost in the kernel's output features: the example axis goes inside each group
        var groupCount = Math.Max(p.FeatureGroupCount, p.BatchGroupCount);
        var newRhs = ReshapeAxisOutOf(dn.Rhs[0] + (rOnly <= dn.Rhs[0] ? 1 : 0), groupCount, rhs);
        newRhs = ReshapeAxisInto(rOnly + (dn.Rhs[0] < rOnly ? 1 : 0), dn.Rhs[0] + 1, newRhs);
        newRhs = ReshapeAxisInto(dn.Rhs[0], dn.Rhs[0], newRhs);
        var output = Bind(p, lhs, newRhs);
        output = ReshapeAxisOutOf(dn.Out[1], groupCount, output);
        output = ReshapeAxisOutOf(dn.Out[1] + 1, size, output);
        return (ReshapeAxisInto(dn.Out[1], dn.Out[1] + 1, output), dn.Out[1]);
    }

    private static AbstractValue Unbatched(Tensor x, int? axis) =>
        axis is { } a ? new AbstractValue(new Shape(x.Shape.Where((_, d) => d != a)), x.DType, x.IsWeaklyTyped) : x.Aval;

    /// <summary>
    /// JAX's <c>_reshape_axis_into</c>: axis <paramref name="source"/> merged into axis
    /// <paramref name="target"/> (numbered without the source), as its major part.
    /// </summary>
    internal static Tensor ReshapeAxisInto(int source, int target, Tensor x)
    {
        var order = Enumerable.Range(0, x.Rank).Where(d => d != source).ToList();
        order.Insert(target, source);
        var sizes = x.Shape.Where((_, d) => d != source).ToArray();
        sizes[target] *= x.Shape[source];
        var moved = order.Select((a, k) => a == k).All(same => same) ? x : Lax.Transpose(x, new Ints(order));
        return Lax.Reshape(moved, new Shape(sizes));
    }

    /// <summary>JAX's <c>_reshape_axis_out_of</c>: axis <paramref name="source"/> split into (<paramref name="major"/>, size / major).</summary>
    internal static Tensor ReshapeAxisOutOf(int source, int major, Tensor x)
    {
        var sizes = x.Shape.ToList();
        var minor = sizes[source] / major;
        sizes[source] = minor;
        sizes.Insert(source, major);
        return Lax.Reshape(x, new Shape(sizes));
    }
}
