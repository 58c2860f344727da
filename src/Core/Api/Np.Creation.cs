namespace JaxSharp;

public static partial class Np
{
    /// <summary>
    /// A tensor of zeros of <paramref name="shape"/>, of <paramref name="dtype"/>, by default
    /// float32 (float64 with <see cref="Jax.Config.EnableX64"/>, as JAX).
    /// </summary>
    /// <example><c>Np.Zeros(new Shape(2, 3), DType.Int32)</c></example>
    public static Tensor Zeros(Shape shape, DType? dtype = null) => Full(TensorLimits.Check("zeros", NotNull(shape)), 0, dtype ?? DTypes.DefaultFloat);

    /// <summary>A tensor of zeros of the given dimensions, float32 (float64 with x64 enabled).</summary>
    /// <example><c>Np.Zeros(2, 3)</c></example>
    public static Tensor Zeros(params int[] shape) => Zeros(new Shape(NotNull(shape)));

    /// <summary>A tensor of ones of <paramref name="shape"/>, of <paramref name="dtype"/>, by default float32 (float64 with x64 enabled).</summary>
    public static Tensor Ones(Shape shape, DType? dtype = null) => Full(TensorLimits.Check("ones", NotNull(shape)), 1, dtype ?? DTypes.DefaultFloat);

    /// <summary>A tensor of ones of the given dimensions, float32 (float64 with x64 enabled).</summary>
    public static Tensor Ones(params int[] shape) => Ones(new Shape(NotNull(shape)));

    /// <summary>
    /// A tensor of <paramref name="shape"/> filled with <paramref name="fillValue"/> (broadcast
    /// to the shape). Without <paramref name="dtype"/>, the fill value's dtype; a .NET scalar
    /// gives a weakly typed float32 or int32 tensor, as <c>jnp.full</c>.
    /// </summary>
    /// <example><c>Np.Full(new Shape(2, 2), 7.0)</c></example>
    public static Tensor Full(Shape shape, Tensor fillValue, DType? dtype = null)
    {
        TensorLimits.Check("full", NotNull(shape));
        NotNull(fillValue);
        var value = dtype is { } d ? Cast(fillValue, d)
            : fillValue.IsWeaklyTyped ? Cast(fillValue, fillValue.DType.IsFloat() ? DTypes.DefaultFloat : fillValue.DType, weak: true)
            : fillValue;
        return BroadcastTo(value, shape);
    }

    /// <summary>Zeros of the shape of <paramref name="x"/>, of its dtype unless <paramref name="dtype"/> is given.</summary>
    public static Tensor ZerosLike(Tensor x, DType? dtype = null) => FullLike(NotNull(x), 0, dtype);

    /// <summary>Ones of the shape of <paramref name="x"/>, of its dtype unless <paramref name="dtype"/> is given.</summary>
    public static Tensor OnesLike(Tensor x, DType? dtype = null) => FullLike(NotNull(x), 1, dtype);

    /// <summary><paramref name="fillValue"/> in the shape of <paramref name="x"/>, of its dtype unless <paramref name="dtype"/> is given.</summary>
    public static Tensor FullLike(Tensor x, Tensor fillValue, DType? dtype = null)
    {
        NotNull(x);
        NotNull(fillValue);
        return BroadcastTo(Cast(fillValue, dtype ?? x.DType, dtype is null && x.IsWeaklyTyped), x.Shape);
    }

    /// <summary>The int32 vector 0, 1, ..., stop - 1 (empty when stop &lt;= 0).</summary>
    /// <example><c>Np.Arange(3)</c> is int32 [0, 1, 2].</example>
    public static Tensor Arange(int stop) => Lax.Iota(DType.Int32, Math.Max(stop, 0));

    /// <summary>The int32 vector start, start + step, ... up to (excluding) stop, as numpy.</summary>
    /// <exception cref="ArgumentException"><paramref name="step"/> is 0.</exception>
    public static Tensor Arange(int start, int stop, int step = 1) =>
        HostConstant(ArangeValues(start, stop, step), DType.Int32);

    /// <summary>The float32 vector 0, 1, ... below <paramref name="stop"/>.</summary>
    /// <example><c>Np.Arange(3f)</c> is float32 [0, 1, 2].</example>
    public static Tensor Arange(float stop) => Lax.Iota(DType.Float32, ArangeLength(0, stop, 1));

