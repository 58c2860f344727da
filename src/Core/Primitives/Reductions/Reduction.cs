using System.Numerics;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Reductions;

/// <summary>The parameters of a reduction: the axes reduced away.</summary>
/// <param name="Axes">Distinct axes in [0, rank), sorted.</param>
public sealed record ReduceParams(Ints Axes) : PrimitiveParams;

/// <summary>
/// The common case of a reduction over some axes with an associative combiner and its
/// identity (<c>reduce_sum</c>, <c>reduce_max</c>...). The output drops the reduced axes.
/// </summary>
public abstract class Reduction : Primitive
{
    /// <summary>The identity of the combiner, e.g. 0 for a sum, -inf for a max.</summary>
    protected abstract T Identity<T>() where T : INumber<T>;

    /// <summary>Combines an accumulator with one element.</summary>
    protected abstract T Combine<T>(T accumulator, T element) where T : INumber<T>;

    /// <summary>Whether the reduction accepts <paramref name="dtype"/>; numeric dtypes by default.</summary>
    protected virtual bool Accepts(DType dtype) => dtype != DType.Bool;

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"{Name}: takes 1 argument, got {inputs.Count}");
        var x = inputs[0];
        var axes = ((ReduceParams)parameters).Axes;
        if (!Accepts(x.DType))
            throw new ArgumentException($"{Name}: got a {x.DType.Name()} array; convert it first, e.g. x.AsType(DType.Int32)");
        foreach (var a in axes)
            if (a < 0 || a >= x.Rank)
                throw new ArgumentException($"{Name}: axis {a} is out of range for shape {x.Shape} (rank {x.Rank})");
        if (axes.Distinct().Count() != axes.Count)
            throw new ArgumentException($"{Name}: axes {axes} repeat an axis");
        var kept = Enumerable.Range(0, x.Rank).Where(d => !axes.Contains(d)).Select(d => x.Shape[d]);
        return new AbstractValue(new Shape(kept), x.DType, x.Weak);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var shape = context.Inputs[0].Shape;
        var axes = ((ReduceParams)context.Params).Axes;
        var keptOffsets = IndexMath.AxisOffsets(shape, Enumerable.Range(0, shape.Rank).Where(d => !axes.Contains(d)));
        var reducedOffsets = IndexMath.AxisOffsets(shape, axes);
        return new KernelLowering((inputs, output) =>
        {
            switch (output)
            {
                case float[] f: Reduce((float[])inputs[0], f, keptOffsets, reducedOffsets); break;
                case double[] d: Reduce((double[])inputs[0], d, keptOffsets, reducedOffsets); break;
                case int[] i: Reduce((int[])inputs[0], i, keptOffsets, reducedOffsets); break;
                case uint[] u: Reduce((uint[])inputs[0], u, keptOffsets, reducedOffsets); break;
                default: throw new NotSupportedException($"{Name}: {output.GetType().Name}");
            }
        });
    }

    private void Reduce<T>(T[] x, T[] output, int[] kept, int[] reduced) where T : INumber<T>
    {
        for (var o = 0; o < kept.Length; o++)
        {
            var acc = Identity<T>();
            var start = kept[o];
            foreach (var r in reduced) acc = Combine(acc, x[start + r]);
            output[o] = acc;
        }
    }
}
