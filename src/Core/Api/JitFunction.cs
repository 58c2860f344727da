using System.Runtime.CompilerServices;
using JaxSharp.Cpu;
using JaxSharp.IR;

namespace JaxSharp;

/// <summary>
/// A function compiled by <c>jit</c>: traced once per signature (input shapes, dtypes, weak
/// flags and the static argument), its program simplified, fused and compiled, and cached.
/// A later call with a known signature finds its program without tracing or allocating.
/// Called inside another trace, it inlines its program there, so <c>grad (jit f)</c> and
/// <c>jit (grad f)</c> compose.
/// <para>
/// Its entries hold their compiled programs, so the programs live as long as the function (the
/// shared <see cref="ProgramCache"/> only holds them weakly). Callers that meet an unknown
/// signature at the same time wait for one trace of it instead of tracing it each.
/// </para>
/// </summary>
internal sealed class JitFunction
{
    private sealed record Entry(AbstractValue[] Signature, object? Static, Jaxpr Jaxpr, Lazy<CpuProgram> Program);

    /// <summary>A trace in progress, which other callers with its signature wait for.</summary>
    private sealed class PendingTrace(AbstractValue[] signature, object? staticArg)
    {
        public AbstractValue[] Signature { get; } = signature;
        public object? Static { get; } = staticArg;

        /// <summary>The managed thread that traces.</summary>
        public int Thread { get; } = Environment.CurrentManagedThreadId;

        /// <summary>The traced entry, or null when the trace threw.</summary>
        public TaskCompletionSource<Entry?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Every live jitted function, for <see cref="DropAllPrograms"/>; weak, so it keeps none alive.</summary>
    private static readonly ConditionalWeakTable<JitFunction, object?> s_live = new();

    private readonly Func<Tensor[], object?, Tensor[]> _function;
    private readonly Lock _lock = new();
    private Entry[] _entries = [];
    private readonly List<PendingTrace> _pending = [];

    /// <summary>A function with a static argument (null when it has none).</summary>
    public JitFunction(Func<Tensor[], object?, Tensor[]> function)
    {
        _function = function;
        s_live.Add(this, null);
    }

    /// <summary>A function without static arguments.</summary>
    public JitFunction(Func<Tensor[], Tensor[]> function) : this((args, _) => function(args)) { }

    /// <summary>The number of jitted functions still alive.</summary>
    public static int LiveCount => s_live.Count();

    /// <summary>Makes every live jitted function forget its traces and programs; each traces and compiles again on its next call.</summary>
    public static void DropAllPrograms()
    {
        foreach (var (function, _) in s_live)
            lock (function._lock) Volatile.Write(ref function._entries, []);
    }

    public Tensor[] Call(Tensor[] args, object? staticArg = null)
    {
        var entry = Find(Volatile.Read(ref _entries), args, staticArg) ?? Compile(args, staticArg);
        return ProgramBuilder.Current is null
            ? entry.Program.Value.Run(args)
            : entry.Jaxpr.Evaluate(args);
    }

    private static bool Matches(AbstractValue[] signature, object? expectedStatic, Tensor[] args, object? staticArg)
    {
        if (signature.Length != args.Length || !Equals(expectedStatic, staticArg)) return false;
        for (var i = 0; i < args.Length; i++)
            if (signature[i] != args[i].Aval) return false;
        return true;
    }

    private static Entry? Find(Entry[] entries, Tensor[] args, object? staticArg)
    {
        foreach (var entry in entries)
            if (Matches(entry.Signature, entry.Static, args, staticArg)) return entry;
        return null;
    }

    /// <summary>
    /// The entry of a new signature: traced by the first caller, while later callers with the
    /// same signature wait for it. A trace that closed over values of an enclosing trace is valid
    /// only in that trace, so it is not cached, and a waiter that gets one (or a failed trace)
    /// traces for itself; so does a caller inside the trace it would wait for (a recursive call).
    /// </summary>
    private Entry Compile(Tensor[] args, object? staticArg)
    {
        PendingTrace? other, mine = null;
        lock (_lock)
        {
            if (Find(_entries, args, staticArg) is { } known) return known;
            other = _pending.Find(p => Matches(p.Signature, p.Static, args, staticArg));
            if (other is null) _pending.Add(mine = new PendingTrace(args.Select(a => a.Aval).ToArray(), staticArg));
        }
        if (mine is not null) return TraceAndPublish(mine, args, staticArg);
        if (other!.Thread == Environment.CurrentManagedThreadId) return Trace(args, staticArg);
        var traced = other.Done.Task.GetAwaiter().GetResult();
        return traced is not null && traced.Jaxpr.CapturedValues.Count == 0 ? traced : Trace(args, staticArg);
    }

    /// <summary>Traces the signature of <paramref name="pending"/>, caches the entry (unless it captured values of an enclosing trace) and wakes the waiters.</summary>
    private Entry TraceAndPublish(PendingTrace pending, Tensor[] args, object? staticArg)
    {
        Entry entry;
        try
        {
            entry = Trace(args, staticArg);
        }
        catch
        {
            lock (_lock) _pending.Remove(pending);
            pending.Done.SetResult(null);
            throw;
        }
        lock (_lock)
        {
            if (entry.Jaxpr.CapturedValues.Count == 0) Volatile.Write(ref _entries, [.. _entries, entry]);
            _pending.Remove(pending);
        }
        pending.Done.SetResult(entry);
        return entry;
    }

    private Entry Trace(Tensor[] args, object? staticArg)
    {
        var signature = args.Select(a => a.Aval).ToArray();
        var jaxpr = Tracing.Trace(a => _function(a, staticArg), signature);
        return new Entry(signature, staticArg, jaxpr, new Lazy<CpuProgram>(() => ProgramCache.Get(jaxpr)));
    }
}
