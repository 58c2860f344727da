namespace JaxSharp;

/// <summary>
/// numpy's indexing rules, built from primitives: ints and slices become one <c>slice</c>
/// (plus <c>rev</c> for negative steps) and a <c>reshape</c> that drops int axes and adds new
/// ones; integer arrays (with any ints beside them) become one <c>gather</c>, whose result
/// axes go where the arrays stand when they are adjacent, else first (numpy's rule).
/// </summary>
internal static class IndexResolver
{
    /// <summary><c>x[index]</c>; ints and integer arrays read out-of-range positions by <paramref name="mode"/>.</summary>
    public static Tensor Get(Tensor x, Ix[] index, GatherScatterMode mode = GatherScatterMode.Clip, double? fillValue = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        var items = Expand(x.Shape, ExpandMasks(x.Shape, index));
        var hasArrays = items.Any(i => i.ItemKind == Ix.Kind.Array);
        var rank = x.Rank;
        var (starts, limits, strides) = (new int[rank], x.Shape.ToArray(), Enumerable.Repeat(1, rank).ToArray());
        var reversed = new List<int>();
        var kept = new List<int>();       // the reshaped sizes
        var advanced = new List<(int Axis, Tensor Indices)>();
        var d = 0;
        foreach (var item in items)
        {
            if (item.ItemKind == Ix.Kind.NewAxis) { kept.Add(1); continue; }
            var n = x.Shape[d];
            switch (item.ItemKind)
            {
                case Ix.Kind.Int:
                    var i = item.IntIndex.Resolve(n);
                    var inRange = i >= 0 && i < n;
                    // out of range, an int is read as JAX does, by the gather's mode (clamped by
                    // default); the gather wraps negatives once more, so one below 0 goes as i - n
                    if (hasArrays || !inRange) { advanced.Add((kept.Count, Tensor.Scalar(i < 0 ? i - n : i))); kept.Add(n); }
                    else (starts[d], limits[d]) = (i, i + 1);
                    break;
                case Ix.Kind.Array:
                    advanced.Add((kept.Count, Np.IndexTensor(item.Indices!, "index")));
                    kept.Add(n);
                    break;
                default:
                    var (start, count, step) = ResolveSlice(item, n);
                    // a backward slice is the forward slice of the same elements, reversed
                    var first = step > 0 ? start : start + (count - 1) * step;
                    (starts[d], limits[d], strides[d]) = count == 0 ? (0, 0, 1) : (first, first + (count - 1) * Math.Abs(step) + 1, Math.Abs(step));
                    if (step < 0 && count > 1) reversed.Add(d);
                    kept.Add(count);
                    break;
            }
            d++;
        }
        var y = starts.All(s => s == 0) && limits.SequenceEqual(x.Shape) && strides.All(s => s == 1) ? x : Lax.Slice(x, starts, limits, strides);
        if (reversed.Count > 0) y = Lax.Rev(y, reversed.ToArray());
        y = Lax.Reshape(y, new Shape(kept));
        return advanced.Count == 0 ? y : GatherAdvanced(y, advanced, mode, fillValue);
    }

    /// <summary>The index with the ellipsis (or the missing trailing axes) expanded into whole axes.</summary>
    private static List<Ix> Expand(Shape shape, Ix[] index)
    {
        var consumed = index.Count(i => i.ItemKind is Ix.Kind.Int or Ix.Kind.Slice or Ix.Kind.Array);
        var ellipses = index.Count(i => i.ItemKind == Ix.Kind.Ellipsis);
        if (ellipses > 1) throw new ArgumentException($"index: an index can only have a single ellipsis (...), got [{string.Join(", ", index.AsEnumerable())}]");
        if (consumed > shape.Rank)
            throw new ArgumentException($"index: too many indices for shape {shape}: [{string.Join(", ", index.AsEnumerable())}] indexes {consumed} axes, the array has {shape.Rank}");
        var fill = Enumerable.Repeat(Ix.All, shape.Rank - consumed);
        var items = new List<Ix>();
        foreach (var item in index)
            if (item.ItemKind == Ix.Kind.Ellipsis) items.AddRange(fill);
            else items.Add(item);
        if (ellipses == 0) items.AddRange(fill);
        return items;
    }

