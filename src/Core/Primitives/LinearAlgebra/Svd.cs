using JaxSharp.Cpu;

namespace JaxSharp.Primitives.LinearAlgebra;

/// <summary>The parameters of <see cref="Svd"/>, as <c>jax.lax.linalg.svd</c>'s.</summary>
/// <param name="FullMatrices">u is (..., m, m) and vt (..., n, n) (true), or (..., m, k) and (..., k, n), k = min(m, n) (false).</param>
/// <param name="ComputeUv">Return s, u and vt (true) or only s (false).</param>
public sealed record SvdParams(bool FullMatrices = false, bool ComputeUv = true) : PrimitiveParams;

/// <summary>
/// <c>svd(a)</c> (JAX's <c>svd_p</c>): the singular value decomposition a = u diag(s) vt of the
/// matrices (..., m, n) on the last two axes. Outputs in JAX's order: <c>s</c> (..., k), the
/// singular values descending, k = min(m, n); and, with <see cref="SvdParams.ComputeUv"/>,
/// <c>u</c> and <c>vt</c> with orthonormal columns and rows. Signs of singular vector pairs (and
/// bases of repeated singular values) are the algorithm's choice, as in LAPACK. A matrix with a
/// NaN or infinity gives NaNs.
/// </summary>
public sealed class Svd : MultiOutputPrimitive
{
    /// <summary>The primitive.</summary>
    public static readonly Svd Instance = new();
    private Svd() { }

    /// <inheritdoc/>
    public override string Name => "svd";

    /// <inheritdoc/>
    public override AbstractValue[] InferShapes(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var p = (SvdParams)parameters;
        if (inputs.Count != 1) throw new ArgumentException($"svd: takes 1 argument, got {inputs.Count}");
        var a = inputs[0];
        if (!a.DType.IsFloat())
            throw new ArgumentException($"svd: expected float32 or float64 matrices, got {a.DType.Name()}{a.Shape}; convert integers first (Np.Linalg.Svd does)");
        if (a.Rank < 2)
            throw new ArgumentException($"svd: expected matrices on the last two axes, shape (..., m, n), got {a.Shape} of rank {a.Rank}");
        var (m, n) = (a.Shape[a.Rank - 2], a.Shape[a.Rank - 1]);
        var k = Math.Min(m, n);
        var batch = a.Shape.Take(a.Rank - 2).ToArray();
        var s = new AbstractValue(new Shape([.. batch, k]), a.DType);
        if (!p.ComputeUv) return [s];
        var (uCols, vtRows) = p.FullMatrices ? (m, n) : (k, k);
        return [s, new AbstractValue(new Shape([.. batch, m, uCols]), a.DType), new AbstractValue(new Shape([.. batch, vtRows, n]), a.DType)];
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var p = (SvdParams)context.Params;
        var shape = context.Inputs[0].Shape;
        var (m, n) = (shape[shape.Rank - 2], shape[shape.Rank - 1]);
        var k = Math.Min(m, n);
        var count = shape.Take(shape.Rank - 2).Aggregate(1, (c, d) => c * d);
        var (uCols, vtRows) = p.FullMatrices ? (m, n) : (k, k);
        // a tall problem as it is; a wide one transposed: aᵀ = u' s v'ᵀ gives u = v', vᵀ = u'ᵀ
        var wide = m < n;
        var (rows, cols) = wide ? (n, m) : (m, n);
        var tallUCols = wide ? vtRows : uCols;
        return new MultiKernelLowering((inputs, outputs) =>
        {
            var (a, tall) = (new double[m * n], new double[m * n]);
            var (s, u, v) = (new double[k], new double[rows * tallUCols], new double[cols * cols]);
            var (uOut, vtOut) = (new double[m * uCols], new double[vtRows * n]);
            for (var b = 0; b < count; b++)
            {
                DenseKernels.Read(inputs[0], b * m * n, a);
                if (wide)
                    for (var i = 0; i < m; i++)
                        for (var j = 0; j < n; j++) tall[j * m + i] = a[i * n + j];
                else a.CopyTo(tall, 0);
                DenseKernels.TallSvd(tall, rows, cols, s, u, tallUCols, v);
                DenseKernels.Write(s, outputs[0], b * k);
                if (!p.ComputeUv) continue;
                if (wide)
                {
                    // u = v (m x m); vᵀ = u'ᵀ: vt[r, j] = u'[j, r]
                    v.CopyTo(uOut, 0);
                    for (var r = 0; r < vtRows; r++)
                        for (var j = 0; j < n; j++) vtOut[r * n + j] = u[j * tallUCols + r];
                }
                else
                {
                    u.CopyTo(uOut, 0);
                    for (var r = 0; r < vtRows; r++)
                        for (var j = 0; j < n; j++) vtOut[r * n + j] = v[j * n + r];
                }
                DenseKernels.Write(uOut, outputs[1], b * m * uCols);
                DenseKernels.Write(vtOut, outputs[2], b * vtRows * n);
            }
        });
    }

