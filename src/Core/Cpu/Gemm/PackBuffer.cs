using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// A pooled packing buffer, aligned to 64 bytes (one cache line, one zmm load). Buffers live
/// on the pinned object heap and return to the pool on <see cref="Dispose"/>, so repeated
/// products touch no fresh pages.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal readonly struct PackBuffer<T> : IDisposable
{
    private const int Alignment = 64;
    private static readonly ConcurrentBag<T[]> s_free = new();
    private readonly T[] _array;
    private readonly int _start;
    private readonly int _length;

    private unsafe PackBuffer(T[] array, int length)
    {
        _array = array;
        _length = length;
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        _start = (int)((Alignment - address % Alignment) % Alignment) / Unsafe.SizeOf<T>();
    }

    /// <summary>A buffer of at least <paramref name="length"/> elements, from the pool when one is big enough.</summary>
    public static PackBuffer<T> Rent(int length)
    {
        var padded = length + Alignment / Unsafe.SizeOf<T>();
        if (!s_free.TryTake(out var array) || array.Length < padded)
            array = GC.AllocateUninitializedArray<T>(padded, pinned: true);
        return new PackBuffer<T>(array, length);
    }

    /// <summary>The usable, aligned elements.</summary>
    public Span<T> Span => _array.AsSpan(_start, _length);

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose() => s_free.Add(_array);
}