    /// <summary>
    /// Each boolean mask of concrete values as the integer arrays of its true positions (NumPy's
    /// <c>x[mask]</c>): a mask of rank k indexes the k axes where it stands, which must have its
    /// shape. A traced mask (under jit, vmap or grad) is refused: the result's shape would depend on its values.
    /// </summary>
    private static Ix[] ExpandMasks(Shape shape, Ix[] index)
    {
        if (!index.Any(IsMask)) return index;
        var result = new List<Ix>();
        var axis = 0;
        for (var k = 0; k < index.Length; k++)
        {
            var item = index[k];
            if (item.ItemKind == Ix.Kind.Ellipsis)
                axis = shape.Rank - index.Skip(k + 1).Sum(i => i.ItemKind is Ix.Kind.NewAxis or Ix.Kind.Ellipsis ? 0 : IsMask(i) ? i.Indices!.Rank : 1);
            else if (item.ItemKind != Ix.Kind.NewAxis && !IsMask(item))
                axis++;
            if (!IsMask(item)) { result.Add(item); continue; }
            var mask = item.Indices!;
            if (mask.IsTracer)
                throw new ArgumentException($"index: boolean mask {mask.Aval} is traced here (under jit, vmap or grad), and the result's shape would depend on its values; use Np.Where(mask, x, 0), or Np.Nonzero(mask, size: n) for a static number of positions");
            if (mask.Rank == 0)
                throw new ArgumentException("index: a 0-d boolean mask is not supported; use Np.Where(mask, x, 0), or Np.ExpandDims(x, 0) for NumPy's x[True]");
            var axes = axis + mask.Rank <= shape.Rank ? shape.Skip(axis).Take(mask.Rank).ToArray() : null;
            if (axes is null || !axes.SequenceEqual(mask.Shape))
                throw new ArgumentException($"index: boolean mask of shape {mask.Shape} does not match the axes from {axis} of shape {shape}; a mask must have the shape of the axes it indexes");
            result.AddRange(Np.Nonzero(mask).Select(positions => (Ix)positions));
            axis += mask.Rank;
        }
        return result.ToArray();
    }

    private static bool IsMask(Ix item) => item.ItemKind == Ix.Kind.Array && item.Indices!.DType == DType.Bool;

    /// <summary>Python's slice.indices: the first position, the number of elements and the step, with the ends clamped.</summary>
    private static (int Start, int Count, int Step) ResolveSlice(Ix item, int n)
    {
        var step = item.Step;
        int Clamp(int v) => step > 0 ? Math.Clamp(v, 0, n) : Math.Clamp(v, -1, n - 1);
        var start = item.Start is { } s ? Clamp(s.Resolve(n)) : step > 0 ? 0 : n - 1;
        var stop = item.Stop is { } e ? Clamp(e.Resolve(n)) : step > 0 ? n : -1;
        var count = step > 0 ? Math.Max(0, (stop - start + step - 1) / step) : Math.Max(0, (start - stop - step - 1) / -step);
        return (start, count, step);
    }

    /// <summary>The gather of the advanced (integer array) indices at the given axes of <paramref name="y"/>.</summary>
    private static Tensor GatherAdvanced(Tensor y, List<(int Axis, Tensor Indices)> advanced, GatherScatterMode mode, double? fillValue)
    {
        var axes = advanced.Select(a => a.Axis).ToArray();
        var wrapped = advanced.Select(a => Np.WrapNegative(a.Indices, y.Shape[a.Axis])).ToArray();
        var batch = Np.BroadcastArrays(wrapped);
        var indices = Np.Stack(batch, axis: -1);
        var batchRank = batch[0].Rank;
        var adjacent = axes.Zip(axes.Skip(1)).All(p => p.Second == p.First + 1);
        var rest = Enumerable.Range(0, y.Rank).Where(a => !axes.Contains(a)).ToArray();
        var before = adjacent ? rest.Count(a => a < axes[0]) : 0;
        var offsetDims = rest.Select((_, i) => i < before ? i : i + batchRank).ToArray();
        var sizes = y.Shape.Select((s, a) => axes.Contains(a) ? 1 : s).ToArray();
        var sorted = axes.Order().ToArray();
        var dn = new GatherDimensionNumbers(offsetDims, sorted, axes);
        return Lax.Gather(y, indices, dn, sizes, mode, fillValue);
    }
}
