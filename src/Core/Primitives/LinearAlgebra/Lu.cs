using JaxSharp.Cpu;

namespace JaxSharp.Primitives.LinearAlgebra;

/// <summary>
/// <c>lu(a)</c> (JAX's <c>lu_p</c>): the LU decomposition with partial pivoting of the matrices
/// (..., m, n) on the last two axes. Three outputs: <c>lu</c> (..., m, n) holding L strictly
/// below the diagonal (its unit diagonal implied) and U on and above it; <c>pivots</c> (..., k)
/// int32, k = min(m, n), row i was swapped with row pivots[i] at step i (LAPACK's ipiv, from 0);
/// <c>permutation</c> (..., m) int32, the same swaps as a permutation: a[permutation] = L U.
/// A singular matrix factors without error (a zero on U's diagonal), as LAPACK's getrf.
/// </summary>
public sealed class Lu : MultiOutputPrimitive
{
    /// <summary>The primitive.</summary>
    public static readonly Lu Instance = new();
    private Lu() { }

    /// <inheritdoc/>
    public override string Name => "lu";

    /// <inheritdoc/>
    public override AbstractValue[] InferShapes(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"lu: takes 1 argument, got {inputs.Count}");
        var a = inputs[0];
        if (!a.DType.IsFloat())
            throw new ArgumentException($"lu: expected float32 or float64 matrices, got {a.DType.Name()}{a.Shape}; convert integers first (Np.Linalg functions do)");
        if (a.Rank < 2)
            throw new ArgumentException($"lu: expected matrices on the last two axes, shape (..., m, n), got {a.Shape} of rank {a.Rank}");
        var (m, n) = (a.Shape[a.Rank - 2], a.Shape[a.Rank - 1]);
        var batch = a.Shape.Take(a.Rank - 2).ToArray();
        return
        [
            new AbstractValue(a.Shape, a.DType),
            new AbstractValue(new Shape([.. batch, Math.Min(m, n)]), DType.Int32),
            new AbstractValue(new Shape([.. batch, m]), DType.Int32),
        ];
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var shape = context.Inputs[0].Shape;
        var (m, n) = (shape[shape.Rank - 2], shape[shape.Rank - 1]);
        var k = Math.Min(m, n);
        var count = m * n == 0 ? 0 : shape.Size / (m * n);
        var batchCount = shape.Take(shape.Rank - 2).Aggregate(1, (p, d) => p * d);
        return new MultiKernelLowering((inputs, outputs) =>
        {
            var (pivots, permutation) = ((int[])outputs[1], (int[])outputs[2]);
            var work = new double[m * n];
            for (var b = 0; b < batchCount; b++)
            {
                if (count == 0)
                {
                    // no entries: the identity permutation, pivots that swap nothing
                    for (var i = 0; i < m; i++) permutation[b * m + i] = i;
                    for (var i = 0; i < k; i++) pivots[b * k + i] = i;
                    continue;
                }
                DenseKernels.Read(inputs[0], b * m * n, work);
                DenseKernels.Lu(work, m, n, pivots.AsSpan(b * k, k), permutation.AsSpan(b * m, m));
                DenseKernels.Write(work, outputs[0], b * m * n);
            }
        });
    }

    /// <summary>
    /// JAX's <c>_lu_jvp_rule</c>: with P a = L U, x = P da, and L⁻¹ x U⁻¹ split into its strict
    /// lower part and the rest, dL = L tril(L⁻¹ x U⁻¹, -1) and dU = triu(L⁻¹ x U⁻¹) U, so
    /// d(lu) = dL + dU. For rectangular a, L is completed to m x m with an identity block and
    /// U to n x n. Pivots and permutation are piecewise constant: zero tangents.
    /// </summary>
    public override Tensor?[] JvpMany(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, IReadOnlyList<Tensor> outputs, PrimitiveParams parameters)
    {
        if (tangents[0] is not { } da) return [null, null, null];
        var (lu, permutation) = (outputs[0], outputs[2]);
        var (m, n) = (lu.Shape[lu.Rank - 2], lu.Shape[lu.Rank - 1]);
        var k = Math.Min(m, n);
        var dtype = lu.DType;
        var x = MatrixAlgebra.PermuteRows(da, permutation);
        var eyeM = Rules.BroadcastTo(MatrixAlgebra.Eye(m, m, dtype), new Shape([.. lu.Shape.Take(lu.Rank - 2), m, m]));
        var l = Lax.Add(MatrixAlgebra.PadTo(MatrixAlgebra.Triangle(MatrixAlgebra.Leading(lu, m, k), lower: true, offset: 1), m, m), eyeM);
        // U completed with the identity on its last n - k rows
        var uEye = Lax.Sub(MatrixAlgebra.Eye(n, n, dtype), MatrixAlgebra.PadTo(MatrixAlgebra.Eye(k, k, dtype), n, n));
        var u = Lax.Add(MatrixAlgebra.PadTo(MatrixAlgebra.Triangle(MatrixAlgebra.Leading(lu, k, n), lower: false), n, n),
            Rules.BroadcastTo(uEye, new Shape([.. lu.Shape.Take(lu.Rank - 2), n, n])));
        var la = TriangularSolve.Instance.Bind(new TriangularSolveParams(LeftSide: true, Lower: true, UnitDiagonal: true), l, x);
        var lau = TriangularSolve.Instance.Bind(new TriangularSolveParams(LeftSide: false, Lower: false), u, la);
        var lDot = MatrixAlgebra.MatMul(l, MatrixAlgebra.Triangle(lau, lower: true, offset: 1));
        var uDot = MatrixAlgebra.MatMul(MatrixAlgebra.Triangle(lau, lower: false), u);
        return [Lax.Add(lDot, uDot), null, null];
    }

    /// <summary>Matrices are independent: the batch axis goes to the front of the input and stays there in every output.</summary>
    public override (Tensor[] Results, int?[] BatchAxes) BatchMany(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var results = BindMany(parameters, Rules.MoveAxis(args[0], batchAxes[0]!.Value, 0));
        return (results, [0, 0, 0]);
    }
}
