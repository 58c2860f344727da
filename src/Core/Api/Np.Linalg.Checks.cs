using JaxSharp.Primitives;
using JaxSharp.Primitives.LinearAlgebra;

namespace JaxSharp;

public static partial class Np
{
    /// <summary>
    /// <c>jax.numpy.linalg</c> (with <c>jax.scipy.linalg</c>'s factor-and-solve functions): solves,
    /// inverses, determinants, decompositions, norms and matrix functions of the matrices on the
    /// last two axes (leading axes are batch axes). Integers become float32, as in JAX. Built from
    /// the primitives lu, triangular_solve, cholesky, qr, eigh and svd, so every function
    /// differentiates, batches and compiles.
    /// </summary>
    public static partial class Linalg
    {
        /// <summary>x as float, after checking that its last two axes are a square matrix.</summary>
        private static Tensor SquareFloat(string function, Tensor x, string fix = "")
        {
            NotNull(x);
            if (x.Rank < 2)
                throw new ArgumentException($"{function}: expected square matrices on the last two axes, shape (..., n, n), got {x.Shape} of rank {x.Rank}; {(fix.Length > 0 ? fix : "reshape a vector to (n, 1) or (1, n) if it is one")}");
            if (x.Shape[x.Rank - 1] != x.Shape[x.Rank - 2])
                throw new ArgumentException($"{function}: expected square matrices on the last two axes, shape (..., n, n), got {x.Shape}; {(fix.Length > 0 ? fix : "the last two axes must have equal sizes")}");
            return ToInexact(x);
        }

        /// <summary>x as float, after checking that it has matrices on its last two axes.</summary>
        private static Tensor MatricesFloat(string function, Tensor x)
        {
            NotNull(x);
            if (x.Rank < 2)
                throw new ArgumentException($"{function}: expected matrices on the last two axes, shape (..., m, n), got {x.Shape} of rank {x.Rank}; reshape a vector to (n, 1) or (1, n) if it is one");
            return ToInexact(x);
        }

        /// <summary>The shape of x with its last two axes replaced.</summary>
        private static Shape WithMatrix(Tensor x, int rows, int cols) => new([.. x.Shape.Take(x.Rank - 2), rows, cols]);

        /// <summary>The identity matrices of x's batch shape, n x n, in x's dtype.</summary>
        private static Tensor BatchedEye(Tensor x, int n) => Rules.BroadcastTo(MatrixAlgebra.Eye(n, n, x.DType), WithMatrix(x, n, n));

        /// <summary>The trace of the square matrices of x, shape (...).</summary>
        private static Tensor TraceOf(Tensor x) => Lax.ReduceSum(MatrixAlgebra.Diagonal(x), x.Rank - 2);

        /// <summary>
        /// a and b promoted to one float dtype, b as matrices (a trailing axis added to a vector b,
        /// which is b of rank 1), both broadcast to their common batch shape; true when b was a vector.
        /// </summary>
        private static (Tensor A, Tensor B, bool Vector) SolveOperands(string function, Tensor a, Tensor b)
        {
            a = SquareFloat(function, a);
            NotNull(b);
            var (pa, pb) = Promote(a, ToInexact(b));
            var vector = pb.Rank == 1;
            if (vector) pb = Lax.ExpandDims(pb, new Ints(-1));
            if (pb.Rank < 2)
                throw new ArgumentException($"{function}: b must be a vector (m,) or matrices (..., m, k), got a scalar for a {a.Shape}");
            var m = pa.Shape[pa.Rank - 1];
            if (pb.Shape[pb.Rank - 2] != m)
                throw new ArgumentException($"{function}: a {a.Shape} and b {b.Shape} are incompatible: b must be (m,) or (..., m, k) with m = {m} (the size of a's last axis), got {pb.Shape[pb.Rank - 2]} rows");
            var batch = Broadcasting.Shapes(function, new Shape(pa.Shape.Take(pa.Rank - 2)), new Shape(pb.Shape.Take(pb.Rank - 2)));
            pa = BroadcastTo(pa, new Shape([.. batch, m, m]));
            pb = BroadcastTo(pb, new Shape([.. batch, m, pb.Shape[pb.Rank - 1]]));
            return (pa, pb, vector);
        }
    }
}
