using System.Collections.Concurrent;
using System.Numerics;

namespace JaxSharp.Cpu;

/// <summary>
/// Buffers for the intermediates of compiled programs, reused between calls: the first touch
/// of fresh memory costs about as much as the arithmetic on it, so a program returns each
/// intermediate here after its last reader.
/// <para>
/// Buffers come in size classes (<see cref="ClassLength"/>: four per power of two), so that
/// near sizes share buffers: a rented buffer may be up to a quarter longer than asked for, and
/// its users must bound their work by the value's size, never by the buffer's length. A few
/// buffers are kept per class and element type, and at most <see cref="CacheLimits.PoolBytes"/>
/// bytes in all; a buffer that does not fit is left to the garbage collector.
/// </para>
/// </summary>
internal static class BufferPool
{
    /// <summary>
    /// The free buffers kept per class and element type: as many as a program holds live at once
    /// (an MLP step's backward pass holds 5 to 7 batch x hidden activations and cotangents; a
    /// pool of 4 allocated the rest afresh every call, 256 KB a step at batch 128).
    /// </summary>
    private const int KeptPerClass = 8;

    /// <summary>The smallest class: every request of up to this many elements gets a buffer of this length.</summary>
    private const int SmallestClass = 16;

    /// <summary>The free buffers of one element type and class length.</summary>
    private sealed class FreeList
    {
        public readonly Array?[] Buffers = new Array?[KeptPerClass];
        public int Count;
    }

    /// <summary>The number of rounded class lengths up to <see cref="Array.MaxLength"/> (see <see cref="ClassIndex"/>): 16, four for each power of two from 2^4 to 2^29 (5, 6, 7 and 8 quarters of it), three for 2^30.</summary>
    private const int ClassCount = 1 + 4 * (30 - 4) + 3;

    /// <summary>
    /// The free lists of each element type, by <see cref="ClassIndex"/>, each made on first use. Keyed by
    /// the type alone (a reference): the framework's precompiled code for reference keys serves it,
    /// where a <c>(Type, int)</c> tuple key made every process JIT-compile ten dictionary methods.
    /// </summary>
    private static readonly ConcurrentDictionary<Type, FreeList?[]> s_free = new();
    private static long s_capacityBytes = CacheLimits.DefaultPoolBytes;
    private static long s_pooledBytes;

