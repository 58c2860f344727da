using JaxSharp.Primitives;
using JaxSharp.Primitives.LinearAlgebra;
using TS = JaxSharp.Primitives.LinearAlgebra.TriangularSolveParams;

namespace JaxSharp;

public static partial class Np
{
    public static partial class Linalg
    {
        /// <summary>
        /// <c>jnp.linalg.cholesky</c>: the lower factor L with L Lᵀ = a of symmetric positive definite
        /// matrices (..., n, n), or Lᵀ (upper, with Lᵀᵀ Lᵀ = a) when <paramref name="upper"/>. a is
        /// symmetrized first; a matrix that is not positive definite gives NaNs.
        /// </summary>
        /// <example><c>Np.Linalg.Cholesky(a, upper: true)</c></example>
        public static Tensor Cholesky(Tensor a, bool upper = false)
        {
            var l = Lax.Cholesky(SquareFloat("cholesky", a));
            return upper ? MatrixAlgebra.T(l) : l;
        }

        /// <summary>
        /// <c>jax.scipy.linalg.cho_factor</c>: the Cholesky factor of the symmetric positive definite
        /// a read from its lower (<paramref name="lower"/>) or upper triangle only, returned with the
        /// flag for <see cref="ChoSolve"/>: L (L Lᵀ = a) or U (Uᵀ U = a).
        /// </summary>
        /// <example><c>var factor = Np.Linalg.ChoFactor(a); var x = Np.Linalg.ChoSolve(factor, b);</c></example>
        public static (Tensor C, bool Lower) ChoFactor(Tensor a, bool lower = false)
        {
            a = SquareFloat("cho_factor", a);
            // the symmetric matrix of the triangle that is read (the primitive's symmetrization is then exact)
            var triangle = MatrixAlgebra.Triangle(a, lower);
            var symmetric = Lax.Add(triangle, MatrixAlgebra.T(MatrixAlgebra.Triangle(a, lower, offset: 1)));
            var l = Lax.Cholesky(symmetric);
            return (lower ? l : MatrixAlgebra.T(l), lower);
        }

        /// <summary>
        /// <c>jax.scipy.linalg.cho_solve</c>: x with a x = b from a's Cholesky factor (from
        /// <see cref="ChoFactor"/>); b is (m,) or (..., m, k), leading axes broadcast.
        /// </summary>
        /// <example><c>Np.Linalg.ChoSolve(Np.Linalg.ChoFactor(a, lower: true), b)</c></example>
        public static Tensor ChoSolve((Tensor C, bool Lower) factor, Tensor b)
        {
            var (c, pb, vector) = SolveOperands("cho_solve", factor.C, b);
            var lower = factor.Lower;
            // a = L Lᵀ: x = L⁻ᵀ L⁻¹ b (for U = Lᵀ: a = Uᵀ U, x = U⁻¹ U⁻ᵀ b)
            var y = TriangularSolve.Instance.Bind(new TS(LeftSide: true, Lower: lower, TransposeA: !lower), c, pb);
            var x = TriangularSolve.Instance.Bind(new TS(LeftSide: true, Lower: lower, TransposeA: lower), c, y);
            return vector ? Lax.Squeeze(x, new Ints(-1)) : x;
        }

        /// <summary>
        /// <c>jax.scipy.linalg.solve_triangular</c>: x with op(a) x = b for triangular a; see
        /// <see cref="Np.SolveTriangular"/>.
        /// </summary>
        /// <example><c>Np.Linalg.SolveTriangular(l, b, lower: true)</c></example>
        public static Tensor SolveTriangular(Tensor a, Tensor b, bool lower = false, int trans = 0, bool unitDiagonal = false) =>
            Np.SolveTriangular(a, b, lower, trans, unitDiagonal);

