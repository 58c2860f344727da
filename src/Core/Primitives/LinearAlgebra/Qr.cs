using JaxSharp.Cpu;

namespace JaxSharp.Primitives.LinearAlgebra;

/// <summary>The parameters of <see cref="Qr"/>, as <c>jax.lax.linalg.qr</c>'s (without pivoting).</summary>
/// <param name="FullMatrices">q is (..., m, m) and r (..., m, n) (true), or (..., m, k) and (..., k, n), k = min(m, n) (false).</param>
public sealed record QrParams(bool FullMatrices = true) : PrimitiveParams;

/// <summary>
/// <c>qr(a)</c> (JAX's <c>qr_p</c>): the QR decomposition a = q r of the matrices (..., m, n) on
/// the last two axes, by Householder reflections as LAPACK's geqrf and orgqr: q with orthonormal
/// columns, r upper triangular, R's diagonal of either sign (as LAPACK's). Two outputs, q and r.
/// </summary>
public sealed class Qr : MultiOutputPrimitive
{
    /// <summary>The primitive.</summary>
    public static readonly Qr Instance = new();
    private Qr() { }

    /// <inheritdoc/>
    public override string Name => "qr";

    /// <inheritdoc/>
    public override AbstractValue[] InferShapes(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var p = (QrParams)parameters;
        if (inputs.Count != 1) throw new ArgumentException($"qr: takes 1 argument, got {inputs.Count}");
        var a = inputs[0];
        if (!a.DType.IsFloat())
            throw new ArgumentException($"qr: expected float32 or float64 matrices, got {a.DType.Name()}{a.Shape}; convert integers first (Np.Linalg.Qr does)");
        if (a.Rank < 2)
            throw new ArgumentException($"qr: expected matrices on the last two axes, shape (..., m, n), got {a.Shape} of rank {a.Rank}");
        var (m, n) = (a.Shape[a.Rank - 2], a.Shape[a.Rank - 1]);
        var k = p.FullMatrices ? m : Math.Min(m, n);
        var batch = a.Shape.Take(a.Rank - 2).ToArray();
        return [new AbstractValue(new Shape([.. batch, m, k]), a.DType), new AbstractValue(new Shape([.. batch, k, n]), a.DType)];
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var p = (QrParams)context.Params;
        var shape = context.Inputs[0].Shape;
        var (m, n) = (shape[shape.Rank - 2], shape[shape.Rank - 1]);
        var k = p.FullMatrices ? m : Math.Min(m, n);
        var count = shape.Take(shape.Rank - 2).Aggregate(1, (c, d) => c * d);
        return new MultiKernelLowering((inputs, outputs) =>
        {
            var (a, q, r) = (new double[m * n], new double[m * k], new double[k * n]);
            for (var b = 0; b < count; b++)
            {
                DenseKernels.Read(inputs[0], b * m * n, a);
                DenseKernels.HouseholderQr(a, m, n, q, k, r, k);
                DenseKernels.Write(q, outputs[0], b * m * k);
                DenseKernels.Write(r, outputs[1], b * k * n);
            }
        });
    }

    /// <summary>
    /// JAX's <c>qr_jvp_rule</c> (j-towns.github.io/papers/qr-derivative.pdf): with
    /// C = qᵀ da r⁻¹ and its skew part O = tril(C, -1) - tril(C, -1)ᵀ, dq = q (O - C) + da r⁻¹
    /// and dr = (C - O) r. Defined for m ≥ n, and for full matrices only when square, as in JAX.
    /// </summary>
    public override Tensor?[] JvpMany(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, IReadOnlyList<Tensor> outputs, PrimitiveParams parameters)
    {
        var p = (QrParams)parameters;
        if (tangents[0] is not { } da) return [null, null];
        var (m, n) = (da.Shape[da.Rank - 2], da.Shape[da.Rank - 1]);
        if (m < n || (p.FullMatrices && m != n))
            throw new NotSupportedException($"qr: the derivative of the QR decomposition of {primals[0].Shape} is defined for m >= n and, with full matrices, square m == n only, as in JAX; use fullMatrices: false (Np.Linalg.Qr(x, mode: \"reduced\")) for a tall matrix");
        var (q, r) = (outputs[0], outputs[1]);
        // da r⁻¹: a right-side upper solve
        var daRinv = TriangularSolve.Instance.Bind(new TriangularSolveParams(LeftSide: false, Lower: false), r, da);
        var c = MatrixAlgebra.MatMul(MatrixAlgebra.T(q), daRinv);
        var lower = MatrixAlgebra.Triangle(c, lower: true, offset: 1);
        var o = Lax.Sub(lower, MatrixAlgebra.T(lower));
        var dq = Lax.Add(MatrixAlgebra.MatMul(q, Lax.Sub(o, c)), daRinv);
        var dr = MatrixAlgebra.MatMul(Lax.Sub(c, o), r);
        return [dq, dr];
    }

    /// <summary>Matrices are independent: the batch axis goes to the front of the input and stays there in both outputs.</summary>
    public override (Tensor[] Results, int?[] BatchAxes) BatchMany(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var results = BindMany(parameters, Rules.MoveAxis(args[0], batchAxes[0]!.Value, 0));
        return (results, [0, 0]);
    }
}
