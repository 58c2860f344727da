using JaxSharp.Primitives;
using JaxSharp.Primitives.Elementwise;
using JaxSharp.Primitives.Reductions;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp.Random;

/// <summary>
/// Exact arithmetic the samplers need, composed from primitives so that it traces: float
/// subtraction and maximum, and access to the two uint32 words of a 64-bit draw.
/// </summary>
internal static class WordMath
{
    /// <summary><c>a - b</c> for floats of one dtype: <c>a + (-1 * b)</c>, which IEEE rounds identically.</summary>
    public static Tensor Sub(Tensor a, Tensor b) => Add(a, Mul(b, Np.Cast(-1.0, b.DType)));

    /// <summary><c>max(a, b)</c> for one dtype; NaN in <paramref name="b"/> propagates, as the samplers need.</summary>
    public static Tensor Max(Tensor a, Tensor b) => Select.Instance.Bind(PrimitiveParams.None, Gt.Instance.Bind(PrimitiveParams.None, a, b), a, b);

    /// <summary>Elementwise sum of one dtype (no promotion).</summary>
    public static Tensor Add(Tensor a, Tensor b) => Primitives.Elementwise.Add.Instance.Bind(PrimitiveParams.None, a, b);

    /// <summary>Elementwise product of one dtype (no promotion).</summary>
    public static Tensor Mul(Tensor a, Tensor b) => Primitives.Elementwise.Mul.Instance.Bind(PrimitiveParams.None, a, b);

    /// <summary>A uint32 constant.</summary>
    public static Tensor U32(uint value) => Tensor.Scalar(value);

    /// <summary>Word <paramref name="index"/> (0 or 1) of uint32 pairs on the last axis: a sum masked by a one-hot pair, exact on uint32.</summary>
    public static Tensor Word(Tensor pairs, int index)
    {
        var mask = Tensor.FromArray(index == 0 ? new[] { 1u, 0u } : new[] { 0u, 1u });
        return ReduceSum.Instance.Bind(new ReduceParams(new Ints(pairs.Rank - 1)), Mul(pairs, mask));
    }

    /// <summary>The pairs (lo, hi) on a new last axis: each word broadcast and masked into its slot.</summary>
    public static Tensor Pair(Tensor lo, Tensor hi)
    {
        var shape = new Shape(lo.Shape.Append(2));
        var dims = new Ints(Enumerable.Range(0, lo.Rank));
        Tensor Spread(Tensor w, uint[] mask) =>
            Mul(BroadcastInDim.Instance.Bind(new BroadcastInDimParams(shape, dims), w), Tensor.FromArray(mask));
        return Add(Spread(lo, [1u, 0u]), Spread(hi, [0u, 1u]));
    }
}
