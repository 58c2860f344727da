namespace JaxSharp;

/// <summary>The element types of tensors, as in JAX: float32, float64, int32, uint32, bool.</summary>
public enum DType
{
    /// <summary>Boolean (numpy <c>bool</c>), stored as .NET <see cref="bool"/>.</summary>
    Bool,
    /// <summary>32-bit signed integer, .NET <see cref="int"/>.</summary>
    Int32,
    /// <summary>32-bit unsigned integer, .NET <see cref="uint"/>.</summary>
    UInt32,
    /// <summary>32-bit float, .NET <see cref="float"/>: the default float dtype, as in JAX.</summary>
    Float32,
    /// <summary>64-bit float, .NET <see cref="double"/>.</summary>
    Float64,
}

/// <summary>Facts about each <see cref="DType"/>: its .NET element type and its names.</summary>
public static class DTypes
{
    /// <summary>The .NET element type that stores this dtype.</summary>
    public static Type ClrType(this DType dtype) => dtype switch
    {
        DType.Bool => typeof(bool),
        DType.Int32 => typeof(int),
        DType.UInt32 => typeof(uint),
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>The dtype stored as .NET type <paramref name="type"/>.</summary>
    /// <exception cref="ArgumentException">No dtype is stored as that type.</exception>
    public static DType FromClrType(Type type) =>
        type == typeof(float) ? DType.Float32
        : type == typeof(double) ? DType.Float64
        : type == typeof(int) ? DType.Int32
        : type == typeof(uint) ? DType.UInt32
        : type == typeof(bool) ? DType.Bool
        : throw new ArgumentException($"array: element type {type.Name} is not supported; use float32, float64, int32, uint32 or bool (float, double, int, uint, bool)");

    /// <summary>numpy's name: <c>float32</c>, <c>int32</c>, <c>bool</c>...</summary>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Bool => "bool",
        DType.Int32 => "int32",
        DType.UInt32 => "uint32",
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>The short name used in printed programs, as in a jaxpr: <c>f32</c>, <c>i32</c>, <c>bool</c>.</summary>
    public static string ShortName(this DType dtype) => dtype switch
    {
        DType.Bool => "bool",
        DType.Int32 => "i32",
        DType.UInt32 => "u32",
        DType.Float32 => "f32",
        DType.Float64 => "f64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>
    /// The float dtype of values that say none (a weakly typed .NET <c>double</c> meeting no typed
    /// value, <c>Np.Zeros</c> without a dtype): float32, or float64 when <see cref="Jax.Config.EnableX64"/>
    /// is on, as JAX's <c>dtypes.default_float_dtype()</c>.
    /// </summary>
    public static DType DefaultFloat => Jax.Config.EnableX64 ? DType.Float64 : DType.Float32;

    /// <summary>
    /// The integer dtype of values that say none: int32 in both modes, since JaxSharp has no int64
    /// (JAX's x64 mode would give int64).
    /// </summary>
    public static DType DefaultInt => DType.Int32;

    /// <summary>Whether the dtype is float32 or float64.</summary>
    public static bool IsFloat(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>Whether the dtype is int32 or uint32.</summary>
    public static bool IsInteger(this DType dtype) => dtype is DType.Int32 or DType.UInt32;

    /// <summary>Size of one element in bytes.</summary>
    public static int ByteSize(this DType dtype) => dtype switch
    {
        DType.Bool => 1,
        DType.Float64 => 8,
        _ => 4,
    };
}
