using JaxSharp.Primitives;
using JaxSharp.Primitives.LinearAlgebra;

namespace JaxSharp;

public static partial class Np
{
    public static partial class Linalg
    {
        /// <summary>
        /// <c>jnp.linalg.matrix_power</c>: aⁿ for square matrices by repeated squaring; n = 0 gives the
        /// identity and a negative n the power of the inverse.
        /// </summary>
        /// <example><c>Np.Linalg.MatrixPower(a, 3)</c></example>
        public static Tensor MatrixPower(Tensor a, int n)
        {
            NotNull(a);
            SquareFloat("matrix_power", a);
            if (n == 0) return Rules.BroadcastTo(MatrixAlgebra.Eye(a.Shape[a.Rank - 1], a.Shape[a.Rank - 1], a.DType), a.Shape);
            var z = n < 0 ? Inv(a) : a;
            var remaining = Math.Abs((long)n);
            Tensor? result = null;
            // binary exponentiation: z holds a^(2^i), result the product of the bits seen so far
            while (true)
            {
                if ((remaining & 1) == 1) result = result is null ? z : Matmul(result, z);
                remaining >>= 1;
                if (remaining == 0) return result!;
                z = Matmul(z, z);
            }
        }

        /// <summary>
        /// <c>jnp.linalg.multi_dot</c>: the product of a chain of matrices in the cheapest order (by
        /// dynamic programming over the multiplications, as numpy's). The first may be a vector (a
        /// row) and the last a vector (a column); their axes are dropped from the result.
        /// </summary>
        /// <example><c>Np.Linalg.MultiDot(a, b, c)</c></example>
        public static Tensor MultiDot(params Tensor[] arrays)
        {
            NotNull(arrays);
            if (arrays.Length < 2)
                throw new ArgumentException($"multi_dot: expected at least 2 arrays, got {arrays.Length}; for one matrix there is nothing to multiply");
            var xs = arrays.Select((x, i) => NotNull(x)).ToArray();
            var (firstVector, lastVector) = (xs[0].Rank == 1, xs[^1].Rank == 1);
            if (firstVector) xs[0] = Lax.ExpandDims(xs[0], new Ints(0));
            if (lastVector) xs[^1] = Lax.ExpandDims(xs[^1], new Ints(1));
            for (var i = 0; i < xs.Length; i++)
                if (xs[i].Rank != 2)
                    throw new ArgumentException($"multi_dot: array {i} has shape {arrays[i].Shape}; every array must be a matrix (m, n), except that the first and last may be vectors");
            for (var i = 0; i + 1 < xs.Length; i++)
                if (xs[i].Shape[1] != xs[i + 1].Shape[0])
                    throw new ArgumentException($"multi_dot: arrays {i} {arrays[i].Shape} and {i + 1} {arrays[i + 1].Shape} are not aligned: {xs[i].Shape[1]} columns against {xs[i + 1].Shape[0]} rows");
            var order = ChainOrder(xs.Select(x => (long)x.Shape[0]).Append(xs[^1].Shape[1]).ToArray());
            var result = Multiply(xs, order, 0, xs.Length - 1);
            if (firstVector) result = Lax.Squeeze(result, new Ints(0));
            if (lastVector) result = Lax.Squeeze(result, new Ints(-1));
            return result;
        }

        /// <summary>The split points of the cheapest parenthesization of matrices with sizes dims[i] x dims[i + 1].</summary>
        private static int[,] ChainOrder(long[] dims)
        {
            var n = dims.Length - 1;
            var (cost, split) = (new long[n, n], new int[n, n]);
            for (var length = 1; length < n; length++)
                for (var i = 0; i + length < n; i++)
                {
                    var j = i + length;
                    cost[i, j] = long.MaxValue;
                    for (var k = i; k < j; k++)
                    {
                        var c = cost[i, k] + cost[k + 1, j] + dims[i] * dims[k + 1] * dims[j + 1];
                        if (c < cost[i, j]) (cost[i, j], split[i, j]) = (c, k);
                    }
                }
            return split;
        }

        private static Tensor Multiply(Tensor[] xs, int[,] split, int i, int j) =>
            i == j ? xs[i] : Dot(Multiply(xs, split, i, split[i, j]), Multiply(xs, split, split[i, j] + 1, j));

