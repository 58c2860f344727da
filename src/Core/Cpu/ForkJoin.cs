using System.Runtime.ExceptionServices;

namespace JaxSharp.Cpu;

/// <summary>
/// A fork-join for splits of a few microseconds (the products' and the elementwise loops' splits across cores), cheaper than <see cref="Parallel.For(int, int, Action{int})"/>:
/// the calling thread takes parts itself while pooled threads are woken for the others, any part a woken
/// thread has not claimed yet is run by the caller, and the caller spins (never sleeps) until the claimed
/// parts are done. Parts are claimed from one counter, so a pool that is busy or slow to wake only costs
/// the parallelism, never a deadlock.
/// </summary>
internal sealed class ForkJoin : IThreadPoolWorkItem
{
    private readonly Action<int> body;
    private readonly int parts;
    private int claimed;
    private int running;
    private Exception? error;

    private ForkJoin(Action<int> body, int parts) => (this.body, this.parts) = (body, parts);

    /// <summary>
    /// Runs <paramref name="body"/> for every part in <c>[0, parts)</c>, across the calling thread and up to one
    /// pooled thread per other core (each claims parts until none is left), and rethrows the first exception a part threw.
    /// </summary>
    public static void Run(int parts, Action<int> body)
    {
        if (parts <= 1)
        {
            if (parts == 1) body(0);
            return;
        }
        var job = new ForkJoin(body, parts);
        var helpers = Math.Min(parts, Environment.ProcessorCount) - 1;
        for (var i = 0; i < helpers; i++) ThreadPool.UnsafeQueueUserWorkItem(job, preferLocal: false);
        job.Execute();
        var spin = new SpinWait();
        while (Volatile.Read(ref job.running) != 0) spin.SpinOnce(sleep1Threshold: -1);
        if (job.error is { } e) ExceptionDispatchInfo.Throw(e);
    }

    /// <summary>Claims and runs parts until none is left (the pool's entry point, and the caller's).</summary>
    public void Execute()
    {
        while (true)
        {
            Interlocked.Increment(ref running);
            var part = Interlocked.Increment(ref claimed) - 1;
            try
            {
                if (part >= parts) return;
                body(part);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref error, e, null);
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }
    }
}
