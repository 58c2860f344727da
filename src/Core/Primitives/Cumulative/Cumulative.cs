using System.Numerics;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Cumulative;

/// <summary>The parameters of a cumulative op.</summary>
/// <param name="Axis">The axis scanned along, in [0, rank).</param>
/// <param name="Reverse">Whether to scan from the end of the axis toward its start.</param>
public sealed record CumulativeParams(int Axis, bool Reverse = false) : PrimitiveParams;

/// <summary>
/// An inclusive scan along one axis with an associative combiner (<c>cumsum</c>,
/// <c>cumprod</c>, <c>cummax</c>, <c>cummin</c>): element i combines elements 0..i (or i..n-1
/// when reversed). The output has the input's shape and dtype. Numeric dtypes.
/// </summary>
public abstract class CumulativeOp : Primitive
{
    /// <summary>Combines the running value with the next element.</summary>
    protected abstract T Combine<T>(T accumulator, T element) where T : INumber<T>;

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"{Name}: takes 1 argument, got {inputs.Count}");
        var x = inputs[0];
        var axis = ((CumulativeParams)parameters).Axis;
        if (x.DType == DType.Bool)
            throw new ArgumentException($"{Name}: expected a numeric array, got bool{x.Shape}; convert it first, e.g. x.AsType(DType.Int32)");
        if (axis < 0 || axis >= x.Rank)
            throw new ArgumentException($"{Name}: axis {axis} is out of range for shape {x.Shape} (rank {x.Rank}); use an axis in [0, {x.Rank})");
        return x;
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var (axis, reverse) = (CumulativeParams)context.Params;
        var shape = context.Inputs[0].Shape;
        var length = shape[axis];
        var stride = shape.Strides()[axis];
        var outer = length * stride == 0 ? 0 : shape.Size / (length * stride);
        var scan = new Scan(outer, length, stride, reverse);
        return new KernelLowering((inputs, output) =>
        {
            switch (output)
            {
                case float[] f: Run((float[])inputs[0], f, scan); break;
                case double[] d: Run((double[])inputs[0], d, scan); break;
                case int[] i: Run((int[])inputs[0], i, scan); break;
                case uint[] u: Run((uint[])inputs[0], u, scan); break;
                default: throw new NotSupportedException($"{Name}: {output.GetType().Name}");
            }
        });
    }

    /// <summary>The layout of a scan: <c>outer</c> blocks of <c>length * stride</c> elements, each holding <c>stride</c> interleaved lines.</summary>
    private sealed record Scan(int Outer, int Length, int Stride, bool Reverse);

    private void Run<T>(T[] x, T[] y, Scan scan) where T : INumber<T>
    {
        var (outer, length, stride, reverse) = scan;
        var step = reverse ? -stride : stride;
        for (var b = 0; b < outer; b++)
            for (var s = 0; s < stride; s++)
            {
                var i = b * length * stride + s + (reverse ? (length - 1) * stride : 0);
                var acc = x[i];
                y[i] = acc;
                for (var k = 1; k < length; k++)
                {
                    i += step;
                    acc = Combine(acc, x[i]);
                    y[i] = acc;
                }
            }
    }
}
