using JaxSharp.Primitives;
using JaxSharp.Primitives.LinearAlgebra;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp;

public static partial class Np
{
    /// <summary>
    /// Promotes <paramref name="a"/> and <paramref name="b"/>, checks that the paired axes match
    /// (naming <paramref name="op"/>), and binds <c>dot_general</c>. Bool operands multiply as
    /// int32 and the result is converted back to bool (logical or of ands), as numpy does.
    /// </summary>
    internal static Tensor Contract(string op, Tensor a, Tensor b, DotDimensionNumbers dims)
    {
        for (var k = 0; k < dims.LhsContracting.Count; k++)
        {
            var (da, db) = (dims.LhsContracting[k], dims.RhsContracting[k]);
            if (a.Shape[da] != b.Shape[db])
                throw new ArgumentException($"{op}: shapes {a.Shape} and {b.Shape} are not aligned: axis {da} of the first has size {a.Shape[da]} but axis {db} of the second has size {b.Shape[db]}; contracted axes must have equal sizes");
        }
        (a, b) = Promote(a, b);
        if (a.DType != DType.Bool) return DotGeneral.Instance.Bind(new DotGeneralParams(dims), a, b);
        var counts = DotGeneral.Instance.Bind(new DotGeneralParams(dims), Cast(a, DType.Int32), Cast(b, DType.Int32));
        return Cast(counts, DType.Bool);
    }

    private static Ints Range(int start, int count) => new(Ints.Range(start, count));

    /// <summary>The shape of the leading (batch) axes of a stack of matrices (a loop, not LINQ's Take over int, JIT-compiled in every process).</summary>
    private static Shape BatchShape(Tensor x)
    {
        var dims = new int[x.Rank - 2];
        for (var d = 0; d < dims.Length; d++) dims[d] = x.Shape[d];
        return new Shape(dims);
    }

    /// <summary>The shape of a <paramref name="batch"/> of matrices of <paramref name="rows"/> by <paramref name="columns"/>.</summary>
    private static Shape Matrices(Shape batch, int rows, int columns)
    {
        var dims = new int[batch.Rank + 2];
        for (var d = 0; d < batch.Rank; d++) dims[d] = batch[d];
        (dims[^2], dims[^1]) = (rows, columns);
        return new Shape(dims);
    }

    /// <summary>
    /// numpy's <c>dot</c>: a product by a scalar when either is a scalar; the inner product of
    /// vectors; otherwise contracts the last axis of <paramref name="a"/> with the last of a
    /// vector <paramref name="b"/>, or with the second to last of a higher-rank one. The result's
    /// shape is <c>a.shape[:-1] + b.shape[:-2] + b.shape[-1:]</c>.
    /// </summary>
    /// <example><c>Np.Dot(matrix, vector)</c></example>
    public static Tensor Dot(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        if (a.Rank == 0 || b.Rank == 0) return Multiply(a, b);
        var bAxis = b.Rank == 1 ? 0 : b.Rank - 2;
        return Contract("dot", a, b, new DotDimensionNumbers(new Ints(a.Rank - 1), new Ints(bAxis), Ints.Empty, Ints.Empty));
    }

    /// <summary>
    /// numpy's <c>matmul</c> (<c>@</c>): matrix products over the last two axes, broadcasting the
    /// leading (batch) axes; a vector operand is a row (first) or a column (second) whose axis is
    /// dropped from the result. Scalars are an error: use <see cref="Multiply"/>.
    /// </summary>
    /// <example><c>Np.Matmul(batchOfMatrices, weights)</c></example>
    public static Tensor Matmul(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        if (a.Rank == 0 || b.Rank == 0)
            throw new ArgumentException($"matmul: operand {(a.Rank == 0 ? 0 : 1)} is a scalar (shapes {a.Shape} and {b.Shape}); matmul needs arrays of rank >= 1, use Np.Multiply to scale");
        var (aAxis, bAxis) = (a.Rank - 1, b.Rank == 1 ? 0 : b.Rank - 2);
        if (a.Shape[aAxis] != b.Shape[bAxis])
            throw new ArgumentException($"matmul: shapes {a.Shape} and {b.Shape} are not aligned: the last axis of the first has size {a.Shape[aAxis]} but the {(b.Rank == 1 ? "only" : "second to last")} axis of the second has size {b.Shape[bAxis]}; they must be equal");
        // A vector operand contracts directly, as in JAX: dot_general's result (the other
        // operand's free axes, in order) is numpy's shape, with no reshape around the product,
        // so the CPU runs it as a matrix-vector product.
        if (a.Rank == 1 || b.Rank == 1)
            return Contract("matmul", a, b, new DotDimensionNumbers(new Ints(aAxis), new Ints(bAxis), Ints.Empty, Ints.Empty));
        var batch = Broadcasting.Shapes("matmul", BatchShape(a), BatchShape(b));
        var (k, m, n) = (a.Shape[^1], a.Shape[^2], b.Shape[^1]);
        return Contract("matmul", BroadcastTo(a, Matrices(batch, m, k)), BroadcastTo(b, Matrices(batch, k, n)), DotDimensionNumbers.MatMul(batch.Rank + 2));
    }