    /// <summary>
    /// JAX's <c>_svd_jvp_rule</c> (from the thin SVD): with dS = uᵀ da v, ds = diag(dS);
    /// F[i, j] = 1 / (s[j]² - s[i]²) off the diagonal; du = u (F ∘ (dS s + s dSᵀ) + (dS - dSᵀ) / 2 s⁻¹)
    /// and dv = v (F ∘ (s dS + dSᵀ s)), plus the parts outside the span of u (tall a) or v (wide
    /// a). As in JAX, s⁻¹ is taken as 0 at zero singular values, repeated singular values give
    /// infinite or NaN vector tangents (the vectors are not unique there) while ds stays finite,
    /// and full matrices are refused (their extra columns are not unique).
    /// </summary>
    public override Tensor?[] JvpMany(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, IReadOnlyList<Tensor> outputs, PrimitiveParams parameters)
    {
        var p = (SvdParams)parameters;
        if (tangents[0] is not { } da) return new Tensor?[outputs.Count];
        if (p.ComputeUv && p.FullMatrices)
            throw new NotSupportedException($"svd: the derivative of the full-matrices SVD of {primals[0].Shape} is not defined (the completed columns are not unique), as in JAX; use fullMatrices: false (Np.Linalg.Svd(x, fullMatrices: false))");
        // outputs of the thin SVD (full matrices are refused above); only s was asked: compute u and vt too
        var thin = p.ComputeUv ? outputs : BindMany(p with { ComputeUv = true }, primals[0]);
        var (s, u, vt) = (thin[0], thin[1], thin[2]);
        var v = MatrixAlgebra.T(vt);
        var sRow = MatrixAlgebra.Row(s);
        var dS = MatrixAlgebra.MatMul(MatrixAlgebra.MatMul(MatrixAlgebra.T(u), da), v);
        var ds = MatrixAlgebra.Diagonal(dS);
        if (!p.ComputeUv) return [ds];
        var k = s.Shape[s.Rank - 1];
        var eye = Rules.BroadcastTo(MatrixAlgebra.Eye(k, k, s.DType), dS.Shape);
        var sMat = Rules.BroadcastTo(sRow, dS.Shape);
        var sCol = MatrixAlgebra.T(sMat);
        // F = 1 / ((s_j + s_i)(s_j - s_i) + I) - I
        var diffs = Lax.Mul(Lax.Add(sMat, sCol), Lax.Sub(sMat, sCol));
        var f = Lax.Sub(Lax.Div(Rules.Full(dS.Aval, 1.0), Lax.Add(diffs, eye)), eye);
        var dSS = Lax.Mul(sMat, dS);
        var sdS = Lax.Mul(sCol, dS);
        // s⁻¹, with 0 where s is 0
        var sZeros = Lax.ConvertElementType(Lax.Eq(s, Rules.Zeros(s.Aval)), s.DType);
        var sInv = Lax.Sub(Lax.Div(Rules.Full(s.Aval, 1.0), Lax.Add(s, sZeros)), sZeros);
        var dUdVDiag = Lax.Mul(Lax.Mul(Lax.Sub(dS, MatrixAlgebra.T(dS)), Rules.Full(dS.Aval, 0.5)), MatrixAlgebra.Diag(sInv));
        var du = MatrixAlgebra.MatMul(u, Lax.Add(Lax.Mul(f, Lax.Add(dSS, MatrixAlgebra.T(dSS))), dUdVDiag));
        var dv = MatrixAlgebra.MatMul(v, Lax.Mul(f, Lax.Add(sdS, MatrixAlgebra.T(sdS))));
        var (m, n) = (da.Shape[da.Rank - 2], da.Shape[da.Rank - 1]);
        if (m > n)
        {
            // the part of da v outside the span of u: (da v - u uᵀ da v) / s
            var dAV = MatrixAlgebra.MatMul(da, v);
            du = Lax.Add(du, Lax.Div(Lax.Sub(dAV, MatrixAlgebra.MatMul(u, MatrixAlgebra.MatMul(MatrixAlgebra.T(u), dAV))), Rules.BroadcastTo(sRow, dAV.Shape)));
        }
        if (n > m)
        {
            var dAHU = MatrixAlgebra.MatMul(MatrixAlgebra.T(da), u);
            dv = Lax.Add(dv, Lax.Div(Lax.Sub(dAHU, MatrixAlgebra.MatMul(v, MatrixAlgebra.MatMul(vt, dAHU))), Rules.BroadcastTo(sRow, dAHU.Shape)));
        }
        return [ds, du, MatrixAlgebra.T(dv)];
    }

    /// <summary>Matrices are independent: the batch axis goes to the front of the input and stays there in every output.</summary>
    public override (Tensor[] Results, int?[] BatchAxes) BatchMany(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var results = BindMany(parameters, Rules.MoveAxis(args[0], batchAxes[0]!.Value, 0));
        return (results, results.Select(_ => (int?)0).ToArray());
    }
}
