using JaxSharp.Primitives;
using JaxSharp.Primitives.LinearAlgebra;
using TS = JaxSharp.Primitives.LinearAlgebra.TriangularSolveParams;

namespace JaxSharp;

public static partial class Np
{
    public static partial class Linalg
    {
        /// <summary>
        /// <c>jnp.linalg.solve</c>: x with a x = b for square a (..., m, m); b is a vector (m,) or
        /// matrices (..., m, k), and the leading axes broadcast. One LU factorization serves the
        /// solve and its derivative (JAX's <c>custom_linear_solve</c>): dx = a⁻¹ (db - da x).
        /// </summary>
        /// <example><c>Np.Linalg.Solve(a, b)</c></example>
        public static Tensor Solve(Tensor a, Tensor b)
        {
            var (pa, pb, vector) = SolveOperands("solve", a, b);
            var x = SolveMatrices(pa, pb);
            return vector ? Lax.Squeeze(x, new Ints(-1)) : x;
        }

        /// <summary>a⁻¹ b for square a and matrices b of a's batch shape, with the derivative of a linear solve.</summary>
        private static Tensor SolveMatrices(Tensor a, Tensor b)
        {
            var solve = Jax.CustomJvp(
                (Tensor[] args) => LuSolveCore(Lax.Lu(args[0]), args[1], transposed: false),
                (Tensor[] primals, Tensor[] tangents) =>
                {
                    var factors = Lax.Lu(primals[0]);
                    var x = LuSolveCore(factors, primals[1], transposed: false);
                    // dx = a⁻¹ (db - da x)
                    var rhs = Lax.Sub(tangents[1], MatrixAlgebra.MatMul(tangents[0], x));
                    return (x, LuSolveCore(factors, rhs, transposed: false));
                });
            return solve([a, b]);
        }

        /// <summary>x with a x = b (or aᵀ x = b when <paramref name="transposed"/>) from a's LU factors; b (..., m, k) of their batch shape.</summary>
        private static Tensor LuSolveCore((Tensor Lu, Tensor Pivots, Tensor Permutation) factors, Tensor b, bool transposed)
        {
            var (lu, _, permutation) = factors;
            if (!transposed)
            {
                // P a = L U: x = U⁻¹ L⁻¹ P b
                var y = TriangularSolve.Instance.Bind(new TS(LeftSide: true, Lower: true, UnitDiagonal: true), lu, MatrixAlgebra.PermuteRows(b, permutation));
                return TriangularSolve.Instance.Bind(new TS(LeftSide: true, Lower: false), lu, y);
            }
            // aᵀ = Uᵀ Lᵀ P: x = Pᵀ L⁻ᵀ U⁻ᵀ b
            var z = TriangularSolve.Instance.Bind(new TS(LeftSide: true, Lower: false, TransposeA: true), lu, b);
            z = TriangularSolve.Instance.Bind(new TS(LeftSide: true, Lower: true, TransposeA: true, UnitDiagonal: true), lu, z);
            return MatrixAlgebra.PermuteRows(z, Lax.Argsort(permutation, -1));
        }

        /// <summary><c>jnp.linalg.inv</c>: the inverse of the square matrices (..., n, n), as <c>solve(a, I)</c>; a singular matrix gives infinities or NaNs.</summary>
        /// <example><c>Np.Linalg.Inv(a)</c></example>
        public static Tensor Inv(Tensor a)
        {
            a = SquareFloat("inv", a);
            return SolveMatrices(a, BatchedEye(a, a.Shape[a.Rank - 1]));
        }

