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

    /// <summary>The error for code that needs a concrete value of a traced one (JAX's ConcretizationTypeError).</summary>
    public TracerConcretizationException ConcretizationError(string why) => new(
        $"A traced value {Aval} (variable {Expression}) was used where a concrete value is needed: {why}. " +
        "Inside jit (and makeJaxpr, evalShape, linearTranspose), and on vmap's per-example values, the function runs on abstract values, so a .NET `if` or a conversion to bool or float cannot look at it. " +
        "Choose between values with np.where(cond, x, y) (Np.Where in C#), branch with lax.cond or lax.switch (Lax.Cond, Lax.Switch), " +
        "and loop on traced values with lax.whileLoop, lax.foriLoop or lax.scan (Lax.WhileLoop, Lax.ForiLoop, Lax.Scan); " +
        "shapes and static arguments can be branched on freely, and so can values under grad, jvp and vjp outside jit.");
}

/// <summary>
/// Thrown when user code asks for the data of a traced value, e.g. branches on it with
/// <c>if</c>. The message names the value and points to <c>np.where</c> and the control-flow primitives.
/// </summary>
public sealed class TracerConcretizationException(string message) : InvalidOperationException(message);
