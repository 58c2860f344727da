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
        // loops, not LINQ's Any, Distinct and Select over int, which every process would JIT-compile
        var valid = perm.Count == x.Rank && !perm.Repeats();
        var dims = new int[perm.Count];
        for (var i = 0; valid && i < dims.Length; i++)
        {
            valid = perm[i] >= 0 && perm[i] < x.Rank;
            if (valid) dims[i] = x.Shape[perm[i]];
        }
        if (!valid)
            throw new ArgumentException($"transpose: permutation {perm} is not a permutation of the axes of shape {x.Shape}; give each of 0..{x.Rank - 1} exactly once");
        return new AbstractValue(new Shape(dims), x.DType, x.Weak);
    }

    /// <summary>
    /// A view: output axis i steps the input by the stride of its axis <c>permutation[i]</c>, so a
    /// loop reads the operand through permuted strides (<c>x.T + y</c> is one loop), and a
    /// transpose that must be stored is a loop that only copies, run in register-transposed
    /// blocks (<see cref="CompiledLoop"/>).
    /// </summary>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var perm = ((TransposeParams)context.Params).Permutation;
        var strides = context.Inputs[0].Shape.Strides();
        var permuted = new int[perm.Count];
        for (var i = 0; i < permuted.Length; i++) permuted[i] = strides[perm[i]];
        return new ViewLowering(permuted);
    }

    /// <summary>
    /// A transposed product is the product with its operands swapped: when the permutation keeps
    /// the batch axes first and exchanges the block of lhs free axes with the block of rhs free
    /// axes (how autodiff writes weight gradients, <c>transpose(dot_general(g, x))</c>), the
    /// result is <c>dot_general(rhs, lhs)</c> with the dimension numbers swapped, and no
    /// transposed copy is written. Only when the transpose is the product's one reader, so the
    /// original product is dropped rather than computed twice.
    /// </summary>
    public override System.Linq.Expressions.Expression? Simplify(IR.PrimitiveExpression application, Transforms.SimplifyContext context)
    {
        var operand = application.Arguments[0];
        if (context.Producer(operand) is not { Primitive: LinearAlgebra.DotGeneral } product || context.Uses(operand) != 1) return null;
        var p = (LinearAlgebra.DotGeneralParams)product.Params;
        var dn = p.DimensionNumbers;
        var (lhs, rhs) = (product.Arguments[0], product.Arguments[1]);
        var batch = dn.LhsBatch.Count;
        var lhsFree = context.AvalOf(lhs).Rank - batch - dn.LhsContracting.Count;
        var rhsFree = context.AvalOf(rhs).Rank - batch - dn.RhsContracting.Count;
        // output axes of the product: batch, lhs free, rhs free; of the swapped product: batch, rhs free, lhs free
        int[] swapped = [.. Ints.Range(0, batch), .. Ints.Range(batch + lhsFree, rhsFree), .. Ints.Range(batch, lhsFree)];
        if (!((TransposeParams)application.Params).Permutation.Equals(new Ints(swapped))) return null;
        var dims = new LinearAlgebra.DotDimensionNumbers(dn.RhsContracting, dn.LhsContracting, dn.RhsBatch, dn.LhsBatch);
        return context.Apply(LinearAlgebra.DotGeneral.Instance, p with { DimensionNumbers = dims }, rhs, lhs);
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
