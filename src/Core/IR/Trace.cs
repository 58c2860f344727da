using JaxSharp.Primitives;

namespace JaxSharp.IR;

/// <summary>
/// One level of the stack of transformations in progress (JAX's trace stack): a program
/// builder (jit, makeJaxpr, vmap's per-example program, linearize's tangent program) or a
/// differentiation level (jvp, linearize). Levels begin and end in stack order, and each has a
/// depth. <see cref="Find"/> picks the level that handles a primitive: the deepest among its
/// arguments' levels and the innermost staging builder. A staging builder (jit, makeJaxpr)
/// records every primitive applied while it is innermost, even on concrete values (JAX's
/// omnistaging); any other level sees only primitives applied to its own values, so concrete
/// values stay concrete under <c>grad</c>, <c>jvp</c> and around <c>vmap</c>'s per-example values.
/// </summary>
internal abstract class Trace : IDisposable
{
    [ThreadStatic] private static Trace? s_innermost;
    [ThreadStatic] private static int s_suspendedDepth;

    private readonly ProgramBuilder? _stager;
    private readonly int _thread = Environment.CurrentManagedThreadId;
    private volatile bool _ended;

    /// <summary>Begins a level inside the current innermost one.</summary>
    /// <param name="stages">Whether this level records every primitive while innermost (a staging builder).</param>
    protected Trace(bool stages)
    {
        Outer = s_innermost;
        Depth = (Outer?.Depth ?? 0) + 1;
        _stager = stages ? (ProgramBuilder)this : Outer?._stager;
        s_innermost = this;
    }

    /// <summary>The level this one began inside, or null.</summary>
    public Trace? Outer { get; }

    /// <summary>The position in the stack: 1 for the outermost level; inner levels are deeper.</summary>
    public int Depth { get; }

    /// <summary>Whether this level has ended: its values may no longer be used.</summary>
    public bool Ended => _ended;

    /// <summary>Applies <paramref name="primitive"/> at this level (record it, or differentiate it); returns every output (one for most primitives).</summary>
    public abstract Tensor[] Process(Primitive primitive, PrimitiveParams parameters, Tensor[] args);

    /// <summary>
    /// The level that handles a primitive applied to <paramref name="args"/>: the deepest of the
    /// arguments' levels and the innermost staging builder; null when everything is concrete
    /// and nothing stages (the primitive then runs now).
    /// </summary>
    /// <param name="args">The arguments.</param>
    /// <param name="op">The primitive, for errors (<c>sin</c>); null when unknown.</param>
    /// <exception cref="InvalidOperationException">
    /// An argument belongs to a level that has ended (a leaked tracer), or that records on another thread.
    /// </exception>
    public static Trace? Find(Tensor[] args, string? op = null)
    {
        Trace? found = Stager;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.Owner is not { } owner) continue;
            if (owner.Ended || owner.IsLiveOnAnotherThread) throw owner.Misused(arg, op is null ? null : $"{op}: argument {i}");
            if (found is null || owner.Depth > found.Depth) found = owner;
        }
        return found;
    }

    /// <summary>The innermost staging builder, unless <see cref="Suspend"/> has hidden it.</summary>
    public static ProgramBuilder? Stager =>
        s_innermost?._stager is { } stager && stager.Depth > s_suspendedDepth ? stager : null;

    /// <summary>
    /// Hides the staging builders begun so far until disposed, so that primitives applied to
    /// concrete values run now even inside a trace: for host work such as converting a literal
    /// to the dtype of the tensor it meets, or folding constants.
    /// </summary>
    public static Suspension Suspend()
    {
        var previous = s_suspendedDepth;
        s_suspendedDepth = s_innermost?.Depth ?? 0;
        return new Suspension(previous);
    }

    /// <summary>Restores the staging builders that <see cref="Suspend"/> hid.</summary>
    public readonly struct Suspension(int previous) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose() => s_suspendedDepth = previous;
    }

    /// <summary>
    /// Whether this level is still going on another thread than the caller's: its values met on
    /// this thread were handed across threads (tracing is per thread), not leaked.
    /// </summary>
    public bool IsLiveOnAnotherThread => !Ended && _thread != Environment.CurrentManagedThreadId;

    /// <summary>
    /// The error for <paramref name="value"/>, of this level, used where this level does not
    /// apply: on another thread while this level still goes on, or after it ended (a leaked tracer).
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="what">Where it was met, e.g. <c>sin: argument 0</c>; null when unknown.</param>
    public InvalidOperationException Misused(Tensor value, string? what)
    {
        var subject = what is null ? $"A traced value {value.Aval}" : $"{what}, a traced value {value.Aval},";
        return IsLiveOnAnotherThread
            ? new InvalidOperationException(
                $"{subject} was used on another thread while the thread tracing it still records. Tracing is per thread: " +
                "jit, grad, jvp and vmap record only what the calling thread computes, so a Task, Parallel.For or Thread started inside the function cannot compute on its traced values. " +
                "Compute on the calling thread, or give the other thread concrete values (e.g. call the jitted function from that thread).")
            : new InvalidOperationException(
                $"{subject} escaped the function that was being transformed (a leaked tracer): it was stored outside, e.g. in a field or closure, " +
                "and used after jit, grad, jvp or vmap returned. Return values from the function instead of storing them.");
    }

    /// <summary>Ends this level; it must be the innermost one.</summary>
    public void Dispose()
    {
        if (Ended) return;
        if (s_innermost != this) throw new InvalidOperationException($"{GetType().Name}: transformation levels must end in the reverse order they began");
        _ended = true;
        s_innermost = Outer;
    }
}
