using JaxSharp.Primitives;
using JaxSharp.Primitives.LinearAlgebra;

namespace JaxSharp;

public static partial class Np
{
    public static partial class Linalg
    {
        /// <summary>
        /// <c>jnp.linalg.eigh</c>: the eigenvalues W (..., n), ascending, and eigenvectors V (..., n, n)
        /// (columns) of symmetric matrices, a = V diag(W) Vᵀ. <paramref name="uplo"/> "L" reads the
        /// lower triangle, "U" the upper; <paramref name="symmetrizeInput"/> first takes (a + aᵀ) / 2.
        /// Eigenvalues differentiate everywhere; eigenvector derivatives are infinite or NaN where
        /// eigenvalues repeat (the eigenvectors are not unique there), as in JAX.
        /// </summary>
        /// <example><c>var (w, v) = Np.Linalg.Eigh(a);</c></example>
        public static (Tensor W, Tensor V) Eigh(Tensor a, string uplo = "L", bool symmetrizeInput = true)
        {
            a = SquareFloat("eigh", a);
            var (v, w) = Lax.Eigh(a, Lower(uplo, "eigh"), symmetrizeInput);
            return (w, v);
        }

        /// <summary>
        /// <c>jnp.linalg.eigvalsh</c>: the eigenvalues (..., n), ascending, of symmetric matrices; as
        /// JAX's, the input is symmetrized first, so <paramref name="uplo"/> only matters through
        /// <see cref="Eigh"/> with symmetrizeInput: false.
        /// </summary>
        /// <example><c>Np.Linalg.Eigvalsh(a)</c></example>
        public static Tensor Eigvalsh(Tensor a, string uplo = "L")
        {
            a = SquareFloat("eigvalsh", a);
            return Lax.Eigh(a, Lower(uplo, "eigvalsh")).W;
        }

        private static bool Lower(string uplo, string function) => uplo switch
        {
            "L" => true,
            "U" => false,
            _ => throw new ArgumentException($"{function}: uplo must be \"L\" (read the lower triangle) or \"U\" (the upper), got \"{uplo}\""),
        };

        /// <summary>
        /// <c>jnp.linalg.svd</c>: U, the singular values S (descending) and Vh with a = U diag(S) Vh for
        /// matrices (..., m, n): U (..., m, m) and Vh (..., n, n) when <paramref name="fullMatrices"/>
        /// (numpy's default), else (..., m, k) and (..., k, n), k = min(m, n). Differentiable with
        /// fullMatrices: false; singular vector derivatives are infinite or NaN where singular values repeat, as in JAX.
        /// </summary>
        /// <example><c>var (u, s, vh) = Np.Linalg.Svd(a, fullMatrices: false);</c></example>
        public static (Tensor U, Tensor S, Tensor Vh) Svd(Tensor a, bool fullMatrices = true) =>
            Lax.Svd(MatricesFloat("svd", a), fullMatrices);

        /// <summary><c>jnp.linalg.svdvals</c>: the singular values (..., min(m, n)) of matrices, descending.</summary>
        /// <example><c>Np.Linalg.Svdvals(a)</c></example>
        public static Tensor Svdvals(Tensor a) => Lax.SingularValues(MatricesFloat("svdvals", a));

        /// <summary>
        /// <c>jnp.linalg.pinv</c>: the Moore-Penrose pseudo-inverse (..., n, m) of matrices (..., m, n),
        /// from the SVD with singular values at most <paramref name="rtol"/> times the largest taken
        /// as zero (default 10 max(m, n) eps). Its derivative is JAX's (Golub and Pereyra).
        /// </summary>
        /// <example><c>Np.Linalg.Pinv(a)</c></example>
        public static Tensor Pinv(Tensor a, double? rtol = null)
        {
            a = MatricesFloat("pinv", a);
            var (m, n) = (a.Shape[a.Rank - 2], a.Shape[a.Rank - 1]);
            if (m == 0 || n == 0) return Rules.Zeros(new AbstractValue(WithMatrix(a, n, m), a.DType));
            var tolerance = rtol ?? 10.0 * Math.Max(m, n) * Epsilon(a.DType);
            var pinv = Jax.CustomJvp(
                (Tensor x) => PinvCore(x, tolerance),
                (Tensor x, Tensor dx) =>
                {
                    var p = PinvCore(x, tolerance);
                    // dp = -p dx p + p pᵀ dxᵀ (I - x p) + (I - p x) dxᵀ pᵀ p
                    var (pT, dxT) = (MatrixAlgebra.T(p), MatrixAlgebra.T(dx));
                    var dp = Lax.Neg(MatrixAlgebra.MatMul(p, MatrixAlgebra.MatMul(dx, p)));
                    dp = Lax.Add(dp, MatrixAlgebra.MatMul(MatrixAlgebra.MatMul(p, pT), MatrixAlgebra.MatMul(dxT, Lax.Sub(BatchedEye(x, m), MatrixAlgebra.MatMul(x, p)))));
                    dp = Lax.Add(dp, MatrixAlgebra.MatMul(Lax.Sub(BatchedEye(x, n), MatrixAlgebra.MatMul(p, x)), MatrixAlgebra.MatMul(dxT, MatrixAlgebra.MatMul(pT, p))));
                    return (p, dp);
                });
            return pinv(a);
        }

