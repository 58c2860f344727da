namespace JaxSharp;

/// <summary>
/// JAX's type promotion: the join of two (dtype, weak) pairs on JAX's lattice, restricted
/// to the dtypes JaxSharp has. A weakly typed value (a .NET scalar) never widens a strongly
/// typed one: <c>float32 tensor * 2.0</c> stays float32. Integer op float gives float;
/// float32 op float64 gives float64; uint32 op int32 gives int32 (JAX without int64). A weak
/// result whose dtype the operands do not settle takes its kind's default dtype, as JAX's
/// <c>result_type</c>: <see cref="DTypes.DefaultFloat"/> (float32, or float64 with
/// <see cref="Jax.Config.EnableX64"/>) or int32.
/// </summary>
public static class TypePromotion
{
    private static int Category(DType d) => d switch
    {
        DType.Bool => 0,
        DType.Int32 or DType.UInt32 => 1,
        _ => 2,
    };

    // The weak default dtype of a kind (JAX's i* and f*, canonicalised).
    private static DType WeakDefault(int category) => category == 1 ? DTypes.DefaultInt : DTypes.DefaultFloat;

    /// <summary>The promoted type of two abstract values' dtypes and weak flags.</summary>
    public static (DType DType, bool Weak) Join(DType a, bool aWeak, DType b, bool bWeak)
    {
        if (a == b) return (a, aWeak && bWeak);
        var (ca, cb) = (Category(a), Category(b));
        if (aWeak != bWeak)
        {
            var (weak, strong) = aWeak ? (ca, b) : (cb, a);
            // A weak value of a lower or equal kind takes the strong dtype; one of a higher
            // kind gives that kind's weak default dtype (JAX: i4 + f* = f*, bool + i* = i*).
            return weak <= Category(strong) ? (strong, false) : (WeakDefault(weak), true);
        }
        // Two weak values meet at their higher kind's default dtype (JAX: i* + f* = f*).
        if (aWeak) return (WeakDefault(Math.Max(ca, cb)), true);
        if (ca != cb) return ca > cb ? (a, false) : (b, false);
        // Same kind, different dtypes: int32 with uint32 (JAX: int64, canonicalised to int32),
        // or float32 with float64.
        return ca == 1 ? (DType.Int32, false) : (DType.Float64, false);
    }

    /// <summary>The promoted type of several abstract values, folded left to right.</summary>
    public static (DType DType, bool Weak) Join(IEnumerable<AbstractValue> values)
    {
        (DType, bool)? acc = null;
        foreach (var v in values)
            acc = acc is { } a ? Join(a.Item1, a.Item2, v.DType, v.Weak) : (v.DType, v.Weak);
        return acc ?? throw new ArgumentException("promotion: no values to promote");
    }
}
