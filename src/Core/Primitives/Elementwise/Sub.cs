using System.Linq.Expressions;
using JaxSharp.Transforms;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a - b</c>, elementwise with broadcasting; integers wrap around.</summary>
public sealed class Sub : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Sub Instance = new();
    private Sub() { }
    /// <inheritdoc/>
    public override string Name => "sub";
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => Expression.Subtract(a, b);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression a, Expression b) => Expression.Subtract(a, b);

    /// <summary>x - 0 = x, when x already has the result's shape and dtype.</summary>
    public override Expression? Simplify(IR.PrimitiveExpression application, SimplifyContext context) =>
        context.IsConstant(application.Arguments[1], 0) ? context.SameAs(application.Arguments[0], application) : null;


    /// <summary>Linear: the tangent is the difference of the tangents, broadcast to the output.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        var (ta, tb) = (tangents[0] is { } a ? Rules.BroadcastTo(a, output.Shape) : null, tangents[1] is { } b ? Rules.BroadcastTo(-b, output.Shape) : null);
        return ta is null ? tb : tb is null ? ta : ta + tb;
    }

    /// <summary>The cotangent of each linear argument is the cotangent (negated for the subtrahend), summed over broadcasting.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) =>
    [
        primals[0] is null ? Rules.Unbroadcast(cotangent, inputs[0].Shape) : null,
        primals[1] is null ? Rules.Unbroadcast(-cotangent, inputs[1].Shape) : null,
    ];
}
