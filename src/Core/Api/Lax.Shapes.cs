using JaxSharp.Primitives.Shapes;
using BroadcastInDimPrimitive = JaxSharp.Primitives.Shapes.BroadcastInDim;
using ReshapePrimitive = JaxSharp.Primitives.Shapes.Reshape;
using TransposePrimitive = JaxSharp.Primitives.Shapes.TransposeAxes;
using SqueezePrimitive = JaxSharp.Primitives.Shapes.Squeeze;
using ExpandDimsPrimitive = JaxSharp.Primitives.Shapes.ExpandDims;
using RevPrimitive = JaxSharp.Primitives.Shapes.Rev;
using ConcatenatePrimitive = JaxSharp.Primitives.Shapes.Concatenate;
using PadPrimitive = JaxSharp.Primitives.Shapes.Pad;
using IotaPrimitive = JaxSharp.Primitives.Shapes.Iota;
using SortPrimitive = JaxSharp.Primitives.Shapes.Sort;

namespace JaxSharp;

/// <summary>
/// JAX's <c>jax.lax</c> for C#: one function per primitive, with strict dtypes (no
/// promotion: convert first with <see cref="Np.AsType"/>). Axes are non-negative here
/// unless a function says otherwise.
/// </summary>
public static partial class Lax
{
    /// <summary><c>broadcast_in_dim</c>: places operand axis i at output axis <paramref name="broadcastDimensions"/>[i] of <paramref name="shape"/>, repeating along the others.</summary>
    /// <example><c>Lax.BroadcastInDim(v, new Shape(2, 3), [1])</c> repeats a (3,) vector as 2 rows.</example>
    public static Tensor BroadcastInDim(Tensor x, Shape shape, Ints broadcastDimensions) =>
        BroadcastInDimPrimitive.Instance.Bind(new BroadcastInDimParams(NotNull(shape), NotNull(broadcastDimensions)), NotNull(x));

    /// <summary><c>reshape</c>: the same elements in row-major order in a shape of the same size.</summary>
    public static Tensor Reshape(Tensor x, Shape newSizes) =>
        NotNull(x).Shape == NotNull(newSizes) ? x : ReshapePrimitive.Instance.Bind(new ReshapeParams(newSizes), x);

    /// <summary><c>transpose</c>: output axis i is input axis <paramref name="permutation"/>[i].</summary>
    public static Tensor Transpose(Tensor x, Ints permutation) =>
        TransposePrimitive.Instance.Bind(new TransposeParams(NotNull(permutation)), NotNull(x));

    /// <summary><c>squeeze</c>: removes the given axes, each of size 1 (negative axes count from the end).</summary>
    public static Tensor Squeeze(Tensor x, Ints dimensions) =>
        SqueezePrimitive.Instance.Bind(new SqueezeParams(new Ints(NotNull(dimensions).Select(d => NotNull(x).Shape.NormalizeAxis(d, "squeeze")).Order())), NotNull(x));

    /// <summary><c>expand_dims</c>: inserts axes of size 1 at the given positions of the output (negative count from the output's end).</summary>
    public static Tensor ExpandDims(Tensor x, Ints dimensions)
    {
        NotNull(x);
        NotNull(dimensions);
        var rank = x.Rank + dimensions.Count;
        return ExpandDimsPrimitive.Instance.Bind(new ExpandDimsParams(new Ints(dimensions.Select(d => Shape.NormalizeAxis(d, rank, "expand_dims")).Order())), x);
    }

    /// <summary><c>rev</c>: reverses the elements along the given axes.</summary>
    public static Tensor Rev(Tensor x, Ints dimensions) => RevPrimitive.Instance.Bind(new RevParams(NotNull(dimensions)), NotNull(x));

