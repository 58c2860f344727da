using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Shapes;

/// <summary>The parameters of <see cref="BroadcastInDim"/>.</summary>
/// <param name="Shape">The output shape.</param>
/// <param name="BroadcastDimensions">For each operand axis, the output axis it becomes (strictly increasing).</param>
public sealed record BroadcastInDimParams(Shape Shape, Ints BroadcastDimensions) : PrimitiveParams;

/// <summary>
/// <c>broadcast_in_dim</c>: places the operand's axes at the given output axes and repeats
/// it along the others; an operand axis of size 1 stretches to its output axis's size.
/// </summary>
public sealed class BroadcastInDim : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly BroadcastInDim Instance = new();
    private BroadcastInDim() { }
    /// <inheritdoc/>
    public override string Name => "broadcast_in_dim";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"broadcast_in_dim: takes 1 argument, got {inputs.Count}");
        var (shape, dims) = ((BroadcastInDimParams)parameters) is var p ? (p.Shape, p.BroadcastDimensions) : default;
        var x = inputs[0];
        if (dims.Count != x.Rank)
            throw new ArgumentException($"broadcast_in_dim: operand of shape {x.Shape} needs {x.Rank} broadcast_dimensions, got {dims}");
        for (var i = 0; i < dims.Count; i++)
        {
            if (dims[i] < 0 || dims[i] >= shape.Rank || (i > 0 && dims[i] <= dims[i - 1]))
                throw new ArgumentException($"broadcast_in_dim: broadcast_dimensions {dims} must be strictly increasing axes of the output shape {shape}");
            if (x.Shape[i] != 1 && x.Shape[i] != shape[dims[i]])
                throw new ArgumentException($"broadcast_in_dim: operand shape {x.Shape} cannot be broadcast to {shape}: axis {i} has size {x.Shape[i]} but output axis {dims[i]} has size {shape[dims[i]]}");
        }
        return new AbstractValue(shape, x.DType, x.Weak);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var p = (BroadcastInDimParams)context.Params;
        var input = context.Inputs[0].Shape;
        var inStrides = input.Strides();
        var strides = new int[p.Shape.Rank];
        for (var i = 0; i < input.Rank; i++)
            if (input[i] != 1) strides[p.BroadcastDimensions[i]] = inStrides[i];
        return new KernelLowering(IndexMath.GatherKernel(IndexMath.StridedOffsets(p.Shape, strides)));
    }
}
