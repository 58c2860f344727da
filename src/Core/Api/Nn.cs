namespace JaxSharp;

/// <summary>
/// JAX's <c>jax.nn</c> for C#: activation functions, softmax and one-hot encoding, built
/// from <see cref="Np"/> and <see cref="Lax"/> functions (no primitives of their own).
/// Integer and bool inputs are converted to float32 where the function is not piecewise linear.
/// </summary>
public static partial class Nn
{
    /// <summary>
    /// The rectified linear unit, <c>max(x, 0)</c>. Its gradient is 1 where x &gt; 0 and 0 elsewhere,
    /// including at 0 (JAX's custom rule; the balanced rule of max alone would give 0.5 there).
    /// </summary>
    /// <example><c>Nn.Relu(Np.Matmul(x, w))</c></example>
    public static Tensor Relu(Tensor x) => PassGradientWhere(NotNull(x) > 0, x, Np.Maximum(x, 0));

    /// <summary><c>min(max(x, 0), 6)</c>; its gradient is 1 strictly between 0 and 6, else 0, as JAX's.</summary>
    public static Tensor Relu6(Tensor x) => PassGradientWhere(Np.LogicalAnd(NotNull(x) > 0, x < 6), x, Np.Minimum(Np.Maximum(x, 0), 6));

    /// <summary>The value <paramref name="value"/>, differentiated as <paramref name="x"/> where <paramref name="pass"/> holds and as a constant elsewhere.</summary>
    private static Tensor PassGradientWhere(Tensor pass, Tensor x, Tensor value) => Np.Where(pass, x, Jax.StopGradient(value));

    /// <summary>The logistic sigmoid, <c>1 / (1 + e^-x)</c>.</summary>
    public static Tensor Sigmoid(Tensor x) => Lax.Logistic(Np.ToInexact(NotNull(x)));

    /// <summary>
    /// <c>log(1 + e^x)</c>, computed stably as <c>logaddexp(x, 0) = max(x, 0) + log1p(e^-|x|)</c>,
    /// so large x gives x and very negative x gives e^x without overflow.
    /// </summary>
    public static Tensor Softplus(Tensor x)
    {
        NotNull(x);
        var xf = Np.ToInexact(x);
        return Np.Add(Np.Maximum(xf, 0), Np.Log1p(Np.Exp(Np.Negative(Np.Abs(xf)))));
    }

    /// <summary><c>log(sigmoid(x)) = -softplus(-x)</c>, stable for large |x|.</summary>
    public static Tensor LogSigmoid(Tensor x) => Np.Negative(Softplus(Np.Negative(Np.ToInexact(NotNull(x)))));

    /// <summary>The sigmoid linear unit, <c>x * sigmoid(x)</c> (also called swish).</summary>
    public static Tensor Silu(Tensor x)
    {
        NotNull(x);
        var xf = Np.ToInexact(x);
        return Np.Multiply(xf, Sigmoid(xf));
    }

    /// <summary>The same as <see cref="Silu"/>.</summary>
    public static Tensor Swish(Tensor x) => Silu(NotNull(x));

    /// <summary>
    /// The exponential linear unit: <c>x</c> for x &gt; 0, else <c>alpha (e^x - 1)</c>. The
    /// exponential sees only non-positive values, so large x cannot overflow it.
    /// </summary>
    public static Tensor Elu(Tensor x, double alpha = 1.0)
    {
        NotNull(x);
        var xf = Np.ToInexact(x);
        var positive = Np.Greater(xf, 0);
        return Np.Where(positive, xf, Np.Multiply(alpha, Np.Expm1(Np.Where(positive, 0, xf))));
    }

    /// <summary>The scale of <see cref="Selu"/>, as in JAX.</summary>
    public const double SeluScale = 1.0507009873554805;

    /// <summary>The alpha of <see cref="Selu"/>, as in JAX.</summary>
    public const double SeluAlpha = 1.6732632423543772;

    /// <summary>The scaled exponential linear unit, <c>scale * elu(x, alpha)</c> with JAX's constants.</summary>
    public static Tensor Selu(Tensor x) => Np.Multiply(SeluScale, Elu(NotNull(x), SeluAlpha));

