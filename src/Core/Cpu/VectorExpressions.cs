using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace JaxSharp.Cpu;

/// <summary>
/// Helpers for vector forms of element lowerings: calls of the static methods of
/// <see cref="Vector512"/>, <see cref="Vector256"/> or <see cref="Vector128"/>, chosen by the
/// operands' vector type, so that one builder serves every width, and of AVX-512 instructions
/// that have no portable form (<see cref="CallAvx512F"/>).
/// </summary>
/// <example><c>VectorExpressions.Call("Max", a, b)</c> is <c>Vector512.Max(a, b)</c> for <c>Vector512&lt;float&gt;</c> operands.</example>
public static class VectorExpressions
{
    private static readonly ConcurrentDictionary<string, MethodInfo> s_methods = new();

    /// <summary>Whether <paramref name="type"/> is <c>Vector512&lt;T&gt;</c>, <c>Vector256&lt;T&gt;</c> or <c>Vector128&lt;T&gt;</c>.</summary>
    public static bool IsVector(Type type) => type.IsGenericType && HostOf(type.GetGenericTypeDefinition()) is not null;

    /// <summary>The lane type of a vector type: <c>float</c> for <c>Vector512&lt;float&gt;</c>.</summary>
    public static Type ElementType(Type vectorType) => vectorType.GetGenericArguments()[0];

    /// <summary>The size in bytes of one lane of a vector type.</summary>
    public static int LaneSize(Type vectorType) => System.Runtime.InteropServices.Marshal.SizeOf(ElementType(vectorType));

    /// <summary>The vector type of the same width as <paramref name="vectorType"/> with lanes of <paramref name="element"/>.</summary>
    public static Type WithElement(Type vectorType, Type element) => vectorType.GetGenericTypeDefinition().MakeGenericType(element);

    /// <summary>
    /// A call of the static method <paramref name="name"/> of the vector class of the first
    /// vector argument (generic methods are instantiated at its lane type).
    /// </summary>
    /// <exception cref="InvalidOperationException">No such method takes these argument types.</exception>
    public static Expression Call(string name, params Expression[] args)
    {
        var types = new Type[args.Length];
        for (var i = 0; i < args.Length; i++) types[i] = args[i].Type;
        return Expression.Call(Method(args.First(a => IsVector(a.Type)).Type, name, types), args);
    }

    /// <summary>
    /// The static method <paramref name="name"/> of <paramref name="vectorType"/>'s vector class
    /// that takes <paramref name="types"/> (a generic one instantiated at the lane type), found
    /// once per process.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such method takes these argument types.</exception>
    internal static MethodInfo Method(Type vectorType, string name, Type[] types)
    {
        var host = HostOf(vectorType.GetGenericTypeDefinition())!;
        // keyed by the vector type, whose lanes instantiate a generic method, and the types' short
        // names (Vector512`1[System.Single]), not their assembly-qualified FullName: the trees of
        // SIMD math make thousands of these calls
        var key = $"{vectorType}.{name}({string.Join(",", (object[])types)})";
        return s_methods.GetOrAdd(key, _ => Find(host, name, ElementType(vectorType), types)
            ?? throw new InvalidOperationException($"{key} does not exist"));
    }

    /// <summary>
    /// A call of the AVX-512 method <paramref name="name"/>: <see cref="Avx512F"/>'s for
    /// <c>Vector512</c> operands, <see cref="Avx512F.VL"/>'s for <c>Vector256</c> and
    /// <c>Vector128</c>; null where the CPU lacks it, so that the caller builds its portable form
    /// instead.
    /// </summary>
    /// <exception cref="InvalidOperationException">The class has no such method for these argument types.</exception>
    /// <example><c>VectorExpressions.CallAvx512F("Scale", y, n) ?? fallback</c> is <c>vscalefps</c>, y 2^floor(n), where the CPU has it.</example>
    public static Expression? CallAvx512F(string name, params Expression[] args)
    {
        var generic = args.First(a => IsVector(a.Type)).Type.GetGenericTypeDefinition();
        var (host, supported) = generic == typeof(Vector512<>) ? (typeof(Avx512F), Avx512F.IsSupported) : (typeof(Avx512F.VL), Avx512F.VL.IsSupported);
        if (!supported) return null;
        var types = args.Select(a => a.Type).ToArray();
        var method = host.GetMethod(name, BindingFlags.Public | BindingFlags.Static, types)
            ?? throw new InvalidOperationException($"{host.Name}.{name}({string.Join(",", types.Select(t => t.FullName))}) does not exist");
        return Expression.Call(method, args);
    }