        /// <summary>
        /// <c>jnp.linalg.det</c>: the determinants (...) of the square matrices (..., n, n), from the LU
        /// factorization. Its derivative is JAX's: trace(adj(a) da) by a cofactor solve, so it stays
        /// finite at singular matrices of rank n - 1.
        /// </summary>
        /// <example><c>Np.Linalg.Det(a)</c></example>
        public static Tensor Det(Tensor a)
        {
            a = SquareFloat("det", a);
            var n = a.Shape[a.Rank - 1];
            if (n == 0) return Rules.Full(1.0, a.DType, new Shape(a.Shape.Take(a.Rank - 2).ToArray()));
            var det = Jax.CustomJvp(
                (Tensor[] args) => DetFromLu(Lax.Lu(args[0])),
                (Tensor[] primals, Tensor[] tangents) =>
                {
                    var (value, z) = CofactorSolve(primals[0], tangents[0]);
                    return (value, TraceOf(z));
                });
            return det([a]);
        }

        /// <summary>The determinant from LU factors: the sign of the row swaps times the product of U's diagonal.</summary>
        private static Tensor DetFromLu((Tensor Lu, Tensor Pivots, Tensor Permutation) factors)
        {
            var diagonal = MatrixAlgebra.Diagonal(factors.Lu);
            return Lax.Mul(SwapSign(factors.Pivots, diagonal.DType), Lax.ReduceProd(diagonal, diagonal.Rank - 1));
        }

        /// <summary>(-1)^(number of pivots that swap), in a dtype.</summary>
        private static Tensor SwapSign(Tensor pivots, DType dtype)
        {
            var iota = Lax.BroadcastedIota(DType.Int32, pivots.Shape, pivots.Rank - 1);
            var swaps = Lax.ReduceSum(Lax.ConvertElementType(Lax.Ne(pivots, iota), DType.Int32), pivots.Rank - 1);
            var odd = Lax.ConvertElementType(Lax.Rem(swaps, Rules.Full(2, DType.Int32, swaps.Shape)), dtype);
            return Lax.Sub(Rules.Full(1.0, dtype, odd.Shape), Lax.Add(odd, odd));
        }

        /// <summary>
        /// JAX's <c>_cofactor_solve</c>: (det a, adj(a) b) for square a and b, where adj(a) = det(a) a⁻¹
        /// when a is invertible, computed from the LU factors with U's last pivot replaced so that a
        /// matrix of rank n - 1 still gets its adjugate; matrices of lower rank get zeros.
        /// </summary>
        private static (Tensor Det, Tensor Solution) CofactorSolve(Tensor a, Tensor b)
        {
            var n = a.Shape[a.Rank - 1];
            var (lu, pivots, permutation) = Lax.Lu(a);
            var diagonal = MatrixAlgebra.Diagonal(lu);
            // partial[..., i] = sign * prod(diag[..., :i+1]): the last is det(a), the one before det(U) / u_nn
            var partial = Lax.Mul(Lax.Cumprod(diagonal, diagonal.Rank - 1), MatrixAlgebra.Column(SwapSign(pivots, a.DType)));
            var batch = a.Shape.Take(a.Rank - 2).ToArray();
            Tensor Entry(Tensor v, int i) => Lax.Squeeze(Lax.Slice(v, new Ints([.. new int[v.Rank - 1], i]), new Ints([.. batch, i + 1])), new Ints(-1));
            var det = Entry(partial, n - 1);
            // the adjugate of a 1 x 1 matrix is [1]
            if (n == 1) return (det, b);
            var corner = Lax.BitwiseAnd(Lax.Eq(Lax.BroadcastedIota(DType.Int32, new Shape(n, n), 0), Rules.Full(n - 1, DType.Int32, new Shape(n, n))),
                Lax.Eq(Lax.BroadcastedIota(DType.Int32, new Shape(n, n), 1), Rules.Full(n - 1, DType.Int32, new Shape(n, n))));
            var beforeLast = Entry(partial, n - 2);
            var luFixed = MatrixAlgebra.Where(corner, Rules.BroadcastTo(MatrixAlgebra.Column(MatrixAlgebra.Column(Lax.Div(Rules.Full(1.0, a.DType, beforeLast.Shape), beforeLast))), lu.Shape), lu);
            // matrices whose U (with the replaced pivot) is still singular have rank < n - 1: zeros
            var probe = TriangularSolve.Instance.Bind(new TS(LeftSide: true, Lower: false), luFixed, Rules.Full(1.0, a.DType, WithMatrix(a, n, 1)));
            var bad = Lax.ReduceOr(Lax.BitwiseNot(Lax.IsFinite(probe)), probe.Rank - 2, probe.Rank - 1);
            var badMatrix = Rules.BroadcastTo(MatrixAlgebra.Column(MatrixAlgebra.Column(bad)), b.Shape);
            var zeros = Rules.Zeros(b.Aval.Strong);
            var x = MatrixAlgebra.Where(badMatrix, zeros, b);
            x = MatrixAlgebra.PermuteRows(x, permutation);
            x = TriangularSolve.Instance.Bind(new TS(LeftSide: true, Lower: true, UnitDiagonal: true), luFixed, x);
            // every row but the last times det(a)
            var rowScale = MatrixAlgebra.Where(Lax.Eq(Lax.BroadcastedIota(DType.Int32, new Shape(n), 0), Rules.Full(n - 1, DType.Int32, new Shape(n))),
                Rules.Full(1.0, a.DType, new Shape([.. batch, n])), Rules.BroadcastTo(MatrixAlgebra.Column(det), new Shape([.. batch, n])));
            x = Lax.Mul(x, Rules.BroadcastTo(MatrixAlgebra.Column(rowScale), x.Shape));
            x = TriangularSolve.Instance.Bind(new TS(LeftSide: true, Lower: false), luFixed, x);
            return (det, MatrixAlgebra.Where(badMatrix, zeros, x));
        }

