using JaxSharp.Cpu;
using JaxSharp.Cpu.Gemm;

namespace JaxSharp.Primitives.LinearAlgebra;

/// <summary>The parameters of <see cref="DotGeneral"/>.</summary>
/// <param name="DimensionNumbers">The contracting and batch axes.</param>
/// <param name="PreferredElementType">The dtype to accumulate in and return (null: the operands').</param>
public sealed record DotGeneralParams(DotDimensionNumbers DimensionNumbers, DType? PreferredElementType = null) : PrimitiveParams;

/// <summary>
/// <c>dot_general</c>: the tensor contraction behind dot, matmul, tensordot and einsum. Sums
/// the products over the contracting axes, independently for each index of the batch axes.
/// The output's axes are, in order: the batch axes, the lhs's free axes, the rhs's free axes
/// (each in operand order). Both operands have one numeric dtype.
/// </summary>
public sealed class DotGeneral : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly DotGeneral Instance = new();
    private DotGeneral() { }
    /// <inheritdoc/>
    public override string Name => "dot_general";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 2) throw new ArgumentException($"dot_general: takes 2 arguments, got {inputs.Count}");
        var (lhs, rhs) = (inputs[0], inputs[1]);
        var p = (DotGeneralParams)parameters;
        var dims = p.DimensionNumbers;
        if (lhs.DType != rhs.DType)
            throw new ArgumentException($"dot_general: dtypes {lhs.DType.Name()}{lhs.Shape} and {rhs.DType.Name()}{rhs.Shape} differ; convert one with AsType, or use Np.Dot/Np.Matmul, which promote");
        if (lhs.DType == DType.Bool)
            throw new ArgumentException($"dot_general: got bool operands; convert them first, e.g. x.AsType(DType.Int32)");
        var output = p.PreferredElementType ?? lhs.DType;
        if (output == DType.Bool || (lhs.DType.IsFloat() && !output.IsFloat()))
            throw new ArgumentException($"dot_general: preferred_element_type {output.Name()} cannot hold products of {lhs.DType.Name()} operands; use a float dtype or None");
        CheckAxes("lhs", lhs.Shape, dims.LhsContracting, dims.LhsBatch);
        CheckAxes("rhs", rhs.Shape, dims.RhsContracting, dims.RhsBatch);
        CheckPairs("contracting", lhs.Shape, rhs.Shape, dims.LhsContracting, dims.RhsContracting);
        CheckPairs("batch", lhs.Shape, rhs.Shape, dims.LhsBatch, dims.RhsBatch);
        var shape = dims.LhsBatch.Select(d => lhs.Shape[d])
            .Concat(FreeAxes(lhs.Rank, dims.LhsContracting, dims.LhsBatch).Select(d => lhs.Shape[d]))
            .Concat(FreeAxes(rhs.Rank, dims.RhsContracting, dims.RhsBatch).Select(d => rhs.Shape[d]));
        return new AbstractValue(new Shape(shape), output, lhs.Weak && rhs.Weak && p.PreferredElementType is null);
    }

    private static void CheckAxes(string side, Shape shape, Ints contracting, Ints batch)
    {
        foreach (var a in contracting.Concat(batch))
            if (a < 0 || a >= shape.Rank)
                throw new ArgumentException($"dot_general: {side} axis {a} is out of range for {side} shape {shape} (rank {shape.Rank}); use axes in [0, {shape.Rank})");
        var all = contracting.Concat(batch).ToArray();
        if (all.Distinct().Count() != all.Length)
            throw new ArgumentException($"dot_general: {side} contracting axes {contracting} and batch axes {batch} repeat an axis of {side} shape {shape}; each axis may appear once");
    }

    private static void CheckPairs(string kind, Shape lhs, Shape rhs, Ints lhsAxes, Ints rhsAxes)
    {
        if (lhsAxes.Count != rhsAxes.Count)
            throw new ArgumentException($"dot_general: lhs has {lhsAxes.Count} {kind} axes {lhsAxes} but rhs has {rhsAxes.Count} {rhsAxes} (shapes {lhs} and {rhs}); give one rhs axis per lhs axis");
        for (var k = 0; k < lhsAxes.Count; k++)
            if (lhs[lhsAxes[k]] != rhs[rhsAxes[k]])
                throw new ArgumentException($"dot_general: {kind} dimensions {lhs[lhsAxes[k]]} and {rhs[rhsAxes[k]]} differ: lhs {lhs} axis {lhsAxes[k]} and rhs {rhs} axis {rhsAxes[k]} must have equal sizes");
    }

    /// <summary>The axes of an operand that are neither contracted nor batched, in order.</summary>
    internal static int[] FreeAxes(int rank, Ints contracting, Ints batch) =>
        Enumerable.Range(0, rank).Where(d => !contracting.Contains(d) && !batch.Contains(d)).ToArray();

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var dims = ((DotGeneralParams)context.Params).DimensionNumbers;
        var (lhs, rhs) = (context.Inputs[0].Shape, context.Inputs[1].Shape);
        var lhsFree = FreeAxes(lhs.Rank, dims.LhsContracting, dims.LhsBatch);
        var rhsFree = FreeAxes(rhs.Rank, dims.RhsContracting, dims.RhsBatch);
        // The lhs as rows m (its free axes) by columns k, the rhs as rows k by columns n (its free
        // axes): the kernel's packing reads any such layout in place.
        var plan = new MatMulKernel.Plan(
            new GemmOperand(lhs, dims.LhsBatch, lhsFree, dims.LhsContracting),
            new GemmOperand(rhs, dims.RhsBatch, dims.RhsContracting, rhsFree));
        return new KernelLowering((inputs, output) => MatMulKernel.Run(plan, inputs[0], inputs[1], output));
    }
}
