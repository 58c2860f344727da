using JaxSharp.Cpu;
using JaxSharp.IR;

namespace JaxSharp;

/// <summary>
/// A function compiled by <c>jit</c>: traced once per signature (input shapes, dtypes, weak
/// flags, the static argument compared by value, and the <see cref="TraceSettings"/> in force),
/// its program simplified, fused and compiled, and cached. A later call with a known signature
/// finds its program without tracing or allocating. Called inside another trace, it inlines its
/// program there, so <c>grad (jit f)</c> and <c>jit (grad f)</c> compose.
/// </summary>
/// <param name="function">
/// The function of the inputs and the static argument; it returns the output tensors and what
/// else the caller needs to make sense of them (e.g. the structure of an output tree), which is
/// kept per signature.
/// </param>
internal sealed class JitFunction(Func<Tensor[], object?, (Tensor[] Outputs, object? OutputInfo)> function)
{
    private sealed record Entry(AbstractValue[] Signature, object? StaticKey, TraceSettings Settings, Jaxpr Jaxpr, object? OutputInfo, Lazy<CpuProgram> Program);

    private readonly Lock _lock = new();
    private Entry[] _entries = [];

    /// <summary>A function with a static argument.</summary>
    public JitFunction(Func<Tensor[], object?, Tensor[]> function) : this((args, s) => (function(args, s), null)) { }

    /// <summary>A function without static arguments.</summary>
    public JitFunction(Func<Tensor[], Tensor[]> function) : this((args, _) => (function(args), null)) { }

    /// <summary>Runs the compiled program for <paramref name="args"/> and <paramref name="staticArg"/>, tracing first if the signature is new.</summary>
    public Tensor[] Call(Tensor[] args, object? staticArg = null) => CallWithInfo(args, staticArg).Outputs;

    /// <summary>As <see cref="Call"/>, with the output information the trace of this signature returned.</summary>
    public (Tensor[] Outputs, object? OutputInfo) CallWithInfo(Tensor[] args, object? staticArg)
    {
        var staticKey = StaticKey.Of(staticArg, "jit", "the static argument");
        var settings = TraceSettings.Current;
        var entry = Find(Volatile.Read(ref _entries), args, staticKey, settings) ?? Compile(args, staticArg, staticKey, settings);
        var outputs = ProgramBuilder.Current is null
            ? entry.Program.Value.Run(args)
            : entry.Jaxpr.Evaluate(args);
        return (outputs, entry.OutputInfo);
    }

    private static Entry? Find(Entry[] entries, Tensor[] args, object? staticKey, TraceSettings settings)
    {
        foreach (var entry in entries)
        {
            if (entry.Signature.Length != args.Length || entry.Settings != settings || !Equals(entry.StaticKey, staticKey)) continue;
            var same = true;
            for (var i = 0; i < args.Length && same; i++) same = entry.Signature[i] == args[i].Aval;
            if (same) return entry;
        }
        return null;
    }

    private Entry Compile(Tensor[] args, object? staticArg, object? staticKey, TraceSettings settings)
    {
        var signature = args.Select(a => a.Aval).ToArray();
        object? outputInfo = null;
        var jaxpr = Tracing.Trace(a =>
        {
            var (outputs, info) = function(a, staticArg);
            outputInfo = info;
            return outputs;
        }, signature);
        var entry = new Entry(signature, staticKey, settings, jaxpr, outputInfo, new Lazy<CpuProgram>(() => ProgramCache.Get(jaxpr)));
        // A program that closed over values of an enclosing trace is valid only in that trace.
        if (jaxpr.CapturedValues.Count > 0) return entry;
        lock (_lock)
        {
            if (Find(_entries, args, staticKey, settings) is { } known) return known;
            Volatile.Write(ref _entries, [.. _entries, entry]);
        }
        return entry;
    }
}