    /// <summary>numpy's <c>vdot</c>: the inner product of the two arrays flattened (they must have equal sizes).</summary>
    public static Tensor Vdot(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        if (a.Size != b.Size)
            throw new ArgumentException($"vdot: shapes {a.Shape} ({a.Size} elements) and {b.Shape} ({b.Size} elements) have different sizes; vdot pairs the flattened elements, so the sizes must be equal");
        return Contract("vdot", Flatten(a), Flatten(b), new DotDimensionNumbers(new Ints(0), new Ints(0), Ints.Empty, Ints.Empty));
    }

    /// <summary>numpy's <c>outer</c>: <c>out[i, j] = a.flat[i] * b.flat[j]</c>.</summary>
    public static Tensor Outer(Tensor a, Tensor b) =>
        Contract("outer", Flatten(NotNull(a)), Flatten(NotNull(b)), new DotDimensionNumbers(Ints.Empty, Ints.Empty, Ints.Empty, Ints.Empty));

    /// <summary>numpy's <c>inner</c>: contracts the last axes of both; a product when either is a scalar. Shape <c>a.shape[:-1] + b.shape[:-1]</c>.</summary>
    public static Tensor Inner(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        if (a.Rank == 0 || b.Rank == 0) return Multiply(a, b);
        return Contract("inner", a, b, new DotDimensionNumbers(new Ints(a.Rank - 1), new Ints(b.Rank - 1), Ints.Empty, Ints.Empty));
    }

    /// <summary>
    /// numpy's <c>tensordot</c> with an axis count: contracts the last <paramref name="axes"/>
    /// axes of <paramref name="a"/> with the first <paramref name="axes"/> of <paramref name="b"/>, in order.
    /// </summary>
    /// <example><c>Np.Tensordot(a, b, 1)</c> is a matrix product for matrices.</example>
    public static Tensor Tensordot(Tensor a, Tensor b, int axes = 2)
    {
        NotNull(a);
        NotNull(b);
        if (axes < 0 || axes > a.Rank || axes > b.Rank)
            throw new ArgumentException($"tensordot: cannot contract {axes} axes of shapes {a.Shape} and {b.Shape}; use a count in [0, {Math.Min(a.Rank, b.Rank)}]");
        return Contract("tensordot", a, b, new DotDimensionNumbers(Range(a.Rank - axes, axes), Range(0, axes), Ints.Empty, Ints.Empty));
    }

    /// <summary>
    /// numpy's <c>tensordot</c> with axis pairs: contracts axis <c>aAxes[k]</c> of <paramref name="a"/>
    /// with axis <c>bAxes[k]</c> of <paramref name="b"/> (negative axes count from the end). The
    /// result has a's free axes, then b's, each in order.
    /// </summary>
    public static Tensor Tensordot(Tensor a, Tensor b, int[] aAxes, int[] bAxes)
    {
        NotNull(a);
        NotNull(b);
        NotNull(aAxes);
        NotNull(bAxes);
        if (aAxes.Length != bAxes.Length)
            throw new ArgumentException($"tensordot: {aAxes.Length} axes of the first array ({string.Join(", ", aAxes)}) but {bAxes.Length} of the second ({string.Join(", ", bAxes)}); give one axis of each per contraction");
        var la = aAxes.Select(d => Shape.NormalizeAxis(d, a.Rank, "tensordot")).ToArray();
        var lb = bAxes.Select(d => Shape.NormalizeAxis(d, b.Rank, "tensordot")).ToArray();
        if (la.Distinct().Count() != la.Length || lb.Distinct().Count() != lb.Length)
            throw new ArgumentException($"tensordot: axes ({string.Join(", ", aAxes)}) and ({string.Join(", ", bAxes)}) repeat an axis; contract each axis once");
        return Contract("tensordot", a, b, new DotDimensionNumbers(new Ints(la), new Ints(lb), Ints.Empty, Ints.Empty));
    }
}
