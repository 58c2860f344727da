namespace JaxSharp.IR;

/// <summary>Traces functions of tensors into <see cref="Jaxpr"/> programs.</summary>
public static class Tracing
{
    /// <summary>
    /// Runs <paramref name="function"/> on traced inputs of the given shapes and dtypes and
    /// returns the program it recorded. Nested inside another trace, values of the outer
    /// trace that the function uses become captures of the program.
    /// </summary>
    public static Jaxpr Trace(Func<Tensor[], Tensor[]> function, IReadOnlyList<AbstractValue> inputs) => Trace(function, inputs, "trace");

    /// <summary>A trace for <paramref name="transformation"/> (jit, vmap...), which errors name.</summary>
    internal static Jaxpr Trace(Func<Tensor[], Tensor[]> function, IReadOnlyList<AbstractValue> inputs, string transformation)
    {
        Arg.NotNull(function, transformation, nameof(function));
        Arg.NotNull(inputs, transformation, nameof(inputs));
        using var builder = ProgramBuilder.Begin();
        return Record(builder, function, inputs, transformation);
    }

    /// <summary>
    /// Runs <paramref name="function"/> on traced inputs and returns the program of what depends
    /// on them; everything else (work on concrete values and on values of enclosing levels)
    /// runs in the enclosing context and enters the program as a constant or a capture, as JAX's
    /// vmap leaves unbatched values alone. Branching on a value that does not depend on the
    /// inputs therefore works.
    /// </summary>
    internal static Jaxpr TraceDependent(Func<Tensor[], Tensor[]> function, IReadOnlyList<AbstractValue> inputs, string transformation)
    {
        using var builder = ProgramBuilder.BeginDependent();
        return Record(builder, function, inputs, transformation);
    }

    private static Jaxpr Record(ProgramBuilder builder, Func<Tensor[], Tensor[]> function, IReadOnlyList<AbstractValue> inputs, string transformation)
    {
        var tracers = inputs.Select(builder.NewInput).ToArray();
        return builder.Finish(CheckOutputs(function(tracers), transformation));
    }

    /// <summary>
    /// The outputs of a function being transformed, none null: a function that returns null
    /// (say, a C# lambda that forgot its result) is told to return its output tensors.
    /// </summary>
    /// <exception cref="ArgumentException">The array or one of its tensors is null.</exception>
    internal static Tensor[] CheckOutputs(Tensor[]? outputs, string transformation)
    {
        if (outputs is null)
            throw new ArgumentException($"{transformation}: the function returned null instead of its outputs; return its output tensors");
        for (var i = 0; i < outputs.Length; i++)
            if (outputs[i] is null)
                throw new ArgumentException($"{transformation}: output {i} of the function is null; return its output tensors (each a Tensor)");
        return outputs;
    }

    /// <summary>The one output of a function being transformed; see <see cref="CheckOutputs"/>.</summary>
    internal static Tensor CheckOutput(Tensor? output, string transformation) =>
        output ?? throw new ArgumentException($"{transformation}: the function returned null; return its output tensor");
}
