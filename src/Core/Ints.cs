using System.Collections;

namespace JaxSharp;

/// <summary>
/// An immutable list of integers compared by value: the axes, permutations, indices and
/// strides that primitives take as parameters. Prints as a Python tuple.
/// </summary>
public sealed class Ints : IReadOnlyList<int>, IEquatable<Ints>
{
    private readonly int[] _values;

    /// <summary>The empty list.</summary>
    public static readonly Ints Empty = new();

    /// <summary>Creates a list from its values.</summary>
    public Ints(params int[] values) => _values = (int[])Arg.NotNull(values, "Ints", nameof(values)).Clone();

    /// <summary>Creates a list from a sequence.</summary>
    public Ints(IEnumerable<int> values) => _values = Arg.NotNull(values, "Ints", nameof(values)).ToArray();

    /// <inheritdoc/>
    public int this[int index] => _values[index];
    /// <inheritdoc/>
    public int Count => _values.Length;
    /// <summary>The values as a fresh array.</summary>
    public int[] ToArray() => (int[])_values.Clone();
    /// <summary>Whether the list holds <paramref name="value"/>.</summary>
    public bool Contains(int value) => IndexOf(value) >= 0;
    /// <summary>The position of <paramref name="value"/> in the list, or -1.</summary>
    public int IndexOf(int value) => IndexOf(_values, value);

    /// <summary>
    /// The position of <paramref name="value"/> in <paramref name="values"/>, or -1: a loop, not
    /// <c>Array.IndexOf</c> or the span and LINQ <c>Contains</c> over int, whose instantiations
    /// every process would JIT-compile.
    /// </summary>
    internal static int IndexOf(int[] values, int value)
    {
        for (var i = 0; i < values.Length; i++)
            if (values[i] == value) return i;
        return -1;
    }

    /// <summary>Whether a value occurs more than once in the list.</summary>
    internal bool Repeats() => Repeats(_values);

    /// <summary>
    /// Whether a value occurs more than once in <paramref name="values"/> (axes and permutations:
    /// a few values, compared pairwise), as <c>Distinct().Count() != Length</c> but without LINQ's
    /// instantiations over int, which every process would JIT-compile.
    /// </summary>
    internal static bool Repeats(int[] values)
    {
        for (var i = 1; i < values.Length; i++)
            for (var j = 0; j < i; j++)
                if (values[i] == values[j]) return true;
        return false;
    }

    /// <summary>
    /// Sorts <paramref name="values"/> ascending in place (an insertion sort: axes, a few values),
    /// as LINQ's <c>Order</c> but without its instantiations over int, which every process would JIT-compile.
    /// </summary>
    internal static void Sort(int[] values)
    {
        for (var i = 1; i < values.Length; i++)
        {
            var (value, j) = (values[i], i - 1);
            for (; j >= 0 && values[j] > value; j--) values[j + 1] = values[j];
            values[j + 1] = value;
        }
    }

    /// <summary><paramref name="count"/> consecutive values from <paramref name="start"/>, as <c>Enumerable.Range</c> but without its instantiation over int.</summary>
    internal static int[] Range(int start, int count)
    {
        var values = new int[count];
        for (var i = 0; i < count; i++) values[i] = start + i;
        return values;
    }

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_values).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _values.GetEnumerator();
    /// <inheritdoc/>
    public bool Equals(Ints? other) => other is not null && _values.AsSpan().SequenceEqual(other._values);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Ints s && Equals(s);
    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _values) h.Add(d);
        return h.ToHashCode();
    }

    /// <summary>Converts an array to an <see cref="Ints"/>.</summary>
    public static implicit operator Ints(int[] values) => new(values);

    /// <summary>Python tuple form: <c>(0, 1)</c>.</summary>
    public override string ToString() => Format(_values);

    /// <summary>
    /// The values separated by <paramref name="separator"/> (<c>2,3</c>), as <c>string.Join</c> but
    /// without its generic instantiation over int, which every process would JIT-compile: keys and
    /// listings built on the way to the first result use this. A span, not a list interface, which
    /// an array would go through framework code that is JIT-compiled too.
    /// </summary>
    internal static string Joined(ReadOnlySpan<int> values, string separator = ",")
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0) sb.Append(separator);
            sb.Append(values[i]);
        }
        return sb.ToString();
    }

    internal static string Format<T>(IReadOnlyList<T> values) => values.Count switch
    {
        0 => "()",
        1 => $"({values[0]},)",
        _ => "(" + string.Join(", ", values) + ")",
    };

    /// <summary>Python tuple form of <paramref name="values"/>, as <see cref="Format{T}"/> but through <see cref="Joined"/> (shapes and parameters print on the way to the first result).</summary>
    internal static string Format(int[] values) => values.Length == 1 ? $"({values[0]},)" : "(" + Joined(values, ", ") + ")";
}
