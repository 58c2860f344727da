using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Text;
using JaxSharp.IR;
using JaxSharp.Transforms;

namespace JaxSharp.Cpu;

/// <summary>
/// Compiled programs shared by structure: two jitted functions (or two <c>jit</c> wrappers of
/// one function) that trace to the same simplified program, with the same input types and
/// constants, share one compiled program. Programs holding a constant of more than
/// <see cref="KeyedConstantSize"/> elements are compiled for their caller alone, so that the
/// cache never keeps large arrays alive.
/// </summary>
internal static class ProgramCache
{
    /// <summary>The largest constant whose values are part of a program's key.</summary>
    public const int KeyedConstantSize = 64;

    private static readonly ConcurrentDictionary<string, Lazy<CpuProgram>> s_programs = new();

    /// <summary>The compiled program of <paramref name="jaxpr"/>, simplified first.</summary>
    public static CpuProgram Get(Jaxpr jaxpr)
    {
        var simplified = Simplifier.Simplify(jaxpr);
        return Key(simplified) is { } key
            ? s_programs.GetOrAdd(key, _ => new Lazy<CpuProgram>(() => new CpuProgram(simplified))).Value
            : new CpuProgram(simplified);
    }

    /// <summary>The program's listing with its weak flags and constants' values, or null when a constant is large.</summary>
    private static string? Key(Jaxpr jaxpr)
    {
        var sb = new StringBuilder(jaxpr.ToString()).Append('|');
        foreach (var a in jaxpr.InputAvals) sb.Append(a.Weak ? 'w' : 's');
        var constants = jaxpr.Equations.SelectMany(e => e.Application.Arguments).Concat(jaxpr.Outputs)
            .OfType<ConstantExpression>().Select(c => (Tensor)c.Value!).Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>();
        foreach (var t in constants)
        {
            if (t.Size > KeyedConstantSize) return null;
            sb.Append('|').Append(Simplifier.ConstantKey(t));
        }
        return sb.ToString();
    }
}
