namespace JaxSharp.IR;

/// <summary>Traces functions of tensors into <see cref="Jaxpr"/> programs.</summary>
public static class Tracing
{
    /// <summary>
    /// Runs <paramref name="function"/> on traced inputs of the given shapes and dtypes and
    /// returns the program it recorded. Nested inside another trace, values of the outer
    /// trace that the function uses become captures of the program.
    /// </summary>
    public static Jaxpr Trace(Func<Tensor[], Tensor[]> function, IReadOnlyList<AbstractValue> inputs)
    {
        ArgumentNullException.ThrowIfNull(function);
        using var builder = ProgramBuilder.Begin();
        var tracers = inputs.Select(builder.NewInput).ToArray();
        var outputs = function(tracers) ?? throw new ArgumentException("trace: the function returned null; return its output tensors");
        return builder.Finish(outputs);
    }
}
