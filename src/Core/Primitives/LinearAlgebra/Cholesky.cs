using JaxSharp.Cpu;

namespace JaxSharp.Primitives.LinearAlgebra;

/// <summary>
/// <c>cholesky(a)</c>: the lower-triangular L with L Lᵀ = a for symmetric positive definite
/// matrices on the last two axes, as <c>jnp.linalg.cholesky</c>: the input is symmetrized first
/// ((a + aᵀ) / 2), the upper triangle of the result is zero, and a matrix that is not positive
/// definite gives a matrix of NaNs (as JAX on the CPU). Computed in float64 and rounded.
/// </summary>
public sealed class Cholesky : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly Cholesky Instance = new();
    private Cholesky() { }
    /// <inheritdoc/>
    public override string Name => "cholesky";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"cholesky: takes 1 argument, got {inputs.Count}");
        var a = inputs[0];
        if (!a.DType.IsFloat())
            throw new ArgumentException($"cholesky: expected float32 or float64 matrices, got {a.DType.Name()}{a.Shape}");
        if (a.Rank < 2 || a.Shape[a.Rank - 1] != a.Shape[a.Rank - 2])
            throw new ArgumentException($"cholesky: expected square matrices on the last two axes, shape (..., n, n), got {a.Shape}");
        return new AbstractValue(a.Shape, a.DType);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var n = context.Output.Shape[context.Output.Rank - 1];
        var size = context.Output.Shape.Size;
        return context.Output.DType == DType.Float32
            ? new KernelLowering((inputs, output) =>
            {
                var a = (float[])inputs[0];
                var l = (float[])output;
                var buffer = new double[n * n];
                for (var m = 0; n > 0 && m < size / (n * n); m++)
                {
                    for (var i = 0; i < n * n; i++) buffer[i] = a[m * n * n + i];
                    Factor(buffer, n);
                    for (var i = 0; i < n * n; i++) l[m * n * n + i] = (float)buffer[i];
                }
            })
            : new KernelLowering((inputs, output) =>
            {
                var l = (double[])output;
                Array.Copy(inputs[0], l, size);
                for (var m = 0; n > 0 && m < size / (n * n); m++) Factor(l.AsSpan(m * n * n, n * n), n);
            });
    }

    /// <summary>Replaces the row-major n x n matrix by its lower Cholesky factor (Cholesky-Banachiewicz), or NaNs.</summary>
    private static void Factor(Span<double> a, int n)
    {
        // Symmetrize: (a + aᵀ) / 2, as jnp.linalg.cholesky.
        for (var i = 0; i < n; i++)
            for (var j = 0; j < i; j++)
                a[i * n + j] = a[j * n + i] = (a[i * n + j] + a[j * n + i]) / 2;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                // L[i, j] = (a[i, j] - sum_k<j L[i, k] L[j, k]) / L[j, j]; L[i, i] = sqrt(a[i, i] - sum_k<i L[i, k]^2)
                var sum = a[i * n + j];
                for (var k = 0; k < j; k++) sum -= a[i * n + k] * a[j * n + k];
                if (i == j)
                {
                    if (!(sum > 0))
                    {
                        a.Fill(double.NaN);
                        return;
                    }
                    a[i * n + i] = Math.Sqrt(sum);
                }
                else a[i * n + j] = sum / a[j * n + j];
            }
            for (var j = i + 1; j < n; j++) a[i * n + j] = 0;
        }
    }

    /// <summary>
    /// JAX's <c>_cholesky_jvp_rule</c> (Murray 2016, arXiv:1602.07527): with a = L Lᵀ,
    /// dL = L phi(L⁻¹ da L⁻ᵀ), where phi keeps the lower triangle and halves the diagonal. da is
    /// symmetrized first, as the primitive symmetrizes its input (JAX does it outside the primitive).
    /// </summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        var l = output;
        // d sym(a) = (da + daᵀ) / 2
        var da = tangents[0]!;
        var sigma = Lax.Div(Lax.Add(da, TriangularSolve.SwapLast(da)), 2.0);
        // tmp = sigma L⁻ᵀ (right side, transposed), then L⁻¹ tmp (left side)
        var tmp = TriangularSolve.Instance.Bind(new TriangularSolveParams(LeftSide: false, Lower: true, TransposeA: true, ConjugateA: true), l, sigma);
        var inner = TriangularSolve.Instance.Bind(new TriangularSolveParams(LeftSide: true, Lower: true), l, tmp);
        // phi(X) = tril(X) / (1 + I): the strict lower triangle, and half the diagonal
        var n = l.Shape[l.Rank - 1];
        var square = new Shape(n, n);
        var eye = Lax.ConvertElementType(Lax.Eq(Lax.BroadcastedIota(DType.Int32, square, 0), Lax.BroadcastedIota(DType.Int32, square, 1)), l.DType);
        var phi = Lax.Div(TriangularSolve.Triangle(inner, lower: true, offset: 0), Lax.Add(eye, 1.0));
        // dL = L phi
        return TriangularSolve.MatMul(l, phi);
    }

    /// <summary>Matrices are independent: a batch axis among the leading axes stays; one on the matrix axes moves to the front.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var (x, axis) = (args[0], batchAxes[0]!.Value);
        if (axis >= x.Rank - 2) (x, axis) = (Rules.MoveAxis(x, axis, 0), 0);
        return (Bind(parameters, x), axis);
    }
}
