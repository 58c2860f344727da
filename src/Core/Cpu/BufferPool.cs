using System.Collections.Concurrent;

namespace JaxSharp.Cpu;

/// <summary>
/// Buffers for the intermediates of compiled programs, reused between calls: the first touch
/// of fresh memory costs about as much as the arithmetic on it, so a program returns each
/// intermediate here after its last reader. Keyed by element type and exact length; a few
/// buffers are kept per key.
/// </summary>
internal static class BufferPool
{
    private const int KeptPerKey = 4;

    private static readonly ConcurrentDictionary<(Type, int), ConcurrentBag<Array>> s_free = new();

    /// <summary>A buffer of <paramref name="length"/> elements of <paramref name="dtype"/>, with undefined contents.</summary>
    public static Array Rent(DType dtype, int length) =>
        s_free.TryGetValue((dtype.ClrType(), length), out var bag) && bag.TryTake(out var buffer) ? buffer : Allocate(dtype, length);

    /// <summary>Gives a buffer back for later calls.</summary>
    public static void Return(Array buffer)
    {
        var bag = s_free.GetOrAdd((buffer.GetType().GetElementType()!, buffer.Length), _ => []);
        if (bag.Count < KeptPerKey) bag.Add(buffer);
    }

    /// <summary>A fresh buffer whose contents the caller overwrites (not zeroed).</summary>
    public static Array Allocate(DType dtype, int length) => dtype switch
    {
        DType.Float32 => GC.AllocateUninitializedArray<float>(length),
        DType.Float64 => GC.AllocateUninitializedArray<double>(length),
        DType.Int32 => GC.AllocateUninitializedArray<int>(length),
        DType.UInt32 => GC.AllocateUninitializedArray<uint>(length),
        DType.Bool => GC.AllocateUninitializedArray<bool>(length),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };
}
