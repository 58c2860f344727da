using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Bits;

/// <summary>The parameters of <see cref="BitcastConvertType"/>.</summary>
/// <param name="NewDType">The dtype whose bits the result reinterprets.</param>
public sealed record BitcastParams(DType NewDType) : PrimitiveParams;

/// <summary>
/// <c>bitcast_convert_type</c>: the same bits read as another dtype (numpy's <c>view</c>).
/// Between dtypes of one width the shape is kept; float64 to a 32-bit dtype adds a trailing
/// axis of 2 (low word first, little-endian); a 32-bit dtype to float64 needs a trailing axis
/// of 2 and removes it. bool has no bit layout to reinterpret and is refused.
/// </summary>
public sealed class BitcastConvertType : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly BitcastConvertType Instance = new();
    private BitcastConvertType() { }
    /// <inheritdoc/>
    public override string Name => "bitcast_convert_type";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"bitcast_convert_type: takes 1 argument, got {inputs.Count}");
        var x = inputs[0];
        var target = ((BitcastParams)parameters).NewDType;
        if (x.DType == DType.Bool || target == DType.Bool)
            throw new ArgumentException($"bitcast_convert_type: cannot reinterpret {x.DType.Name()}{x.Shape} as {target.Name()}; bool has no bit layout, use convert_element_type (Np.AsType)");
        var (from, to) = (x.DType.ByteSize(), target.ByteSize());
        if (from == to) return new AbstractValue(x.Shape, target);
        if (from > to) return new AbstractValue(new Shape(x.Shape.Append(from / to)), target);
        var ratio = to / from;
        if (x.Rank == 0 || x.Shape[x.Rank - 1] != ratio)
            throw new ArgumentException($"bitcast_convert_type: {x.DType.Name()}{x.Shape} to {target.Name()} needs a last axis of size {ratio} (the words of one {target.Name()}); reshape so that the last axis is {ratio}");
        return new AbstractValue(new Shape(x.Shape.Take(x.Rank - 1)), target);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var (from, to) = (context.Inputs[0].DType, context.Output.DType);
        var bytes = context.Output.Shape.Size * to.ByteSize();
        if (from.ByteSize() != to.ByteSize())
            return new KernelLowering((inputs, output) => Buffer.BlockCopy(inputs[0], 0, output, 0, bytes));
        return new ElementwiseLowering(xs => Reinterpret(xs[0], to.ClrType()));
    }

    /// <summary>
    /// No tangent, as JAX's <c>defjvp_zero</c>: reinterpreting bits is not a differentiable map
    /// (a float result, from integer bits, has a zero tangent).
    /// </summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) => null;

    /// <summary>
    /// Elementwise on the leading axes: the batch axis stays where it is, unless it is the last
    /// axis of an input whose last axis holds the words of one wider value (32 to 64 bits), then
    /// it moves to the front first.
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var x = args[0];
        var axis = batchAxes[0]!.Value;
        var widening = x.DType.ByteSize() < ((BitcastParams)parameters).NewDType.ByteSize();
        if (widening && axis == x.Rank - 1)
            (x, axis) = (Rules.MoveAxis(x, axis, 0), 0);
        // Narrowing appends the words axis after the batch axis; widening removes the last (words) axis.
        return (Bind(parameters, x), axis);
    }

    private static Expression Reinterpret(Expression x, Type target)
    {
        if (x.Type == target) return x;
        // Integers of one width: an unchecked conversion keeps the bits.
        if (x.Type != typeof(float) && x.Type != typeof(double) && target != typeof(float) && target != typeof(double))
            return Expression.Convert(x, target);
        var method = (x.Type.Name, target.Name) switch
        {
            ("Single", "UInt32") => nameof(BitConverter.SingleToUInt32Bits),
            ("Single", "Int32") => nameof(BitConverter.SingleToInt32Bits),
            ("UInt32", "Single") => nameof(BitConverter.UInt32BitsToSingle),
            ("Int32", "Single") => nameof(BitConverter.Int32BitsToSingle),
            _ => throw new NotSupportedException($"bitcast_convert_type: {x.Type.Name} to {target.Name}"),
        };
        return MathExpressions.CallOn(typeof(BitConverter), method, x);
    }
}
