using System.Diagnostics;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// A thread that claims the parts of <see cref="ForkJoin"/> jobs beside the calling thread, one per other
/// core. After a job it keeps spinning for <see cref="SpinTicks"/> (about 50 µs) before it blocks, so the
/// products of a burst (a bench loop, the layers of a training step) find it awake: a sleeping thread's
/// wake-up (several microseconds, more on a virtual machine whose idle CPU was halted) is paid once per
/// burst instead of once per product, as OpenBLAS's spinning threads do. A helper busy with another
/// caller's job is skipped (<see cref="TryStart"/> returns false), so concurrent callers never wait on each other.
/// </summary>
internal sealed class ForkJoinHelper
{
    /// <summary>How long an idle helper spins before it blocks: 50 µs.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000;

    private static readonly Lazy<ForkJoinHelper[]> Helpers = new(() =>
        Enumerable.Range(1, Math.Max(0, Environment.ProcessorCount - 1)).Select(i => new ForkJoinHelper(i)).ToArray());

    private readonly ManualResetEventSlim signal = new(false, spinCount: 0);
    private ForkJoin? job;

    private ForkJoinHelper(int index) =>
        new Thread(Loop) { IsBackground = true, Name = $"JaxSharp fork-join helper {index}" }.Start();

    /// <summary>The helpers, one per core beside the calling thread's (started on first use).</summary>
    public static IReadOnlyList<ForkJoinHelper> All => Helpers.Value;

    /// <summary>Hands <paramref name="work"/> to this helper and returns true, or returns false when it is still on another job.</summary>
    public bool TryStart(ForkJoin work)
    {
        if (Interlocked.CompareExchange(ref job, work, null) is not null) return false;
        signal.Set();
        return true;
    }

    private void Loop()
    {
        var idleSince = Stopwatch.GetTimestamp();
        while (true)
        {
            if (Volatile.Read(ref job) is { } work)
            {
                work.Execute();
                Volatile.Write(ref job, null);
                idleSince = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetTimestamp() - idleSince < SpinTicks) Thread.SpinWait(20);
            else
            {
                // A job handed over after the reset sets the signal again, so the wait cannot miss it.
                signal.Reset();
                if (Volatile.Read(ref job) is null) signal.Wait();
                idleSince = Stopwatch.GetTimestamp();
            }
        }
    }
}
