using System.Linq.Expressions;
using JaxSharp.Cpu;
using JaxSharp.Transforms;

namespace JaxSharp.Primitives.Elementwise;

/// <summary>
/// <c>select(pred, on_true, on_false)</c>: elementwise choice, with broadcasting of all
/// three. <c>pred</c> is bool; the two cases share a dtype, which is the output's.
/// </summary>
public sealed class Select : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly Select Instance = new();
    private Select() { }
    /// <inheritdoc/>
    public override string Name => "select";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 3) throw new ArgumentException($"select: takes 3 arguments (pred, on_true, on_false), got {inputs.Count}");
        var (p, t, f) = (inputs[0], inputs[1], inputs[2]);
        if (p.DType != DType.Bool)
            throw new ArgumentException($"select: the predicate must be bool, got {p.DType.Name()}{p.Shape}; compare first, e.g. x > 0");
        if (t.DType != f.DType)
            throw new ArgumentException($"select: the cases have dtypes {t.DType.Name()} and {f.DType.Name()}; they must be equal (Np.Where promotes them)");
        return new AbstractValue(Broadcasting.Shapes(Name, p.Shape, t.Shape, f.Shape), t.DType, t.Weak && f.Weak);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context) =>
        new ElementwiseLowering(xs => Expression.Condition(xs[0], xs[1], xs[2]), context.Output.DType == DType.Bool ? null : VectorSelect);

    /// <summary>A lane-wise select by the predicate's mask, when its lanes have the cases' size.</summary>
    private static Expression? VectorSelect(IReadOnlyList<Expression> xs) =>
        VectorExpressions.LaneSize(xs[0].Type) == VectorExpressions.LaneSize(xs[1].Type)
            ? VectorExpressions.Call("ConditionalSelect", VectorExpressions.Reinterpret(xs[0], VectorExpressions.ElementType(xs[1].Type)), xs[1], xs[2])
            : null;

    /// <summary>select(p, x, x) = x.</summary>
    public override Expression? Simplify(IR.PrimitiveExpression application, SimplifyContext context) =>
        application.Arguments[1] == application.Arguments[2] ? context.SameAs(application.Arguments[1], application) : null;

    /// <summary>Linear in the two cases: the tangent selects between their tangents (zeros for a constant case).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        if (tangents[1] is null && tangents[2] is null) return null;
        var onTrue = tangents[1] ?? Rules.Zeros(primals[1].Aval.Strong);
        var onFalse = tangents[2] ?? Rules.Zeros(primals[2].Aval.Strong);
        return Bind(parameters, primals[0], onTrue, onFalse);
    }

    /// <summary>Each linear case gets the cotangent where it was chosen and zero elsewhere, summed over broadcasting.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var predicate = primals[0] ?? throw new InvalidOperationException("select: the predicate cannot be linear");
        var zeros = Rules.Zeros(cotangent.Aval);
        return
        [
            null,
            primals[1] is null ? Rules.Unbroadcast(Bind(parameters, predicate, cotangent, zeros), inputs[1].Shape) : null,
            primals[2] is null ? Rules.Unbroadcast(Bind(parameters, predicate, zeros, cotangent), inputs[2].Shape) : null,
        ];
    }

    /// <summary>Elementwise with broadcasting: see <see cref="Rules.BatchElementwise"/>.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters) =>
        Rules.BatchElementwise(this, args, batchAxes, parameters);
}
