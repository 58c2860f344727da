using System.Diagnostics.CodeAnalysis;

namespace JaxSharp;

/// <summary>
/// The null checks of public entry points: a null argument is an <see cref="ArgumentNullException"/>
/// whose parameter name is the argument's and whose message names the function, e.g.
/// <c>Np.Sin: argument x is null</c>. Each public class forwards to these through a private
/// <c>NotNull</c> that adds its own name, so call sites read <c>NotNull(x)</c>.
/// </summary>
internal static class Arg
{
    /// <summary><paramref name="value"/>, which must not be null.</summary>
    public static T NotNull<T>([NotNull] T? value, string function, string parameter) where T : class =>
        value ?? throw new ArgumentNullException(parameter, $"{function}: argument {parameter} is null");

    /// <summary><paramref name="items"/>, which must not be null nor hold a null.</summary>
    public static T[] NoNulls<T>([NotNull] T[]? items, string function, string parameter) where T : class
    {
        NoNullItems(NotNull(items, function, parameter), function, parameter);
        return items;
    }

    /// <summary><paramref name="items"/>, which must not be null nor hold a null.</summary>
    public static IReadOnlyList<T> NoNulls<T>([NotNull] IReadOnlyList<T>? items, string function, string parameter) where T : class
    {
        NoNullItems(NotNull(items, function, parameter), function, parameter);
        return items;
    }

    private static void NoNullItems<T>(IReadOnlyList<T> items, string function, string parameter) where T : class
    {
        for (var i = 0; i < items.Count; i++)
            if (items[i] is null)
                throw new ArgumentNullException(parameter, $"{function}: {parameter}[{i}] is null; every element must be a {typeof(T).Name}");
    }
}
