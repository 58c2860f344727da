using System.Runtime.CompilerServices;
using JaxSharp.Primitives;

namespace JaxSharp;

public static partial class Np
{
    /// <summary>
    /// The same elements in row-major order in a new shape; one dimension may be -1, meaning
    /// whatever size makes the total match.
    /// </summary>
    /// <example><c>Np.Reshape(x, 2, -1)</c></example>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        NotNull(x);
        NotNull(shape);
        var dims = (int[])shape.Clone();
        var unknown = Enumerable.Range(0, dims.Length).Where(d => dims[d] == -1).ToArray();
        if (unknown.Length > 1 || dims.Any(d => d < -1))
            throw new ArgumentException($"reshape: shape {Ints.Format(shape)} is invalid; sizes must be >= 0, with at most one -1 (inferred)");
        if (unknown.Length == 1)
        {
            var known = dims.Where(d => d != -1).Aggregate(1L, (a, b) => a > int.MaxValue ? a : a * b); // saturates: past int.MaxValue it cannot divide the size
            if (known == 0 || x.Size % known != 0)
                throw new ArgumentException($"reshape: cannot reshape {x.Shape} ({x.Size} elements) to {Ints.Format(shape)}; the known sizes must divide the element count");
            dims[unknown[0]] = (int)(x.Size / known);
        }
        return Lax.Reshape(x, TensorLimits.Check("reshape", new Shape(dims)));
    }

    /// <summary>The elements as a vector, in row-major order.</summary>
    public static Tensor Ravel(Tensor x) => Lax.Reshape(NotNull(x), new Shape(x.Size));

    /// <summary>Permutes the axes: output axis i is input axis <paramref name="axes"/>[i]; with no axes, reverses them.</summary>
    /// <example><c>Np.Transpose(m)</c> is the matrix transpose.</example>
    public static Tensor Transpose(Tensor x, params int[] axes)
    {
        NotNull(x);
        NotNull(axes);
        var perm = axes.Length == 0
            ? Enumerable.Range(0, x.Rank).Reverse().ToArray()
            : axes.Length == x.Rank ? axes.Select(a => x.Shape.NormalizeAxis(a, "transpose")).ToArray()
            : throw new ArgumentException($"transpose: axes {Ints.Format(axes)} do not match shape {x.Shape}; give a permutation of all {x.Rank} axes");
        return Lax.Transpose(x, perm);
    }

    /// <summary>Exchanges two axes.</summary>
    public static Tensor Swapaxes(Tensor x, int axis1, int axis2)
    {
        NotNull(x);
        var perm = Enumerable.Range(0, x.Rank).ToArray();
        var (a, b) = (x.Shape.NormalizeAxis(axis1, "swapaxes"), x.Shape.NormalizeAxis(axis2, "swapaxes"));
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Lax.Transpose(x, perm);
    }

    /// <summary>Moves axis <paramref name="source"/> to position <paramref name="destination"/>, keeping the others in order.</summary>
    /// <example><c>Np.Moveaxis(x, 0, -1)</c> moves the first axis last.</example>
    public static Tensor Moveaxis(Tensor x, int source, int destination) => Moveaxis(NotNull(x), [source], [destination]);

    /// <summary>Moves each axis of <paramref name="source"/> to the matching position of <paramref name="destination"/>.</summary>
    public static Tensor Moveaxis(Tensor x, int[] source, int[] destination)
    {
        NotNull(x);
        NotNull(source);
        NotNull(destination);
        if (source.Length != destination.Length)
            throw new ArgumentException($"moveaxis: source {Ints.Format(source)} and destination {Ints.Format(destination)} must have the same length");
        var src = source.Select(a => x.Shape.NormalizeAxis(a, "moveaxis")).ToArray();
        var dst = destination.Select(a => x.Shape.NormalizeAxis(a, "moveaxis")).ToArray();
        if (src.Distinct().Count() != src.Length || dst.Distinct().Count() != dst.Length)
            throw new ArgumentException($"moveaxis: source {Ints.Format(source)} and destination {Ints.Format(destination)} must not repeat an axis");
        var perm = Enumerable.Range(0, x.Rank).Where(a => !src.Contains(a)).ToList();
        foreach (var (d, s) in dst.Zip(src).OrderBy(p => p.First)) perm.Insert(d, s);
        return Lax.Transpose(x, perm.ToArray());
    }

    /// <summary>Inserts axes of size 1 at the given positions of the result (negative count from its end).</summary>
    /// <example><c>Np.ExpandDims(v, 0)</c> turns a (3,) vector into a (1, 3) row.</example>
    public static Tensor ExpandDims(Tensor x, params int[] axes) => NotNull(axes).Length == 0 ? x : Lax.ExpandDims(NotNull(x), axes);

    /// <summary>Removes the given axes of size 1; with no axes, every axis of size 1.</summary>
    public static Tensor Squeeze(Tensor x, params int[] axes) => Lax.Squeeze(NotNull(x),
        NotNull(axes).Length > 0 ? axes : Enumerable.Range(0, x.Rank).Where(d => x.Shape[d] == 1).ToArray());

    /// <summary>Broadcasts <paramref name="x"/> to <paramref name="shape"/> by numpy's rules (axes aligned at the right; size 1 stretches).</summary>
    /// <example><c>Np.BroadcastTo(v, new Shape(4, 3))</c> repeats a (3,) vector as 4 rows.</example>
    public static Tensor BroadcastTo(Tensor x, Shape shape)
    {
        NotNull(x);
        TensorLimits.Check("broadcast_to", NotNull(shape));
        if (x.Shape == shape) return x;
        var lead = shape.Rank - x.Rank;
        if (lead < 0 || Enumerable.Range(0, x.Rank).Any(d => x.Shape[d] != 1 && x.Shape[d] != shape[lead + d]))
            throw new ArgumentException($"broadcast_to: cannot broadcast shape {x.Shape} to {shape}; each axis (aligned at the right) must match or be 1");
        return Lax.BroadcastInDim(x, shape, Enumerable.Range(lead, x.Rank).ToArray());
    }

    /// <summary>The arguments broadcast to their common shape.</summary>
    public static Tensor[] BroadcastArrays(params Tensor[] xs)
    {
        NoNulls(xs);
        var shape = Broadcasting.Shapes("broadcast_arrays", xs.Select(x => x.Shape).ToArray());
        return xs.Select(x => BroadcastTo(x, shape)).ToArray();
    }

    /// <summary>Joins tensors along an existing axis, promoting them to a common dtype.</summary>
    /// <example><c>Np.Concatenate([a, b], axis: 1)</c></example>
    public static Tensor Concatenate(IEnumerable<Tensor> xs, int axis = 0)
    {
        var args = Promote(NonEmpty(xs, "concatenate"));
        if (args[0].Rank == 0) throw new ArgumentException("concatenate: zero-dimensional arrays cannot be concatenated; stack them, or expand_dims first");
        return args.Length == 1 ? args[0] : Lax.Concatenate(args, args[0].Shape.NormalizeAxis(axis, "concatenate"));
    }

    /// <summary>Joins tensors of one shape along a new axis, promoting them to a common dtype.</summary>
    /// <example><c>Np.Stack([a, b])</c> of two (3,) vectors is (2, 3).</example>
    public static Tensor Stack(IEnumerable<Tensor> xs, int axis = 0)
    {
        var args = Promote(NonEmpty(xs, "stack"));
        if (args.Any(a => a.Shape != args[0].Shape))
            throw new ArgumentException($"stack: all arrays must have the same shape, got {string.Join(", ", args.Select(a => a.Shape.ToString()))}");
        var at = Shape.NormalizeAxis(axis, args[0].Rank + 1, "stack");
        return Lax.Concatenate(args.Select(a => Lax.ExpandDims(a, new Ints(at))), at);
    }

    private static Tensor[] NonEmpty(IEnumerable<Tensor> xs, string op, [CallerMemberName] string member = "")
    {
        var args = NoNulls(NotNull(xs, nameof(xs), member).ToArray(), nameof(xs), member);
        return args.Length > 0 ? args : throw new ArgumentException($"{op}: needs at least one array");
    }

    /// <summary>Splits into <paramref name="sections"/> equal parts along <paramref name="axis"/>.</summary>
    /// <exception cref="ArgumentException">The axis's size is not a multiple of <paramref name="sections"/>.</exception>
    public static Tensor[] Split(Tensor x, int sections, int axis = 0)
    {
        NotNull(x);
        var a = x.Shape.NormalizeAxis(axis, "split");
        if (sections <= 0 || x.Shape[a] % sections != 0)
            throw new ArgumentException($"split: axis {a} of shape {x.Shape} (size {x.Shape[a]}) does not divide into {sections} equal sections; give split indices instead");
        var size = x.Shape[a] / sections;
        return Split(x, Enumerable.Range(1, sections - 1).Select(i => i * size).ToArray(), a);
    }

    /// <summary>
    /// Splits before each of <paramref name="indices"/> along <paramref name="axis"/>:
    /// <c>[1, 3]</c> gives <c>x[:1], x[1:3], x[3:]</c> (indices clamped as Python slices).
    /// </summary>
    public static Tensor[] Split(Tensor x, int[] indices, int axis = 0)
    {
        NotNull(x);
        NotNull(indices);
        var a = x.Shape.NormalizeAxis(axis, "split");
        var n = x.Shape[a];
        int Clamp(int i) => Math.Clamp(i < 0 ? i + n : i, 0, n);
        var bounds = new[] { 0 }.Concat(indices.Select(Clamp)).Append(n).ToArray();
        return Enumerable.Range(0, bounds.Length - 1).Select(k => SliceAxis(x, a, bounds[k], Math.Max(bounds[k], bounds[k + 1]))).ToArray();
    }

    /// <summary><c>x[..., start:stop, ...]</c> along one axis.</summary>
    internal static Tensor SliceAxis(Tensor x, int axis, int start, int stop)
    {
        var starts = new int[x.Rank];
        var limits = x.Shape.ToArray();
        (starts[axis], limits[axis]) = (start, stop);
        return Lax.Slice(x, starts, limits);
    }

    /// <summary>Repeats the whole tensor <paramref name="reps"/>[i] times along axis i (aligned at the right, as numpy).</summary>
    /// <example><c>Np.Tile(v, 2)</c> of [1, 2] is [1, 2, 1, 2].</example>
    public static Tensor Tile(Tensor x, params int[] reps)
    {
        NotNull(x);
        NotNull(reps);
        if (reps.Any(r => r < 0)) throw new ArgumentException($"tile: reps {Ints.Format(reps)} must be >= 0");
        var rank = Math.Max(x.Rank, reps.Length);
        var dims = Enumerable.Repeat(1, rank - x.Rank).Concat(x.Shape).ToArray();
        var r = Enumerable.Repeat(1, rank - reps.Length).Concat(reps).ToArray();
        // broadcast to (r0, d0, r1, d1, ...) with x on the odd axes, then merge each pair
        var result = TensorLimits.Shape("tile", Enumerable.Range(0, rank).Select(i => (long)r[i] * dims[i]).ToArray());
        var spread = Enumerable.Range(0, rank).SelectMany(i => new[] { r[i], dims[i] }).ToArray();
        var tiled = Lax.BroadcastInDim(Lax.Reshape(x, dims), spread, Enumerable.Range(0, rank).Select(i => 2 * i + 1).ToArray());
        return Lax.Reshape(tiled, result);
    }

    /// <summary>Repeats each element <paramref name="repeats"/> times along <paramref name="axis"/> (of the flattened tensor when null).</summary>
    /// <example><c>Np.Repeat(v, 2)</c> of [1, 2] is [1, 1, 2, 2].</example>
    public static Tensor Repeat(Tensor x, int repeats, int? axis = null)
    {
        NotNull(x);
        if (repeats < 0) throw new ArgumentException($"repeat: repeats {repeats} must be >= 0");
        var (y, a) = axis is { } ax ? (x, x.Shape.NormalizeAxis(ax, "repeat")) : (Ravel(x), 0);
        // broadcast to (..., n, repeats, ...) with a new axis after a, then merge the two
        var result = y.Shape.Select(d => (long)d).ToArray();
        result[a] *= repeats;
        var merged = TensorLimits.Shape("repeat", result);
        var dims = y.Shape.ToList();
        dims.Insert(a + 1, repeats);
        var spread = Lax.BroadcastInDim(y, dims.ToArray(), Enumerable.Range(0, y.Rank).Select(d => d <= a ? d : d + 1).ToArray());
        return Lax.Reshape(spread, merged);
    }

    /// <summary>Repeats element i <paramref name="repeats"/>[i] times along <paramref name="axis"/> (of the flattened tensor when null).</summary>
    public static Tensor Repeat(Tensor x, int[] repeats, int? axis = null)
    {
        NotNull(x);
        NotNull(repeats);
        var (y, a) = axis is { } ax ? (x, x.Shape.NormalizeAxis(ax, "repeat")) : (Ravel(x), 0);
        if (repeats.Length != y.Shape[a] || repeats.Any(r => r < 0))
            throw new ArgumentException($"repeat: repeats {Ints.Format(repeats)} must give one count >= 0 for each of the {y.Shape[a]} elements along axis {a}");
        var source = repeats.SelectMany((r, i) => Enumerable.Repeat(i, r)).ToArray();
        return Take(y, Tensor.FromArray(source, new Shape(source.Length)), a, GatherScatterMode.Clip);
    }

    /// <summary>Reverses the order of elements along the given axes (all axes when none are given).</summary>
    public static Tensor Flip(Tensor x, params int[] axes) => Lax.Rev(NotNull(x),
        NotNull(axes).Length == 0 ? Enumerable.Range(0, x.Rank).ToArray() : axes.Select(a => x.Shape.NormalizeAxis(a, "flip")).Distinct().Order().ToArray());

    /// <summary>
    /// Pads with <paramref name="constantValue"/> (0 by default): per axis, (before, after)
    /// elements; one pair applies to every axis (numpy's constant mode).
    /// </summary>
    /// <example><c>Np.Pad(m, [(1, 1)])</c> surrounds a matrix with zeros.</example>
    public static Tensor Pad(Tensor x, IReadOnlyList<(int Before, int After)> padWidth, Tensor? constantValue = null)
    {
        NotNull(x);
        NotNull(padWidth);
        if (padWidth.Count != 1 && padWidth.Count != x.Rank)
            throw new ArgumentException($"pad: pad_width has {padWidth.Count} pairs for shape {x.Shape}; give one (before, after) pair per axis, or one for all");
        if (padWidth.Any(p => p.Before < 0 || p.After < 0))
            throw new ArgumentException("pad: pad widths must be >= 0; crop with slicing, or use Lax.Pad for negative padding");
        var config = Enumerable.Range(0, x.Rank).Select(d => padWidth[padWidth.Count == 1 ? 0 : d]).Select(p => (p.Before, p.After, 0)).ToArray();
        return Lax.Pad(x, Cast(constantValue ?? 0, x.DType), config);
    }

    /// <summary>Pads every axis with <paramref name="width"/> elements of <paramref name="constantValue"/> (0 by default) on both sides.</summary>
    public static Tensor Pad(Tensor x, int width, Tensor? constantValue = null) => Pad(NotNull(x), [(width, width)], constantValue);

    /// <summary>Sorts ascending along <paramref name="axis"/> (default the last), stable, NaNs last.</summary>
    public static Tensor Sort(Tensor x, int axis = -1) => Lax.Sort(NotNull(x), axis);

    /// <summary>The int32 positions that sort <paramref name="x"/> ascending along <paramref name="axis"/>, stable, NaNs last.</summary>
    public static Tensor Argsort(Tensor x, int axis = -1) => Lax.Argsort(NotNull(x), axis);
}
