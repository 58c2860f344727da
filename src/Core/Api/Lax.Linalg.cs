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

public static partial class Lax
{
    /// <summary>
    /// <c>jax.lax.linalg.lu</c>: the LU decomposition with partial pivoting of the float matrices
    /// (..., m, n) on the last two axes: <c>Lu</c> holds L strictly below the diagonal (unit
    /// diagonal implied) and U on and above it, <c>Pivots</c> (..., min(m, n)) the row swaps of
    /// each step (LAPACK's, from 0) and <c>Permutation</c> (..., m) the same as a permutation, with
    /// a[..., Permutation, :] = L U. Differentiable in a (JAX's rule) and batchable.
    /// </summary>
    /// <example><c>var (lu, pivots, permutation) = Lax.Lu(a);</c></example>
    public static (Tensor Lu, Tensor Pivots, Tensor Permutation) Lu(Tensor x)
    {
        var outputs = Primitives.LinearAlgebra.Lu.Instance.BindMany(PrimitiveParams.None, NotNull(x));
        return (outputs[0], outputs[1], outputs[2]);
    }

    /// <summary>
    /// <c>jax.lax.linalg.lu_pivots_to_permutation</c>: the permutation (..., permutationSize) int32
    /// that applies the row swaps <paramref name="pivots"/> (..., k) in order, k ≤ permutationSize.
    /// </summary>
    /// <example><c>Lax.LuPivotsToPermutation(pivots, 3)</c> of pivots [2, 2] is [2, 0, 1].</example>
    public static Tensor LuPivotsToPermutation(Tensor pivots, int permutationSize)
    {
        NotNull(pivots);
        if (pivots.DType != DType.Int32 || pivots.Rank < 1)
            throw new ArgumentException($"lu_pivots_to_permutation: pivots must be int32 of shape (..., k), got {pivots.DType.Name()}{pivots.Shape}");
        var k = pivots.Shape[pivots.Rank - 1];
        if (k > permutationSize)
            throw new ArgumentException($"lu_pivots_to_permutation: {k} pivots (shape {pivots.Shape}) cannot permute {permutationSize} rows; permutationSize must be at least the number of pivots");
        var shape = new Shape([.. pivots.Shape.Take(pivots.Rank - 1), permutationSize]);
        var iota = BroadcastedIota(DType.Int32, shape, shape.Rank - 1);
        var permutation = iota;
        for (var i = 0; i < k; i++)
        {
            // swap entries i and pivots[..., i]
            var j = Slice(pivots, new Ints([.. new int[pivots.Rank - 1], i]), new Ints([.. pivots.Shape.Take(pivots.Rank - 1), i + 1]));
            var atI = Slice(permutation, new Ints([.. new int[shape.Rank - 1], i]), new Ints([.. shape.Take(shape.Rank - 1), i + 1]));
            var atJ = Np.TakeAlongAxis(permutation, j, -1, GatherScatterMode.Clip);
            var isI = Eq(iota, Rules.BroadcastTo(Tensor.Scalar(i), shape));
            var isJ = Eq(iota, Rules.BroadcastTo(j, shape));
            permutation = Select(isI, Rules.BroadcastTo(atJ, shape), Select(isJ, Rules.BroadcastTo(atI, shape), permutation));
        }
        return permutation;
    }

    /// <summary>
    /// <c>jax.lax.linalg.eigh</c>: the eigenvectors V (columns) and eigenvalues W (ascending) of
    /// the symmetric float matrices on the last two axes, with x = V diag(W) Vᵀ. Only the lower
    /// (<paramref name="lower"/>) or upper triangle is read; <paramref name="symmetrizeInput"/>
    /// first replaces x by (x + xᵀ) / 2, which gives the tangent the symmetry the rule assumes.
    /// Eigenvalues are differentiable; eigenvector tangents are infinite or NaN where
    /// eigenvalues repeat, as in JAX.
    /// </summary>
    /// <example><c>var (v, w) = Lax.Eigh(a);</c></example>
    public static (Tensor V, Tensor W) Eigh(Tensor x, bool lower = true, bool symmetrizeInput = true)
    {
        NotNull(x);
        if (symmetrizeInput && x.Rank >= 2 && x.Shape[x.Rank - 1] == x.Shape[x.Rank - 2] && x.DType.IsFloat())
            x = Div(Add(x, Primitives.LinearAlgebra.MatrixAlgebra.T(x)), Rules.Full(2.0, x.DType, Shape.Scalar));
        var outputs = Primitives.LinearAlgebra.Eigh.Instance.BindMany(new Primitives.LinearAlgebra.EighParams(lower), x);
        return (outputs[0], outputs[1]);
    }

    /// <summary>
    /// <c>jax.lax.linalg.svd</c> with <c>compute_uv=True</c>: U, the singular values S
    /// (descending) and Vᵀ of the float matrices (..., m, n), x = U diag(S) Vᵀ; U is (..., m, m) and
    /// Vᵀ (..., n, n) when <paramref name="fullMatrices"/>, else (..., m, k) and (..., k, n),
    /// k = min(m, n). Differentiable (JAX's rule) for fullMatrices: false.
    /// </summary>
    /// <example><c>var (u, s, vt) = Lax.Svd(a, fullMatrices: false);</c></example>
    public static (Tensor U, Tensor S, Tensor Vt) Svd(Tensor x, bool fullMatrices = true)
    {
        var outputs = Primitives.LinearAlgebra.Svd.Instance.BindMany(new Primitives.LinearAlgebra.SvdParams(fullMatrices, ComputeUv: true), NotNull(x));
        return (outputs[1], outputs[0], outputs[2]);
    }

    /// <summary><c>jax.lax.linalg.svd</c> with <c>compute_uv=False</c>: the singular values (..., min(m, n)), descending.</summary>
    /// <example><c>Lax.SingularValues(a)</c></example>
    public static Tensor SingularValues(Tensor x) =>
        Primitives.LinearAlgebra.Svd.Instance.BindMany(new Primitives.LinearAlgebra.SvdParams(ComputeUv: false), NotNull(x))[0];

    /// <summary>
    /// <c>jax.lax.linalg.qr</c>: Q with orthonormal columns and upper-triangular R, x = Q R, for the
    /// float matrices (..., m, n): Q (..., m, m) and R (..., m, n) when <paramref name="fullMatrices"/>,
    /// else (..., m, k) and (..., k, n), k = min(m, n). Differentiable for m ≥ n (full matrices: square).
    /// </summary>
    /// <example><c>var (q, r) = Lax.Qr(a, fullMatrices: false);</c></example>
    public static (Tensor Q, Tensor R) Qr(Tensor x, bool fullMatrices = true)
    {
        var outputs = Primitives.LinearAlgebra.Qr.Instance.BindMany(new Primitives.LinearAlgebra.QrParams(fullMatrices), NotNull(x));
        return (outputs[0], outputs[1]);
    }
}
