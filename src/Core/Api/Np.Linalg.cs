using JaxSharp.Primitives;

namespace JaxSharp;

public static partial class Np
{
    /// <summary>
    /// <c>jnp.linalg.cholesky</c>: the lower Cholesky factor L (L Lᵀ = x) of the symmetric positive
    /// definite matrices on the last two axes; x is symmetrized first, integers become float32,
    /// and a matrix that is not positive definite gives NaNs.
    /// </summary>
    /// <example><c>Np.Cholesky(Np.Array(new[,] { { 4.0, 2.0 }, { 2.0, 5.0 } }))</c> is [[2, 0], [1, 2]].</example>
    public static Tensor Cholesky(Tensor x) => Lax.Cholesky(ToInexact(NotNull(x)));

    /// <summary>
    /// <c>jax.scipy.linalg.solve_triangular</c>: x with op(a) x = b for triangular a (..., m, m),
    /// reading only its lower (when <paramref name="lower"/>) or upper triangle. b is a vector
    /// (..., m) when its rank is a's minus one, else matrices (..., m, k); the leading axes
    /// broadcast. <paramref name="trans"/> is 0 (op(a) = a), 1 (aᵀ) or 2 (the conjugate
    /// transpose, aᵀ for real dtypes); <paramref name="unitDiagonal"/> takes the diagonal as ones.
    /// Both are promoted to a common float dtype.
    /// </summary>
    /// <example><c>Np.SolveTriangular(l, b, lower: true)</c></example>
    public static Tensor SolveTriangular(Tensor a, Tensor b, bool lower = false, int trans = 0, bool unitDiagonal = false)
    {
        NotNull(a);
        NotNull(b);
        if (trans is < 0 or > 2)
            throw new ArgumentException($"solve_triangular: trans must be 0 (a), 1 (a transposed) or 2 (a conjugate transposed), got {trans}");
        if (a.Rank < 2 || a.Shape[a.Rank - 1] != a.Shape[a.Rank - 2])
            throw new ArgumentException($"solve_triangular: a must be square (..., m, m), got {a.Shape}");
        var vector = b.Rank == a.Rank - 1;
        if (!vector && b.Rank < 2)
            throw new ArgumentException($"solve_triangular: b must be (..., m) with a's leading axes or (..., m, k), got {b.Shape} for a {a.Shape}");
        var (pa, pb) = Promote(a, b);
        (pa, pb) = (ToInexact(pa), ToInexact(pb));
        if (vector) pb = Lax.ExpandDims(pb, new Ints(-1));
        var batch = Broadcasting.Shapes("solve_triangular", new Shape(pa.Shape.Take(pa.Rank - 2)), new Shape(pb.Shape.Take(pb.Rank - 2)));
        pa = BroadcastTo(pa, new Shape([.. batch, .. pa.Shape.Skip(pa.Rank - 2)]));
        pb = BroadcastTo(pb, new Shape([.. batch, .. pb.Shape.Skip(pb.Rank - 2)]));
        var x = Lax.TriangularSolve(pa, pb, leftSide: true, lower: lower, transposeA: trans != 0, unitDiagonal: unitDiagonal, conjugateA: trans == 2);
        return vector ? Lax.Squeeze(x, new Ints(-1)) : x;
    }
}
