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
        return Record(builder, function, inputs);
    }

    /// <summary>
    /// Runs <paramref name="function"/> on traced inputs and returns the program of what depends
    /// on them; everything else (work on concrete values and on values of enclosing levels)
    /// runs in the enclosing context and enters the program as a constant or a capture, as JAX's
    /// vmap leaves unbatched values alone. Branching on a value that does not depend on the
    /// inputs therefore works.
    /// </summary>
    internal static Jaxpr TraceDependent(Func<Tensor[], Tensor[]> function, IReadOnlyList<AbstractValue> inputs)
    {
        using var builder = ProgramBuilder.BeginDependent();
        return Record(builder, function, inputs);
    }

    private static Jaxpr Record(ProgramBuilder builder, Func<Tensor[], Tensor[]> function, IReadOnlyList<AbstractValue> inputs)
    {
        var tracers = inputs.Select(builder.NewInput).ToArray();
        var outputs = function(tracers) ?? throw new ArgumentException("trace: the function returned null; return its output tensors");
        return builder.Finish(outputs);
    }
}
