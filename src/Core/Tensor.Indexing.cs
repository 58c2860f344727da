using JaxSharp.Primitives.Indexing;

namespace JaxSharp;

public sealed partial class Tensor
{
    /// <summary>
    /// numpy-style indexing: ints (negative from the end), ranges (<c>1..^1</c>), step slices
    /// (<see cref="Ix.Slice"/>), <see cref="Ix.All"/>, <see cref="Ix.NewAxis"/>,
    /// <see cref="Ix.Ellipsis"/> and int32 tensors (integer array indexing). Out-of-range ints
    /// and array positions are clamped, as in JAX (<c>Np.Arange(10)[11]</c> is 9); see
    /// <see cref="IndexUpdate.Get"/> for the other modes. Returns a new tensor; works under tracing.
    /// </summary>
    /// <example><c>x[0, 1..]</c>, <c>x[Ix.All, Ix.Slice(null, null, -1)]</c>, <c>x[Np.Array(new[] { 2, 0 })]</c></example>
    /// <exception cref="ArgumentException">There are too many indices, or an index is not an integer.</exception>
    [System.Runtime.CompilerServices.IndexerName("Index")]
    public Tensor this[params Ix[] index] => IndexResolver.Get(this, NoNulls(index, member: "Index"));

    /// <summary>
    /// The functional update of the elements <c>this[index]</c> (JAX's <c>x.at[index]</c>):
    /// <c>x.At(1..3).Set(0.0)</c> returns a new tensor and leaves <c>x</c> unchanged.
    /// </summary>
    public IndexUpdate At(params Ix[] index) => new(this, NoNulls(index));
}

/// <summary>
/// The elements of a tensor at an index, to be updated functionally (JAX's <c>x.at[...]</c>):
/// each method returns a new tensor. Updates are broadcast to the indexed shape and cast to
/// the tensor's dtype; positions out of range (ints or integer arrays) are dropped, as in JAX;
/// repeated positions accumulate for <see cref="Add"/>, <see cref="Multiply"/>, <see cref="Min"/> and <see cref="Max"/>.
/// </summary>
public sealed class IndexUpdate
{
    private readonly Tensor _x;
    private readonly Ix[] _index;

    internal IndexUpdate(Tensor x, Ix[] index) => (_x, _index) = (x, index);

    /// <summary>The tensor with the indexed elements replaced by <paramref name="values"/>.</summary>
    /// <example><c>x.At(0).Set(1.0)</c></example>
    public Tensor Set(Tensor values) => Apply(Scatter.Instance, values);

    /// <summary>The tensor with <paramref name="values"/> added to the indexed elements (repeated positions add up).</summary>
    public Tensor Add(Tensor values) => Apply(ScatterAdd.Instance, values);

    /// <summary>The tensor with the indexed elements multiplied by <paramref name="values"/>.</summary>
    public Tensor Multiply(Tensor values) => Apply(ScatterMul.Instance, values);

    /// <summary>The tensor with the indexed elements lowered to <paramref name="values"/> where those are smaller.</summary>
    public Tensor Min(Tensor values) => Apply(ScatterMin.Instance, values);

    /// <summary>The tensor with the indexed elements raised to <paramref name="values"/> where those are larger.</summary>
    public Tensor Max(Tensor values) => Apply(ScatterMax.Instance, values);

    /// <summary>
    /// The indexed elements, as <c>x[index]</c>, reading positions out of range by
    /// <paramref name="mode"/> (JAX's <c>x.at[index].get(mode=..., fill_value=...)</c>):
    /// "clip" (the default) clamps them to the nearest element, "fill" gives
    /// <paramref name="fillValue"/> there (JAX's default when null: NaN, the lowest int32,
    /// the largest uint32, true), "promise_in_bounds" promises there are none (they clamp).
    /// </summary>
    /// <example><c>Np.Arange(10).At(11).Get()</c> is 9; <c>Np.Arange(10).At(11).Get("fill", -1)</c> is -1.</example>
    /// <exception cref="ArgumentException">An unknown mode, or a fill value with a mode other than "fill".</exception>
    public Tensor Get(string mode = "clip", double? fillValue = null)
    {
        Arg.NotNull(mode, "x.At(...).Get", nameof(mode));
        var gatherMode = mode switch
        {
            "clip" or "promise_in_bounds" => GatherScatterMode.Clip,
            "fill" => GatherScatterMode.FillOrDrop,
            _ => throw new ArgumentException($"x.At(...).Get: mode \"{mode}\" is not one of \"clip\", \"fill\" or \"promise_in_bounds\"", nameof(mode)),
        };
        if (fillValue is not null && gatherMode != GatherScatterMode.FillOrDrop)
            throw new ArgumentException($"x.At(...).Get: fillValue {fillValue} is only read with mode \"fill\", got mode \"{mode}\"; pass mode: \"fill\"", nameof(fillValue));
        return IndexResolver.Get(_x, _index, gatherMode, fillValue);
    }

    // The flat positions the index selects (-1 where an array index is out of range) are
    // the index applied to 0, 1, ..., size - 1; a flat scatter then writes there, dropping -1.
    private Tensor Apply(ScatterCombine scatter, Tensor values, [System.Runtime.CompilerServices.CallerMemberName] string operation = "")
    {
        Arg.NotNull(values, $"x.At(...).{operation}", nameof(values));
        var positions = IndexResolver.Get(Np.Reshape(Np.Arange(_x.Size), _x.Shape.ToArray()), _index, GatherScatterMode.FillOrDrop, fillValue: -1);
        var updates = Np.BroadcastTo(Np.Cast(values, _x.DType, _x.IsWeaklyTyped), positions.Shape);
        var dn = new ScatterDimensionNumbers(Ints.Empty, new Ints(0), new Ints(0));
        var flat = scatter.Bind(new ScatterParams(dn, GatherScatterMode.FillOrDrop),
            Np.Ravel(_x), Lax.ExpandDims(positions, new Ints(positions.Rank)), updates);
        return Lax.Reshape(flat, _x.Shape);
    }
}
