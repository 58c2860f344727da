using JaxSharp.Primitives;

namespace JaxSharp;

public static partial class Lax
{
    private const string AssociativeScanOp = "lax.associative_scan";

    /// <summary>
    /// <c>lax.associative_scan</c>: all prefix combinations of <paramref name="elems"/> along
    /// <paramref name="axis"/> with an associative <paramref name="fn"/> (<c>out[i] = e[0] ∘ e[1] ∘ … ∘ e[i]</c>),
    /// computed in parallel (JAX's algorithm, Blelloch's odd-even prefix): O(log n) rounds of
    /// <paramref name="fn"/> on strided slices, joined with pads and concatenation, so it is
    /// differentiable and batchable as its parts are. <paramref name="elems"/> is a parameter tree
    /// whose leaves share the length along <paramref name="axis"/>; <paramref name="fn"/> combines two
    /// trees of that structure elementwise (it must broadcast over the other axes).
    /// </summary>
    /// <param name="fn">The associative operation on two trees of slices.</param>
    /// <param name="elems">The elements, a tree of tensors.</param>
    /// <param name="reverse">Combine from the end: <c>out[i] = e[i] ∘ … ∘ e[n-1]</c>.</param>
    /// <param name="axis">The axis scanned along (negative counts from the end).</param>
    /// <example><c>var (a, b) = Lax.AssociativeScanTree(((Tensor A, Tensor B) l, (Tensor A, Tensor B) r) => (r.A * l.A, r.A * l.B + r.B), (a0, b0));</c></example>
    /// <exception cref="ArgumentException">The axis is out of range, or the leaves disagree on its length.</exception>
    public static T AssociativeScanTree<T>(Func<T, T, T> fn, T elems, bool reverse = false, int axis = 0) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(fn);
        Arg.NotNull((object?)elems, AssociativeScanOp, nameof(elems));
        var tree = ParameterTree.Flatten(elems);
        var leaves = tree.Leaves.ToArray();
        if (leaves.Length == 0) return elems;
        var rank = leaves[0].Rank;
        var ax = axis < 0 ? axis + rank : axis;
        var paths = tree.LeafPaths;
        string Leaf(int i) => paths[i].Length == 0 ? "elems" : $"elems at {paths[i]}";
        for (var i = 0; i < leaves.Length; i++)
            if (ax < 0 || ax >= leaves[i].Rank)
                throw new ArgumentException($"{AssociativeScanOp}: axis {axis} is out of range for {Leaf(i)} of shape {leaves[i].Shape}; give an axis from {-leaves[i].Rank} to {leaves[i].Rank - 1}");
        for (var i = 1; i < leaves.Length; i++)
            if (leaves[i].Shape[ax] != leaves[0].Shape[ax])
                throw new ArgumentException(
                    $"{AssociativeScanOp}: {Leaf(i)} has {leaves[i].Shape[ax]} elements along axis {ax} but {Leaf(0)} has {leaves[0].Shape[ax]}; every leaf needs the same length along the scanned axis");
        Tensor[] Combine(Tensor[] a, Tensor[] b)
        {
            var result = fn(tree.Rebuild<T>(a), tree.Rebuild<T>(b));
            var flat = ParameterTree.Flatten(result);
            if (flat.StructureText != tree.StructureText)
                throw new ArgumentException($"{AssociativeScanOp}: fn returned {flat.Outline} for elements {tree.Outline}; it must return a tree of the elements' structure");
            return flat.Leaves.ToArray();
        }
        if (reverse) leaves = leaves.Select(l => Rev(l, new Ints(ax))).ToArray();
        var scanned = PrefixScan(Combine, leaves, ax);
        if (reverse) scanned = scanned.Select(l => Rev(l, new Ints(ax))).ToArray();
        return tree.Rebuild<T>(scanned);
    }

    /// <summary><c>lax.associative_scan</c> of one tensor (see the tree form).</summary>
    /// <example><c>var cumprod = Lax.AssociativeScan((a, b) => a * b, x);</c></example>
    public static Tensor AssociativeScan(Func<Tensor, Tensor, Tensor> fn, Tensor elems, bool reverse = false, int axis = 0) =>
        AssociativeScanTree<Tensor>(fn, elems, reverse, axis);

    /// <summary>
    /// The odd-even recursion: combine adjacent pairs, scan the half-length result (the odd
    /// positions' prefixes), derive the even positions' from them, and interleave.
    /// </summary>
    private static Tensor[] PrefixScan(Func<Tensor[], Tensor[], Tensor[]> combine, Tensor[] elems, int axis)
    {
        var n = elems[0].Shape[axis];
        if (n < 2) return elems;
        var reduced = combine(elems.Select(e => SliceAxis(e, axis, 0, n - 1, 2)).ToArray(), elems.Select(e => SliceAxis(e, axis, 1, n, 2)).ToArray());
        var odd = PrefixScan(combine, reduced, axis);
        var even = n % 2 == 0
            ? combine(odd.Select(e => SliceAxis(e, axis, 0, e.Shape[axis] - 1, 1)).ToArray(), elems.Select(e => SliceAxis(e, axis, 2, n, 2)).ToArray())
            : combine(odd, elems.Select(e => SliceAxis(e, axis, 2, n, 2)).ToArray());
        even = even.Select((r, i) => Concatenate([SliceAxis(elems[i], axis, 0, 1, 1), r], axis)).ToArray();
        return even.Select((e, i) => Interleave(e, odd[i], axis)).ToArray();
    }

    private static Tensor SliceAxis(Tensor x, int axis, int start, int limit, int stride)
    {
        var starts = new int[x.Rank];
        var limits = x.Shape.ToArray();
        var strides = Enumerable.Repeat(1, x.Rank).ToArray();
        (starts[axis], limits[axis], strides[axis]) = (start, Math.Max(start, limit), stride);
        return Slice(x, new Ints(starts), new Ints(limits), new Ints(strides));
    }

    /// <summary><paramref name="a"/> at the even positions and <paramref name="b"/> at the odd ones, by padding each with zeros between its elements and adding.</summary>
    private static Tensor Interleave(Tensor a, Tensor b, int axis)
    {
        var same = a.Shape[axis] == b.Shape[axis];
        var aPad = Enumerable.Range(0, a.Rank).Select(d => d == axis ? (0, same ? 1 : 0, 1) : (0, 0, 0)).ToArray();
        var bPad = Enumerable.Range(0, b.Rank).Select(d => d == axis ? (1, same ? 0 : 1, 1) : (0, 0, 0)).ToArray();
        var pa = Pad(a, Rules.Zeros(a.Aval with { Shape = Shape.Scalar }), aPad);
        var pb = Pad(b, Rules.Zeros(b.Aval with { Shape = Shape.Scalar }), bPad);
        return a.DType == DType.Bool ? BitwiseOr(pa, pb) : Add(pa, pb);
    }
}
