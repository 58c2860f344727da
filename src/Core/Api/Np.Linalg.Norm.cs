using JaxSharp.Primitives;

namespace JaxSharp;

public static partial class Np
{
    public static partial class Linalg
    {
        /// <summary>
        /// <c>jnp.linalg.norm</c>: a vector norm over one axis or a matrix norm over two. With no
        /// <paramref name="axis"/>, null <paramref name="ord"/> is the 2-norm of all elements, and
        /// otherwise the axes are all of x's (which must then be 1 or 2). Vector orders: 2 (null),
        /// 1, inf (largest |x|), -inf (smallest), 0 (the count of non-zeros), any p (sum |x|^p)^(1/p).
        /// Matrix orders: null (Frobenius), 1 and -1 (largest and smallest column sum of |x|),
        /// inf and -inf (row sums), 2 and -2 (largest and smallest singular value); "fro" and
        /// "nuc" through <see cref="Norm(Tensor, string, int[], bool)"/>.
        /// </summary>
        /// <example><c>Np.Linalg.Norm(x)</c>, <c>Np.Linalg.Norm(m, 1.0, [0, 1])</c>, <c>Np.Linalg.Norm(v, double.PositiveInfinity)</c></example>
        public static Tensor Norm(Tensor x, double? ord = null, int[]? axis = null, bool keepdims = false) =>
            NormOf(NotNull(x), ord, null, axis, keepdims);

        /// <summary>
        /// <c>jnp.linalg.norm</c> with <paramref name="ord"/> "fro" (the Frobenius norm, the square root
        /// of the sum of squares) or "nuc" (the nuclear norm, the sum of singular values) of the
        /// matrices on two axes (default: x's two axes).
        /// </summary>
        /// <example><c>Np.Linalg.Norm(m, "nuc")</c></example>
        public static Tensor Norm(Tensor x, string ord, int[]? axis = null, bool keepdims = false)
        {
            if (ord is not ("fro" or "nuc"))
                throw new ArgumentException($"norm: ord \"{ord}\" is not a norm; the named orders are \"fro\" and \"nuc\" (matrix norms), and numbers are given as a double");
            return NormOf(NotNull(x), null, ord, axis, keepdims);
        }

        private static Tensor NormOf(Tensor x, double? ord, string? named, int[]? axis, bool keepdims)
        {
            x = ToInexact(x);
            if (axis is null && ord is null && named is null)
            {
                var all = Enumerable.Range(0, x.Rank).ToArray();
                return Np.Sqrt(Np.Sum(Lax.Mul(x, x), all, keepdims));
            }
            var axes = (axis ?? [.. Enumerable.Range(0, x.Rank)]).Select(a => a < 0 ? a + x.Rank : a).ToArray();
            foreach (var a in axes)
                if (a < 0 || a >= x.Rank)
                    throw new ArgumentException($"norm: axis {a} is out of range for shape {x.Shape}; axes go from {-x.Rank} to {x.Rank - 1}");
            Tensor result;
            if (axes.Length == 1)
            {
                if (named is not null)
                    throw new ArgumentException($"norm: \"{named}\" is a matrix norm, but one axis ({axes[0]}) was given for shape {x.Shape}; give two axes, or a number as ord for a vector norm");
                result = VectorNorm(x, ord ?? 2, axes[0]);
            }
            else if (axes.Length == 2)
            {
                if (axes[0] == axes[1])
                    throw new ArgumentException($"norm: the two axes of a matrix norm must differ, got ({axes[0]}, {axes[1]}) for shape {x.Shape}");
                result = MatrixNorm(x, ord, named, axes[0], axes[1]);
            }
            else
                throw new ArgumentException($"norm: {axes.Length} axes given for shape {x.Shape}; a norm takes one axis (a vector norm) or two (a matrix norm); pass axis explicitly, or ord: null for the 2-norm of all elements");
            if (!keepdims) return result;
            foreach (var a in axes.Order()) result = Lax.ExpandDims(result, new Ints(a));
            return result;
        }

        private static Tensor VectorNorm(Tensor x, double ord, int axis)
        {
            var abs = Lax.Abs(x);
            if (double.IsPositiveInfinity(ord)) return Lax.ReduceMax(abs, axis);
            if (double.IsNegativeInfinity(ord)) return Lax.ReduceMin(abs, axis);
            if (ord == 0) return Lax.ReduceSum(Lax.ConvertElementType(Lax.Ne(x, Rules.Zeros(x.Aval.Strong)), x.DType), axis);
            if (ord == 1) return Lax.ReduceSum(abs, axis);
            if (ord == 2) return Lax.Sqrt(Lax.ReduceSum(Lax.Mul(x, x), axis));
            // (sum |x|^p)^(1/p)
            var p = Rules.Full(ord, x.DType, x.Shape);
            var sum = Lax.ReduceSum(Lax.Pow(abs, p), axis);
            return Lax.Pow(sum, Rules.Full(1 / ord, x.DType, sum.Shape));
        }

        private static Tensor MatrixNorm(Tensor x, double? ord, string? named, int rowAxis, int colAxis)
        {
            if (named == "fro" || (named is null && ord is null))
                return Lax.Sqrt(Lax.ReduceSum(Lax.Mul(x, x), rowAxis, colAxis));
            var abs = Lax.Abs(x);
            // the reduced axis numbers shift when an earlier one is gone
            int After(int reduced, int other) => other > reduced ? other - 1 : other;
            switch (ord)
            {
                case 1: return Lax.ReduceMax(Lax.ReduceSum(abs, rowAxis), After(rowAxis, colAxis));
                case -1: return Lax.ReduceMin(Lax.ReduceSum(abs, rowAxis), After(rowAxis, colAxis));
                case double.PositiveInfinity: return Lax.ReduceMax(Lax.ReduceSum(abs, colAxis), After(colAxis, rowAxis));
                case double.NegativeInfinity: return Lax.ReduceMin(Lax.ReduceSum(abs, colAxis), After(colAxis, rowAxis));
            }
            if (named != "nuc" && ord is not (2 or -2))
                throw new ArgumentException($"norm: ord {ord} is not a matrix norm; matrix norms are null or \"fro\", \"nuc\", 1, -1, 2, -2 and ±inf");
            var moved = Np.Moveaxis(x, [rowAxis, colAxis], [-2, -1]);
            var s = Lax.SingularValues(moved);
            var last = s.Rank - 1;
            return named == "nuc" ? Lax.ReduceSum(s, last) : ord == 2 ? Lax.ReduceMax(s, last) : Lax.ReduceMin(s, last);
        }
    }
}
