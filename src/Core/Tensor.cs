using JaxSharp.IR;
using JaxSharp.Transforms;

namespace JaxSharp;

/// <summary>
/// An immutable n-dimensional array: a shape, a dtype and a row-major buffer. While a
/// function is traced (by <c>jit</c>, <c>makeJaxpr</c>, or on <c>vmap</c>'s per-example values)
/// a tensor stands for a value of the program being built instead; it then has a shape and
/// dtype but no data, and asking for its data is an error that says to use <c>np.where</c>.
/// Under <c>grad</c>, <c>jvp</c> and <c>vjp</c> outside <c>jit</c> a tensor carries a concrete
/// value and a tangent, so its value can be read and branched on.
/// </summary>
/// <example><c>var x = Np.Array(new float[] { 1f, 2f }); var y = x * 2.0;</c></example>
public sealed partial class Tensor
{
    // The host copy: the values themselves for a host tensor, a copy read back on demand for one on a device.
    private Array? _data;
    private readonly DeviceBuffer? _buffer;

    internal Tensor(Array data, AbstractValue aval)
    {
        if (data.Length != aval.Shape.Size || data.GetType().GetElementType() != aval.DType.ClrType() || data.Rank != 1)
            throw new ArgumentException($"tensor: a buffer of {data.Length} {data.GetType().GetElementType()?.Name} does not hold {aval}");
        _data = data;
        Aval = aval;
    }

    /// <summary>A tensor whose values live in <paramref name="buffer"/> on a device, committed to it or not.</summary>
    internal Tensor(DeviceBuffer buffer, AbstractValue aval, bool committed)
    {
        _buffer = buffer;
        Aval = aval;
        IsCommitted = committed;
    }

    /// <summary>A host tensor committed to the CPU (placed there by <see cref="Jax.DevicePut"/>).</summary>
    internal Tensor(Array data, AbstractValue aval, bool committed) : this(data, aval) => IsCommitted = committed;

    internal Tensor(Tracer tracer)
    {
        Tracer = tracer;
        Aval = tracer.Aval;
    }

    internal Tensor(Dual dual)
    {
        Dual = dual;
        Aval = dual.Primal.Aval;
    }

    private Tensor(AbstractValue aval) => Aval = aval;

    /// <summary>
    /// A tensor with a shape and dtype but no values (JAX's <c>jax.ShapeDtypeStruct</c>): what
    /// <see cref="Jax.EvalShape(Func{Tensor[], Tensor[]}, Tensor[])"/> returns, and an input for it
    /// or for <c>LinearTranspose</c> that allocates nothing. Reading its values is an error.
    /// </summary>
    /// <example><c>Jax.EvalShape(Np.Sin, Tensor.ShapeDtypeStruct(new Shape(1000, 1000), DType.Float32))</c></example>
    public static Tensor ShapeDtypeStruct(Shape shape, DType dtype) =>
        new(new AbstractValue(Arg.NotNull(shape, "Tensor.ShapeDtypeStruct", nameof(shape)), dtype));

    /// <summary>A shape-only tensor of <paramref name="aval"/>; see <see cref="ShapeDtypeStruct(Shape, DType)"/>.</summary>
    internal static Tensor ShapeOnly(AbstractValue aval) => new(aval);

    /// <summary>The shape, dtype and weak flag: all that is known of a traced value.</summary>
    public AbstractValue Aval { get; }

    /// <summary>The dimensions.</summary>
    public Shape Shape => Aval.Shape;

    /// <summary>The element type.</summary>
    public DType DType => Aval.DType;

    /// <summary>Whether this is weakly typed: made from a .NET scalar, so it takes the dtype of the tensor it meets.</summary>
    public bool IsWeaklyTyped => Aval.Weak;

    /// <summary>The number of dimensions.</summary>
    public int Rank => Aval.Shape.Rank;

    /// <summary>The number of elements.</summary>
    public int Size => Aval.Shape.Size;

    /// <summary>
    /// Whether this tensor is a value of a transformation in progress: a value of a program
    /// being traced (no data), or a value carrying a tangent under differentiation.
    /// </summary>
    public bool IsTracer => Tracer is not null || Dual is not null;

    /// <summary>Whether this tensor has a shape and dtype but no values (see <see cref="ShapeDtypeStruct"/>).</summary>
    public bool IsShapeOnly => _data is null && _buffer is null && Tracer is null && Dual is null && !IsDonated;

