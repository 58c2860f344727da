using System.Collections.Concurrent;
using JaxSharp.Primitives;

namespace JaxSharp.Cpu;

/// <summary>
/// Compiled CPU kernels of single equations, keyed by primitive, parameters and input
/// shapes and dtypes. Eager calls and jitted programs both run their equations through it.
/// </summary>
internal static class KernelCache
{
    private sealed record Key(Primitive Primitive, PrimitiveParams Params, string Signature);

    private static readonly ConcurrentDictionary<Key, Action<Array[], Array>> s_kernels = new();

    /// <summary>The number of kernels compiled so far (for tests of caching).</summary>
    public static int Count => s_kernels.Count;

    public static Action<Array[], Array> Get(Primitive primitive, PrimitiveParams parameters, IReadOnlyList<AbstractValue> inputs, AbstractValue output)
    {
        LoweringContext Context() => new(inputs.Select(a => a.Strong).ToArray(), output.Strong, parameters);
        if (!primitive.CachesKernels) return Lower(primitive, Context());
        var key = new Key(primitive, parameters, string.Join(";", inputs.Select(a => a.ToString())));
        return s_kernels.GetOrAdd(key, _ => Lower(primitive, Context()));
    }

    private static Action<Array[], Array> Lower(Primitive primitive, LoweringContext context) => primitive.LowerCpu(context) switch
    {
        ElementwiseLowering e => ElementwiseLoop.Compile(context, e),
        KernelLowering k => k.Run,
        var other => throw new NotSupportedException($"{primitive.Name}: CPU lowering {other.GetType().Name} is not supported"),
    };
}