    /// <summary>
    /// The Gaussian error linear unit. With <paramref name="approximate"/> (the default, as in
    /// JAX) the tanh form <c>x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))</c>; otherwise the exact
    /// <c>x/2 (1 + erf(x / sqrt 2))</c>.
    /// </summary>
    public static Tensor Gelu(Tensor x, bool approximate = true)
    {
        NotNull(x);
        var xf = Np.ToInexact(x);
        var half = Np.Multiply(0.5, xf);
        if (!approximate) return Np.Multiply(half, Np.Add(1, Lax.Erf(Np.Multiply(xf, 1 / Math.Sqrt(2)))));
        var inner = Np.Multiply(Math.Sqrt(2 / Math.PI), Np.Add(xf, Np.Multiply(0.044715, Np.Multiply(xf, Np.Multiply(xf, xf)))));
        return Np.Multiply(half, Np.Add(1, Np.Tanh(inner)));
    }

    /// <summary><c>x</c> for x &gt;= 0, else <c>negativeSlope * x</c>.</summary>
    public static Tensor LeakyRelu(Tensor x, double negativeSlope = 0.01)
    {
        NotNull(x);
        var xf = Np.ToInexact(x);
        return Np.Where(Np.GreaterEqual(xf, 0), xf, Np.Multiply(negativeSlope, xf));
    }

    /// <summary>The maximum over <paramref name="axes"/>, kept as size-1 axes, without gradient: the shift that makes exp safe.</summary>
    private static Tensor Shift(Tensor x, int[] axes) =>
        Jax.StopGradient(Np.KeepDims(Lax.ReduceMax(x, axes), x, axes, keepdims: true));

    /// <summary>
    /// <c>e^x / sum(e^x)</c> along <paramref name="axis"/>: each slice along it sums to 1.
    /// Computed after subtracting the maximum, so large inputs do not overflow.
    /// </summary>
    /// <example><c>Nn.Softmax(logits)</c> normalises the last axis.</example>
    public static Tensor Softmax(Tensor x, int axis = -1) => Softmax(NotNull(x), [axis]);

    /// <summary>Softmax over several axes at once; see <see cref="Softmax(Tensor, int)"/>.</summary>
    public static Tensor Softmax(Tensor x, int[] axes)
    {
        NotNull(x);
        NotNull(axes);
        var xf = Np.ToInexact(x);
        var reduced = Np.ReducedAxes(xf, axes, "softmax");
        var unnormalized = Np.Exp(Np.Subtract(xf, Shift(xf, reduced)));
        return Np.Divide(unnormalized, Np.Sum(unnormalized, reduced, keepdims: true));
    }

    /// <summary><c>log(softmax(x))</c> along <paramref name="axis"/>, computed stably as <c>x - m - log(sum(e^(x - m)))</c>.</summary>
    public static Tensor LogSoftmax(Tensor x, int axis = -1) => LogSoftmax(NotNull(x), [axis]);

    /// <summary>Log-softmax over several axes at once.</summary>
    public static Tensor LogSoftmax(Tensor x, int[] axes)
    {
        NotNull(x);
        NotNull(axes);
        var xf = Np.ToInexact(x);
        var reduced = Np.ReducedAxes(xf, axes, "log_softmax");
        var shifted = Np.Subtract(xf, Shift(xf, reduced));
        return Np.Subtract(shifted, Np.Log(Np.Sum(Np.Exp(shifted), reduced, keepdims: true)));
    }

    /// <summary><c>log(sum(exp(x)))</c>, stable; see <see cref="Np.Logsumexp(Tensor, int?, bool)"/>.</summary>
    public static Tensor Logsumexp(Tensor x, int? axis = null, bool keepdims = false) => Np.Logsumexp(NotNull(x), axis, keepdims);

    /// <summary>
    /// One-hot encoding: a new last axis of <paramref name="numClasses"/> entries, 1 at the index
    /// and 0 elsewhere. An index outside [0, numClasses) gives a row of zeros, as in JAX.
    /// </summary>
    /// <example><c>Nn.OneHot(labels, 10)</c> turns int32 labels of shape (n,) into float32 (n, 10).</example>
    public static Tensor OneHot(Tensor indices, int numClasses, DType? dtype = null)
    {
        NotNull(indices);
        if (numClasses < 0)
            throw new ArgumentException($"one_hot: numClasses is {numClasses}; it must be >= 0");
        var expanded = Lax.Reshape(indices, new Shape(indices.Shape.Append(1)));
        var classes = Lax.Iota(DType.Int32, numClasses);
        return Np.AsType(Np.Equal(expanded, classes), dtype ?? DTypes.DefaultFloat);
    }
}