    /// <summary>
    /// The device that holds this tensor's values: the CPU for a host array, else the device of
    /// its buffer. Under differentiation, the value's device.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor is traced or shape-only, so it has no values anywhere.</exception>
    public Device Device => _buffer?.Device ?? (Dual is { } dual ? dual.Primal.Device : HasValue ? CpuDevice.Instance : throw NoValue("its device is asked for"));

    /// <summary>
    /// Whether the tensor was placed on its device by <see cref="Jax.DevicePut"/> (or computed
    /// from a value that was): calls on it then run on that device. Uncommitted values join the
    /// device of the committed ones, or run on the default device.
    /// </summary>
    internal bool IsCommitted { get => field || Dual is { } dual && dual.Primal.IsCommitted; private init; }

    /// <summary>The device buffer, or null for a host tensor.</summary>
    internal DeviceBuffer? DeviceBuffer => _buffer ?? Dual?.Primal.DeviceBuffer;

    /// <summary>
    /// Waits until this tensor's values are computed (work on a device is queued and runs
    /// asynchronously) and returns it, as JAX's <c>block_until_ready</c>. Host values are always ready.
    /// </summary>
    /// <example><c>var y = f(x).BlockUntilReady(); // for timing</c></example>
    public Tensor BlockUntilReady()
    {
        DeviceBuffer?.Device.Synchronize();
        return this;
    }

    internal Tracer? Tracer { get; }

    /// <summary>The value and tangent of a tensor under differentiation (jvp, linearize), else null.</summary>
    internal Dual? Dual { get; }

    /// <summary>The transformation level this value belongs to; null for a concrete or shape-only tensor.</summary>
    internal Trace? Owner => Tracer is { } tracer ? tracer.Builder : Dual?.Trace;

    /// <summary>The row-major buffer; never handed to users, who get copies. Under differentiation, the primal's.</summary>
    internal Array Data => _data ?? (_buffer is not null ? _data = _buffer.Download(Aval) : null) ?? Dual?.Primal.Data ?? throw NoValue("its data is needed");

    /// <summary>
    /// The error for code that needs this tensor's values when it has none: a traced value (the
    /// value under its differentiation levels, if any) or a shape-only tensor.
    /// </summary>
    internal Exception NoValue(string why) => Dual is { } dual
        ? dual.Primal.NoValue(why)
        : IsDonated ? DonatedError(why)
        : Tracer?.ConcretizationError(why) ?? (Exception)new InvalidOperationException(
            $"A shape-only tensor {Aval} (a ShapeDtypeStruct, as evalShape returns) has no values, but {why}. " +
            "Use its Shape and DType, or pass it to evalShape or linearTranspose, which need only those.");

    /// <summary>Whether this tensor's values can be read: concrete, or under differentiation of a concrete value.</summary>
    internal bool HasValue => _data is not null || _buffer is not null || Dual is { } dual && dual.Primal.HasValue;

    /// <summary>
    /// A weakly typed scalar, as made from a .NET literal: of the default float dtype
    /// (<see cref="DTypes.DefaultFloat"/>), keeping the exact double for the dtype it is later
    /// converted to (as JAX converts a Python float), so <c>float64 tensor + 0.1</c> adds 0.1 exactly.
    /// </summary>
    internal static Tensor WeakScalar(double value) => DTypes.DefaultFloat == DType.Float64
        ? new(new[] { value }, new AbstractValue(Shape.Scalar, DType.Float64, Weak: true))
        : new(new[] { (float)value }, new AbstractValue(Shape.Scalar, DType.Float32, Weak: true)) { Literal = value };

    // The exact value of a float32 weak scalar made from a .NET double; null for any other tensor.
    private double? Literal { get; init; }

    /// <summary>
    /// This tensor, or for a float32 weak scalar made from a .NET double, that double as a weak
    /// float64 scalar: what a conversion to another dtype starts from.
    /// </summary>
    internal Tensor ExactLiteral => Literal is { } value ? new(new[] { value }, new AbstractValue(Shape.Scalar, DType.Float64, Weak: true)) : this;

    /// <summary>A weakly typed integer scalar, as made from a .NET literal.</summary>
    internal static Tensor WeakScalar(int value) => new(new[] { value }, new AbstractValue(Shape.Scalar, DType.Int32, Weak: true));

