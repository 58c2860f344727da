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
    public IEnumerable<KeyValuePair<string, string>> Entries() => Entries(program => program.ToString());

    /// <summary>The entries, with nested programs printed by <paramref name="program"/> (so a listing can name their variables after its own, as JAX does).</summary>
    internal IEnumerable<KeyValuePair<string, string>> Entries(Func<IR.Jaxpr, string> program) =>
        GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != nameof(EqualityContract))
            .Select(p => new KeyValuePair<string, string>(SnakeCase(p.Name), FormatValue(p.GetValue(this), program)));

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
