using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Shapes;

/// <summary>The parameters of <see cref="ExpandDims"/>.</summary>
/// <param name="Dimensions">Where the new axes of size 1 stand in the output, in [0, output rank).</param>
public sealed record ExpandDimsParams(Ints Dimensions) : PrimitiveParams;

/// <summary><c>expand_dims</c>: inserts axes of size 1 at the given output positions.</summary>
public sealed class ExpandDims : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly ExpandDims Instance = new();
    private ExpandDims() { }
    /// <inheritdoc/>
    public override string Name => "expand_dims";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        ShapeChecks.Arity(Name, inputs, 1, "operand");
        var x = inputs[0];
        var dims = ((ExpandDimsParams)parameters).Dimensions;
        var rank = x.Rank + dims.Count;
        ShapeChecks.Axes(Name, "dimensions", dims, rank, $"the output of expanding shape {x.Shape}");
        var result = new int[rank];
        for (int d = 0, k = 0; d < rank; d++) result[d] = dims.Contains(d) ? 1 : x.Shape[k++];
        return new AbstractValue(new Shape(result), x.DType, x.Weak);
    }

    /// <summary>A view in the same row-major order (only new axes of size 1), as <c>reshape</c>: fused into the loops that read it, or an alias of its operand's buffer where it is stored.</summary>
    public override CpuLowering LowerCpu(LoweringContext context) => new ViewLowering(null);

    /// <summary>Linear: the tangent gets the same new axes.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        Bind(parameters, tangents[0]!);

    /// <summary>The cotangent reshaped back to the operand's shape (the new axes have size 1).</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) =>
        [Reshape.Instance.Bind(new ReshapeParams(inputs[0].Shape), cotangent)];

    /// <summary>
    /// The batch axis stays right after the output position of the example axis before it, and
    /// the new axes are renumbered around it (no data moves).
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var b = batchAxes[0]!.Value;
        var dims = ((ExpandDimsParams)parameters).Dimensions;
        var rank = args[0].Rank - 1 + dims.Count;
        // output position of each example axis; the batch axis goes after that of example axis b - 1
        var kept = Enumerable.Range(0, rank).Where(d => !dims.Contains(d)).ToArray();
        var c = b == 0 ? 0 : kept[b - 1] + 1;
        var shifted = new Ints(dims.Select(d => d < c ? d : d + 1).Order());
        return (Bind(new ExpandDimsParams(shifted), args[0]), c);
    }
}
