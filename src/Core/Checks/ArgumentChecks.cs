using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

// The null checks of each public class, named after the class and the calling member
// (Np.Sin, Lax.Reshape...): see Arg.

namespace JaxSharp;

public static partial class Np
{
    private static T NotNull<T>([NotNull] T? value, [CallerArgumentExpression(nameof(value))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NotNull(value, "Np." + member, parameter);

    private static T[] NoNulls<T>([NotNull] T[]? items, [CallerArgumentExpression(nameof(items))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NoNulls(items, "Np." + member, parameter);

    private static IReadOnlyList<T> NoNulls<T>([NotNull] IReadOnlyList<T>? items, [CallerArgumentExpression(nameof(items))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NoNulls(items, "Np." + member, parameter);
}

public static partial class Lax
{
    private static T NotNull<T>([NotNull] T? value, [CallerArgumentExpression(nameof(value))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NotNull(value, "Lax." + member, parameter);

    private static T[] NoNulls<T>([NotNull] T[]? items, [CallerArgumentExpression(nameof(items))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NoNulls(items, "Lax." + member, parameter);

    private static IReadOnlyList<T> NoNulls<T>([NotNull] IReadOnlyList<T>? items, [CallerArgumentExpression(nameof(items))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NoNulls(items, "Lax." + member, parameter);
}

public static partial class Nn
{
    private static T NotNull<T>([NotNull] T? value, [CallerArgumentExpression(nameof(value))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NotNull(value, "Nn." + member, parameter);

    private static T[] NoNulls<T>([NotNull] T[]? items, [CallerArgumentExpression(nameof(items))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NoNulls(items, "Nn." + member, parameter);

    private static IReadOnlyList<T> NoNulls<T>([NotNull] IReadOnlyList<T>? items, [CallerArgumentExpression(nameof(items))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NoNulls(items, "Nn." + member, parameter);
}

public static partial class Rng
{
    private static T NotNull<T>([NotNull] T? value, [CallerArgumentExpression(nameof(value))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NotNull(value, "Rng." + member, parameter);

    private static T[] NoNulls<T>([NotNull] T[]? items, [CallerArgumentExpression(nameof(items))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NoNulls(items, "Rng." + member, parameter);

    private static IReadOnlyList<T> NoNulls<T>([NotNull] IReadOnlyList<T>? items, [CallerArgumentExpression(nameof(items))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NoNulls(items, "Rng." + member, parameter);
}

public static partial class Jax
{
    private static T NotNull<T>([NotNull] T? value, [CallerArgumentExpression(nameof(value))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NotNull(value, "Jax." + member, parameter);

    private static T[] NoNulls<T>([NotNull] T[]? items, [CallerArgumentExpression(nameof(items))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NoNulls(items, "Jax." + member, parameter);

    private static IReadOnlyList<T> NoNulls<T>([NotNull] IReadOnlyList<T>? items, [CallerArgumentExpression(nameof(items))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NoNulls(items, "Jax." + member, parameter);
}

public sealed partial class Tensor
{
    private static T NotNull<T>([NotNull] T? value, [CallerArgumentExpression(nameof(value))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NotNull(value, "Tensor." + member, parameter);

    private static T[] NoNulls<T>([NotNull] T[]? items, [CallerArgumentExpression(nameof(items))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NoNulls(items, "Tensor." + member, parameter);

    private static IReadOnlyList<T> NoNulls<T>([NotNull] IReadOnlyList<T>? items, [CallerArgumentExpression(nameof(items))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NoNulls(items, "Tensor." + member, parameter);
}
