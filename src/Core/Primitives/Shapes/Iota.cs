using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Shapes;

/// <summary>The parameters of <see cref="Iota"/>.</summary>
/// <param name="DType">The element type (numeric).</param>
/// <param name="Shape">The output shape.</param>
/// <param name="Dimension">The axis along which the values count up.</param>
public sealed record IotaParams(DType DType, Shape Shape, int Dimension) : PrimitiveParams;

/// <summary><c>iota</c>: a tensor whose elements are their own index along one axis: 0, 1, 2, ...</summary>
public sealed class Iota : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly Iota Instance = new();
    private Iota() { }
    /// <inheritdoc/>
    public override string Name => "iota";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        ShapeChecks.Arity(Name, inputs, 0, "none");
        var p = (IotaParams)parameters;
        if (p.DType == DType.Bool) throw new ArgumentException("iota: dtype bool has no counting values; use int32 or a float dtype");
        if (p.Dimension < 0 || p.Dimension >= p.Shape.Rank)
            throw new ArgumentException($"iota: dimension {p.Dimension} is out of range for shape {p.Shape} (rank {p.Shape.Rank}); use an axis in [0, {p.Shape.Rank})");
        return new AbstractValue(p.Shape, p.DType);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var p = (IotaParams)context.Params;
        var stride = p.Shape.Strides()[p.Dimension];
        var size = p.Shape[p.Dimension];
        var count = p.Shape.Size;
        return new KernelLowering((_, output) =>
        {
            // element k sits at index (k / stride) mod size along the axis
            for (var k = 0; k < count; k++)
            {
                var v = k / stride % size;
                switch (output)
                {
                    case float[] f: f[k] = v; break;
                    case double[] d: d[k] = v; break;
                    case int[] i: i[k] = v; break;
                    case uint[] u: u[k] = (uint)v; break;
                    default: throw new NotSupportedException($"iota kernel: {output.GetType().Name}");
                }
            }
        });
    }
}
