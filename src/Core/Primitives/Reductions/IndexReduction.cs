using System.Numerics;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Reductions;

/// <summary>The parameters of <c>argmax</c> and <c>argmin</c>.</summary>
/// <param name="Axes">The one axis reduced away.</param>
/// <param name="IndexDType">The integer dtype of the resulting indices (int32 by default, as in JAX).</param>
public sealed record ArgReduceParams(Ints Axes, DType IndexDType = DType.Int32) : PrimitiveParams;

/// <summary>
/// The index of the extreme element along one axis (<c>argmax</c>, <c>argmin</c>): ties give
/// the first index, and a NaN counts as the extreme, the first NaN winning, as in JAX.
/// </summary>
public abstract class IndexReduction : AxisReduction
{
    /// <summary>Whether <paramref name="candidate"/> beats <paramref name="best"/> (strictly, so ties keep the first).</summary>
    protected abstract bool Beats<T>(T candidate, T best) where T : INumber<T>;

    /// <inheritdoc/>
    protected override Ints AxesOf(PrimitiveParams parameters) => ((ArgReduceParams)parameters).Axes;

    /// <inheritdoc/>
    protected override PrimitiveParams WithAxes(PrimitiveParams parameters, Ints axes) => ((ArgReduceParams)parameters) with { Axes = axes };

    /// <summary>No tangent: the output is an integer index, piecewise constant in the input (JAX's float0).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) => null;

    /// <inheritdoc/>
    protected override (DType DType, bool Weak) OutputType(AbstractValue x, PrimitiveParams parameters)
    {
        var dtype = ((ArgReduceParams)parameters).IndexDType;
        if (!dtype.IsInteger())
            throw new ArgumentException($"{Name}: index_dtype must be int32 or uint32, got {dtype.Name()}");
        return (dtype, false);
    }

    /// <inheritdoc/>
    protected override void CheckAxes(AbstractValue x, Ints axes)
    {
        if (axes.Count != 1)
            throw new ArgumentException($"{Name}: reduces exactly one axis, got axes {axes} for shape {x.Shape}; reduce one axis at a time or reshape first");
        if (x.Shape[axes[0]] == 0)
            throw new ArgumentException($"{Name}: axis {axes[0]} of shape {x.Shape} is empty, so it has no {(Name == "argmax" ? "maximum" : "minimum")}; reduce over a non-empty axis");
    }

    /// <inheritdoc/>
    protected override Action<Array[], Array> Kernel(LoweringContext context, int[] groupStarts, int[] groupOffsets) =>
        (inputs, output) =>
        {
            var found = output as int[] ?? new int[groupStarts.Length];
            switch (inputs[0])
            {
                case float[] f: Find(f, found, groupStarts, groupOffsets); break;
                case double[] d: Find(d, found, groupStarts, groupOffsets); break;
                // the runtime lets a uint[] pass as an int[] (and back): check the exact type
                case int[] i when i.GetType() == typeof(int[]): Find(i, found, groupStarts, groupOffsets); break;
                case uint[] u: Find(u, found, groupStarts, groupOffsets); break;
                default: throw new NotSupportedException($"{Name}: {inputs[0].GetType().Name}");
            }
            if (output is uint[] u32) for (var k = 0; k < found.Length; k++) u32[k] = (uint)found[k];
        };

    private void Find<T>(T[] x, int[] found, int[] starts, int[] offsets) where T : INumber<T>
    {
        for (var g = 0; g < starts.Length; g++)
        {
            var start = starts[g];
            var best = x[start + offsets[0]];
            var index = 0;
            for (var k = 1; k < offsets.Length && !T.IsNaN(best); k++)
            {
                var v = x[start + offsets[k]];
                if (T.IsNaN(v) || Beats(v, best)) { best = v; index = k; }
            }
            found[g] = index;
        }
    }
}
