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

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context) =>
        new KernelLowering((inputs, output) => Array.Copy(inputs[0], output, output.Length));
}
