using System.Linq.Expressions;
using JaxSharp.Cpu;
using JaxSharp.IR;
using JaxSharp.Transforms;

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
        return new ViewLowering(strides);
    }

    /// <summary>A broadcast to the operand's own shape is the operand; a broadcast of a broadcast is one broadcast.</summary>
    public override Expression? Simplify(PrimitiveExpression application, SimplifyContext context)
    {
        var x = application.Arguments[0];
        if (context.SameAs(x, application) is { } same) return same;
        if (context.Producer(x) is not { Primitive: BroadcastInDim } inner) return null;
        var (outer, first) = ((BroadcastInDimParams)application.Params, (BroadcastInDimParams)inner.Params);
        return context.Apply(this, new BroadcastInDimParams(outer.Shape, new Ints(first.BroadcastDimensions.Select(d => outer.BroadcastDimensions[d]))), inner.Arguments[0]);
    }

    /// <summary>Yes: every output element is an operand element.</summary>
    public override bool CopiesValues(IR.PrimitiveExpression application, Transforms.SimplifyContext context) => true;

    /// <summary>Linear: the tangent is broadcast the same way.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        Bind(parameters, tangents[0]!);

    /// <summary>The cotangent summed over the new axes and over the stretched size-1 axes, then shaped like the operand.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var p = (BroadcastInDimParams)parameters;
        var operand = inputs[0].Shape;
        var summed = Enumerable.Range(0, p.Shape.Rank)
            .Where(d => p.BroadcastDimensions.IndexOf(d) is var i && (i < 0 || (operand[i] == 1 && p.Shape[d] != 1)))
            .ToArray();
        var reduced = summed.Length == 0 ? cotangent : Reductions.ReduceSum.Instance.Bind(new Reductions.ReduceParams(new Ints(summed)), cotangent);
        return [reduced.Shape.Equals(operand) ? reduced : Reshape.Instance.Bind(new ReshapeParams(operand), reduced)];
    }

    /// <summary>The batch axis moved to the front and kept there.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var p = (BroadcastInDimParams)parameters;
        var x = Rules.MoveAxis(args[0], batchAxes[0]!.Value, 0);
        var shape = new Shape([x.Shape[0], .. p.Shape]);
        return (Bind(new BroadcastInDimParams(shape, new Ints([0, .. p.BroadcastDimensions.Select(d => d + 1)])), x), 0);
    }
}