        private static Tensor PinvCore(Tensor a, double rtol)
        {
            var (u, s, vt) = Lax.Svd(a, fullMatrices: false);
            var largest = MatrixAlgebra.Leading(MatrixAlgebra.Column(s), 1, 1);
            var cutoff = Rules.BroadcastTo(Lax.Squeeze(Lax.Mul(largest, Rules.Full(rtol, s.DType, largest.Shape)), new Ints(-1)), s.Shape);
            // 1/s where s > cutoff, else 0 (s replaced by inf)
            var kept = Lax.Select(Lax.Gt(s, cutoff), s, Rules.Full(double.PositiveInfinity, s.DType, s.Shape));
            return MatrixAlgebra.MatMul(MatrixAlgebra.T(vt), Lax.Div(MatrixAlgebra.T(u), Rules.BroadcastTo(MatrixAlgebra.Column(kept), MatrixAlgebra.T(u).Shape)));
        }

        private static double Epsilon(DType dtype) => dtype == DType.Float64 ? Math.Pow(2, -52) : Math.Pow(2, -23);

        /// <summary>
        /// <c>jnp.linalg.lstsq</c>: the least-squares solution x of a x ≈ b for a (m, n) and b (m,) or
        /// (m, k), from the SVD: singular values below <paramref name="rcond"/> times the largest
        /// (default eps max(m, n)) are dropped. Also the residuals ‖b - a x‖² per column (always, as
        /// JAX's default), the effective rank and the singular values.
        /// </summary>
        /// <example><c>var (x, residuals, rank, s) = Np.Linalg.Lstsq(a, b);</c></example>
        public static (Tensor X, Tensor Residuals, Tensor Rank, Tensor S) Lstsq(Tensor a, Tensor b, double? rcond = null)
        {
            NotNull(a);
            NotNull(b);
            if (a.Rank != 2)
                throw new ArgumentException($"lstsq: a must be one matrix (m, n), got {a.Shape} of rank {a.Rank}; for a batch use Jax.Vmap");
            if (b.Rank is not (1 or 2))
                throw new ArgumentException($"lstsq: b must be (m,) or (m, k), got {b.Shape} of rank {b.Rank}");
            if (a.Shape[0] != b.Shape[0])
                throw new ArgumentException($"lstsq: the leading axes of a {a.Shape} and b {b.Shape} must match (m rows each)");
            var (pa, pb) = Promote(ToInexact(a), ToInexact(b));
            var vector = pb.Rank == 1;
            if (vector) pb = Lax.ExpandDims(pb, new Ints(-1));
            var (m, n) = (pa.Shape[0], pa.Shape[1]);
            Tensor x, s, rank;
            if (m == 0 || n == 0)
            {
                s = Rules.Zeros(new AbstractValue(new Shape(0), pa.DType));
                rank = Tensor.Scalar(0);
                x = Rules.Zeros(new AbstractValue(new Shape(n, pb.Shape[1]), pa.DType));
            }
            else
            {
                var tolerance = rcond is { } r && r >= 0 ? r : Epsilon(pa.DType) * Math.Max(m, n);
                (var u, s, var vt) = Lax.Svd(pa, fullMatrices: false);
                var first = Lax.Slice(s, new Ints(0), new Ints(1));
                var mask = Lax.Ge(s, Rules.BroadcastTo(Lax.Mul(first, Rules.Full(tolerance, s.DType, first.Shape)), s.Shape));
                rank = Lax.ReduceSum(Lax.ConvertElementType(mask, DType.Int32), 0);
                var safe = Lax.Select(mask, s, Rules.Full(1.0, s.DType, s.Shape));
                var sInv = Lax.Select(mask, Lax.Div(Rules.Full(1.0, s.DType, s.Shape), safe), Rules.Zeros(s.Aval.Strong));
                var uTb = MatrixAlgebra.MatMul(MatrixAlgebra.T(u), pb);
                x = MatrixAlgebra.MatMul(MatrixAlgebra.T(vt), Lax.Mul(Rules.BroadcastTo(MatrixAlgebra.Column(sInv), uTb.Shape), uTb));
            }
            var residual = Lax.Sub(pb, MatrixAlgebra.MatMul(pa, x));
            var residuals = Lax.ReduceSum(Lax.Mul(residual, residual), 0);
            return (vector ? Lax.Squeeze(x, new Ints(-1)) : x, residuals, rank, s);
        }

