using System.Linq.Expressions;
using JaxSharp.Cpu;
using JaxSharp.Transforms;

namespace JaxSharp.Primitives.Elementwise;

/// <summary>The parameters of <see cref="ConvertElementType"/>.</summary>
/// <param name="NewDType">The dtype to convert to.</param>
/// <param name="WeakType">Whether the result is weakly typed.</param>
public sealed record ConvertParams(DType NewDType, bool WeakType = false) : PrimitiveParams;

/// <summary>
/// <c>convert_element_type</c>: the same values in another dtype. Float to integer truncates
/// toward zero and saturates (NaN gives 0), as XLA on the CPU; to bool is <c>x != 0</c>.
/// </summary>
public sealed class ConvertElementType : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly ConvertElementType Instance = new();
    private ConvertElementType() { }
    /// <inheritdoc/>
    public override string Name => "convert_element_type";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"convert_element_type: takes 1 argument, got {inputs.Count}");
        var p = (ConvertParams)parameters;
        return new AbstractValue(inputs[0].Shape, p.NewDType, p.WeakType);
    }

    /// <summary>
    /// A concrete, uncommitted host scalar converted between int32, float32 and float64 (or only
    /// retagged weak or strong) by a .NET cast, which is what this primitive's CPU kernel
    /// computes for these pairs (the same conversion instructions), without compiling that kernel:
    /// every literal in a traced program passes here, and compiling a kernel for the first of them
    /// was a large part of a process's first <c>jit</c>. Null for any other case (the caller binds the primitive).
    /// </summary>
    internal static Tensor? OnHost(Tensor x, ConvertParams parameters)
    {
        var (dtype, weak) = (parameters.NewDType, parameters.WeakType);
        if (x.IsTracer || x.Rank != 0 || x.IsCommitted || !x.HasValue || x.IsShapeOnly || DeviceRegistry.Default is not CpuDevice || x.Device is not CpuDevice) return null;
        object? value = (x.Data.GetValue(0), dtype) switch
        {
            (var v, var d) when d == x.DType => v,
            (double v, DType.Float32) => (float)v,
            (float v, DType.Float64) => (double)v,
            (int v, DType.Float32) => (float)v,
            (int v, DType.Float64) => (double)v,
            _ => null,
        };
        if (value is null) return null;
        var data = System.Array.CreateInstance(dtype.ClrType(), 1);
        data.SetValue(value, 0);
        return new Tensor(data, new AbstractValue(Shape.Scalar, dtype, weak));
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var target = ((ConvertParams)context.Params).NewDType.ClrType();
        return new ElementwiseLowering(xs => Convert(xs[0], target), xs => VectorConvert(xs[0], context.Inputs[0].DType == DType.Bool, target));
    }

    /// <summary>The conversion of a vector (a mask when <paramref name="fromBool"/>) between lanes of one size; null otherwise.</summary>
    private static Expression? VectorConvert(Expression x, bool fromBool, Type target)
    {
        var lane = VectorExpressions.ElementType(x.Type);
        if (target == typeof(bool)) return fromBool ? x : VectorExpressions.Call("OnesComplement", VectorExpressions.Call("Equals", x, VectorExpressions.Constant(0, x)));
        if (fromBool)
        {
            var like = VectorExpressions.Broadcast(Expression.Default(target), VectorExpressions.WithElement(x.Type, target));
            return VectorExpressions.LaneSize(x.Type) == VectorExpressions.LaneSize(like.Type)
                ? VectorExpressions.Call("ConditionalSelect", VectorExpressions.Reinterpret(x, target), VectorExpressions.Constant(1, like), like)
                : null;
        }
        if (lane == target) return x;
        return (lane, target) switch
        {
            _ when lane == typeof(float) && target == typeof(int) => VectorExpressions.Call("ConvertToInt32", x),
            _ when lane == typeof(float) && target == typeof(uint) => VectorExpressions.Call("ConvertToUInt32", x),
            _ when target == typeof(float) && (lane == typeof(int) || lane == typeof(uint)) => VectorExpressions.Call("ConvertToSingle", x),
            _ => null,
        };
    }

    /// <summary>A conversion to the dtype (and weak flag) the value already has is the value.</summary>
    public override Expression? Simplify(IR.PrimitiveExpression application, SimplifyContext context) =>
        context.SameAs(application.Arguments[0], application);

    private static Expression Convert(Expression x, Type target)
    {
        if (x.Type == target) return x;
        if (target == typeof(bool)) return Expression.NotEqual(x, Expression.Default(x.Type));
        if (x.Type == typeof(bool)) return Expression.Condition(x, Expression.Constant(System.Convert.ChangeType(1, target), target), Expression.Default(target));
        return Expression.Convert(x, target);
    }

    /// <summary>For a float input: the values the simplifier asks about (0, 1) survive any conversion.</summary>
    public override bool CopiesValues(IR.PrimitiveExpression application, Transforms.SimplifyContext context) =>
        context.AvalOf(application.Arguments[0]).DType.IsFloat();

    /// <summary>Linear between floats: the tangent is converted too; integer and bool results have no tangent.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        primals[0].DType.IsFloat() && output.DType.IsFloat()
            ? Bind(new ConvertParams(output.DType), tangents[0]!)
            : null;

    /// <summary>The cotangent converted back to the input's dtype.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) =>
        [Bind(new ConvertParams(inputs[0].DType), cotangent)];

    /// <summary>Elementwise: the batch axis stays where it is.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters) =>
        (Bind(parameters, args[0]), batchAxes[0]);
}
