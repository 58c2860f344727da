using JaxSharp.Cpu;
using JaxSharp.Primitives.Elementwise;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp.Primitives.LinearAlgebra;

/// <summary>The parameters of <see cref="TriangularSolve"/>, as <c>jax.lax.linalg.triangular_solve</c>'s.</summary>
/// <param name="LeftSide">Solve op(a) x = b (true) or x op(a) = b (false).</param>
/// <param name="Lower">Use the lower triangle of a (true) or the upper one (false); the other is never read.</param>
/// <param name="TransposeA">op(a) = aᵀ (true) or a (false).</param>
/// <param name="ConjugateA">Conjugate a; a no-op for the real dtypes JaxSharp has, kept so that parameters match JAX's.</param>
/// <param name="UnitDiagonal">Take the diagonal of a as ones, without reading it.</param>
public sealed record TriangularSolveParams(bool LeftSide = false, bool Lower = false, bool TransposeA = false, bool ConjugateA = false, bool UnitDiagonal = false) : PrimitiveParams;

/// <summary>
/// <c>triangular_solve(a, b)</c>: x with op(a) x = b (left side) or x op(a) = b (right side), for
/// triangular a of shape (..., m, m) and b of shape (..., m, n) (left) or (..., n, m) (right),
/// with equal leading (batch) axes. Forward or back substitution in float64, rounded to the
/// dtype; like LAPACK's trsm, a zero on the diagonal gives infinities or NaNs, not an error.
/// </summary>
public sealed class TriangularSolve : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly TriangularSolve Instance = new();
    private TriangularSolve() { }
    /// <inheritdoc/>
    public override string Name => "triangular_solve";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 2) throw new ArgumentException($"triangular_solve: takes 2 arguments (a, b), got {inputs.Count}");
        var (a, b) = (inputs[0], inputs[1]);
        var p = (TriangularSolveParams)parameters;
        if (!a.DType.IsFloat() || a.DType != b.DType)
            throw new ArgumentException($"triangular_solve: a and b must share a float dtype (float32 or float64), got a {a.DType.Name()}{a.Shape} and b {b.DType.Name()}{b.Shape}");
        if (a.Rank < 2 || a.Shape[a.Rank - 1] != a.Shape[a.Rank - 2])
            throw new ArgumentException($"triangular_solve: a must be square (..., n, n), got {a.Shape}");
        if (b.Rank != a.Rank)
            throw new ArgumentException($"triangular_solve: b must have a's rank {a.Rank}, shape (..., {(p.LeftSide ? "n, k" : "k, n")}), got {b.Shape} for a {a.Shape}; add a trailing axis to a vector b (Lax.TriangularSolve does)");
        for (var d = 0; d < a.Rank - 2; d++)
            if (a.Shape[d] != b.Shape[d])
                throw new ArgumentException($"triangular_solve: the batch axes of a {a.Shape} and b {b.Shape} differ; they must be equal (broadcast them first, or use Np.SolveTriangular, which does)");
        var n = a.Shape[a.Rank - 1];
        var common = p.LeftSide ? b.Shape[b.Rank - 2] : b.Shape[b.Rank - 1];
        if (common != n)
            throw new ArgumentException($"triangular_solve: a {a.Shape} and b {b.Shape} are incompatible: with left_side={(p.LeftSide ? "True" : "False")} the {(p.LeftSide ? "second to last" : "last")} axis of b must have size {n}, got {common}");
        return new AbstractValue(b.Shape, b.DType);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var p = (TriangularSolveParams)context.Params;
        var b = context.Inputs[1].Shape;
        var m = context.Inputs[0].Shape[b.Rank - 1];
        var (rows, cols) = (b[b.Rank - 2], b[b.Rank - 1]);
        var count = rows * cols == 0 ? 0 : b.Size / (rows * cols);
        return context.Output.DType == DType.Float32
            ? new KernelLowering((inputs, output) =>
            {
                var (a32, b32, x32) = ((float[])inputs[0], (float[])inputs[1], (float[])output);
                var (ad, xd) = (new double[m * m], new double[rows * cols]);
                for (var k = 0; k < count; k++)
                {
                    for (var i = 0; i < m * m; i++) ad[i] = a32[k * m * m + i];
                    for (var i = 0; i < rows * cols; i++) xd[i] = b32[k * rows * cols + i];
                    Solve(ad, xd, m, rows, cols, p);
                    for (var i = 0; i < rows * cols; i++) x32[k * rows * cols + i] = (float)xd[i];
                }
            })
            : new KernelLowering((inputs, output) =>
            {
                var (a64, x64) = ((double[])inputs[0], (double[])output);
                Array.Copy(inputs[1], x64, b.Size);
                for (var k = 0; k < count; k++)
                    Solve(a64.AsSpan(k * m * m, m * m), x64.AsSpan(k * rows * cols, rows * cols), m, rows, cols, p);
            });
    }

    /// <summary>
    /// Overwrites the row-major rows x cols matrix <paramref name="x"/> (holding b) by the solution.
    /// Both sides become one left solve M y = c: M = op(a) and the columns of b (left side), or
    /// M = op(a)ᵀ and the rows of b (right side, since x op(a) = b is op(a)ᵀ xᵀ = bᵀ).
    /// </summary>
    private static void Solve(ReadOnlySpan<double> a, Span<double> x, int m, int rows, int cols, TriangularSolveParams p)
    {
        var transposed = p.TransposeA != !p.LeftSide;
        var lowerM = p.Lower != transposed;
        // M[i, j] = a[i, j], or a[j, i] when transposed
        var (rowStride, colStride) = transposed ? (1, m) : (m, 1);
        // element i of right-hand side c: x[i, c] (left side) or x[c, i] (right side)
        var (elemStride, rhsStride, rhsCount) = p.LeftSide ? (cols, 1, cols) : (1, cols, rows);
        for (var c = 0; c < rhsCount; c++)
        {
            var y = c * rhsStride;
            for (var step = 0; step < m; step++)
            {
                // forward substitution for lower M: y_i = (c_i - sum_{j<i} M[i, j] y_j) / M[i, i]; back substitution for upper M
                var i = lowerM ? step : m - 1 - step;
                var sum = x[y + i * elemStride];
                var (from, to) = lowerM ? (0, i) : (i + 1, m);
                for (var j = from; j < to; j++) sum -= a[i * rowStride + j * colStride] * x[y + j * elemStride];
                x[y + i * elemStride] = p.UnitDiagonal ? sum : sum / a[i * (m + 1)];
            }
        }
    }

    /// <summary>
    /// JAX's rule (<c>_triangular_solve_jvp_rule_a</c>, and linear in b): with x = op(a)⁻¹ b,
    /// dx = op(a)⁻¹ (db - op(da) x) on the left side and dx = (db - x op(da)) op(a)⁻¹ on the right,
    /// where da keeps only the triangle that is read (strictly, for a unit diagonal). The products
    /// are ordered to solve against the smaller matrix.
    /// </summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        var p = (TriangularSolveParams)parameters;
        var a = primals[0];
        var fromB = tangents[1] is { } db ? Bind(parameters, a, db) : null;
        if (tangents[0] is not { } da) return fromB;
        Tensor Inverse(Tensor rhs) => Bind(parameters, a, rhs);
        // -op(da), restricted to the triangle of a that the solve reads
        var g = Lax.Neg(Triangle(da, p.Lower, p.UnitDiagonal ? 1 : 0));
        if (p.TransposeA) g = SwapLast(g);
        var (m, n) = (output.Shape[output.Rank - 2], output.Shape[output.Rank - 1]);
        var fromA = p.LeftSide
            ? m > n ? Inverse(MatMul(g, output)) : MatMul(Inverse(g), output)   // op(a)⁻¹ (-op(da) x)
            : m < n ? Inverse(MatMul(output, g)) : MatMul(output, Inverse(g));  // (x (-op(da))) op(a)⁻¹
        return fromB is null ? fromA : Lax.Add(fromA, fromB);
    }

    /// <summary>
    /// Linear in b only (JAX's <c>_triangular_solve_transpose_rule</c>): x = op(a)⁻¹ b, so
    /// b̄ = op(a)⁻ᵀ x̄, the same solve with <c>transpose_a</c> flipped (and on the right side
    /// x = b op(a)⁻¹ gives b̄ = x̄ op(a)⁻ᵀ).
    /// </summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var a = primals[0] ?? throw new InvalidOperationException("triangular_solve: transposed with respect to a; it is linear in b only");
        var p = (TriangularSolveParams)parameters;
        return [null, Bind(p with { TransposeA = !p.TransposeA }, a, cotangent)];
    }

    /// <summary>
    /// JAX's <c>_triangular_solve_batching_rule</c>. An unbatched a stays unbatched: the batch axis
    /// of b joins b's free axis (columns of a left solve, rows of a right one), one solve does all
    /// examples, and a reshape splits them again. Both batched at the same leading axis: one solve
    /// with that axis as one more batch axis. Otherwise both batch axes go to the front, b
    /// broadcast there when it is unbatched (each example needs its own a).
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var p = (TriangularSolveParams)parameters;
        var (a, b) = (args[0], args[1]);
        var (ba, bb) = (batchAxes[0], batchAxes[1]);
        if (ba is null)
        {
            // left: b (..., m, n) -> (..., m, n, B) -> (..., m, n*B); right: (..., n, m) -> (..., n, B, m) -> (..., n*B, m)
            var axis = p.LeftSide ? b.Rank - 1 : b.Rank - 2;
            var moved = Rules.MoveAxis(b, bb!.Value, axis);
            var s = moved.Shape;
            var flat = p.LeftSide
                ? new Shape([.. s.Take(s.Rank - 2), s[s.Rank - 2] * s[s.Rank - 1]])
                : new Shape([.. s.Take(s.Rank - 3), s[s.Rank - 3] * s[s.Rank - 2], s[s.Rank - 1]]);
            var solved = Bind(parameters, a, Lax.Reshape(moved, flat));
            return (Lax.Reshape(solved, s), axis);
        }
        if (bb == ba && ba < a.Rank - 2) return (Bind(parameters, a, b), ba);
        var size = Rules.BatchSize(args, batchAxes);
        return (Bind(parameters, Rules.BatchToFront(a, ba, size), Rules.BatchToFront(b, bb, size)), 0);
    }

    /// <summary>The batched matrix product over the last two axes (equal leading axes), as one <c>dot_general</c>.</summary>
    internal static Tensor MatMul(Tensor x, Tensor y) =>
        DotGeneral.Instance.Bind(new DotGeneralParams(DotDimensionNumbers.MatMul(x.Rank)), x, y);

    /// <summary>x with its last two axes swapped.</summary>
    internal static Tensor SwapLast(Tensor x) =>
        TransposeAxes.Instance.Bind(new TransposeParams(new Ints([.. Enumerable.Range(0, x.Rank - 2), x.Rank - 1, x.Rank - 2])), x);

    /// <summary>
    /// The lower triangle of the matrices of x below diagonal -<paramref name="offset"/> (jnp.tril(x, -offset))
    /// or the upper one above diagonal +<paramref name="offset"/> (jnp.triu(x, offset)); zeros elsewhere.
    /// </summary>
    internal static Tensor Triangle(Tensor x, bool lower, int offset)
    {
        var (rows, cols) = (x.Shape[x.Rank - 2], x.Shape[x.Rank - 1]);
        var square = new Shape(rows, cols);
        var i = Lax.BroadcastedIota(DType.Int32, square, 0);
        var j = Lax.BroadcastedIota(DType.Int32, square, 1);
        // keep (i, j) with i - j >= offset (lower) or j - i >= offset (upper)
        var keep = lower ? Lax.Ge(Lax.Sub(i, j), offset) : Lax.Ge(Lax.Sub(j, i), offset);
        return Select.Instance.Bind(PrimitiveParams.None, Rules.BroadcastTo(keep, x.Shape), x, Rules.Zeros(x.Aval.Strong));
    }
}
