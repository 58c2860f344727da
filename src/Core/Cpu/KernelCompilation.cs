using System.Runtime.CompilerServices;

namespace JaxSharp.Cpu;

/// <summary>
/// How the product and transpose kernels' hot loops are compiled, through
/// <c>[MethodImpl(KernelCompilation.Hot)]</c>. Under the JIT (a plain build) they ask for
/// AggressiveOptimization: their tier-0 code runs 10 to 15 times slower, for the first few hundred
/// calls of a process (a matrix-vector product took 300 to 470 µs instead of 46 µs, median of
/// the bench's row). A ReadyToRun build (<c>-p:PublishReadyToRun=true</c>, which defines
/// <c>READY_TO_RUN</c>: the bench's ReadyToRun app and the packages' images) leaves them
/// unmarked, because crossgen2 does not precompile AggressiveOptimization methods; its
/// precompiled code is already optimised (docs/jit.md, "First result in a fresh process").
/// </summary>
internal static class KernelCompilation
{
    /// <summary>The MethodImpl options of a kernel's hot method in this build.</summary>
#if READY_TO_RUN
    public const MethodImplOptions Hot = default;
#else
    public const MethodImplOptions Hot = MethodImplOptions.AggressiveOptimization;
#endif
}
