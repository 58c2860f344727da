using JaxSharp.Cpu;
using JaxSharp.Cpu.Gemm;

namespace JaxSharp.Primitives.LinearAlgebra;

/// <summary>The parameters of <see cref="DotGeneral"/>.</summary>
/// <param name="DimensionNumbers">The contracting and batch axes.</param>
/// <param name="PreferredElementType">The dtype to accumulate in and return (null: the operands').</param>
public sealed record DotGeneralParams(DotDimensionNumbers DimensionNumbers, DType? PreferredElementType = null) : PrimitiveParams
{
    // Equality written out, over the same members as the compiler's, which compares the DType? through
    // EqualityComparer<DType?>: its code over a nullable enum would be JIT-compiled in every process.

    /// <inheritdoc/>
    public bool Equals(DotGeneralParams? other) =>
        ReferenceEquals(this, other)
        || other is not null && base.Equals(other) && Equals(DimensionNumbers, other.DimensionNumbers) && PreferredElementType == other.PreferredElementType;

    /// <inheritdoc/>
    public override int GetHashCode() =>
        (base.GetHashCode() * 31 + (DimensionNumbers?.GetHashCode() ?? 0)) * 31 + (PreferredElementType is { } dtype ? (int)dtype + 1 : 0);
}

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
            throw new ArgumentException($"dot_general: dtypes {lhs.DType.Name()}{lhs.Shape} and {rhs.DType.Name()}{rhs.Shape} differ; convert one with Np.AsType, or use Np.Dot/Np.Matmul, which promote");
        if (lhs.DType == DType.Bool)
            throw new ArgumentException($"dot_general: got bool operands; convert them first, e.g. Np.AsType(x, DType.Int32)");
        var output = p.PreferredElementType ?? lhs.DType;
        if (output == DType.Bool || (lhs.DType.IsFloat() && !output.IsFloat()))
            throw new ArgumentException($"dot_general: preferred_element_type {output.Name()} cannot hold products of {lhs.DType.Name()} operands; use a float dtype or None");
        CheckAxes("lhs", lhs.Shape, dims.LhsContracting, dims.LhsBatch);
        CheckAxes("rhs", rhs.Shape, dims.RhsContracting, dims.RhsBatch);
        CheckPairs("contracting", lhs.Shape, rhs.Shape, dims.LhsContracting, dims.RhsContracting);
        CheckPairs("batch", lhs.Shape, rhs.Shape, dims.LhsBatch, dims.RhsBatch);
        // the batch axes, then each operand's free axes (loops: LINQ over int is JIT-compiled in every process)
        var lhsFree = FreeAxes(lhs.Rank, dims.LhsContracting, dims.LhsBatch);
        var rhsFree = FreeAxes(rhs.Rank, dims.RhsContracting, dims.RhsBatch);
        var shape = new int[dims.LhsBatch.Count + lhsFree.Length + rhsFree.Length];
        var k = 0;
        for (var b = 0; b < dims.LhsBatch.Count; b++) shape[k++] = lhs.Shape[dims.LhsBatch[b]];
        foreach (var d in lhsFree) shape[k++] = lhs.Shape[d];
        foreach (var d in rhsFree) shape[k++] = rhs.Shape[d];
        return new AbstractValue(new Shape(shape), output, lhs.Weak && rhs.Weak && p.PreferredElementType is null);
    }

    private static void CheckAxes(string side, Shape shape, Ints contracting, Ints batch)
    {
        var all = new int[contracting.Count + batch.Count];
        for (var k = 0; k < contracting.Count; k++) all[k] = contracting[k];
        for (var k = 0; k < batch.Count; k++) all[contracting.Count + k] = batch[k];
        foreach (var a in all)
            if (a < 0 || a >= shape.Rank)
                throw new ArgumentException($"dot_general: {side} axis {a} is out of range for {side} shape {shape} (rank {shape.Rank}); use axes in [0, {shape.Rank})");
        if (Ints.Repeats(all))
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
    internal static int[] FreeAxes(int rank, Ints contracting, Ints batch)
    {
        var free = new List<int>();
        for (var d = 0; d < rank; d++)
            if (!contracting.Contains(d) && !batch.Contains(d)) free.Add(d);
        return free.ToArray();
    }

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
        return new KernelLowering((inputs, output) => MatMulKernel.Run(plan, inputs[0], inputs[1], output), WritesEveryElement: true) { Product = plan };
    }

    /// <summary>
    /// A transposed operand is read in place: <c>dot_general(x, transpose(y))</c> becomes one
    /// dot_general of <c>y</c> with its dimension numbers permuted (so <c>x @ x.T</c> copies
    /// nothing), when the operand's free axes keep their order and so the output's layout.
    /// </summary>
    public override System.Linq.Expressions.Expression? Simplify(IR.PrimitiveExpression application, Transforms.SimplifyContext context)
    {
        var p = (DotGeneralParams)application.Params;
        var dn = p.DimensionNumbers;
        var (lhs, rhs) = (application.Arguments[0], application.Arguments[1]);
        var folded = false;
        if (context.Producer(lhs) is { Primitive: Shapes.TransposeAxes } left && Unpermute(((Shapes.TransposeParams)left.Params).Permutation, dn.LhsContracting, dn.LhsBatch) is { } l)
        {
            (lhs, dn, folded) = (left.Arguments[0], dn with { LhsContracting = l.Contracting, LhsBatch = l.Batch }, true);
        }
        if (context.Producer(rhs) is { Primitive: Shapes.TransposeAxes } right && Unpermute(((Shapes.TransposeParams)right.Params).Permutation, dn.RhsContracting, dn.RhsBatch) is { } r)
        {
            (rhs, dn, folded) = (right.Arguments[0], dn with { RhsContracting = r.Contracting, RhsBatch = r.Batch }, true);
        }
        return folded ? context.Apply(this, p with { DimensionNumbers = dn }, lhs, rhs) : null;
    }

    /// <summary>
    /// The contracting and batch axes of a transpose's operand for those of its result (axis a of
    /// the result is axis perm[a] of the operand); null when the free axes would change order.
    /// </summary>
    private static (Ints Contracting, Ints Batch)? Unpermute(Ints perm, Ints contracting, Ints batch)
    {
        var free = FreeAxes(perm.Count, contracting, batch);
        for (var k = 1; k < free.Length; k++)
            if (perm[free[k]] < perm[free[k - 1]]) return null;
        return (Permuted(perm, contracting), Permuted(perm, batch));
    }

    /// <summary>The axes <c>perm[a]</c> for each axis a of <paramref name="axes"/>.</summary>
    private static Ints Permuted(Ints perm, Ints axes)
    {
        var permuted = new int[axes.Count];
        for (var k = 0; k < permuted.Length; k++) permuted[k] = perm[axes[k]];
        return new Ints(permuted);
    }

    /// <summary>Bilinear: d(lhs . rhs) = dlhs . rhs + lhs . drhs.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        var fromLhs = tangents[0] is { } dl ? Bind(parameters, dl, primals[1]) : null;
        var fromRhs = tangents[1] is { } dr ? Bind(parameters, primals[0], dr) : null;
        return fromLhs is null ? fromRhs : fromRhs is null ? fromLhs : Lax.Add(fromLhs, fromRhs);
    }

    /// <summary>
    /// Linear in one operand at a time (JAX's <c>_dot_general_transpose_lhs</c>/<c>_rhs</c>): the
    /// cotangent of one operand contracts the output cotangent with the other operand over the
    /// other's free axes, batched over the batch axes, then permutes the result to the operand's axes.
    /// </summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (primals[0] is null == primals[1] is null)
            throw new InvalidOperationException("dot_general: transposed with respect to both or neither operand; it is linear in one operand at a time");
        var p = (DotGeneralParams)parameters;
        var d = p.DimensionNumbers;
        return primals[0] is null
            ? [TransposeLhs(cotangent, inputs[0], primals[1]!, d.LhsContracting, d.RhsContracting, d.LhsBatch, d.RhsBatch, swapped: false), null]
            : [null, TransposeLhs(cotangent, inputs[1], primals[0]!, d.RhsContracting, d.LhsContracting, d.RhsBatch, d.LhsBatch, swapped: true)];
    }

    /// <summary>
    /// The cotangent of operand x of (x . y) (or of (y . x) when <paramref name="swapped"/>): the
    /// output cotangent g has axes (batch, x free, y free) (or (batch, y free, x free)); x̄ = g . y
    /// contracting g's y-free axes with y's free axes and batching g's batch axes with y's, which
    /// gives (batch, x free, x contracting in y's contracting order), then permuted to x's axes.
    /// </summary>
    private Tensor TransposeLhs(Tensor g, AbstractValue x, Tensor y, Ints xContract, Ints yContract, Ints xBatch, Ints yBatch, bool swapped)
    {
        // x̄[b, f, c] = sum_(yf) g[b, f, yf] y[b, c, yf]
        var xFree = FreeAxes(x.Rank, xContract, xBatch);
        var yFree = FreeAxes(y.Rank, yContract, yBatch);
        var batchCount = xBatch.Count;
        var gYFree = Ints.Range(swapped ? batchCount : batchCount + xFree.Length, yFree.Length);
        var dims = new DotDimensionNumbers(new Ints(gYFree), new Ints(yFree), new Ints(Ints.Range(0, batchCount)), yBatch);
        var other = y.DType == g.DType ? y : Lax.ConvertElementType(y, g.DType);
        var product = Bind(new DotGeneralParams(dims), g, other);
        // the product's axes are x's batch axes, x's free axes, then x's contracting axes in the order of y's
        // (loops, not LINQ's Concat, OrderBy and indexed Select over int, JIT-compiled in every process)
        var order = new int[xBatch.Count + xFree.Length + xContract.Count];
        var o = 0;
        for (var k = 0; k < xBatch.Count; k++) order[o++] = xBatch[k];
        foreach (var a in xFree) order[o++] = a;
        // x's contracting axes by y's (the rank of yContract[k], ties in order as a stable sort)
        for (var k = 0; k < xContract.Count; k++)
        {
            var rank = 0;
            for (var j = 0; j < xContract.Count; j++)
                if (yContract[j] < yContract[k] || yContract[j] == yContract[k] && j < k) rank++;
            order[o + rank] = xContract[k];
        }
        var permutation = new int[order.Length];
        for (var k = 0; k < order.Length; k++) permutation[order[k]] = k;
        var identity = true;
        for (var k = 0; k < permutation.Length; k++) identity &= permutation[k] == k;
        var result = identity
            ? product
            : Shapes.TransposeAxes.Instance.Bind(new Shapes.TransposeParams(new Ints(permutation)), product);
        return result.DType == x.DType ? result : Lax.ConvertElementType(result, x.DType);
    }

    /// <summary>
    /// JAX's <c>_dot_general_batch_rule</c>: the batch axis of two batched operands becomes one more
    /// batch dimension of the product (the output's axis 0); the batch axis of one batched operand
    /// becomes one more free axis of it. The other operand stays unbatched and nothing is moved:
    /// <c>vmap(v => dot(m, v))</c> is one <c>dot_general</c>.
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var p = (DotGeneralParams)parameters;
        var d = p.DimensionNumbers;
        // an example axis a of an operand batched at b is its axis a (a < b) or a + 1 (a >= b)
        static Ints Bump(Ints axes, int? b) => b is { } v ? new Ints(axes.Select(a => a < v ? a : a + 1)) : axes;
        var (lb, rb) = (batchAxes[0], batchAxes[1]);
        var (lc, rc, lbat, rbat) = (Bump(d.LhsContracting, lb), Bump(d.RhsContracting, rb), Bump(d.LhsBatch, lb), Bump(d.RhsBatch, rb));
        if (lb is { } l && rb is { } r)
        {
            var both = new DotDimensionNumbers(lc, rc, new Ints([l, .. lbat]), new Ints([r, .. rbat]));
            return (Bind(p with { DimensionNumbers = both }, args[0], args[1]), 0);
        }
        var dims = new DotDimensionNumbers(lc, rc, lbat, rbat);
        var result = Bind(p with { DimensionNumbers = dims }, args[0], args[1]);
        // output axes: batch, lhs free, rhs free; the batch axis is a free axis of its operand
        if (lb is { } lOnly)
            return (result, lbat.Count + Array.IndexOf(FreeAxes(args[0].Rank, lc, lbat), lOnly));
        var lhsFree = FreeAxes(args[0].Rank, lc, lbat).Length;
        return (result, rbat.Count + lhsFree + Array.IndexOf(FreeAxes(args[1].Rank, rc, rbat), rb!.Value));
    }
}
