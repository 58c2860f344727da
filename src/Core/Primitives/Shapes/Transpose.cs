using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Shapes;

/// <summary>The parameters of <see cref="Transpose"/>.</summary>
/// <param name="Permutation">Output axis i is input axis <c>Permutation[i]</c>.</param>
public sealed record TransposeParams(Ints Permutation) : PrimitiveParams;

/// <summary><c>transpose</c>: permutes the axes; output axis i is input axis <c>permutation[i]</c>.</summary>
public sealed class Transpose : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly Transpose Instance = new();
    private Transpose() { }
    /// <inheritdoc/>
    public override string Name => "transpose";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        ShapeChecks.Arity(Name, inputs, 1, "operand");
        var x = inputs[0];
        var perm = ((TransposeParams)parameters).Permutation;
        if (perm.Count != x.Rank || perm.Any(a => a < 0 || a >= x.Rank) || perm.Distinct().Count() != perm.Count)
            throw new ArgumentException($"transpose: permutation {perm} is not a permutation of the axes of shape {x.Shape}; give each of 0..{x.Rank - 1} exactly once");
        return new AbstractValue(new Shape(perm.Select(a => x.Shape[a])), x.DType, x.Weak);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var perm = ((TransposeParams)context.Params).Permutation;
        var inStrides = context.Inputs[0].Shape.Strides();
        // out[i0, i1, ...] = in at sum_k i_k * stride[perm[k]]
        return new KernelLowering(IndexMath.GatherKernel(IndexMath.StridedOffsets(context.Output.Shape, perm.Select(a => inStrides[a]).ToArray())));
    }
}
