using System.Linq.Expressions;
using JaxSharp.Transforms;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a * b</c>, elementwise with broadcasting; integers wrap around.</summary>
public sealed class Mul : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Mul Instance = new();
    private Mul() { }
    /// <inheritdoc/>
    public override string Name => "mul";
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => Expression.Multiply(a, b);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression a, Expression b) => Expression.Multiply(a, b);

    /// <summary>x * 1 = 1 * x = x, when that argument already has the result's shape and dtype.</summary>
    public override Expression? Simplify(IR.PrimitiveExpression application, SimplifyContext context)
    {
        var (a, b) = (application.Arguments[0], application.Arguments[1]);
        return (context.IsConstant(b, 1) ? context.SameAs(a, application) : null)
            ?? (context.IsConstant(a, 1) ? context.SameAs(b, application) : null);
    }

    /// <summary>d(ab) = b da + a db.</summary>
    protected override (Tensor? DA, Tensor? DB) Partials(Tensor a, Tensor b, Tensor y) => (b, a);

    /// <summary>Linear in each argument: the cotangent of one is the cotangent times the other, summed over broadcasting.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (primals[0] is null == primals[1] is null)
            throw new InvalidOperationException("mul: transposed with respect to both or neither argument; it is linear in one argument at a time");
        return primals[0] is null
            ? [Rules.Unbroadcast(cotangent * primals[1]!, inputs[0].Shape), null]
            : [null, Rules.Unbroadcast(primals[0]! * cotangent, inputs[1].Shape)];
    }
}
