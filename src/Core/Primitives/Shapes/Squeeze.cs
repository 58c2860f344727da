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

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context) =>
        new KernelLowering((inputs, output) => Array.Copy(inputs[0], output, output.Length));
}
