namespace JaxSharp;

/// <summary>A parameter initializer, as JAX's: a tensor of a shape and float dtype drawn from a key.</summary>
/// <param name="key">The random key (split it per parameter).</param>
/// <param name="shape">The parameter's shape; for a dense layer (fan in, fan out).</param>
/// <param name="dtype">A float dtype; null (the default) is <see cref="DTypes.DefaultFloat"/>, float32 or float64 under x64, as JAX's <c>dtypes.float_</c>.</param>
public delegate Tensor Initializer(Tensor key, Shape shape, DType? dtype = null);

/// <summary>Which fan a variance-scaling initializer divides by.</summary>
public enum FanMode
{
    /// <summary>The number of inputs (shape[-2] times the receptive field).</summary>
    FanIn,
    /// <summary>The number of outputs (shape[-1] times the receptive field).</summary>
    FanOut,
    /// <summary>The mean of fan in and fan out.</summary>
    FanAvg,
}

/// <summary>The distribution a variance-scaling initializer draws from.</summary>
public enum VarianceDistribution
{
    /// <summary>A normal truncated to two standard deviations, rescaled to the variance.</summary>
    TruncatedNormal,
    /// <summary>A plain normal.</summary>
    Normal,
    /// <summary>A uniform on [-limit, limit).</summary>
    Uniform,
}

/// <summary>
/// <c>jax.nn.initializers</c>: Glorot (Xavier), He (Kaiming), LeCun, orthogonal, truncated
/// normal and the plain ones, each a factory returning an <see cref="Initializer"/>, with JAX's
/// formulas (fans from shape[-2] and shape[-1] times the receptive field).
/// </summary>
/// <example><c>var w = Initializers.GlorotUniform()(Rng.Key(0), new Shape(64, 10));</c></example>
public static class Initializers
{
    /// <summary>Zeros.</summary>
    public static Initializer Zeros() => (key, shape, dtype) => Np.Zeros(Checked("Zeros", key, shape), FloatOnly("Zeros", dtype));

    /// <summary>Ones.</summary>
    public static Initializer Ones() => (key, shape, dtype) => Np.Ones(Checked("Ones", key, shape), FloatOnly("Ones", dtype));

    /// <summary><paramref name="value"/> everywhere.</summary>
    public static Initializer Constant(double value) =>
        (key, shape, dtype) => Np.Full(Checked("Constant", key, shape), value, FloatOnly("Constant", dtype));

    /// <summary>Normal with standard deviation <paramref name="stddev"/> (<c>jax.nn.initializers.normal</c>).</summary>
    public static Initializer Normal(double stddev = 1e-2) =>
        (key, shape, dtype) => stddev * Rng.Normal(key, Checked("Normal", key, shape), FloatOnly("Normal", dtype));

    /// <summary>Uniform on [0, <paramref name="scale"/>) (<c>jax.nn.initializers.uniform</c>).</summary>
    public static Initializer Uniform(double scale = 1e-2) =>
        (key, shape, dtype) => Rng.Uniform(key, Checked("Uniform", key, shape), 0.0, scale, FloatOnly("Uniform", dtype));

    /// <summary>
    /// A normal truncated to [<paramref name="lower"/>, <paramref name="upper"/>] standard
    /// deviations, times <paramref name="stddev"/> (<c>jax.nn.initializers.truncated_normal</c>).
    /// </summary>
    public static Initializer TruncatedNormal(double stddev = 1e-2, double lower = -2.0, double upper = 2.0) =>
        (key, shape, dtype) => stddev * Rng.TruncatedNormal(key, lower, upper, Checked("TruncatedNormal", key, shape), FloatOnly("TruncatedNormal", dtype));

    /// <summary>
    /// <c>jax.nn.initializers.variance_scaling</c>: draws with variance
    /// <paramref name="scale"/> / fan, the fan chosen by <paramref name="mode"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="scale"/> is not positive.</exception>
    public static Initializer VarianceScaling(double scale, FanMode mode, VarianceDistribution distribution)
    {
        if (!(scale > 0))
            throw new ArgumentException($"Initializers.VarianceScaling: scale is {scale}; it must be positive (1 for Glorot and LeCun, 2 for He)", nameof(scale));
        return (key, shape, dtype) =>
        {
            var op = $"VarianceScaling({mode}, {distribution})";
            Checked(op, key, shape);
            var floatType = FloatOnly(op, dtype);
            var (fanIn, fanOut) = Fans(shape);
            var fan = mode switch { FanMode.FanIn => fanIn, FanMode.FanOut => fanOut, _ => (fanIn + fanOut) / 2.0 };
            var variance = scale / Math.Max(1.0, fan);
            return distribution switch
            {
                // the standard deviation of a unit normal truncated to (-2, 2)
                VarianceDistribution.TruncatedNormal => Math.Sqrt(variance) / .87962566103423978 * Rng.TruncatedNormal(key, -2, 2, shape, floatType),
                VarianceDistribution.Normal => Math.Sqrt(variance) * Rng.Normal(key, shape, floatType),
                _ => Math.Sqrt(3 * variance) * Rng.Uniform(key, shape, -1.0, 1.0, floatType),
            };
        };
    }

