using JaxSharp.Cpu;

namespace JaxSharp;

/// <summary>
/// The bounds of the caches that JaxSharp shares between all functions: compiled programs
/// (shared by structure between jitted functions), the compiled one-primitive programs of eager
/// calls, and the pool of intermediate buffers. Each is settable at any time; lowering a bound
/// drops entries at once, least recently used first. Read the current sizes with
/// <see cref="Jax.CacheStatistics"/>, and empty every cache with <see cref="Jax.ClearCaches"/>.
/// </summary>
/// <example><c>CacheLimits.EagerKernels = 2000; CacheLimits.PoolBytes = 512L &lt;&lt; 20;</c></example>
public static class CacheLimits
{
    /// <summary>The default of <see cref="Programs"/>.</summary>
    public const int DefaultPrograms = 1024;

    /// <summary>The default of <see cref="EagerKernels"/>.</summary>
    public const int DefaultEagerKernels = 512;

    /// <summary>The default of <see cref="PoolBytes"/>: 128 MiB.</summary>
    public const long DefaultPoolBytes = 128L << 20;

    /// <summary>
    /// The most compiled programs the shared program cache indexes (at least 1). The cache holds
    /// programs weakly: a program lives as long as a jitted function that uses it, whatever this
    /// bound; the bound only limits how many programs can be found for sharing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int Programs
    {
        get => ProgramCache.Capacity;
        set => ProgramCache.Capacity = AtLeastOne(value, nameof(Programs));
    }

    /// <summary>
    /// The most compiled one-primitive programs kept for eager calls (at least 1), one per
    /// primitive, parameters, input shapes and dtypes; the least recently used is dropped first
    /// and compiled again when needed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int EagerKernels
    {
        get => KernelCache.Capacity;
        set => KernelCache.Capacity = AtLeastOne(value, nameof(EagerKernels));
    }

    /// <summary>
    /// The most bytes of intermediate buffers kept for reuse between calls (0 or more; 0 keeps
    /// none). A buffer given back when the pool is full is left to the garbage collector.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public static long PoolBytes
    {
        get => BufferPool.CapacityBytes;
        set
        {
            if (value < 0)
                throw new ArgumentOutOfRangeException(nameof(PoolBytes), value,
                    $"CacheLimits.PoolBytes must be 0 or more bytes, got {value}; set 0 to keep no buffers between calls");
            BufferPool.CapacityBytes = value;
        }
    }

    private static int AtLeastOne(int value, string setting) => value >= 1 ? value
        : throw new ArgumentOutOfRangeException(setting, value,
            $"CacheLimits.{setting} must be at least 1, got {value}; to empty the caches now, call Jax.ClearCaches()");
}
