using JaxSharp.Primitives.Elementwise;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp.Primitives.LinearAlgebra;

/// <summary>
/// Small compositions of primitives on the last two axes that the rules of the factorizations
/// share (JAX's <c>_T</c>, <c>_tril</c>, <c>_eye</c>, <c>jnp.diagonal</c>...). Leading axes are
/// batch axes; each helper binds primitives, so the results trace, differentiate and batch.
/// </summary>
internal static class MatrixAlgebra
{
    /// <summary>The batched matrix product over the last two axes (equal leading axes).</summary>
    public static Tensor MatMul(Tensor x, Tensor y) => TriangularSolve.MatMul(x, y);

    /// <summary>x with its last two axes swapped (JAX's <c>_T</c> and, for real dtypes, <c>_H</c>).</summary>
    public static Tensor T(Tensor x) => TriangularSolve.SwapLast(x);

    /// <summary><c>jnp.tril(x, -offset)</c> (lower) or <c>jnp.triu(x, offset)</c> (upper) of the matrices of x.</summary>
    public static Tensor Triangle(Tensor x, bool lower, int offset = 0) => TriangularSolve.Triangle(x, lower, offset);

    /// <summary>The rows x cols identity-like matrix (ones where i == j) of a dtype.</summary>
    public static Tensor Eye(int rows, int cols, DType dtype)
    {
        var square = new Shape(rows, cols);
        return Lax.ConvertElementType(Lax.Eq(Lax.BroadcastedIota(DType.Int32, square, 0), Lax.BroadcastedIota(DType.Int32, square, 1)), dtype);
    }

    /// <summary>The diagonal of the square matrices of x, shape (..., n).</summary>
    public static Tensor Diagonal(Tensor x)
    {
        var n = x.Shape[x.Rank - 1];
        var masked = Lax.Mul(x, Rules.BroadcastTo(Eye(n, n, x.DType), x.Shape));
        return Lax.ReduceSum(masked, [x.Rank - 1]);
    }

    /// <summary>The square matrices (..., n, n) with the vectors v (..., n) on their diagonals.</summary>
    public static Tensor Diag(Tensor v)
    {
        var n = v.Shape[v.Rank - 1];
        var shape = new Shape([.. v.Shape, n]);
        return Lax.Mul(ExpandDims.Instance.Bind(new ExpandDimsParams(new Ints(v.Rank - 1)), v), Rules.BroadcastTo(Eye(n, n, v.DType), shape));
    }

    /// <summary>Row vectors: v (..., n) as (..., 1, n), to scale columns by broadcasting.</summary>
    public static Tensor Row(Tensor v) => ExpandDims.Instance.Bind(new ExpandDimsParams(new Ints(v.Rank - 1)), v);

    /// <summary>Column vectors: v (..., n) as (..., n, 1), to scale rows by broadcasting.</summary>
    public static Tensor Column(Tensor v) => ExpandDims.Instance.Bind(new ExpandDimsParams(new Ints(v.Rank)), v);

    /// <summary>
    /// The rows of x (..., m, n) reordered by <paramref name="permutation"/> (..., m) int32:
    /// row i of the result is row permutation[i] of x (JAX's <c>x[..., permutation, :]</c>).
    /// </summary>
    public static Tensor PermuteRows(Tensor x, Tensor permutation)
    {
        var indices = Rules.BroadcastTo(Column(permutation), new Shape([.. x.Shape.Take(x.Rank - 1), x.Shape[x.Rank - 1]]));
        return Np.TakeAlongAxis(x, indices, x.Rank - 2, GatherScatterMode.Clip);
    }

    /// <summary>The sub-matrices x[..., rows, cols] of the leading <paramref name="rows"/> rows and <paramref name="cols"/> columns.</summary>
    public static Tensor Leading(Tensor x, int rows, int cols)
    {
        if (rows == x.Shape[x.Rank - 2] && cols == x.Shape[x.Rank - 1]) return x;
        var start = new Ints(new int[x.Rank]);
        var limit = new Ints([.. x.Shape.Take(x.Rank - 2), rows, cols]);
        return Lax.Slice(x, start, limit);
    }

    /// <summary>x padded with zeros after its last two axes to rows x cols.</summary>
    public static Tensor PadTo(Tensor x, int rows, int cols)
    {
        var (r, c) = (x.Shape[x.Rank - 2], x.Shape[x.Rank - 1]);
        if (r == rows && c == cols) return x;
        var config = Enumerable.Repeat((0, 0, 0), x.Rank - 2).Append((0, rows - r, 0)).Append((0, cols - c, 0)).ToArray();
        return Lax.Pad(x, Rules.Zeros(new AbstractValue(Shape.Scalar, x.DType)), config);
    }

    /// <summary><c>select(condition, x, y)</c> with a condition broadcast to x's shape.</summary>
    public static Tensor Where(Tensor condition, Tensor x, Tensor y) =>
        Select.Instance.Bind(PrimitiveParams.None, Rules.BroadcastTo(condition, x.Shape), x, y);
}
