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
}
