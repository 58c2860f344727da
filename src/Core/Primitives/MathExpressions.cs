using System.Linq.Expressions;

namespace JaxSharp.Primitives;

/// <summary>Helpers for element-level lowerings: calls to <see cref="MathF"/> or <see cref="Math"/> by element type.</summary>
public static class MathExpressions
{
    /// <summary>
    /// A call of the math function <paramref name="name"/> on <paramref name="args"/>:
    /// <c>MathF.Name</c> for float, <c>Math.Name</c> for double.
    /// </summary>
    public static Expression Call(string name, params Expression[] args)
    {
        var type = args[0].Type;
        var host = type == typeof(float) ? typeof(MathF) : typeof(Math);
        var method = host.GetMethod(name, args.Select(a => a.Type).ToArray())
            ?? throw new InvalidOperationException($"{host.Name}.{name}({type.Name}) does not exist");
        return Expression.Call(method, args);
    }

    /// <summary>A call of a static method of <paramref name="host"/> chosen by argument types.</summary>
    public static Expression CallOn(Type host, string name, params Expression[] args)
    {
        var method = host.GetMethod(name, args.Select(a => a.Type).ToArray())
            ?? throw new InvalidOperationException($"{host.Name}.{name}({string.Join(", ", args.Select(a => a.Type.Name))}) does not exist");
        return Expression.Call(method, args);
    }

    /// <summary>A constant of the element type of <paramref name="like"/>.</summary>
    public static Expression Constant(double value, Expression like) => Expression.Constant(Convert.ChangeType(value, like.Type), like.Type);
}
