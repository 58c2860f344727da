using System.Collections.Concurrent;
using System.Reflection;
using JaxSharp.Primitives;
using JaxSharp.Primitives.Autodiff;

namespace JaxSharp.IR;

/// <summary>
/// The one walker over what primitive parameters hold besides plain values (JAX's
/// <c>jaxprs_in_params</c>): the closed sub-programs (checkpointed functions, custom rules'
/// primal functions, branches and loop bodies of control flow, alone or in lists) and the user functions (custom JVP and VJP rules). Whatever must see every
/// part of a program (the jit cache key first of all) asks here, so no sub-program is opaque.
/// </summary>
internal static class SubPrograms
{
    private sealed record Members(PropertyInfo[] Programs, PropertyInfo[] Functions);

    private static readonly ConcurrentDictionary<Type, Members> s_members = new();

    /// <summary>The programs held by <paramref name="parameters"/>, in declaration order.</summary>
    public static IEnumerable<Jaxpr> Of(PrimitiveParams parameters) =>
        MembersOf(parameters.GetType()).Programs.SelectMany(p => p.GetValue(parameters) switch
        {
            ClosedProgram closed => [closed.Jaxpr],
            Jaxpr jaxpr => [jaxpr],
            IEnumerable<Jaxpr> jaxprs => jaxprs,
            _ => [],
        });

    /// <summary>
    /// <paramref name="parameters"/> with each program held as a <see cref="Jaxpr"/> or an array of them
    /// rewritten by <paramref name="rewrite"/> (which must keep its inputs' and outputs' types); the same
    /// record when nothing changed. Programs of a <see cref="ClosedProgram"/> are kept: those compare by identity.
    /// </summary>
    public static PrimitiveParams Rewrite(PrimitiveParams parameters, Func<Jaxpr, Jaxpr> rewrite)
    {
        PrimitiveParams? copy = null;
        foreach (var property in MembersOf(parameters.GetType()).Programs)
        {
            object? updated = property.GetValue(parameters) switch
            {
                Jaxpr jaxpr when rewrite(jaxpr) is var r && !ReferenceEquals(r, jaxpr) => r,
                Jaxpr[] jaxprs when jaxprs.Select(rewrite).ToArray() is var rs && !rs.SequenceEqual(jaxprs, ReferenceEqualityComparer.Instance) => rs,
                _ => null,
            };
            if (updated is null) continue;
            copy ??= (PrimitiveParams)parameters.GetType().GetMethod("<Clone>$")!.Invoke(parameters, null)!;
            property.SetValue(copy, updated);
        }
        return copy ?? parameters;
    }

    /// <summary>The user functions (delegates) held by <paramref name="parameters"/>: opaque code, known only by identity.</summary>
    public static IEnumerable<Delegate> FunctionsOf(PrimitiveParams parameters) =>
        MembersOf(parameters.GetType()).Functions.Select(p => p.GetValue(parameters)).OfType<Delegate>();

    /// <summary>
    /// <paramref name="jaxpr"/> and every program nested in it, at any depth, outer first; each
    /// nested program is visited once however many equations share it. Iterative, so a deep
    /// nesting cannot overflow the stack.
    /// </summary>
    public static IEnumerable<Jaxpr> SelfAndNested(Jaxpr jaxpr)
    {
        var seen = new HashSet<Jaxpr>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Jaxpr>();
        pending.Push(jaxpr);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (!seen.Add(next)) continue;
            yield return next;
            foreach (var nested in next.Equations.SelectMany(e => Of(e.Application.Params)).Reverse()) pending.Push(nested);
        }
    }

    private static Members MembersOf(Type type) => s_members.GetOrAdd(type, t =>
    {
        var properties = t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToArray();
        return new Members(
            properties.Where(p => p.PropertyType == typeof(ClosedProgram) || p.PropertyType == typeof(Jaxpr) || typeof(IEnumerable<Jaxpr>).IsAssignableFrom(p.PropertyType)).ToArray(),
            properties.Where(p => typeof(Delegate).IsAssignableFrom(p.PropertyType)).ToArray());
    });
}
