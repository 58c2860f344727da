using System.Linq.Expressions;

namespace JaxSharp.IR;

/// <summary>
/// The symbolic side of a traced <see cref="Tensor"/>: the program it belongs to and the
/// expression (a variable or an input of that program) that stands for its value.
/// </summary>
internal sealed class Tracer(ProgramBuilder builder, Expression expression, AbstractValue aval)
{
    public ProgramBuilder Builder { get; } = builder;
    public Expression Expression { get; } = expression;
    public AbstractValue Aval { get; } = aval;

    // lax.cond (control flow on traced values) comes with issue 12; until then np.where is the way.
    /// <summary>The error for code that needs a concrete value of a traced one (JAX's ConcretizationTypeError).</summary>
    public TracerConcretizationException ConcretizationError(string why) => new(
        $"A traced value {Aval} (variable {Expression}) was used where a concrete value is needed: {why}. " +
        "Inside jit, grad or vmap the function runs on abstract values, so a .NET `if` or a conversion to bool or float cannot look at it. " +
        "Choose between values with np.where(cond, x, y) (Np.Where in C#), computing both sides; " +
        "shapes and static arguments can be branched on freely.");

    /// <summary>
    /// The error for this tracer used where its program is not recording: on another thread
    /// while it still records (tracing is per thread), or after it finished (a leaked tracer).
    /// </summary>
    /// <param name="what">Where the value was met, e.g. <c>sin: argument 0</c>; null when unknown.</param>
    public InvalidOperationException UsedOutsideItsTrace(string? what)
    {
        var subject = what is null ? $"A traced value {Aval}" : $"{what}, a traced value {Aval},";
        return Builder.IsRecordingOnAnotherThread
            ? new InvalidOperationException(
                $"{subject} was used on another thread while the thread tracing it still records. Tracing is per thread: " +
                "jit, grad and vmap record only what the calling thread computes, so a Task, Parallel.For or Thread started inside the function cannot compute on its traced values. " +
                "Compute on the calling thread, or give the other thread concrete values (e.g. call the jitted function from that thread).")
            : new InvalidOperationException(
                $"{subject} escaped the function that was being traced (a leaked tracer): it was stored outside, e.g. in a field or closure, " +
                "and used after jit, grad or vmap returned. Return values from the function instead of storing them.");
    }
}

/// <summary>
/// Thrown when user code asks for the data of a traced value, e.g. branches on it with
/// <c>if</c>. The message names the value and points to <c>np.where</c>.
/// </summary>
public sealed class TracerConcretizationException(string message) : InvalidOperationException(message);