    /// <summary>Glorot (Xavier) uniform: variance 1 / fan_avg, uniform (<c>glorot_uniform</c>).</summary>
    public static Initializer GlorotUniform() => VarianceScaling(1.0, FanMode.FanAvg, VarianceDistribution.Uniform);

    /// <summary>Glorot (Xavier) normal: variance 1 / fan_avg, truncated normal (<c>glorot_normal</c>).</summary>
    public static Initializer GlorotNormal() => VarianceScaling(1.0, FanMode.FanAvg, VarianceDistribution.TruncatedNormal);

    /// <summary>The same as <see cref="GlorotUniform"/>.</summary>
    public static Initializer XavierUniform() => GlorotUniform();

    /// <summary>The same as <see cref="GlorotNormal"/>.</summary>
    public static Initializer XavierNormal() => GlorotNormal();

    /// <summary>He (Kaiming) uniform: variance 2 / fan_in, uniform (<c>he_uniform</c>).</summary>
    public static Initializer HeUniform() => VarianceScaling(2.0, FanMode.FanIn, VarianceDistribution.Uniform);

    /// <summary>He (Kaiming) normal: variance 2 / fan_in, truncated normal (<c>he_normal</c>).</summary>
    public static Initializer HeNormal() => VarianceScaling(2.0, FanMode.FanIn, VarianceDistribution.TruncatedNormal);

    /// <summary>The same as <see cref="HeUniform"/>.</summary>
    public static Initializer KaimingUniform() => HeUniform();

    /// <summary>The same as <see cref="HeNormal"/>.</summary>
    public static Initializer KaimingNormal() => HeNormal();

    /// <summary>LeCun uniform: variance 1 / fan_in, uniform (<c>lecun_uniform</c>).</summary>
    public static Initializer LecunUniform() => VarianceScaling(1.0, FanMode.FanIn, VarianceDistribution.Uniform);

    /// <summary>LeCun normal: variance 1 / fan_in, truncated normal (<c>lecun_normal</c>).</summary>
    public static Initializer LecunNormal() => VarianceScaling(1.0, FanMode.FanIn, VarianceDistribution.TruncatedNormal);

    /// <summary>
    /// <c>jax.nn.initializers.orthogonal</c>: a (scaled) matrix with orthonormal columns (or rows,
    /// whichever are fewer) along <paramref name="columnAxis"/>, the Q of the QR decomposition of
    /// a normal matrix with R's diagonal made positive. The QR is Cholesky QR done twice in float64
    /// (traceable, so it works inside jit).
    /// </summary>
    public static Initializer Orthogonal(double scale = 1.0, int columnAxis = -1) => (key, shape, dtype) =>
    {
        Checked("Orthogonal", key, shape);
        var floatType = FloatOnly("Orthogonal", dtype);
        if (shape.Rank < 2)
            throw new ArgumentException($"Initializers.Orthogonal: the shape {shape} has rank {shape.Rank}; an orthogonal initializer needs at least two axes");
        var axis = columnAxis < 0 ? columnAxis + shape.Rank : columnAxis;
        if (axis < 0 || axis >= shape.Rank)
            throw new ArgumentException($"Initializers.Orthogonal: columnAxis {columnAxis} is out of range for the shape {shape}");
        var nCols = shape[axis];
        var nRows = shape.Size / Math.Max(1, nCols);
        var tall = nRows >= nCols;
        var a = Rng.Normal(key, tall ? new Shape(nRows, nCols) : new Shape(nCols, nRows), DType.Float64);
        var q = OrthonormalColumns(OrthonormalColumns(a));
        if (!tall) q = Np.Transpose(q);
        var others = shape.Where((_, i) => i != axis).Append(nCols).ToArray();
        var placed = Np.Moveaxis(Np.Reshape(q, others), -1, axis);
        return Np.AsType(scale * placed, floatType);
    };

    /// <summary>JAX's fans: rank 0 (1, 1); rank 1 (n, n); else shape[-2] and shape[-1] times the product of the rest.</summary>
    internal static (double FanIn, double FanOut) Fans(Shape shape)
    {
        if (shape.Rank == 0) return (1, 1);
        if (shape.Rank == 1) return (shape[0], shape[0]);
        double receptive = 1;
        for (var i = 0; i < shape.Rank - 2; i++) receptive *= shape[i];
        return (shape[^2] * receptive, shape[^1] * receptive);
    }

    // Cholesky QR: a = q r with r = chol(aᵀa)ᵀ, so q = a r⁻¹ (a triangular solve); r's diagonal is positive.
    private static Tensor OrthonormalColumns(Tensor a)
    {
        var l = Lax.Cholesky(Np.Matmul(Np.Transpose(a), a));
        return Lax.TriangularSolve(l, a, leftSide: false, lower: true, transposeA: true);
    }

    private static Shape Checked(string op, Tensor key, Shape shape)
    {
        ArgumentNullException.ThrowIfNull(key, nameof(key));
        ArgumentNullException.ThrowIfNull(shape, nameof(shape));
        return shape;
    }

    // The requested dtype, or the default float (float64 under x64) when none is given.
    private static DType FloatOnly(string op, DType? dtype)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        return floatType.IsFloat()
            ? floatType
            : throw new ArgumentException($"Initializers.{op}: the dtype is {floatType.Name()}; initializers make float parameters, pass DType.Float32 or DType.Float64");
    }
}
