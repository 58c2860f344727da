using System.Numerics;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Reductions;

/// <summary>
/// The common case of a reduction over some axes with an associative combiner and its
/// identity (<c>reduce_sum</c>, <c>reduce_max</c>...): the result over no elements is the
/// identity. Numeric dtypes.
/// </summary>
public abstract class Reduction : AxisReduction
{
    /// <summary>The identity of the combiner, e.g. 0 for a sum, -inf (or the least integer) for a max.</summary>
    protected abstract T Identity<T>() where T : INumber<T>;

    /// <summary>Combines an accumulator with one element.</summary>
    protected abstract T Combine<T>(T accumulator, T element) where T : INumber<T>;

    /// <summary>
    /// JAX's <c>_reduce_chooser_jvp_rule</c> for <c>reduce_max</c> and <c>reduce_min</c>: the
    /// tangent of the chosen element, averaged over all the elements equal to the result (ties
    /// share it evenly; a NaN result has a NaN tangent, as no element equals it).
    /// </summary>
    protected static Tensor ChooserJvp(Tensor x, Tensor t, Tensor y, Ints axes)
    {
        // d/dx max x = [x == max x] / #{j : x_j == max x}
        var sum = new ReduceParams(axes);
        var chosen = Lax.ConvertElementType(Lax.Eq(x, BroadcastBack(y, x.Shape, axes)), t.DType);
        var counts = ReduceSum.Instance.Bind(sum, chosen);
        return Lax.Div(ReduceSum.Instance.Bind(sum, Lax.Mul(t, chosen)), counts);
    }

    /// <inheritdoc/>
    protected override Action<Array[], Array> Kernel(LoweringContext context, int[] groupStarts, int[] groupOffsets) => (inputs, output) =>
    {
        switch (output)
        {
            case float[] f: Reduce((float[])inputs[0], f, groupStarts, groupOffsets); break;
            case double[] d: Reduce((double[])inputs[0], d, groupStarts, groupOffsets); break;
            case int[] i: Reduce((int[])inputs[0], i, groupStarts, groupOffsets); break;
            case uint[] u: Reduce((uint[])inputs[0], u, groupStarts, groupOffsets); break;
            default: throw new NotSupportedException($"{Name}: {output.GetType().Name}");
        }
    };

    private void Reduce<T>(T[] x, T[] output, int[] starts, int[] offsets) where T : INumber<T>
    {
        for (var o = 0; o < starts.Length; o++)
        {
            var acc = Identity<T>();
            var start = starts[o];
            foreach (var r in offsets) acc = Combine(acc, x[start + r]);
            output[o] = acc;
        }
    }
}
