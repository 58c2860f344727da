using System.Collections.Concurrent;
using JaxSharp.IR;
using JaxSharp.Transforms;

namespace JaxSharp.Cpu;

/// <summary>
/// Compiled programs shared by structure: two jitted functions (or two <c>jit</c> wrappers of
/// one function) that trace to the same simplified program, with the same input types and
/// constants (nested programs' included), share one compiled program (see <see cref="ProgramKey"/>).
/// Programs holding a constant of more than <see cref="KeyedConstantSize"/> elements are
/// compiled for their caller alone, so that the cache never keeps large arrays alive.
/// </summary>
internal static class ProgramCache
{
    /// <summary>The largest constant whose values are part of a program's key.</summary>
    public const int KeyedConstantSize = 64;

    private static readonly ConcurrentDictionary<ProgramKey, Lazy<CpuProgram>> s_programs = new();

    /// <summary>The compiled program of <paramref name="jaxpr"/>, simplified first.</summary>
    public static CpuProgram Get(Jaxpr jaxpr)
    {
        var simplified = Simplifier.Simplify(jaxpr);
        return ProgramKey.Of(simplified, KeyedConstantSize) is { } key
            ? s_programs.GetOrAdd(key, _ => new Lazy<CpuProgram>(() => new CpuProgram(simplified))).Value
            : new CpuProgram(simplified);
    }
}
