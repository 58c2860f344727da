using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Shapes;

/// <summary>The parameters of <see cref="Rev"/>.</summary>
/// <param name="Dimensions">The axes to reverse.</param>
public sealed record RevParams(Ints Dimensions) : PrimitiveParams;

/// <summary><c>rev</c>: reverses the order of the elements along the given axes.</summary>
public sealed class Rev : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly Rev Instance = new();
    private Rev() { }
    /// <inheritdoc/>
    public override string Name => "rev";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        ShapeChecks.Arity(Name, inputs, 1, "operand");
        var x = inputs[0];
        ShapeChecks.Axes(Name, "dimensions", ((RevParams)parameters).Dimensions, x.Rank, $"shape {x.Shape}");
        return x;
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var shape = context.Inputs[0].Shape;
        var strides = shape.Strides();
        var start = 0;
        // out[.., i, ..] = in[.., n - 1 - i, ..] along each reversed axis: start at the end, step back
        foreach (var d in ((RevParams)context.Params).Dimensions)
        {
            start += (shape[d] - 1) * strides[d];
            strides[d] = -strides[d];
        }
        return new KernelLowering(IndexMath.GatherKernel(IndexMath.StridedOffsets(shape, strides, shape.Size == 0 ? 0 : start)));
    }

    /// <summary>Linear: the tangent is reversed the same way.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        Bind(parameters, tangents[0]!);

    /// <summary>A reversal is its own transpose (a symmetric permutation): the cotangent is reversed back.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) =>
        [Bind(parameters, cotangent)];

    /// <summary>The reversed axes renumbered around the batch axis, which stays in place.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var b = batchAxes[0]!.Value;
        var dims = ((RevParams)parameters).Dimensions;
        return (Bind(new RevParams(new Ints(dims.Select(d => d < b ? d : d + 1))), args[0]), b);
    }
}
