using JaxSharp.Cpu;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp.Primitives.Indexing;

/// <summary>The parameters of <see cref="Slice"/>.</summary>
/// <param name="StartIndices">The first index taken along each axis.</param>
/// <param name="LimitIndices">The end (exclusive) along each axis.</param>
/// <param name="Strides">The step along each axis (at least 1).</param>
public sealed record SliceParams(Ints StartIndices, Ints LimitIndices, Ints Strides) : PrimitiveParams;

/// <summary><c>slice</c>: a static, strided box of the operand: <c>x[start:limit:stride]</c> along every axis.</summary>
public sealed class Slice : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly Slice Instance = new();
    private Slice() { }
    /// <inheritdoc/>
    public override string Name => "slice";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        ShapeChecks.Arity(Name, inputs, 1, "operand");
        var x = inputs[0];
        var p = (SliceParams)parameters;
        if (p.StartIndices.Count != x.Rank || p.LimitIndices.Count != x.Rank || p.Strides.Count != x.Rank)
            throw new ArgumentException($"slice: operand of shape {x.Shape} needs {x.Rank} start_indices, limit_indices and strides, got {p.StartIndices}, {p.LimitIndices}, {p.Strides}");
        var dims = new int[x.Rank];
        for (var d = 0; d < x.Rank; d++)
        {
            var (start, limit, stride) = (p.StartIndices[d], p.LimitIndices[d], p.Strides[d]);
            if (start < 0 || start > limit || limit > x.Shape[d])
                throw new ArgumentException($"slice: start_indices {p.StartIndices} and limit_indices {p.LimitIndices} do not fit shape {x.Shape} at axis {d}; need 0 <= start <= limit <= {x.Shape[d]}");
            if (stride < 1) throw new ArgumentException($"slice: strides {p.Strides} has {stride} at axis {d}; strides must be >= 1 (reverse with rev)");
            dims[d] = (limit - start + stride - 1) / stride;
        }
        return new AbstractValue(new Shape(dims), x.DType, x.Weak);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var p = (SliceParams)context.Params;
        var inStrides = context.Inputs[0].Shape.Strides();
        var start = Enumerable.Range(0, inStrides.Length).Sum(d => p.StartIndices[d] * inStrides[d]);
        var strides = Enumerable.Range(0, inStrides.Length).Select(d => p.Strides[d] * inStrides[d]).ToArray();
        return new KernelLowering(IndexMath.GatherKernel(IndexMath.StridedOffsets(context.Output.Shape, strides, start)));
    }

    /// <summary>Linear: the tangent is sliced the same way.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        Bind(parameters, tangents[0]!);

    /// <summary>
    /// The cotangent padded with zeros back to the operand's shape (JAX's <c>_slice_transpose_rule</c>):
    /// start elements before, the rest after the last one taken, stride - 1 between neighbours.
    /// </summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var p = (SliceParams)parameters;
        var shape = inputs[0].Shape;
        // the last element taken along d is start + (n - 1) * stride; an empty slice takes none
        var realLimits = Enumerable.Range(0, shape.Rank)
            .Select(d => p.StartIndices[d] + (cotangent.Shape[d] == 0 ? 0 : 1 + (cotangent.Shape[d] - 1) * p.Strides[d])).ToArray();
        var pads = new PadParams(p.StartIndices, new Ints(Enumerable.Range(0, shape.Rank).Select(d => shape[d] - realLimits[d])),
            new Ints(p.Strides.Select(s => s - 1)));
        return [Pad.Instance.Bind(pads, cotangent, Rules.Zeros(new AbstractValue(Shape.Scalar, cotangent.DType)))];
    }

    /// <summary>The whole batch axis is kept (start 0, limit its size, stride 1), in place.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var p = (SliceParams)parameters;
        var b = batchAxes[0]!.Value;
        static Ints Insert(Ints xs, int at, int v) { var l = xs.ToList(); l.Insert(at, v); return new Ints(l); }
        var batched = new SliceParams(Insert(p.StartIndices, b, 0), Insert(p.LimitIndices, b, args[0].Shape[b]), Insert(p.Strides, b, 1));
        return (Bind(batched, args[0]), b);
    }
}
