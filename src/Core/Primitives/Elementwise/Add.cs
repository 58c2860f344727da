using System.Linq.Expressions;
using JaxSharp.Transforms;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a + b</c>, elementwise with broadcasting; integers wrap around.</summary>
public sealed class Add : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Add Instance = new();
    private Add() { }
    /// <inheritdoc/>
    public override string Name => "add";
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => Expression.Add(a, b);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression a, Expression b) => Expression.Add(a, b);

    /// <summary>x + 0 = 0 + x = x, when that argument already has the result's shape and dtype.</summary>
    public override Expression? Simplify(IR.PrimitiveExpression application, SimplifyContext context)
    {
        var (a, b) = (application.Arguments[0], application.Arguments[1]);
        return (context.IsConstant(b, 0) ? context.SameAs(a, application) : null)
            ?? (context.IsConstant(a, 0) ? context.SameAs(b, application) : null);
    }


    /// <summary>Linear: the tangent is the sum of the tangents, broadcast to the output.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        var (ta, tb) = (tangents[0] is { } a ? Rules.BroadcastTo(a, output.Shape) : null, tangents[1] is { } b ? Rules.BroadcastTo(b, output.Shape) : null);
        return ta is null ? tb : tb is null ? ta : ta + tb;
    }

    /// <summary>The cotangent of each linear argument is the cotangent, summed over broadcasting.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) =>
    [
        primals[0] is null ? Rules.Unbroadcast(cotangent, inputs[0].Shape) : null,
        primals[1] is null ? Rules.Unbroadcast(cotangent, inputs[1].Shape) : null,
    ];
}
