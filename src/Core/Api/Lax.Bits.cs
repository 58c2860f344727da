using JaxSharp.Primitives;

namespace JaxSharp;

public static partial class Lax
{
    /// <summary><c>x &lt;&lt; y</c> elementwise on int32 or uint32 of one dtype, with broadcasting; 0 where y is negative or at least 32.</summary>
    /// <example><c>Lax.ShiftLeft(Tensor.Scalar(1u), Tensor.Scalar(31u))</c> is 2147483648.</example>
    public static Tensor ShiftLeft(Tensor x, Tensor y) => Primitives.Bits.ShiftLeft.Instance.Bind(PrimitiveParams.None, NotNull(x), NotNull(y));

    /// <summary><c>x &gt;&gt; y</c> elementwise filling with zero bits (int32 shifts as unsigned), with broadcasting; 0 where y is negative or at least 32.</summary>
    public static Tensor ShiftRightLogical(Tensor x, Tensor y) => Primitives.Bits.ShiftRightLogical.Instance.Bind(PrimitiveParams.None, NotNull(x), NotNull(y));

    /// <summary>
    /// The bits of <paramref name="x"/> read as <paramref name="newDType"/> (numpy's <c>view</c>).
    /// float64 to a 32-bit dtype adds a trailing axis of 2 (low word first); a 32-bit dtype to
    /// float64 takes a trailing axis of 2 away.
    /// </summary>
    /// <example><c>Lax.BitcastConvertType(Tensor.Scalar(1f), DType.UInt32)</c> is 1065353216 (0x3F800000).</example>
    public static Tensor BitcastConvertType(Tensor x, DType newDType) =>
        Primitives.Bits.BitcastConvertType.Instance.Bind(new Primitives.Bits.BitcastParams(newDType), NotNull(x));
}