    /// <summary>
    /// <c>concatenate</c>: joins tensors of one dtype along <paramref name="dimension"/>; tensors
    /// of several dtypes are refused, as jax.lax does (<see cref="Np.Concatenate"/> promotes).
    /// </summary>
    public static Tensor Concatenate(IEnumerable<Tensor> xs, int dimension)
    {
        var operands = MatchWeak(NoNulls(NotNull(xs).ToArray(), nameof(xs)));
        if (operands.Length > 0) RequireSameDTypes("concatenate", "Np.Concatenate", operands);
        return ConcatenatePrimitive.Instance.Bind(new ConcatenateParams(dimension), operands);
    }

    /// <summary>
    /// <c>pad</c>: pads with the scalar <paramref name="paddingValue"/>; per axis, (low, high,
    /// interior) elements before, after and between neighbours. Negative low/high crop.
    /// </summary>
    /// <example><c>Lax.Pad(x, Np.Scalar(0f), [(1, 1, 0)])</c> adds a zero at both ends of a vector.</example>
    /// <exception cref="ArgumentException">The padding value's dtype is not the operand's (a weakly typed .NET number takes it).</exception>
    public static Tensor Pad(Tensor x, Tensor paddingValue, IReadOnlyList<(int Low, int High, int Interior)> paddingConfig) =>
        PadPrimitive.Instance.Bind(new PadParams(
            new Ints(NotNull(paddingConfig).Select(c => c.Low)), new Ints(paddingConfig.Select(c => c.High)), new Ints(paddingConfig.Select(c => c.Interior))),
            NotNull(x), MatchOperand("pad", x, NotNull(paddingValue), "paddingValue", "Np.Pad"));

    /// <summary><c>iota</c>: the vector 0, 1, ..., size - 1 of <paramref name="dtype"/>.</summary>
    /// <example><c>Lax.Iota(DType.Int32, 4)</c> is [0, 1, 2, 3].</example>
    public static Tensor Iota(DType dtype, int size) => BroadcastedIota(dtype, new Shape(size), 0);

    /// <summary>An <c>iota</c> of <paramref name="shape"/> counting along <paramref name="dimension"/>.</summary>
    public static Tensor BroadcastedIota(DType dtype, Shape shape, int dimension) =>
        IotaPrimitive.Instance.Bind(new IotaParams(dtype, NotNull(shape), dimension));

    /// <summary><c>sort</c>: sorts ascending along <paramref name="dimension"/> (default the last), stable, NaNs last.</summary>
    public static Tensor Sort(Tensor x, int dimension = -1) => Sort([NotNull(x)], dimension)[0];

    /// <summary>
    /// <c>sort</c> of several operands (JAX's <c>lax.sort</c> with <c>num_keys</c>): the operands,
    /// all of one shape, sorted together along <paramref name="dimension"/> (default the last) by the
    /// first <paramref name="numKeys"/> of them compared lexicographically, stable, NaNs last; every
    /// operand is permuted alike. One equation with one output per operand.
    /// </summary>
    /// <example><c>Lax.Sort([x, Lax.BroadcastedIota(DType.Int32, x.Shape, 0)], 0)</c> is x sorted, and the positions it came from.</example>
    public static Tensor[] Sort(Tensor[] operands, int dimension = -1, int numKeys = 1)
    {
        Arg.NoNulls(operands, "sort", nameof(operands));
        if (operands.Length == 0) throw new ArgumentException("sort: no operands; give at least one tensor to sort", nameof(operands));
        return SortPrimitive.Instance.BindMany(new SortParams(operands[0].Shape.NormalizeAxis(dimension, "sort"), numKeys), operands);
    }

    /// <summary>
    /// <c>argsort</c>: the int32 positions that sort <paramref name="x"/> ascending along
    /// <paramref name="dimension"/>, stable, NaNs last: as JAX, a two-operand <c>sort</c> of x and an iota.
    /// </summary>
    public static Tensor Argsort(Tensor x, int dimension = -1)
    {
        var d = NotNull(x).Shape.NormalizeAxis(dimension, "argsort");
        return Sort([x, BroadcastedIota(DType.Int32, x.Shape, d)], d)[1];
    }
}
