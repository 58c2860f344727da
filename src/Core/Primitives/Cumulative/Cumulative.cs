using System.Numerics;
using JaxSharp.Cpu;
using JaxSharp.Primitives.Reductions;
using JaxSharp.Primitives.Shapes;

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
            throw new ArgumentException($"{Name}: expected a numeric array, got bool{x.Shape}; convert it first, e.g. Np.AsType(x, DType.Int32)");
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
                // the runtime lets a uint[] pass as an int[] (and back): check the exact type
                case int[] i when i.GetType() == typeof(int[]): Run((int[])inputs[0], i, scan); break;
                case uint[] u: Run((uint[])inputs[0], u, scan); break;
                default: throw new NotSupportedException($"{Name}: {output.GetType().Name}");
            }
        });
    }

    /// <summary>The scanned axis renumbered around the batch axis, which stays where it is: no data moves.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var b = batchAxes[0]!.Value;
        var p = (CumulativeParams)parameters;
        return (Bind(p with { Axis = p.Axis < b ? p.Axis : p.Axis + 1 }, args[0]), b);
    }

    /// <summary>
    /// The tangent of a running maximum or minimum <paramref name="y"/> of <paramref name="x"/>:
    /// for each prefix, JAX's chooser rule of <c>reduce_max</c> (the tangent of the chosen
    /// element, averaged over the elements of the prefix equal to the result). Builds a
    /// prefix-by-element mask, so it costs n^2 along the scanned axis.
    /// </summary>
    protected static Tensor PrefixChooserJvp(Tensor x, Tensor t, Tensor y, CumulativeParams parameters)
    {
        // d y_i = sum_(j in prefix(i)) t_j [x_j == y_i] / #{j in prefix(i) : x_j == y_i}
        var (axis, reverse) = parameters;
        var n = x.Shape[axis];
        // pairs (i, j): axis `axis` is the output position i, axis `axis + 1` the element j
        var pairs = new Shape([.. x.Shape.Take(axis + 1), n, .. x.Shape.Skip(axis + 1)]);
        var asElement = new Ints(Enumerable.Range(0, x.Rank).Select(d => d < axis ? d : d + 1));
        var asPosition = new Ints(Enumerable.Range(0, x.Rank).Select(d => d <= axis ? d : d + 1));
        Tensor Spread(Tensor v, Ints dims) => BroadcastInDim.Instance.Bind(new BroadcastInDimParams(pairs, dims), v);
        var square = new Shape(n, n);
        var i = Lax.BroadcastedIota(DType.Int32, square, 0);
        var j = Lax.BroadcastedIota(DType.Int32, square, 1);
        var inPrefix = Lax.ConvertElementType(reverse ? Lax.Ge(j, i) : Lax.Le(j, i), t.DType);
        var equal = Lax.ConvertElementType(Lax.Eq(Spread(x, asElement), Spread(y, asPosition)), t.DType);
        var chosen = Lax.Mul(equal, Spread(inPrefix, new Ints(axis, axis + 1)));
        var sum = new ReduceParams(new Ints(axis + 1));
        var counts = ReduceSum.Instance.Bind(sum, chosen);
        return Lax.Div(ReduceSum.Instance.Bind(sum, Lax.Mul(Spread(t, asElement), chosen)), counts);
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