    /// <summary>The float32 vector start, start + step, ... below (or, for a negative step, above) stop.</summary>
    public static Tensor Arange(float start, float stop, float step = 1f) =>
        HostConstant(ArangeValues(start, stop, step), DType.Float32);

    /// <summary>The float64 vector 0, 1, ... below <paramref name="stop"/>.</summary>
    public static Tensor Arange(double stop) => Lax.Iota(DType.Float64, ArangeLength(0, stop, 1));

    /// <summary>The float64 vector start, start + step, ... below (or, for a negative step, above) stop.</summary>
    /// <example><c>Np.Arange(0.0, 1.0, 0.25)</c> is [0, 0.25, 0.5, 0.75].</example>
    public static Tensor Arange(double start, double stop, double step = 1.0) =>
        HostConstant(ArangeValues(start, stop, step), DType.Float64);

    // numpy: length ceil((stop - start) / step), element i = start + i * step
    private static int ArangeLength(double start, double stop, double step)
    {
        if (step == 0 || double.IsNaN(step)) throw new ArgumentException($"arange: step {step} must be a non-zero number");
        var length = Math.Max(Math.Ceiling((stop - start) / step), 0);
        if (!(length <= TensorLimits.MaxElements))
            throw new ArgumentException($"arange: from {start} to {stop} by {step} gives {length} elements, more than a tensor can hold ({TensorLimits.MaxElements}, .NET's Array.MaxLength); use a larger step or a shorter range");
        return (int)length;
    }

    private static double[] ArangeValues(double start, double stop, double step) =>
        Enumerable.Range(0, ArangeLength(start, stop, step)).Select(i => start + i * step).ToArray();

    /// <summary>
    /// <paramref name="num"/> evenly spaced values from <paramref name="start"/> to
    /// <paramref name="stop"/>, which is included (exactly) when <paramref name="endpoint"/> holds.
    /// The dtype is float32 unless given (float64 with <see cref="Jax.Config.EnableX64"/>).
    /// </summary>
    /// <example><c>Np.Linspace(0, 1, 5)</c> is [0, 0.25, 0.5, 0.75, 1].</example>
    public static Tensor Linspace(double start, double stop, int num = 50, bool endpoint = true, DType? dtype = null)
    {
        if (num < 0) throw new ArgumentException($"linspace: num {num} must be >= 0");
        TensorLimits.Check("linspace", new Shape(num));
        var divisions = endpoint ? num - 1 : num;
        var step = divisions > 0 ? (stop - start) / divisions : 0;
        var values = Enumerable.Range(0, num).Select(i => start + i * step).ToArray();
        if (endpoint && num > 1) values[^1] = stop;
        return HostConstant(values, dtype ?? DTypes.DefaultFloat);
    }

    /// <summary>
    /// The n x m matrix (m = n by default) with ones on diagonal <paramref name="k"/> (0: the
    /// main one, positive: above it, negative: below) and zeros elsewhere.
    /// The dtype is float32 unless given (float64 with <see cref="Jax.Config.EnableX64"/>).
    /// </summary>
    /// <example><c>Np.Eye(3, k: 1)</c></example>
    public static Tensor Eye(int n, int? m = null, int k = 0, DType? dtype = null)
    {
        var cols = m ?? n;
        if (n < 0 || cols < 0) throw new ArgumentException($"eye: sizes ({n}, {cols}) must be >= 0");
        TensorLimits.Check("eye", new Shape(n, cols));
        var values = new double[n * cols];
        for (var i = 0; i < n; i++)
            if (i + k >= 0 && i + k < cols) values[i * cols + i + k] = 1;
        return HostConstant(values, dtype ?? DTypes.DefaultFloat, new Shape(n, cols));
    }

    /// <summary>A concrete tensor of <paramref name="dtype"/> made on the host from float64 values (a vector unless <paramref name="shape"/> is given).</summary>
    private static Tensor HostConstant(double[] values, DType dtype, Shape? shape = null) => Tensor.FromArray(dtype switch
    {
        DType.Float32 => (Array)values.Select(v => (float)v).ToArray(),
        DType.Float64 => values,
        DType.Int32 => values.Select(v => (int)v).ToArray(),
        DType.UInt32 => values.Select(v => (uint)v).ToArray(),
        _ => values.Select(v => v != 0).ToArray(),
    }, shape ?? new Shape(values.Length));
}