        /// <summary>
        /// <c>jax.scipy.linalg.expm</c>: the matrix exponential of square matrices (..., n, n) by
        /// scaling and squaring with a Padé approximant (Higham 2005, as JAX): a is scaled by 2⁻ˢ
        /// so that its 1-norm is at most 5.37 (float64) or 3.93 (float32), approximated by the
        /// degree-13 (float64) or degree-7 (float32) Padé approximant, and squared s times, at most
        /// <paramref name="maxSquarings"/> (more gives NaNs, as JAX). Differentiable.
        /// </summary>
        /// <example><c>Np.Linalg.Expm(a)</c></example>
        public static Tensor Expm(Tensor a, int maxSquarings = 16)
        {
            a = SquareFloat("expm", a);
            var n = a.Shape[a.Rank - 1];
            if (n == 0) return a;
            var float64 = a.DType == DType.Float64;
            var maxNorm = float64 ? 5.371920351148152 : 3.925724783138660;
            // the 1-norm of each matrix (no gradient: it only picks the scaling)
            var norm1 = Jax.StopGradient(Norm(a, 1.0, [-2, -1]));
            var squarings = Lax.Max(Rules.Zeros(norm1.Aval.Strong),
                Lax.Floor(Lax.Div(Lax.Log(Lax.Div(norm1, Rules.Full(maxNorm, a.DType, norm1.Shape))), Rules.Full(Math.Log(2), a.DType, norm1.Shape))));
            var scale = Lax.Pow(Rules.Full(2.0, a.DType, squarings.Shape), Lax.Neg(squarings));
            var scaled = Lax.Mul(a, Rules.BroadcastTo(MatrixAlgebra.Column(MatrixAlgebra.Column(scale)), a.Shape));
            var (u, v) = float64 ? Pade13(scaled) : Pade7(scaled);
            // r = q⁻¹ p with p = v + u, q = v - u
            var r = Solve(Lax.Sub(v, u), Lax.Add(v, u));
            var steps = Rules.BroadcastTo(MatrixAlgebra.Column(MatrixAlgebra.Column(squarings)), a.Shape);
            for (var i = 0; i < maxSquarings; i++)
                r = Lax.Select(Lax.Lt(Rules.Full(i, a.DType, a.Shape), steps), MatrixAlgebra.MatMul(r, r), r);
            var tooLarge = Lax.Gt(steps, Rules.Full(maxSquarings, a.DType, a.Shape));
            return Lax.Select(tooLarge, Rules.Full(double.NaN, a.DType, a.Shape), r);
        }

        /// <summary>The odd (u) and even (v) parts of the degree-7 Padé approximant of exp at a.</summary>
        private static (Tensor U, Tensor V) Pade7(Tensor a)
        {
            double[] b = [17297280.0, 8648640.0, 1995840.0, 277200.0, 25200.0, 1512.0, 56.0, 1.0];
            var eye = BatchedEye(a, a.Shape[a.Rank - 1]);
            var a2 = MatrixAlgebra.MatMul(a, a);
            var a4 = MatrixAlgebra.MatMul(a2, a2);
            var a6 = MatrixAlgebra.MatMul(a4, a2);
            var u = MatrixAlgebra.MatMul(a, Combine((b[7], a6), (b[5], a4), (b[3], a2), (b[1], eye)));
            var v = Combine((b[6], a6), (b[4], a4), (b[2], a2), (b[0], eye));
            return (u, v);
        }

        /// <summary>The odd (u) and even (v) parts of the degree-13 Padé approximant of exp at a.</summary>
        private static (Tensor U, Tensor V) Pade13(Tensor a)
        {
            double[] b =
            [
                64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0, 129060195264000.0,
                10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0, 40840800.0, 960960.0, 16380.0, 182.0, 1.0,
            ];
            var eye = BatchedEye(a, a.Shape[a.Rank - 1]);
            var a2 = MatrixAlgebra.MatMul(a, a);
            var a4 = MatrixAlgebra.MatMul(a2, a2);
            var a6 = MatrixAlgebra.MatMul(a4, a2);
            var inner = Lax.Add(MatrixAlgebra.MatMul(a6, Combine((b[13], a6), (b[11], a4), (b[9], a2))), Combine((b[7], a6), (b[5], a4), (b[3], a2), (b[1], eye)));
            var u = MatrixAlgebra.MatMul(a, inner);
            var v = Lax.Add(MatrixAlgebra.MatMul(a6, Combine((b[12], a6), (b[10], a4), (b[8], a2))), Combine((b[6], a6), (b[4], a4), (b[2], a2), (b[0], eye)));
            return (u, v);
        }

        /// <summary>The sum of coefficient times matrix.</summary>
        private static Tensor Combine(params (double Coefficient, Tensor Matrix)[] terms) =>
            terms.Select(t => Lax.Mul(t.Matrix, Rules.Full(t.Coefficient, t.Matrix.DType, t.Matrix.Shape))).Aggregate(Lax.Add);
    }
}
