using JaxSharp.Cpu;
using JaxSharp.IR;

namespace JaxSharp;

/// <summary>
/// A function compiled by <c>jit</c>: traced once per signature (input shapes, dtypes, weak
/// flags and the static argument), its program simplified, fused and compiled, and cached.
/// A later call with a known signature finds its program without tracing or allocating.
/// Called on values of a transformation (or inside another trace, or closing over values of
/// one), it inlines its program there, so <c>grad (jit f)</c> and <c>jit (grad f)</c> compose.
/// </summary>
internal sealed class JitFunction(Func<Tensor[], object?, Tensor[]> function)
{
    private sealed record Entry(AbstractValue[] Signature, object? Static, Jaxpr Jaxpr, Lazy<CpuProgram> Program);

    private readonly Lock _lock = new();
    private Entry[] _entries = [];

    /// <summary>A function without static arguments.</summary>
    public JitFunction(Func<Tensor[], Tensor[]> function) : this((args, _) => function(args)) { }

    public Tensor[] Call(Tensor[] args, object? staticArg = null)
    {
        var entry = Find(Volatile.Read(ref _entries), args, staticArg) ?? Compile(args, staticArg);
        return entry.Jaxpr.CapturedValues.Count == 0 && Trace.Find(args) is null
            ? entry.Program.Value.Run(args)
            : entry.Jaxpr.Evaluate(args);
    }

    private static Entry? Find(Entry[] entries, Tensor[] args, object? staticArg)
    {
        foreach (var entry in entries)
        {
            if (entry.Signature.Length != args.Length || !Equals(entry.Static, staticArg)) continue;
            var same = true;
            for (var i = 0; i < args.Length && same; i++) same = entry.Signature[i] == args[i].Aval;
            if (same) return entry;
        }
        return null;
    }

    private Entry Compile(Tensor[] args, object? staticArg)
    {
        var signature = args.Select(a => a.Aval).ToArray();
        var jaxpr = Tracing.Trace(a => function(a, staticArg), signature);
        var entry = new Entry(signature, staticArg, jaxpr, new Lazy<CpuProgram>(() => ProgramCache.Get(jaxpr)));
        // A program that closed over values of an enclosing trace is valid only in that trace.
        if (jaxpr.CapturedValues.Count > 0) return entry;
        lock (_lock)
        {
            if (Find(_entries, args, staticArg) is { } known) return known;
            Volatile.Write(ref _entries, [.. _entries, entry]);
        }
        return entry;
    }
}
