using JaxSharp.IR;
using JaxSharp.Transforms;

namespace JaxSharp.Cpu;

/// <summary>
/// Compiled programs shared by structure: two jitted functions (or two <c>jit</c> wrappers of
/// one function) that trace to the same simplified program, with the same input types and
/// constants (nested programs' included), share one compiled program (see <see cref="ProgramKey"/>). The cache holds its programs weakly: the jitted
/// functions that use a program keep it alive, and once none is left the program can be
/// collected. At most <see cref="CacheLimits.Programs"/> entries are kept, the least recently
/// used dropped first. Programs holding a constant of more than <see cref="KeyedConstantSize"/>
/// elements are compiled for their caller alone, so that the cache never keeps large arrays alive.
/// </summary>
internal static class ProgramCache
{
    /// <summary>The largest constant whose values are part of a program's key.</summary>
    public const int KeyedConstantSize = 64;

    private static readonly BoundedCache<ProgramKey, WeakReference<CpuProgram>> s_programs = new(CacheLimits.DefaultPrograms);

    /// <summary>The most entries kept (see <see cref="CacheLimits.Programs"/>).</summary>
    public static int Capacity
    {
        get => s_programs.Capacity;
        set => s_programs.Capacity = value;
    }

    /// <summary>The number of cached programs still alive.</summary>
    public static int Count => s_programs.Values().Count(p => p.TryGetTarget(out _));

    /// <summary>Forgets every program; the jitted functions that hold one keep it.</summary>
    public static void Clear() => s_programs.Clear();

    /// <summary>The compiled program of <paramref name="jaxpr"/>, simplified first.</summary>
    public static CpuProgram Get(Jaxpr jaxpr)
    {
        var simplified = Simplifier.Simplify(jaxpr);
        if (ProgramKey.Of(simplified, KeyedConstantSize) is not { } key) return new CpuProgram(simplified);
        while (true)
        {
            CpuProgram? compiled = null;
            var shared = s_programs.GetOrAdd(key, _ => new WeakReference<CpuProgram>(compiled = new CpuProgram(simplified)));
            if (compiled is not null) return compiled;
            if (shared.TryGetTarget(out var program)) return program;
            // Collected since it was cached: forget it and compile again.
            s_programs.Remove(key, shared);
        }
    }
}
