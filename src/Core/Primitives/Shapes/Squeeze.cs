using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Shapes;

/// <summary>The parameters of <see cref="Squeeze"/>.</summary>
/// <param name="Dimensions">The axes of size 1 to remove, in [0, rank).</param>
public sealed record SqueezeParams(Ints Dimensions) : PrimitiveParams;

/// <summary><c>squeeze</c>: removes axes of size 1; the elements stay in row-major order.</summary>
public sealed class Squeeze : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly Squeeze Instance = new();
    private Squeeze() { }
    /// <inheritdoc/>
    public override string Name => "squeeze";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        ShapeChecks.Arity(Name, inputs, 1, "operand");
        var x = inputs[0];
        var dims = ((SqueezeParams)parameters).Dimensions;
        ShapeChecks.Axes(Name, "dimensions", dims, x.Rank, $"shape {x.Shape}");
        foreach (var d in dims)
            if (x.Shape[d] != 1)
                throw new ArgumentException($"squeeze: axis {d} of shape {x.Shape} has size {x.Shape[d]}, not 1; only axes of size 1 can be squeezed");
        return new AbstractValue(new Shape(Enumerable.Range(0, x.Rank).Where(d => !dims.Contains(d)).Select(d => x.Shape[d])), x.DType, x.Weak);
    }

    /// <summary>A view in the same row-major order (only removed axes of size 1), as <c>reshape</c>: fused into the loops that read it, or an alias of its operand's buffer where it is stored.</summary>
    public override CpuLowering LowerCpu(LoweringContext context) => new ViewLowering(null);

    /// <summary>Linear: the tangent is squeezed the same way.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        Bind(parameters, tangents[0]!);

    /// <summary>The cotangent reshaped back to the operand's shape (the removed axes had size 1).</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) =>
        [Reshape.Instance.Bind(new ReshapeParams(inputs[0].Shape), cotangent)];

    /// <summary>The squeezed axes renumbered around the batch axis, which stays in place (no data moves).</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var b = batchAxes[0]!.Value;
        var dims = ((SqueezeParams)parameters).Dimensions;
        // example axis d is batched axis d (before the batch axis) or d + 1 (after it)
        var shifted = new Ints(dims.Select(d => d < b ? d : d + 1));
        return (Bind(new SqueezeParams(shifted), args[0]), b - dims.Count(d => d < b));
    }
}