    /// <summary>A vector of <paramref name="like"/>'s type with every lane <paramref name="value"/>.</summary>
    public static Expression Constant(double value, Expression like)
    {
        var element = ElementType(like.Type);
        return Broadcast(Expression.Constant(Convert.ChangeType(value, element), element), like.Type);
    }

    /// <summary>A vector of type <paramref name="vectorType"/> with every lane the scalar <paramref name="scalar"/>.</summary>
    public static Expression Broadcast(Expression scalar, Type vectorType) =>
        Expression.Call(ElementType(vectorType) == scalar.Type
            ? s_create.GetOrAdd(vectorType, v => Find(HostOf(v.GetGenericTypeDefinition())!, "Create", ElementType(v), [ElementType(v)])!)
            : Find(HostOf(vectorType.GetGenericTypeDefinition())!, "Create", scalar.Type, [scalar.Type])!, scalar);

    // Vector*.Create(T) per vector type: each SIMD function broadcasts dozens of constants, and
    // finding the method scans every method of the vector class.
    private static readonly ConcurrentDictionary<Type, MethodInfo> s_create = new();

    /// <summary>The same bits as a vector of lanes of <paramref name="element"/> (lanes of equal size only).</summary>
    public static Expression Reinterpret(Expression vector, Type element)
    {
        var from = ElementType(vector.Type);
        if (from == element) return vector;
        var host = HostOf(vector.Type.GetGenericTypeDefinition())!;
        var method = host.GetMethods().Single(m => m.Name == "As" && m.GetGenericArguments().Length == 2).MakeGenericMethod(from, element);
        return Expression.Call(method, vector);
    }

    /// <summary>The static class of <paramref name="genericVector"/>'s methods (<c>Vector256</c> for <c>Vector256&lt;&gt;</c>), or null for another type.</summary>
    internal static Type? HostOf(Type genericVector) =>
        genericVector == typeof(Vector512<>) ? typeof(Vector512)
        : genericVector == typeof(Vector256<>) ? typeof(Vector256)
        : genericVector == typeof(Vector128<>) ? typeof(Vector128)
        : null;

    // a loop, not LINQ's indexed Select to bool, whose instantiation the first jit of a process compiles
    private static bool ParametersAre(MethodInfo method, Type[] types)
    {
        var parameters = method.GetParameters();
        if (parameters.Length != types.Length) return false;
        for (var i = 0; i < parameters.Length; i++)
            if (parameters[i].ParameterType != types[i]) return false;
        return true;
    }

    // A generic definition is instantiated before its parameters are read: reading a definition's
    // parameters loads a type such as Vector512<T> for that method's own T (about 0.7 ms a
    // method, 10 ms of a process's first jit of a loop of sines), while an instantiation's
    // parameter types are the operands' types, loaded already. The generic methods are tried
    // first: reading a non-generic overload's parameters loads its vector types too (Create's 34
    // overloads over every lane type, 4 ms), and where both kinds take the same types (Create(float)
    // and Create<float>(float)) they are the same operation.
    private static MethodInfo? Find(Type host, string name, Type element, Type[] argTypes)
    {
        var methods = host.GetMethods(BindingFlags.Public | BindingFlags.Static);
        foreach (var m in methods)
        {
            if (m.Name != name || !m.IsGenericMethodDefinition || m.GetGenericArguments().Length != 1) continue;
            MethodInfo candidate;
            try { candidate = m.MakeGenericMethod(element); }
            catch (ArgumentException) { continue; }
            if (ParametersAre(candidate, argTypes)) return candidate;
        }
        foreach (var m in methods)
            if (m.Name == name && !m.IsGenericMethodDefinition && ParametersAre(m, argTypes)) return m;
        return null;
    }
}
