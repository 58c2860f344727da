using System.Linq.Expressions;
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

    /// <summary>Combines an accumulator with one element (scalar expressions of the element type).</summary>
    protected abstract Expression Combine(Expression accumulator, Expression element);

    /// <summary>Combines two vectors lane by lane (see <see cref="VectorExpressions"/>).</summary>
    protected abstract Expression VectorCombine(Expression accumulator, Expression element);

    /// <summary>A reduction loop: fusion puts the elementwise work that feeds it into the same pass.</summary>
    public override CpuLowering LowerCpu(LoweringContext context) =>
        new ReductionLowering(AxesOf(context.Params), IdentityOf(context.Output.DType), Combine, VectorCombine);

    private object IdentityOf(DType dtype) => dtype switch
    {
        DType.Float32 => (object)Identity<float>(),
        DType.Float64 => Identity<double>(),
        DType.Int32 => Identity<int>(),
        DType.UInt32 => Identity<uint>(),
        _ => throw new NotSupportedException($"{Name}: no reduction of {dtype.Name()}"),
    };

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
}
