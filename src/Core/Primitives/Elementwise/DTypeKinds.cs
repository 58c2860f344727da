namespace JaxSharp.Primitives.Elementwise;

/// <summary>Sets of dtypes an elementwise primitive accepts, as <c>jax.lax</c> groups them.</summary>
[Flags]
public enum DTypeKinds
{
    /// <summary>bool.</summary>
    Bool = 1,
    /// <summary>int32.</summary>
    SignedInteger = 2,
    /// <summary>uint32.</summary>
    UnsignedInteger = 4,
    /// <summary>float32 and float64.</summary>
    Float = 8,
    /// <summary>int32 and uint32.</summary>
    Integer = SignedInteger | UnsignedInteger,
    /// <summary>Signed numbers: int32, float32, float64 (lax's abs).</summary>
    Signed = SignedInteger | Float,
    /// <summary>Numbers: int32, uint32, float32, float64 (not bool).</summary>
    Numeric = Integer | Float,
    /// <summary>bool and the integers (the bitwise and logical ops).</summary>
    BoolOrInteger = Bool | Integer,
    /// <summary>Every dtype.</summary>
    Any = Bool | Numeric,
}

/// <summary>Membership and descriptions of <see cref="DTypeKinds"/>.</summary>
public static class DTypeKindsExtensions
{
    /// <summary>Whether <paramref name="dtype"/> is in the set.</summary>
    public static bool Contains(this DTypeKinds kinds, DType dtype) => kinds.HasFlag(KindOf(dtype));

    /// <summary>The kind of one dtype.</summary>
    public static DTypeKinds KindOf(DType dtype) => dtype switch
    {
        DType.Bool => DTypeKinds.Bool,
        DType.Int32 => DTypeKinds.SignedInteger,
        DType.UInt32 => DTypeKinds.UnsignedInteger,
        _ => DTypeKinds.Float,
    };

    /// <summary>The set in words, for error messages: <c>float32 or float64</c>.</summary>
    public static string Describe(this DTypeKinds kinds)
    {
        var names = Enum.GetValues<DType>().Where(d => kinds.Contains(d)).Select(d => d.Name()).ToArray();
        return names.Length == 1 ? names[0] : string.Join(", ", names[..^1]) + " or " + names[^1];
    }
}
