using System.Runtime.CompilerServices;

namespace JaxSharp.Cpu;

/// <summary>
/// Names for compiled scalar functions that loops invoke rather than inline (the one-lane forms
/// of SIMD math functions), so that <c>Jax.Lower</c> can print <c>exp_lane(a)</c> instead of a
/// delegate type.
/// </summary>
public static class ScalarFunctions
{
    private static readonly ConditionalWeakTable<Delegate, string> s_names = new();

    /// <summary>Records <paramref name="name"/> for <paramref name="function"/> and returns the function.</summary>
    public static TDelegate Named<TDelegate>(TDelegate function, string name) where TDelegate : Delegate
    {
        s_names.AddOrUpdate(function, name);
        return function;
    }

    /// <summary>The name recorded for <paramref name="function"/>, or "function".</summary>
    public static string NameOf(Delegate function) => s_names.TryGetValue(function, out var name) ? name : "function";
}
