using System.Reflection;
using System.Text;

namespace JaxSharp.Primitives;

/// <summary>
/// The static parameters of one primitive application (axes, shapes, dtypes...). Each
/// primitive that takes parameters declares a record deriving from this; records compare
/// by value, which keys the caches of compiled kernels. Use <see cref="Ints"/> and
/// <see cref="Shape"/> for lists so that equality is by value.
/// </summary>
public abstract record PrimitiveParams
{
    /// <summary>No parameters.</summary>
    public static readonly PrimitiveParams None = new NoParams();

    /// <summary>The parameters as (snake_case name, printed value) pairs, for program listings.</summary>
    public IEnumerable<KeyValuePair<string, string>> Entries() =>
        Properties().Select(p => new KeyValuePair<string, string>(SnakeCase(p.Name), FormatValue(p.GetValue(this), program => program.ToString())));

    /// <summary>
    /// The entries as <c>name=value</c>, with nested programs printed by <paramref name="program"/>
    /// (so a listing can name their variables after its own, as JAX does). Strings built in a
    /// loop, not pairs through LINQ: its instantiations over <see cref="KeyValuePair{TKey, TValue}"/>
    /// are JIT-compiled in every process, and every listing (a program's cache key) prints these.
    /// </summary>
    internal List<string> Assignments(Func<IR.Jaxpr, string> program)
    {
        var assignments = new List<string>();
        foreach (var p in Properties()) assignments.Add($"{SnakeCase(p.Name)}={FormatValue(p.GetValue(this), program)}");
        return assignments;
    }

    private List<PropertyInfo> Properties()
    {
        var properties = new List<PropertyInfo>();
        foreach (var p in GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (p.Name != nameof(EqualityContract)) properties.Add(p);
        return properties;
    }

    private static string SnakeCase(string name)
    {
        name = name.Replace("DType", "Dtype", StringComparison.Ordinal); // one word, as jaxprs print new_dtype
        var sb = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    private static string FormatValue(object? value, Func<IR.Jaxpr, string> program) => value switch
    {
        null => "None",
        DType d => d.Name(),
        Delegate => "<function>",
        IR.Jaxpr jaxpr => program(jaxpr),
        Autodiff.ClosedProgram closed => program(closed.Jaxpr),
        Array list => FormatList(list.Cast<object?>().Select(v => FormatValue(v, program)).ToArray()),
        bool b => b ? "True" : "False",
        _ => IR.JaxprPrinter.FormatScalar(value),
    };

    /// <summary>A tuple on one line, or, when an item spans lines (a program), one item a line, indented (as JAX prints <c>branches=(...)</c>).</summary>
    private static string FormatList(string[] items) =>
        items.Any(i => i.Contains('\n'))
            ? "(\n" + string.Join("\n", items.Select(i => "  " + i.Replace("\n", "\n  "))) + "\n)"
            : "(" + string.Join(", ", items) + ")";

    private sealed record NoParams : PrimitiveParams;
}
