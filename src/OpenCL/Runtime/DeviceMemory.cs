using Silk.NET.OpenCL;

namespace JaxSharp.OpenCL.Runtime;

/// <summary>
/// The memory of one OpenCL device, pooled by size: a buffer given back is kept for the next
/// request of its size (the sizes a jitted function asks for repeat from call to call), up to
/// <see cref="MaxPooledBytes"/> in all; beyond that it is released. Thread-safe: buffers come
/// back from finalizers too. The .NET collector does not see device memory, so the buffers of
/// dropped tensors could pile up between collections: when an allocation would take the
/// device past <see cref="CollectEvery"/> bytes more than were in use after the last collection,
/// the pool runs a collection and their finalizers first and reuses what comes back, which
/// bounds the memory however many calls a program makes.
/// </summary>
internal sealed unsafe class DeviceMemory(nint context)
{
    /// <summary>The most bytes kept in the pool for reuse.</summary>
    public const long MaxPooledBytes = 256L << 20;

    /// <summary>The growth past the bytes in use after the last collection at which dropped tensors' buffers are collected before allocating more.</summary>
    public const long CollectEvery = 256L << 20;

    private readonly Dictionary<long, Stack<nint>> _free = [];
    private long _collectAt = CollectEvery;
    private readonly Lock _lock = new();
    private long _pooledBytes;

    /// <summary>The bytes allocated on the device and not yet released: in use or pooled.</summary>
    public long AllocatedBytes
    {
        get { lock (_lock) return _allocatedBytes; }
    }

    private long _allocatedBytes;

    /// <summary>The bytes in use by buffers (allocated, not pooled).</summary>
    public long InUseBytes
    {
        get { lock (_lock) return _allocatedBytes - _pooledBytes; }
    }

    /// <summary>A buffer of at least <paramref name="bytes"/> bytes (never empty: OpenCL has no empty buffers), pooled or new.</summary>
    public (nint Memory, long Bytes) Rent(long bytes)
    {
        bytes = Math.Max(bytes, 16);
        if (TryPooled(bytes, out var pooled)) return (pooled, bytes);
        if (AllocatedBytes + bytes > Interlocked.Read(ref _collectAt))
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Interlocked.Exchange(ref _collectAt, InUseBytes + CollectEvery);
            if (TryPooled(bytes, out pooled)) return (pooled, bytes);
        }
        int code;
        var memory = ClApi.Api.CreateBuffer(context, MemFlags.ReadWrite, (nuint)bytes, null, &code);
        if (code == -4 || code == -61) throw new OutOfMemoryException($"opencl: the device could not allocate a buffer of {bytes:N0} bytes (error {code})");
        ClApi.Check(code, $"clCreateBuffer of {bytes:N0} bytes");
        lock (_lock) _allocatedBytes += bytes;
        return (memory, bytes);
    }

    private bool TryPooled(long bytes, out nint memory)
    {
        lock (_lock)
        {
            if (_free.TryGetValue(bytes, out var stack) && stack.TryPop(out memory))
            {
                _pooledBytes -= bytes;
                return true;
            }
        }
        memory = 0;
        return false;
    }

    /// <summary>Takes a buffer back: pooled for reuse, or released when the pool is full.</summary>
    public void Return(nint memory, long bytes)
    {
        lock (_lock)
        {
            if (_pooledBytes + bytes <= MaxPooledBytes)
            {
                if (!_free.TryGetValue(bytes, out var stack)) _free[bytes] = stack = new Stack<nint>();
                stack.Push(memory);
                _pooledBytes += bytes;
                return;
            }
            _allocatedBytes -= bytes;
        }
        ClApi.Api.ReleaseMemObject(memory);
    }
}

/// <summary>
/// One tensor's memory on an OpenCL device. The tensors that hold it keep it alive; when they
/// are collected its finalizer gives the memory back to the device's pool. Steps of a program
/// give their intermediate buffers back at once with <see cref="Release"/>.
/// </summary>
internal sealed unsafe class ClBuffer : DeviceBuffer
{
    private readonly OpenCLDevice _device;
    private int _released;

    public ClBuffer(OpenCLDevice device, long bytes)
    {
        _device = device;
        (Memory, Bytes) = device.Memory.Rent(bytes);
    }

    /// <summary>The cl_mem handle.</summary>
    public nint Memory { get; }

    /// <summary>Its size in bytes (at least the tensor's).</summary>
    public long Bytes { get; }

    /// <inheritdoc/>
    public override Device Device => _device;

    /// <inheritdoc/>
    public override Array Download(AbstractValue aval) => _device.Download(this, aval);

    /// <summary>Gives the memory back to the pool now; later work queued on the device may reuse it.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        _device.Memory.Return(Memory, Bytes);
        GC.SuppressFinalize(this);
    }

    /// <summary>Gives the memory back when no tensor holds the buffer any more.</summary>
    ~ClBuffer()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) _device.Memory.Return(Memory, Bytes);
    }
}
