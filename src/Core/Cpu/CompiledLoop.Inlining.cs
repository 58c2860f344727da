namespace JaxSharp.Cpu;

/// <summary>
/// The second form of a loop that calls <see cref="PrecompiledTrig"/>: its first runs call the
/// precompiled sin and cos (a small loop, cheap for the .NET JIT: the first result of a fresh
/// process), and from its <see cref="RunsBeforeInlining"/>th run a pool thread compiles the same
/// loop with SimdMath's trees inlined (the same bits, faster per element: a call per vector
/// costs up to 1.8x on a float32 sine) and swaps it in, as the .NET JIT tiers up a hot method.
/// </summary>
internal sealed partial class CompiledLoop
{
    /// <summary>The run from which the inlined form is compiled: a loop run again is likely run many times.</summary>
    public const int RunsBeforeInlining = 2;

    /// <summary>The loops whose inlined form has replaced the calling one, in this process (for tests).</summary>
    internal static int InlinedLoops => s_inlinedLoops;

    private static int s_inlinedLoops;

    /// <summary>Runs so far; -1 for a loop with nothing to inline.</summary>
    private int _runs = -1;

    /// <summary>Counts a run, and starts compiling the inlined form on the <see cref="RunsBeforeInlining"/>th.</summary>
    private void CountRun()
    {
        if (_runs < 0 || Interlocked.Increment(ref _runs) != RunsBeforeInlining) return;
        Task.Run(() =>
        {
            Volatile.Write(ref _kernel, PrecompiledTrig.Inlined(Lambda).Compile());
            Interlocked.Increment(ref s_inlinedLoops);
        });
    }
}