    /// <summary>The most bytes kept (see <see cref="CacheLimits.PoolBytes"/>); lowering it drops buffers at once.</summary>
    public static long CapacityBytes
    {
        get => Volatile.Read(ref s_capacityBytes);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref s_capacityBytes, value);
            Trim(value);
        }
    }

    /// <summary>The bytes of the buffers kept now.</summary>
    public static long PooledBytes => Interlocked.Read(ref s_pooledBytes);

    /// <summary>The number of buffers kept now.</summary>
    public static int PooledBuffers
    {
        get
        {
            var count = 0;
            foreach (var list in AllLists())
                lock (list) count += list.Count;
            return count;
        }
    }

    /// <summary>
    /// A buffer of at least <paramref name="length"/> elements of <paramref name="dtype"/> (its
    /// length is <see cref="ClassLength"/> of it), with undefined contents.
    /// </summary>
    public static Array Rent(DType dtype, int length)
    {
        var classLength = ClassLength(length);
        if (s_free.TryGetValue(dtype.ClrType(), out var lists) && ClassIndex(classLength) is var index and >= 0 && lists[index] is { } list)
        {
            Array? buffer = null;
            lock (list)
                if (list.Count > 0)
                {
                    buffer = list.Buffers[--list.Count];
                    list.Buffers[list.Count] = null;
                }
            if (buffer is not null)
            {
                Interlocked.Add(ref s_pooledBytes, -Buffer.ByteLength(buffer));
                return buffer;
            }
        }
        return Allocate(dtype, classLength);
    }

    /// <summary>Gives a rented buffer back for later calls; it is dropped if its class is full or the pool would pass its cap.</summary>
    public static void Return(Array buffer)
    {
        // Only rented buffers (of a class length) are kept: any other serves no request exactly.
        var index = buffer.Length == ClassLength(buffer.Length) ? ClassIndex(buffer.Length) : -1;
        if (index < 0) return;
        var bytes = Buffer.ByteLength(buffer);
        if (Interlocked.Add(ref s_pooledBytes, bytes) > CapacityBytes)
        {
            Interlocked.Add(ref s_pooledBytes, -bytes);
            return;
        }
        var lists = s_free.GetOrAdd(buffer.GetType().GetElementType()!, _ => new FreeList?[ClassCount]);
        var list = lists[index] ?? Interlocked.CompareExchange(ref lists[index], new FreeList(), null) ?? lists[index]!;
        lock (list)
            if (list.Count < KeptPerClass)
            {
                list.Buffers[list.Count++] = buffer;
                return;
            }
        Interlocked.Add(ref s_pooledBytes, -bytes);
    }

    /// <summary>
    /// <paramref name="buffer"/> if it holds exactly <paramref name="length"/> elements, else a
    /// copy of its first <paramref name="length"/>: what a tensor made from a rented buffer needs.
    /// </summary>
    public static Array Exact(Array buffer, int length)
    {
        if (buffer.Length == length) return buffer;
        var exact = Array.CreateInstance(buffer.GetType().GetElementType()!, length);
        Array.Copy(buffer, exact, length);
        return exact;
    }

    /// <summary>Drops every kept buffer.</summary>
    public static void Clear() => Trim(0);

    /// <summary>
    /// The length of the buffers that serve requests of <paramref name="length"/> elements:
    /// <see cref="SmallestClass"/> for small requests, else <paramref name="length"/> rounded up to
    /// a multiple of a quarter of the power of two below it (so at most a quarter more), or the
    /// length itself when that would pass <see cref="Array.MaxLength"/>.
    /// </summary>
    public static int ClassLength(int length)
    {
        if (length <= SmallestClass) return SmallestClass;
        var quarter = 1L << (BitOperations.Log2((uint)(length - 1)) - 2);
        var rounded = (length + quarter - 1) / quarter * quarter;
        return rounded <= Array.MaxLength ? (int)rounded : length;
    }

    /// <summary>
    /// The position of <paramref name="classLength"/> among the class lengths (0 for
    /// <see cref="SmallestClass"/>, then four per power of two), or -1 for a length that
    /// <see cref="ClassLength"/> leaves unrounded near <see cref="Array.MaxLength"/>: such buffers are not kept.
    /// </summary>
    public static int ClassIndex(int classLength)
    {
        if (classLength == SmallestClass) return 0;
        var power = BitOperations.Log2((uint)(classLength - 1));
        var quarter = 1 << (power - 2);
        return classLength % quarter == 0 ? 1 + 4 * (power - 4) + classLength / quarter - 5 : -1;
    }

    /// <summary>Every free list made so far.</summary>
    private static IEnumerable<FreeList> AllLists()
    {
        foreach (var lists in s_free.Values)
            foreach (var list in lists)
                if (list is not null) yield return list;
    }

    /// <summary>A fresh buffer whose contents the caller overwrites (not zeroed).</summary>
    public static Array Allocate(DType dtype, int length) => TensorAllocation.Uninitialized(dtype, length);

    /// <summary>Drops kept buffers until at most <paramref name="bytes"/> are kept.</summary>
    private static void Trim(long bytes)
    {
        foreach (var list in AllLists())
        {
            while (PooledBytes > bytes)
            {
                Array? dropped = null;
                lock (list)
                    if (list.Count > 0)
                    {
                        dropped = list.Buffers[--list.Count];
                        list.Buffers[list.Count] = null;
                    }
                if (dropped is null) break;
                Interlocked.Add(ref s_pooledBytes, -Buffer.ByteLength(dropped));
            }
        }
    }
}