        /// <summary>
        /// <c>jax.scipy.linalg.lu</c>: P, L, U with a = P L U for matrices (..., m, n): P (..., m, m) a
        /// permutation matrix, L (..., m, k) unit lower triangular, U (..., k, n) upper triangular,
        /// k = min(m, n).
        /// </summary>
        /// <example><c>var (p, l, u) = Np.Linalg.Lu(a);</c></example>
        public static (Tensor P, Tensor L, Tensor U) Lu(Tensor a)
        {
            a = MatricesFloat("lu", a);
            var (m, n) = (a.Shape[a.Rank - 2], a.Shape[a.Rank - 1]);
            var k = Math.Min(m, n);
            var (lu, _, permutation) = Lax.Lu(a);
            // row i of P L U is row permutation[i] of a: P[permutation[i], i] = 1
            var columns = Lax.BroadcastedIota(DType.Int32, WithMatrix(a, m, m), a.Rank - 1);
            var pT = Lax.ConvertElementType(Lax.Eq(Rules.BroadcastTo(MatrixAlgebra.Column(permutation), columns.Shape), columns), a.DType);
            var l = Lax.Add(MatrixAlgebra.Triangle(MatrixAlgebra.Leading(lu, m, k), lower: true, offset: 1), Rules.BroadcastTo(MatrixAlgebra.Eye(m, k, a.DType), WithMatrix(a, m, k)));
            var u = MatrixAlgebra.Triangle(MatrixAlgebra.Leading(lu, k, n), lower: false);
            return (MatrixAlgebra.T(pT), l, u);
        }

        /// <summary>
        /// <c>jax.scipy.linalg.lu_factor</c>: the LU factors of square matrices in one array (L
        /// strictly below the diagonal, U on and above) and the row swaps (LAPACK's pivots, from 0),
        /// for <see cref="LuSolve"/>.
        /// </summary>
        /// <example><c>var factors = Np.Linalg.LuFactor(a); var x = Np.Linalg.LuSolve(factors, b);</c></example>
        public static (Tensor Lu, Tensor Pivots) LuFactor(Tensor a)
        {
            var (lu, pivots, _) = Lax.Lu(MatricesFloat("lu_factor", a));
            return (lu, pivots);
        }

        /// <summary>
        /// <c>jax.scipy.linalg.lu_solve</c>: x with a x = b (<paramref name="trans"/> 0) or aᵀ x = b
        /// (1 or 2) from <see cref="LuFactor"/>'s factors; b is (m,) or (..., m, k), leading axes broadcast.
        /// </summary>
        /// <example><c>Np.Linalg.LuSolve(Np.Linalg.LuFactor(a), b)</c></example>
        public static Tensor LuSolve((Tensor Lu, Tensor Pivots) factors, Tensor b, int trans = 0)
        {
            if (trans is < 0 or > 2)
                throw new ArgumentException($"lu_solve: trans must be 0 (a x = b), 1 (aᵀ x = b) or 2 (the conjugate transpose, aᵀ for real dtypes), got {trans}");
            NotNull(factors.Pivots);
            var (lu, pb, vector) = SolveOperands("lu_solve", factors.Lu, b);
            var m = lu.Shape[lu.Rank - 1];
            var pivots = BroadcastTo(factors.Pivots, new Shape([.. lu.Shape.Take(lu.Rank - 2), m]));
            var permutation = Lax.LuPivotsToPermutation(pivots, m);
            var x = LuSolveCore((lu, pivots, permutation), pb, transposed: trans != 0);
            return vector ? Lax.Squeeze(x, new Ints(-1)) : x;
        }

        /// <summary>
        /// <c>jnp.linalg.qr</c>: Q and R with a = Q R for matrices (..., m, n): <paramref name="mode"/>
        /// "reduced" gives Q (..., m, k) and R (..., k, n), k = min(m, n); "complete" gives Q (..., m, m)
        /// and R (..., m, n). R's diagonal may be negative, as LAPACK's.
        /// </summary>
        /// <example><c>var (q, r) = Np.Linalg.Qr(a);</c></example>
        public static (Tensor Q, Tensor R) Qr(Tensor a, string mode = "reduced")
        {
            a = MatricesFloat("qr", a);
            return mode switch
            {
                "reduced" => Lax.Qr(a, fullMatrices: false),
                "complete" => Lax.Qr(a, fullMatrices: true),
                _ => throw new ArgumentException($"qr: mode must be \"reduced\" or \"complete\", got \"{mode}\"; for R alone take .R of the result"),
            };
        }
    }
}
