using System.Reflection;

namespace JaxSharp.Primitives;

/// <summary>Every primitive of the library, found by reflection so that adding one is one file.</summary>
public static class PrimitiveRegistry
{
    private static readonly Lazy<IReadOnlyList<Primitive>> s_all = new(() =>
        typeof(Primitive).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Primitive)) && !t.IsAbstract)
            .Select(t => (Primitive)(t.GetField("Instance", BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
                ?? throw new InvalidOperationException($"primitive {t.Name} has no public static Instance field")))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToArray());

    /// <summary>All primitives, ordered by name.</summary>
    public static IReadOnlyList<Primitive> All => s_all.Value;

    /// <summary>The primitive called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No primitive has that name.</exception>
    public static Primitive Get(string name) =>
        All.FirstOrDefault(p => p.Name == name) ?? throw new KeyNotFoundException($"no primitive is named '{name}'");
}
