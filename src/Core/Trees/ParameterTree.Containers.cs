using System.Collections.Concurrent;
using System.Reflection;

namespace JaxSharp;

public sealed partial class ParameterTree
{
    /// <summary>
    /// How a type of the tree is taken apart and built again: found by reflection once per type,
    /// since a tree is flattened on every call of a function jitted over it.
    /// </summary>
    private abstract record TypePlan;

    /// <summary>A record: the properties its constructor takes, in the constructor's order, and the constructor.</summary>
    private sealed record RecordPlan(PropertyInfo[] Properties, string[] Names, Func<object[], object> Make) : TypePlan;

    /// <summary>A type that is not a container: the names of any tensor properties it holds (which make it an error to keep it as a static value).</summary>
    private sealed record OpaquePlan(string[] TensorProperties) : TypePlan;

    /// <summary>An F# list type: its empty list and its cons.</summary>
    private sealed record FSharpListPlan(Func<object[], object> Make) : TypePlan;

    private static readonly ConcurrentDictionary<Type, TypePlan> s_plans = new();
    private static readonly ConcurrentDictionary<Type, Func<object[], object>> s_tupleMakers = new();

    /// <summary>The names of a tuple's items as paths: <c>.Item1</c> to <c>.Item7</c>.</summary>
    private static readonly string[] s_itemNames = [".Item1", ".Item2", ".Item3", ".Item4", ".Item5", ".Item6", ".Item7"];

    /// <summary>The item names of a tuple of each length, 0 to 7 (shared by the structures, which never change them).</summary>
    private static readonly string[][] s_itemNameLists = ItemNameLists();

    private static string[][] ItemNameLists()
    {
        var lists = new string[s_itemNames.Length + 1][];
        for (var n = 0; n < lists.Length; n++) lists[n] = s_itemNames[..n];
        return lists;
    }

    /// <summary>Builds a tuple of <paramref name="type"/> from its items, through its constructor found once.</summary>
    private static Func<object[], object> TupleMaker(Type type) =>
        s_tupleMakers.GetOrAdd(type, static t =>
        {
            // A generic tuple has one constructor taking its items; the empty ValueTuple has none to find.
            if (t.GetConstructor(t.GetGenericArguments()) is not { } ctor) return items => Activator.CreateInstance(t, items)!;
            var invoker = ConstructorInvoker.Create(ctor);
            return items => invoker.Invoke(new Span<object?>(items));
        });

    /// <summary>The plan of a value's type that is neither a tensor, a tuple nor a rank-1 array.</summary>
    private static TypePlan PlanOf(Type type) => s_plans.GetOrAdd(type, static t => IsFSharpList(t) ? FSharpListPlanOf(t) : (TypePlan?)RecordPlanOf(t) ?? OpaquePlanOf(t));

    private static FSharpListPlan FSharpListPlanOf(Type type)
    {
        var empty = type.GetProperty("Empty", BindingFlags.Public | BindingFlags.Static)!;
        var cons = type.GetMethod("Cons", BindingFlags.Public | BindingFlags.Static)!;
        return new FSharpListPlan(items =>
        {
            var result = empty.GetValue(null)!;
            for (var i = items.Length - 1; i >= 0; i--) result = cons.Invoke(null, [items[i], result])!;
            return result;
        });
    }

    /// <summary>A record: a constructor with one parameter per property, matched by name (any case); null when the type has none.</summary>
    private static RecordPlan? RecordPlanOf(Type type)
    {
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || typeof(Delegate).IsAssignableFrom(type)) return null;
        var properties = type.GetProperties(Members)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").ToArray();
        foreach (var ctor in type.GetConstructors(Members))
        {
            var parameters = ctor.GetParameters();
            // Every property must come back through the constructor, or rebuilding would lose it.
            if (parameters.Length == 0 || parameters.Length != properties.Length) continue;
            var matched = parameters.Select(p => properties.FirstOrDefault(q =>
                string.Equals(q.Name, p.Name, StringComparison.OrdinalIgnoreCase) && q.PropertyType == p.ParameterType)).ToArray();
            if (matched.Any(m => m is null)) continue;
            var invoker = ConstructorInvoker.Create(ctor);
            return new RecordPlan(matched!, matched.Select(p => "." + p!.Name).ToArray(), items => invoker.Invoke(new Span<object?>(items)));
        }
        return null;
    }

    private static OpaquePlan OpaquePlanOf(Type type) =>
        new(type.GetProperties(Members).Where(p => p.PropertyType == typeof(Tensor)).Select(p => p.Name).ToArray());
}