        /// <summary>
        /// <c>jnp.linalg.slogdet</c>: the sign (-1, 0 or 1) and the natural logarithm of the absolute
        /// value of the determinants of the square matrices (..., n, n), from the LU factorization;
        /// a singular matrix gives sign 0 and -inf. The derivative is JAX's: d logabsdet = trace(a⁻¹ da), the sign's is 0.
        /// </summary>
        /// <example><c>var (sign, logAbsDet) = Np.Linalg.Slogdet(a);</c></example>
        public static (Tensor Sign, Tensor LogAbsDet) Slogdet(Tensor a)
        {
            a = SquareFloat("slogdet", a);
            var f = Jax.CustomJvpMany(
                args => SlogdetFromLu(Lax.Lu(args[0])),
                (primals, tangents) =>
                {
                    var factors = Lax.Lu(primals[0]);
                    var outputs = SlogdetFromLu(factors);
                    var n = primals[0].Shape[primals[0].Rank - 1];
                    // d log|det a| = trace(a⁻¹ da), with the factors already at hand (a solve linear in da)
                    var logDot = TraceOf(LuSolveCore(factors, tangents[0], transposed: false));
                    return (outputs, [Rules.Zeros(outputs[0].Aval.Strong), n == 0 ? Rules.Zeros(outputs[1].Aval.Strong) : logDot]);
                });
            var result = f([a]);
            return (result[0], result[1]);
        }

        private static Tensor[] SlogdetFromLu((Tensor Lu, Tensor Pivots, Tensor Permutation) factors)
        {
            var diagonal = MatrixAlgebra.Diagonal(factors.Lu);
            var last = diagonal.Rank - 1;
            var isZero = Lax.ReduceOr(Lax.Eq(diagonal, Rules.Zeros(diagonal.Aval.Strong)), last);
            var sign = Lax.Mul(SwapSign(factors.Pivots, diagonal.DType), Lax.ReduceProd(Lax.Sign(diagonal), last));
            var logAbs = Lax.ReduceSum(Lax.Log(Lax.Abs(diagonal)), last);
            sign = Lax.Select(isZero, Rules.Zeros(sign.Aval.Strong), sign);
            logAbs = Lax.Select(isZero, Rules.Full(double.NegativeInfinity, logAbs.DType, logAbs.Shape), logAbs);
            return [sign, logAbs];
        }
    }
}
