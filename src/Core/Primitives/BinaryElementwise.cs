using System.Linq.Expressions;
using JaxSharp.Cpu;
using JaxSharp.Primitives.Elementwise;

namespace JaxSharp.Primitives;

/// <summary>
/// The common case of an elementwise function of two arguments with numpy broadcasting.
/// Both arguments must have the same dtype (the numpy layer promotes them first); the
/// output has the broadcast shape and, by default, that dtype.
/// </summary>
public abstract class BinaryElementwise : Primitive
{
    /// <summary>The dtypes the primitive accepts; numbers (all but bool) by default.</summary>
    protected virtual DTypeKinds Accepted => DTypeKinds.Numeric;

    /// <summary>The output dtype for inputs of <paramref name="input"/>; the same by default.</summary>
    protected virtual DType OutputDType(DType input) => input;

    /// <summary>The output element from the input elements (of the inputs' .NET type).</summary>
    protected abstract Expression Element(Expression a, Expression b);

    /// <summary>
    /// The output vector from the input vectors (see <see cref="ElementwiseLowering.Vector"/>);
    /// null where there is no vector form (the default).
    /// </summary>
    protected virtual Expression? VectorElement(Expression a, Expression b) => null;

    /// <summary>Whether the vector form takes bool inputs (as lane masks); false by default.</summary>
    protected virtual bool VectorizesBool => false;

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 2) throw new ArgumentException($"{Name}: takes 2 arguments, got {inputs.Count}");
        var (a, b) = (inputs[0], inputs[1]);
        if (a.DType != b.DType)
            throw new ArgumentException($"{Name}: dtypes {a.DType.Name()} and {b.DType.Name()} differ; lax ops need equal dtypes: convert one with Np.AsType, or use the Np function, which promotes");
        if (!Accepted.Contains(a.DType))
            throw new ArgumentException($"{Name}: expected {Accepted.Describe()} arrays, got {a.DType.Name()}; convert first with Np.AsType");
        var dtype = OutputDType(a.DType);
        return new AbstractValue(Broadcasting.Shapes(Name, a.Shape, b.Shape), dtype, a.Weak && b.Weak && dtype == a.DType);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context) => new ElementwiseLowering(
        xs => Element(xs[0], xs[1]),
        context.Inputs[0].DType == DType.Bool && !VectorizesBool ? null : xs => VectorElement(xs[0], xs[1]));

    /// <summary>
    /// The partial derivatives (dy/da, dy/db) from a, b and y = f(a, b), built from primitives;
    /// the JVP sums each tangent times its partial. A null partial is zero.
    /// </summary>
    protected virtual (Tensor? DA, Tensor? DB) Partials(Tensor a, Tensor b, Tensor y) => throw MissingRule(nameof(Jvp));

    /// <summary>The sum of each tangent times its partial derivative, broadcast to the output.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        var (da, db) = Partials(primals[0], primals[1], output);
        // no LINQ over (tangent, partial) tuples: its instantiations are JIT-compiled in every process
        var fromA = tangents[0] is { } ta && da is not null ? Rules.BroadcastTo(ta * da, output.Shape) : null;
        var fromB = tangents[1] is { } tb && db is not null ? Rules.BroadcastTo(tb * db, output.Shape) : null;
        return fromA is null ? fromB : fromB is null ? fromA : fromA + fromB;
    }

    /// <summary>Elementwise with broadcasting: see <see cref="Rules.BatchElementwise"/>.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters) =>
        Rules.BatchElementwise(this, args, batchAxes, parameters);
}

/// <summary>
/// An elementwise comparison: any dtype the subclass accepts in, bool out. Bools compare
/// as 0 and 1, so <c>false &lt; true</c>.
/// </summary>
public abstract class Comparison : BinaryElementwise
{
    /// <summary>Every dtype.</summary>
    protected override DTypeKinds Accepted => DTypeKinds.Any;

    /// <summary>bool.</summary>
    protected override DType OutputDType(DType input) => DType.Bool;

    /// <summary>The comparison of two elements of a numeric .NET type (bools arrive as 0 or 1).</summary>
    protected abstract Expression Compare(Expression a, Expression b);

    /// <inheritdoc/>
    protected sealed override Expression Element(Expression a, Expression b) =>
        a.Type == typeof(bool) ? Compare(AsInt(a), AsInt(b)) : Compare(a, b);

    /// <summary>The comparison of two vectors as a lane mask, or null where there is none.</summary>
    protected virtual Expression? VectorCompare(Expression a, Expression b) => null;

    /// <inheritdoc/>
    protected sealed override Expression? VectorElement(Expression a, Expression b) => VectorCompare(a, b);

    /// <summary>A bool output has no tangent.</summary>
    protected sealed override (Tensor? DA, Tensor? DB) Partials(Tensor a, Tensor b, Tensor y) => (null, null);

    private static Expression AsInt(Expression x) => Expression.Condition(x, Expression.Constant(1), Expression.Constant(0));
}
