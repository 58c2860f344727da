using System.Collections.Concurrent;
using JaxSharp.Cpu;
using JaxSharp.IR;
using JaxSharp.Transforms;

namespace JaxSharp;

/// <summary>
/// A function compiled by <c>jit</c>: traced once per input signature (shapes, dtypes, weak
/// flags), its program compiled and cached. Called inside another trace, it inlines its
/// program there, so <c>grad (jit f)</c> and <c>jit (grad f)</c> compose.
/// </summary>
internal sealed class JitFunction(Func<Tensor[], Tensor[]> function)
{
    private sealed record Compiled(Jaxpr Jaxpr, Lazy<CpuProgram> Program);

    private readonly ConcurrentDictionary<string, Compiled> _cache = new();

    public Tensor[] Call(Tensor[] args)
    {
        var key = string.Join(";", args.Select(a => a.Aval.Weak ? a.Aval + "~" : a.Aval.ToString()));
        var compiled = _cache.TryGetValue(key, out var c) ? c : Compile(key, args);
        return ProgramBuilder.Current is null
            ? compiled.Program.Value.Run(args)
            : compiled.Jaxpr.Evaluate(args);
    }

    private Compiled Compile(string key, Tensor[] args)
    {
        var jaxpr = Tracing.Trace(function, args.Select(a => a.Aval).ToArray());
        var compiled = new Compiled(jaxpr, new Lazy<CpuProgram>(() => new CpuProgram(Simplifier.Simplify(jaxpr))));
        // A program that closed over values of an enclosing trace is valid only in that trace.
        if (jaxpr.CapturedValues.Count == 0) _cache[key] = compiled;
        return compiled;
    }
}
