using System.Linq.Expressions;
using JaxSharp.Transforms;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>-x</c>, elementwise; integers wrap (<c>-int.MinValue = int.MinValue</c>), unsigned ones modulo 2^32.</summary>
public sealed class Neg : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Neg Instance = new();
    private Neg() { }
    /// <inheritdoc/>
    public override string Name => "neg";
    /// <inheritdoc/>
    protected override DTypeKinds Accepted => DTypeKinds.Numeric;
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => x.Type == typeof(uint) ? Expression.Subtract(Expression.Constant(0u), x) : Expression.Negate(x);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression x) => Expression.Negate(x);

    /// <summary>neg (neg x) = x.</summary>
    public override Expression? Simplify(IR.PrimitiveExpression application, SimplifyContext context) =>
        context.Producer(application.Arguments[0]) is { Primitive: Neg } inner ? context.SameAs(inner.Arguments[0], application) : null;


    /// <summary>Linear: the tangent is negated.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) => -tangents[0]!;

    /// <summary>Its own transpose: the cotangent is negated.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) => [-cotangent];
}
