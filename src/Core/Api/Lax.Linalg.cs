using JaxSharp.Primitives;
using JaxSharp.Primitives.LinearAlgebra;

namespace JaxSharp;

public static partial class Lax
{
    /// <summary>
    /// <c>jax.lax.linalg.cholesky</c>: the lower-triangular L with L Lᵀ = x for symmetric positive
    /// definite float matrices on the last two axes. x is symmetrized first ((x + xᵀ) / 2); a matrix
    /// that is not positive definite gives NaNs. Differentiable (JAX's rule) and batchable.
    /// </summary>
    /// <example><c>Lax.Cholesky(Np.Array(new[,] { { 4.0, 2.0 }, { 2.0, 5.0 } }))</c> is [[2, 0], [1, 2]].</example>
    public static Tensor Cholesky(Tensor x) => Primitives.LinearAlgebra.Cholesky.Instance.Bind(PrimitiveParams.None, NotNull(x));

    /// <summary>
    /// <c>jax.lax.linalg.triangular_solve</c>: x with op(a) x = b when <paramref name="leftSide"/>,
    /// else x op(a) = b, where op(a) is a or (when <paramref name="transposeA"/>) aᵀ, and only the
    /// lower (when <paramref name="lower"/>) or upper triangle of a is read, its diagonal taken as
    /// ones when <paramref name="unitDiagonal"/>. a is (..., m, m); b is (..., m, n) (left) or
    /// (..., n, m) (right) with a's leading axes, or a vector (..., m) solved as one column (left)
    /// or row (right). a and b share a float dtype. <paramref name="conjugateA"/> is a no-op for
    /// real dtypes, kept for JAX's signature.
    /// </summary>
    /// <example><c>Lax.TriangularSolve(l, b, leftSide: true, lower: true)</c> is L⁻¹ b.</example>
    public static Tensor TriangularSolve(Tensor a, Tensor b, bool leftSide = false, bool lower = false, bool transposeA = false, bool unitDiagonal = false, bool conjugateA = false)
    {
        NotNull(a);
        NotNull(b);
        var p = new TriangularSolveParams(leftSide, lower, transposeA, conjugateA, unitDiagonal);
        var vector = b.Rank == a.Rank - 1 && a.Rank >= 2;
        if (!vector) return Primitives.LinearAlgebra.TriangularSolve.Instance.Bind(p, a, b);
        var axis = leftSide ? -1 : -2;
        var x = Primitives.LinearAlgebra.TriangularSolve.Instance.Bind(p, a, ExpandDims(b, new Ints(axis)));
        return Squeeze(x, new Ints(axis));
    }
}
