using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Shapes;

/// <summary>The parameters of <see cref="TransposeAxes"/>.</summary>
/// <param name="Permutation">Output axis i is input axis <c>Permutation[i]</c>.</param>
public sealed record TransposeParams(Ints Permutation) : PrimitiveParams;

/// <summary><c>transpose</c>: permutes the axes; output axis i is input axis <c>permutation[i]</c>.</summary>
public sealed class TransposeAxes : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly TransposeAxes Instance = new();
    private TransposeAxes() { }
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

    /// <summary>Linear: the tangent is permuted the same way.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        Bind(parameters, tangents[0]!);

    /// <summary>The cotangent permuted back by the inverse permutation.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var perm = ((TransposeParams)parameters).Permutation;
        var inverse = new int[perm.Count];
        for (var i = 0; i < perm.Count; i++) inverse[perm[i]] = i;
        return [Bind(new TransposeParams(new Ints(inverse)), cotangent)];
    }

    /// <summary>The batch axis goes first; the example axes are permuted behind it.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var b = batchAxes[0]!.Value;
        var perm = ((TransposeParams)parameters).Permutation;
        return (Bind(new TransposeParams(new Ints([b, .. perm.Select(a => a < b ? a : a + 1)])), args[0]), 0);
    }
}
