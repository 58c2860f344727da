using JaxSharp.IR;

namespace JaxSharp;

/// <summary>
/// An immutable n-dimensional array: a shape, a dtype and a row-major buffer. While a
/// function is traced (by <c>jit</c>, <c>grad</c>, <c>makeJaxpr</c>...) a tensor stands for
/// a value of the program being built instead; it then has a shape and dtype but no data,
/// and asking for its data is an error that says to use <c>np.where</c>.
/// </summary>
/// <example><c>var x = Np.Array(new float[] { 1f, 2f }); var y = x * 2.0;</c></example>
public sealed partial class Tensor
{
    private readonly Array? _data;

    internal Tensor(Array data, AbstractValue aval)
    {
        if (data.Length != aval.Shape.Size || data.GetType().GetElementType() != aval.DType.ClrType() || data.Rank != 1)
            throw new ArgumentException($"tensor: a buffer of {data.Length} {data.GetType().GetElementType()?.Name} does not hold {aval}");
        _data = data;
        Aval = aval;
    }

    internal Tensor(Tracer tracer)
    {
        Tracer = tracer;
        Aval = tracer.Aval;
    }

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

    /// <summary>Whether this tensor is a value of a program being traced, with no data.</summary>
    public bool IsTracer => Tracer is not null;

    internal Tracer? Tracer { get; }

    /// <summary>The row-major buffer; never handed to users, who get copies.</summary>
    internal Array Data => _data ?? throw Tracer!.ConcretizationError("its data is needed");

    /// <summary>A weakly typed scalar, as made from a .NET literal.</summary>
    internal static Tensor WeakScalar(double value) => new(new[] { value }, new AbstractValue(Shape.Scalar, DType.Float64, Weak: true));

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
        if (Tracer is not null) throw Tracer.ConcretizationError("Item() asks for its value");
        CheckElementType<T>("Item");
        if (Size != 1) throw new InvalidOperationException($"Item: the tensor has shape {Shape} ({Size} elements); only a one-element tensor converts to a scalar");
        return ((T[])Data)[0];
    }

    private void CheckElementType<T>(string op)
    {
        if (typeof(T) != DType.ClrType())
            throw new InvalidCastException($"{op}: the tensor is {DType.Name()}, read it as {DType.ClrType().Name}, or convert first with AsType(DType.{DTypes.FromClrType(typeof(T))})");
    }

    /// <summary>numpy-style text: <c>Tensor([[1. 2.] [3. 4.]], float32)</c>, abbreviated when large.</summary>
    public override string ToString() => Tracer is not null
        ? $"Traced<{Aval}>"
        : TensorFormatter.Format(this);
}
