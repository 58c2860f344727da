using JaxSharp.Primitives;

namespace JaxSharp.Cpu;

/// <summary>
/// Runs one primitive on concrete tensors: the eager path, through its cached one-equation
/// program. Traced values never get here: <see cref="IR.Trace.Find"/> hands them to their level
/// (or reports a leaked tracer).
/// </summary>
internal static class CpuExecutor
{
    public static Tensor[] Execute(Primitive primitive, PrimitiveParams parameters, Tensor[] args)
    {
        var inputs = new AbstractValue[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].IsShapeOnly) throw args[i].NoValue($"{primitive.Name} was applied to it (argument {i})");
            inputs[i] = args[i].Aval;
        }
        try
        {
            return KernelCache.Get(primitive, parameters, inputs).Run(args);
        }
        catch (OutOfMemoryException e)
        {
            throw TensorAllocation.ForOutput(primitive.Name, primitive.InferShapes(inputs, parameters).MaxBy(a => a.Shape.Size)!, e);
        }
    }
}
