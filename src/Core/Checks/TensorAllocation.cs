using System.Globalization;

namespace JaxSharp;

/// <summary>
/// Allocation of tensor buffers, where the runtime's bare <see cref="OutOfMemoryException"/>
/// becomes one that says what could not be allocated: the dtype, the elements and the bytes,
/// and (at an op's boundary) the op and the shape.
/// </summary>
internal static class TensorAllocation
{
    /// <summary>A fresh buffer of <paramref name="length"/> elements of <paramref name="dtype"/>, with undefined contents.</summary>
    /// <exception cref="OutOfMemoryException">The runtime cannot allocate it; the message names the dtype, elements and bytes.</exception>
    public static Array Uninitialized(DType dtype, int length)
    {
        try
        {
            return dtype switch
            {
                DType.Float32 => GC.AllocateUninitializedArray<float>(length),
                DType.Float64 => GC.AllocateUninitializedArray<double>(length),
                DType.Int32 => GC.AllocateUninitializedArray<int>(length),
                DType.UInt32 => GC.AllocateUninitializedArray<uint>(length),
                DType.Bool => GC.AllocateUninitializedArray<bool>(length),
                _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
            };
        }
        catch (OutOfMemoryException e)
        {
            throw new OutOfMemoryException(
                $"out of memory: a {dtype.Name()} buffer of {length} elements ({Bytes(dtype, length)} bytes) could not be allocated; " +
                "free memory (drop references to large tensors) or work on smaller pieces", e);
        }
    }

    /// <summary>The error for an op that ran out of memory making its output: names the op, the shape and the bytes.</summary>
    public static OutOfMemoryException ForOutput(string op, AbstractValue output, OutOfMemoryException inner) => new(
        $"{op}: out of memory computing an output of shape {output.Shape} {output.DType.Name()} " +
        $"({Bytes(output.DType, output.Shape.ElementCount)} bytes); free memory (drop references to large tensors) or work on smaller pieces. " +
        inner.Message, inner);

    private static string Bytes(DType dtype, long elements) =>
        ((decimal)elements * dtype.ByteSize()).ToString(CultureInfo.InvariantCulture);
}