        /// <summary>
        /// <c>jnp.linalg.matrix_rank</c>: the number of singular values (int32, shape (...)) above
        /// <paramref name="rtol"/> times the largest (default max(m, n) eps); a vector or scalar has
        /// rank 1 unless all zero.
        /// </summary>
        /// <example><c>Np.Linalg.MatrixRank(a)</c></example>
        public static Tensor MatrixRank(Tensor a, double? rtol = null)
        {
            NotNull(a);
            var x = ToInexact(a);
            if (x.Rank < 2) return Lax.ConvertElementType(Lax.ReduceOr(Lax.Ne(x, Rules.Zeros(x.Aval.Strong)), [.. Enumerable.Range(0, x.Rank)]), DType.Int32);
            var s = Lax.SingularValues(x);
            var k = s.Shape[s.Rank - 1];
            if (k == 0) return Rules.Full(0, DType.Int32, new Shape(s.Shape.Take(s.Rank - 1).ToArray()));
            var factor = rtol ?? Math.Max(x.Shape[x.Rank - 1], x.Shape[x.Rank - 2]) * Epsilon(x.DType);
            var tolerance = Lax.Mul(Lax.ReduceMax(s, s.Rank - 1), Rules.Full(factor, s.DType, new Shape(s.Shape.Take(s.Rank - 1).ToArray())));
            var above = Lax.Gt(s, Rules.BroadcastTo(MatrixAlgebra.Column(tolerance), s.Shape));
            return Lax.ReduceSum(Lax.ConvertElementType(above, DType.Int32), s.Rank - 1);
        }

        /// <summary>
        /// <c>jnp.linalg.cond</c>: the condition number of matrices in the 2-norm (the ratio of the
        /// largest to the smallest singular value; <paramref name="p"/> null or 2, or -2 for the
        /// inverse ratio) or, for square matrices, norm(a, p) norm(a⁻¹, p) with p 1, -1, ±inf or "fro"
        /// (see <see cref="Cond(Tensor, string)"/>). A singular matrix gives inf.
        /// </summary>
        /// <example><c>Np.Linalg.Cond(a)</c></example>
        public static Tensor Cond(Tensor a, double? p = null)
        {
            a = MatricesFloat("cond", a);
            if (p is null or 2 or -2)
            {
                var s = Lax.SingularValues(a);
                var k = s.Shape[s.Rank - 1];
                var (first, last) = (SliceLast(s, 0), SliceLast(s, k - 1));
                return NanToInf(a, p == -2 ? Lax.Div(last, first) : Lax.Div(first, last));
            }
            return CondByNorm(a, x => Norm(x, p.Value, [-2, -1]));
        }

        /// <summary><c>jnp.linalg.cond</c> in the Frobenius ("fro") or nuclear ("nuc") norm: norm(a) norm(a⁻¹) for square matrices.</summary>
        /// <example><c>Np.Linalg.Cond(a, "fro")</c></example>
        public static Tensor Cond(Tensor a, string p) => CondByNorm(MatricesFloat("cond", a), x => Norm(x, p, [-2, -1]));

        private static Tensor CondByNorm(Tensor a, Func<Tensor, Tensor> norm)
        {
            SquareFloat("cond", a, "cond with this p needs square matrices; use p: null (2-norm) for rectangular ones");
            return NanToInf(a, Lax.Mul(norm(a), norm(Inv(a))));
        }

        /// <summary>The entry <paramref name="index"/> of the last axis.</summary>
        private static Tensor SliceLast(Tensor v, int index) =>
            Lax.Squeeze(Lax.Slice(v, new Ints([.. new int[v.Rank - 1], index]), new Ints([.. v.Shape.Take(v.Rank - 1), index + 1])), new Ints(-1));

        /// <summary>NaN results become inf where the matrix itself has no NaN (as JAX's cond).</summary>
        private static Tensor NanToInf(Tensor a, Tensor r)
        {
            var aHasNan = Lax.ReduceOr(Lax.Ne(a, a), a.Rank - 2, a.Rank - 1);
            var fix = Lax.BitwiseAnd(Lax.Ne(r, r), Lax.BitwiseNot(aHasNan));
            return Lax.Select(fix, Rules.Full(double.PositiveInfinity, r.DType, r.Shape), r);
        }
    }
}
