using JaxSharp.Cpu;

namespace JaxSharp.Primitives.LinearAlgebra;

/// <summary>The parameters of <see cref="Eigh"/>, as <c>jax.lax.linalg.eigh</c>'s.</summary>
/// <param name="Lower">Read the lower triangle of the input (true) or the upper one (false); the other is never read.</param>
public sealed record EighParams(bool Lower = true) : PrimitiveParams;

/// <summary>
/// <c>eigh(a)</c> (JAX's <c>eigh_p</c>): the eigendecomposition a = v diag(w) vᵀ of the symmetric
/// matrices (..., n, n) on the last two axes, read from one triangle. Two outputs, in JAX's
/// order: <c>v</c> (..., n, n) with the orthonormal eigenvectors as columns, and <c>w</c>
/// (..., n) the eigenvalues, ascending. Each eigenvector's sign (and the basis of a repeated
/// eigenvalue's space) is the algorithm's choice, as in LAPACK. A matrix with a NaN or infinity
/// gives NaNs.
/// </summary>
public sealed class Eigh : MultiOutputPrimitive
{
    /// <summary>The primitive.</summary>
    public static readonly Eigh Instance = new();
    private Eigh() { }

    /// <inheritdoc/>
    public override string Name => "eigh";

    /// <inheritdoc/>
    public override AbstractValue[] InferShapes(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"eigh: takes 1 argument, got {inputs.Count}");
        var a = inputs[0];
        if (!a.DType.IsFloat())
            throw new ArgumentException($"eigh: expected float32 or float64 matrices, got {a.DType.Name()}{a.Shape}; convert integers first (Np.Linalg.Eigh does)");
        if (a.Rank < 2 || a.Shape[a.Rank - 1] != a.Shape[a.Rank - 2])
            throw new ArgumentException($"eigh: expected square matrices on the last two axes, shape (..., n, n), got {a.Shape}");
        return [new AbstractValue(a.Shape, a.DType), new AbstractValue(new Shape(a.Shape.Take(a.Rank - 1).ToArray()), a.DType)];
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var shape = context.Inputs[0].Shape;
        var n = shape[shape.Rank - 1];
        var count = n == 0 ? 0 : shape.Size / (n * n);
        var lower = ((EighParams)context.Params).Lower;
        return new MultiKernelLowering((inputs, outputs) =>
        {
            var (a, v, w) = (new double[n * n], new double[n * n], new double[n]);
            for (var b = 0; b < count; b++)
            {
                DenseKernels.Read(inputs[0], b * n * n, a);
                // the symmetric matrix of the triangle that is read
                for (var i = 0; i < n; i++)
                    for (var j = 0; j < i; j++)
                        if (lower) a[j * n + i] = a[i * n + j];
                        else a[i * n + j] = a[j * n + i];
                DenseKernels.SymmetricEigen(a, n, w, v);
                DenseKernels.Write(v, outputs[0], b * n * n);
                DenseKernels.Write(w, outputs[1], b * n);
            }
        });
    }

    /// <summary>
    /// JAX's <c>eigh_jvp_rule</c>: with S = vᵀ da v, dw = diag(S) and dv = v (F ∘ S), where
    /// F[i, j] = 1 / (w[j] - w[i]) off the diagonal and 0 on it. As in JAX, eigenvalues
    /// differentiate at repeated eigenvalues, but the eigenvectors of a repeated eigenvalue are
    /// not unique and their tangents are infinite or NaN there. The tangent is used as given
    /// (the API symmetrizes the input, and with it the tangent, before the primitive).
    /// </summary>
    public override Tensor?[] JvpMany(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, IReadOnlyList<Tensor> outputs, PrimitiveParams parameters)
    {
        if (tangents[0] is not { } da) return [null, null];
        var (v, w) = (outputs[0], outputs[1]);
        var n = w.Shape[w.Rank - 1];
        var eye = Rules.BroadcastTo(MatrixAlgebra.Eye(n, n, w.DType), v.Shape);
        // F = 1 / (I + w[..., None, :] - w[..., :, None]) - I
        var gaps = Lax.Sub(Rules.BroadcastTo(MatrixAlgebra.Row(w), v.Shape), Rules.BroadcastTo(MatrixAlgebra.Column(w), v.Shape));
        var f = Lax.Sub(Lax.Div(Rules.Full(v.Aval, 1.0), Lax.Add(eye, gaps)), eye);
        var s = MatrixAlgebra.MatMul(MatrixAlgebra.MatMul(MatrixAlgebra.T(v), da), v);
        var dv = MatrixAlgebra.MatMul(v, Lax.Mul(f, s));
        var dw = MatrixAlgebra.Diagonal(s);
        return [dv, dw];
    }

    /// <summary>Matrices are independent: the batch axis goes to the front of the input and stays there in both outputs.</summary>
    public override (Tensor[] Results, int?[] BatchAxes) BatchMany(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var results = BindMany(parameters, Rules.MoveAxis(args[0], batchAxes[0]!.Value, 0));
        return (results, [0, 0]);
    }
}