    /// <summary>
    /// Makes a tensor from a .NET array of any rank (<c>float[]</c>, <c>double[,]</c>,
    /// <c>int[,,]</c>...): the shape is the array's, the dtype its element type's. The data is copied.
    /// </summary>
    /// <exception cref="ArgumentException">The element type is not float, double, int, uint or bool.</exception>
    public static Tensor FromArray(Array values)
    {
        NotNull(values);
        var dtype = DTypes.FromClrType(values.GetType().GetElementType()!);
        var dims = new int[values.Rank];
        for (var i = 0; i < dims.Length; i++) dims[i] = values.GetLength(i);
        var flat = TensorAllocation.Uninitialized(dtype, values.Length);
        if (values.Length > 0) Buffer.BlockCopy(values, 0, flat, 0, values.Length * dtype.ByteSize());
        return new Tensor(flat, new AbstractValue(new Shape(dims), dtype));
    }

    /// <summary>Makes a tensor of the given shape from a flat row-major array (copied).</summary>
    /// <exception cref="ArgumentException">The array's length is not the shape's size.</exception>
    public static Tensor FromArray(Array flatValues, Shape shape)
    {
        NotNull(flatValues);
        NotNull(shape);
        if (flatValues.Rank != 1 || flatValues.Length != shape.Size)
            throw new ArgumentException($"array: {flatValues.Length} values do not fill shape {shape} ({shape.Size} elements)");
        var dtype = DTypes.FromClrType(flatValues.GetType().GetElementType()!);
        return new Tensor((Array)flatValues.Clone(), new AbstractValue(shape, dtype));
    }

    /// <summary>A strongly typed scalar tensor of the dtype of <typeparamref name="T"/>.</summary>
    public static Tensor Scalar<T>(T value) where T : unmanaged =>
        new(new[] { value }, new AbstractValue(Shape.Scalar, DTypes.FromClrType(typeof(T))));

    /// <summary>The elements, row-major, as a fresh flat array.</summary>
    /// <exception cref="InvalidCastException"><typeparamref name="T"/> is not the element type of this dtype.</exception>
    public T[] ToArray<T>()
    {
        CheckElementType<T>("ToArray");
        return (T[])Data.Clone();
    }

    /// <summary>The elements of a rank-2 tensor as a fresh 2-D array.</summary>
    /// <exception cref="InvalidOperationException">The tensor is not of rank 2.</exception>
    public T[,] ToArray2D<T>()
    {
        CheckElementType<T>("ToArray2D");
        if (Rank != 2) throw new InvalidOperationException($"ToArray2D: the tensor has shape {Shape}, not rank 2; use ToArray<T>() or reshape first");
        var result = new T[Shape[0], Shape[1]];
        if (Size > 0) Buffer.BlockCopy(Data, 0, result, 0, Size * DType.ByteSize());
        return result;
    }

    /// <summary>The elements as a fresh .NET array of the tensor's rank (<c>float[,]</c> for a float32 matrix).</summary>
    public Array ToNDArray()
    {
        var result = Array.CreateInstance(DType.ClrType(), Rank == 0 ? [1] : Shape.ToArray());
        if (Size > 0) Buffer.BlockCopy(Data, 0, result, 0, Size * DType.ByteSize());
        return result;
    }

    /// <summary>The value of a one-element tensor, e.g. <c>Np.Sum(x).Item&lt;float&gt;()</c>.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more than one element, or is traced.</exception>
    public T Item<T>()
    {
        if (!HasValue) throw NoValue("Item() asks for its value");
        CheckElementType<T>("Item");
        if (Size != 1) throw new InvalidOperationException($"Item: the tensor has shape {Shape} ({Size} elements); only a one-element tensor converts to a scalar");
        return ((T[])Data)[0];
    }

    private void CheckElementType<T>(string op)
    {
        if (typeof(T) != DType.ClrType())
            throw new InvalidCastException($"{op}: the tensor is {DType.Name()}, read it as {DType.ClrType().Name}, or convert first with Np.AsType(x, DType.{DTypes.FromClrType(typeof(T))})");
    }

    /// <summary>numpy-style text: <c>Tensor([[1. 2.] [3. 4.]], float32)</c>, abbreviated when large.</summary>
    public override string ToString() =>
        Dual is { } dual ? $"{dual.Primal} (with a tangent)"
        : Tracer is not null ? $"Traced<{Aval}>"
        : IsShapeOnly ? $"ShapeDtypeStruct(shape={Shape}, dtype={DType.Name()})"
        : IsDonated ? $"Donated<{Aval}>"
        : TensorFormatter.Format(this);
}
