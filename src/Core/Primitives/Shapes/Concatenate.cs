using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Shapes;

/// <summary>The parameters of <see cref="Concatenate"/>.</summary>
/// <param name="Dimension">The axis the operands are joined along.</param>
public sealed record ConcatenateParams(int Dimension) : PrimitiveParams;

/// <summary>
/// <c>concatenate</c>: joins operands of one dtype and rank along an axis; all other axes
/// must have equal sizes.
/// </summary>
public sealed class Concatenate : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly Concatenate Instance = new();
    private Concatenate() { }
    /// <inheritdoc/>
    public override string Name => "concatenate";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count == 0) throw new ArgumentException("concatenate: needs at least one operand");
        var axis = ((ConcatenateParams)parameters).Dimension;
        var first = inputs[0];
        if (axis < 0 || axis >= first.Rank)
            throw new ArgumentException($"concatenate: dimension {axis} is out of range for operands of shape {first.Shape} (rank {first.Rank}); scalars cannot be concatenated");
        var size = 0L;
        foreach (var x in inputs)
        {
            ShapeChecks.SameDType(Name, first, $"operand {first.Shape}", x, $"operand {x.Shape}");
            var same = x.Rank == first.Rank && Enumerable.Range(0, x.Rank).All(d => d == axis || x.Shape[d] == first.Shape[d]);
            if (!same)
                throw new ArgumentException($"concatenate: shapes {string.Join(", ", inputs.Select(i => i.Shape.ToString()))} differ outside axis {axis}; all axes but the joined one must have equal sizes");
            size += x.Shape[axis];
        }
        var dims = first.Shape.Select(d => (long)d).ToArray();
        dims[axis] = size;
        return new AbstractValue(TensorLimits.Shape(Name, dims), first.DType, inputs.All(i => i.Weak));
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var axis = ((ConcatenateParams)context.Params).Dimension;
        var outShape = context.Output.Shape;
        var outer = outShape.Take(axis).Aggregate(1, (a, b) => a * b);
        var inner = outShape.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        var chunks = context.Inputs.Select(a => a.Shape[axis] * inner).ToArray();
        // each outer index holds the operands' blocks one after another
        return new KernelLowering((inputs, output) =>
        {
            var position = 0;
            for (var o = 0; o < outer; o++)
                for (var i = 0; i < inputs.Length; i++)
                {
                    Array.Copy(inputs[i], o * chunks[i], output, position, chunks[i]);
                    position += chunks[i];
                }
        });
    }

    /// <summary>Linear in every operand: the tangents joined the same way (zeros for constant operands).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        if (tangents.All(t => t is null)) return null;
        return Bind(parameters, tangents.Select((t, i) => t ?? Rules.Zeros(primals[i].Aval.Strong)).ToArray());
    }

    /// <summary>Each linear operand's cotangent is its block of the cotangent, sliced back out along the joined axis.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var axis = ((ConcatenateParams)parameters).Dimension;
        var result = new Tensor?[inputs.Count];
        var offset = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            var shape = inputs[i].Shape;
            if (primals[i] is null)
            {
                var starts = Enumerable.Range(0, shape.Rank).Select(d => d == axis ? offset : 0);
                var limits = Enumerable.Range(0, shape.Rank).Select(d => d == axis ? offset + shape[d] : shape[d]);
                result[i] = Indexing.Slice.Instance.Bind(new Indexing.SliceParams(new Ints(starts), new Ints(limits), new Ints(Enumerable.Repeat(1, shape.Rank))), cotangent);
            }
            offset += shape[axis];
        }
        return result;
    }

    /// <summary>
    /// Operands all batched along one axis are joined along the renumbered axis where they lie;
    /// otherwise all get the batch axis in front (unbatched ones broadcast) and are joined behind it.
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var axis = ((ConcatenateParams)parameters).Dimension;
        if (batchAxes.All(a => a is not null) && batchAxes.Distinct().Count() == 1)
        {
            var b = batchAxes[0]!.Value;
            return (Bind(new ConcatenateParams(axis < b ? axis : axis + 1), args.ToArray()), b);
        }
        var size = Rules.BatchSize(args, batchAxes);
        var front = args.Select((x, i) => Rules.BatchToFront(x, batchAxes[i], size)).ToArray();
        return (Bind(new ConcatenateParams(axis + 1), front), 0);
    }
}
