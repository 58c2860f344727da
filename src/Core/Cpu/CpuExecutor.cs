using JaxSharp.Primitives;

namespace JaxSharp.Cpu;

/// <summary>Runs one primitive on concrete tensors: the eager path, through its cached one-equation program.</summary>
internal static class CpuExecutor
{
    public static Tensor Execute(Primitive primitive, PrimitiveParams parameters, Tensor[] args)
    {
        var inputs = new AbstractValue[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].IsTracer)
                throw new InvalidOperationException(
                    $"{primitive.Name}: argument {i} is a traced value {args[i].Aval} used after the function that traced it returned (a leaked tracer). " +
                    "Return values from the function instead of storing them outside it.");
            inputs[i] = args[i].Aval;
        }
        return KernelCache.Get(primitive, parameters, inputs).Run(args)[0];
    }
}
