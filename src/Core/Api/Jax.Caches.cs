using JaxSharp.Cpu;

namespace JaxSharp;

/// <summary>
/// The sizes of JaxSharp's caches at one moment, for diagnostics (<see cref="Jax.CacheStatistics"/>).
/// </summary>
/// <param name="JittedFunctions">Jitted functions still alive (each holds its own traces and compiled programs).</param>
/// <param name="Programs">Compiled programs in the shared program cache that are still alive (bounded by <see cref="CacheLimits.Programs"/>).</param>
/// <param name="EagerKernels">Compiled one-primitive programs kept for eager calls (bounded by <see cref="CacheLimits.EagerKernels"/>).</param>
/// <param name="PooledBuffers">Intermediate buffers kept for reuse.</param>
/// <param name="PooledBytes">Their bytes (bounded by <see cref="CacheLimits.PoolBytes"/>).</param>
public sealed record CacheStatistics(int JittedFunctions, int Programs, int EagerKernels, int PooledBuffers, long PooledBytes);

public static partial class Jax
{
    /// <summary>
    /// Empties JaxSharp's caches: the compiled programs of every jitted function and of the
    /// shared program cache, the eager calls' compiled programs and the pooled buffers. Jitted
    /// functions keep working: each traces and compiles again on its next call. Calls running
    /// meanwhile finish with the programs they started with.
    /// </summary>
    /// <example><c>Jax.ClearCaches(); Console.WriteLine(Jax.CacheStatistics());</c></example>
    public static void ClearCaches()
    {
        JitFunction.DropAllPrograms();
        ProgramCache.Clear();
        KernelCache.Clear();
        BufferPool.Clear();
    }

    /// <summary>The current sizes of JaxSharp's caches (see <see cref="JaxSharp.CacheStatistics"/>); bounds are set in <see cref="CacheLimits"/>.</summary>
    /// <example><c>var stats = Jax.CacheStatistics(); Console.WriteLine($"{stats.PooledBytes} bytes pooled");</c></example>
    public static CacheStatistics CacheStatistics() =>
        new(JitFunction.LiveCount, ProgramCache.Count, KernelCache.Count, BufferPool.PooledBuffers, BufferPool.PooledBytes);
}
