using System.Linq.Expressions;
using JaxSharp.IR;
using JaxSharp.Primitives;

namespace JaxSharp.Cpu;

/// <summary>
/// The compiled one-equation programs of eager calls, keyed by primitive, parameters and input
/// shapes and dtypes: an eager call runs the same machinery as a jitted program. At most
/// <see cref="CacheLimits.EagerKernels"/> programs are kept, the least recently used dropped first.
/// </summary>
internal static class KernelCache
{
    private sealed record Key(Primitive Primitive, PrimitiveParams Params, string Signature);

    private static readonly BoundedCache<Key, CpuProgram> s_programs = new(CacheLimits.DefaultEagerKernels);

    /// <summary>The most programs kept (see <see cref="CacheLimits.EagerKernels"/>).</summary>
    public static int Capacity
    {
        get => s_programs.Capacity;
        set => s_programs.Capacity = value;
    }

    /// <summary>The number of programs kept.</summary>
    public static int Count => s_programs.Count;

    /// <summary>Drops every program; later eager calls compile again.</summary>
    public static void Clear() => s_programs.Clear();

    public static CpuProgram Get(Primitive primitive, PrimitiveParams parameters, IReadOnlyList<AbstractValue> inputs)
    {
        if (!primitive.CachesKernels) return Compile(primitive, parameters, inputs);
        var key = new Key(primitive, parameters, string.Join(";", inputs.Select(a => a.Weak ? a + "~" : a.ToString())));
        return s_programs.GetOrAdd(key, _ => Compile(primitive, parameters, inputs));
    }

    private static CpuProgram Compile(Primitive primitive, PrimitiveParams parameters, IReadOnlyList<AbstractValue> inputs)
    {
        var args = inputs.Select((_, i) => Expression.Parameter(typeof(Tensor), $"in{i}")).ToArray();
        var app = PrimitiveExpression.Create(primitive, args, inputs, parameters);
        var outputs = app.Avals.Select((_, i) => Expression.Variable(typeof(Tensor), $"out{i}")).ToArray();
        var body = Expression.Block(typeof(Tensor[]), outputs, new Equation(outputs, app).ToStatement(), Expression.NewArrayInit(typeof(Tensor), outputs));
        return new CpuProgram(new Jaxpr(Expression.Lambda(body, args), inputs, []));
    }
}
