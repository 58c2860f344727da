using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace JaxSharp;

/// <summary>
/// Static values (non-tensor arguments of jitted functions, non-tensor leaves of parameter
/// trees) as cache keys, compared with <c>Equals</c> and <c>GetHashCode</c> as JAX hashes
/// static arguments. Arrays compare by content, through a copy, so mutating an array after the
/// call cannot change which program it finds. A value whose type compares by reference only
/// (a mutable collection, a class without value equality, a closure) cannot say whether a later
/// value is the same, and is refused.
/// </summary>
internal static class StaticKey
{
    private static readonly ConcurrentDictionary<Type, bool> s_comparesByValue = new();

    /// <summary>The key of <paramref name="value"/>: itself, or for arrays a copy compared by content.</summary>
    /// <param name="value">The static value.</param>
    /// <param name="op">The operation, for the error (<c>jit</c>).</param>
    /// <param name="path">Where the value sits, for the error (<c>the static argument</c>, <c>tree.Item2</c>).</param>
    /// <exception cref="ArgumentException">The value (or an element of it) compares by reference only.</exception>
    public static object? Of(object? value, string op, string path) => Of(value, op, path, -1);

    /// <summary>As <see cref="Of(object?, string, string)"/> for the element at <paramref name="index"/> of the container at <paramref name="path"/> (-1: the value at <paramref name="path"/> itself), whose own path is spelled out only for an error or a nested container.</summary>
    private static object? Of(object? value, string op, string path, int index)
    {
        switch (value)
        {
            case null:
                return null;
            case Array array:
                {
                    var lengths = new int[array.Rank];
                    for (var d = 0; d < lengths.Length; d++) lengths[d] = array.GetLength(d);
                    return Sequence(array.GetType(), lengths, array, op, At(path, index));
                }
            case ITuple tuple:
                {
                    var parts = new object?[tuple.Length];
                    for (var i = 0; i < parts.Length; i++) parts[i] = tuple[i];
                    return Sequence(value.GetType(), [tuple.Length], parts, op, At(path, index));
                }
        }
        var type = value.GetType();
        if (!s_comparesByValue.GetOrAdd(type, ComparesByValue))
            throw new ArgumentException(
                $"{op}: {At(path, index)} is a {Describe(type)}, which compares by reference only, so {op} cannot tell whether a later value is the same " +
                "and might reuse a program traced for another value. Pass an immutable value with value equality instead " +
                "(a number, string, F# list, record, tuple or union, a C# record, an array of such values), or pass the data as a tensor.");
        // A collection with value equality (an F# list, set or map) holds elements that must compare by value too.
        return value is IEnumerable items and not string
            ? Sequence(type, [], items, op, At(path, index))
            : value;
    }

    /// <summary>The path of the element at <paramref name="index"/> of the container at <paramref name="path"/>, or <paramref name="path"/> itself for -1.</summary>
    private static string At(string path, int index) => index < 0 ? path : $"{path}[{index}]";

    /// <summary>The key of a container: its type, lengths and its elements' keys.</summary>
    private static SequenceKey Sequence(Type type, int[] lengths, IEnumerable elements, string op, string path)
    {
        var keys = new List<object?>();
        foreach (var element in elements) keys.Add(Of(element, op, path, keys.Count));
        return new SequenceKey(type, lengths, keys.ToArray());
    }

    /// <summary>The key of a container of type <paramref name="type"/> whose parts have the keys <paramref name="keys"/>.</summary>
    public static object Composite(Type type, object?[] keys) => new SequenceKey(type, [keys.Length], keys);

    private static string Describe(Type type) =>
        typeof(Delegate).IsAssignableFrom(type) || IsFSharpFunction(type) ? $"function ({type.Name})" : type.FullName ?? type.Name;

    /// <summary>Value types and types that override <c>Equals</c>; never functions (their equality is their identity).</summary>
    private static bool ComparesByValue(Type type)
    {
        if (typeof(Delegate).IsAssignableFrom(type) || IsFSharpFunction(type)) return false;
        if (type.IsValueType) return true;
        var equals = type.GetMethod(nameof(Equals), BindingFlags.Public | BindingFlags.Instance, [typeof(object)]);
        return equals is not null && equals.DeclaringType != typeof(object);
    }

    private static bool IsFSharpFunction(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericTypeDefinition().FullName == "Microsoft.FSharp.Core.FSharpFunc`2") return true;
        return false;
    }

    /// <summary>
    /// A container's type, lengths and elements' keys, taken when the key is made: equal when the
    /// contents are equal, and unchanged when the container is mutated later.
    /// </summary>
    private sealed class SequenceKey : IEquatable<SequenceKey>
    {
        private readonly Type _type;
        private readonly int[] _lengths;
        private readonly object?[] _elements;
        private readonly int _hash;

        public SequenceKey(Type type, int[] lengths, object?[] keys)
        {
            _type = type;
            _lengths = lengths;
            _elements = keys;
            var hash = new HashCode();
            hash.Add(type);
            foreach (var n in lengths) hash.Add(n);
            foreach (var e in _elements) hash.Add(e);
            _hash = hash.ToHashCode();
        }

        public bool Equals(SequenceKey? other)
        {
            if (other is null || _hash != other._hash || _type != other._type || _elements.Length != other._elements.Length
                || !_lengths.AsSpan().SequenceEqual(other._lengths)) return false;
            for (var i = 0; i < _elements.Length; i++)
                if (!Equals(_elements[i], other._elements[i])) return false;
            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as SequenceKey);

        public override int GetHashCode() => _hash;
    }
}
