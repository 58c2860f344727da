using JaxSharp.Random;

namespace JaxSharp;

public static partial class Rng
{
    /// <summary>
    /// A random permutation of 0..n-1 (int32), as <c>jax.random.permutation(key, n)</c>: the
    /// range sorted by random 32-bit keys, repeated for large n (JAX's <c>_shuffle</c>).
    /// </summary>
    /// <example><c>Rng.Permutation(Rng.Key(0), 5)</c> holds 0..4 in a random order.</example>
    public static Tensor Permutation(Tensor key, int n)
    {
        NotNull(key);
        KeyShapes.CheckSingle("permutation", key);
        if (n < 0) throw new ArgumentException($"permutation: n must be >= 0, got {n}");
        return Shuffle(key, Np.Arange(n), 0);
    }

    /// <summary>
    /// <paramref name="x"/> permuted along <paramref name="axis"/>, as <c>jax.random.permutation(key, x, axis, independent)</c>:
    /// whole slices move together, unless <paramref name="independent"/>, then each vector along the axis is shuffled on its own.
    /// </summary>
    public static Tensor Permutation(Tensor key, Tensor x, int axis = 0, bool independent = false)
    {
        NotNull(key);
        NotNull(x);
        KeyShapes.CheckSingle("permutation", key);
        if (x.Rank == 0)
            throw new ArgumentException("permutation: x must be at least 1-dimensional; for a range use Rng.Permutation(key, n)");
        var a = x.Shape.NormalizeAxis(axis, "permutation");
        if (independent || x.Rank == 1) return Shuffle(key, x, a);
        return Np.Take(x, Shuffle(key, Np.Arange(x.Shape[a]), 0), a);
    }

    /// <summary>
    /// JAX's <c>_shuffle</c>: ceil(3 ln(size) / ln(2^32 - 1)) rounds, each sorting x along the axis
    /// by fresh random uint32 keys with a stable sort (<c>sort_key_val</c>).
    /// </summary>
    private static Tensor Shuffle(Tensor key, Tensor x, int axis)
    {
        const int exponent = 3;
        var rounds = (int)Math.Ceiling(exponent * Math.Log(Math.Max(1, x.Size)) / Math.Log(uint.MaxValue));
        for (var r = 0; r < rounds; r++)
        {
            (key, var subkey) = Split2(key);
            var sortKeys = Bits(subkey, x.Shape);
            x = Np.TakeAlongAxis(x, Lax.Argsort(sortKeys, axis), axis);
        }
        return x;
    }

    /// <summary>
    /// Draws from 0..n-1 (int32), as <c>jax.random.choice(key, n, shape, replace, p)</c>; see
    /// <see cref="Choice(Tensor, Tensor, Shape, bool, Tensor?, int)"/>.
    /// </summary>
    public static Tensor Choice(Tensor key, int n, Shape shape, bool replace = true, Tensor? p = null) =>
        ChoiceCore(NotNull(key), null, n, NotNull(shape), replace, p, 0);

    /// <summary>
    /// Draws of slices of <paramref name="a"/> along <paramref name="axis"/>, as <c>jax.random.choice</c>:
    /// with replacement, uniform (randint) or weighted by <paramref name="p"/> (inverse CDF:
    /// searchsorted on cumsum p); without replacement, the first prod(shape) of a permutation, or
    /// with p the Gumbel top-k trick. The result has a's shape with the axis replaced by <paramref name="shape"/>.
    /// </summary>
    /// <exception cref="ArgumentException">More draws than elements without replacement, p of the wrong shape, or an empty population.</exception>
    public static Tensor Choice(Tensor key, Tensor a, Shape shape, bool replace = true, Tensor? p = null, int axis = 0)
    {
        NotNull(key);
        NotNull(a);
        NotNull(shape);
        if (a.Rank == 0)
            throw new ArgumentException("choice: a must be at least 1-dimensional; to draw from a range use Rng.Choice(key, n, shape)");
        var ax = a.Shape.NormalizeAxis(axis, "choice");
        return ChoiceCore(key, a, a.Shape[ax], shape, replace, p, ax);
    }

    private static Tensor ChoiceCore(Tensor key, Tensor? arr, int nInputs, Shape shape, bool replace, Tensor? p, int axis)
    {
        KeyShapes.CheckSingle("choice", key);
        var nDraws = shape.Size;
        var outShape = arr is null ? shape : new Shape([.. arr.Shape.Take(axis), .. shape, .. arr.Shape.Skip(axis + 1)]);
        if (nDraws == 0) return Np.Zeros(outShape, arr?.DType ?? DType.Int32);
        if (nInputs <= 0) throw new ArgumentException("choice: a must be greater than 0 unless no samples are taken");
        if (!replace && nDraws > nInputs)
            throw new ArgumentException($"choice: cannot take a larger sample ({nDraws}) than the population ({nInputs}) when replace is false");
        Tensor result;
        if (p is null)
        {
            if (replace)
            {
                var ind = Randint(key, shape, 0, nInputs);
                result = arr is null ? ind : Np.Take(arr, ind, axis);
            }
            else
            {
                var perm = arr is null ? Permutation(key, nInputs) : Permutation(key, arr, axis);
                var limits = perm.Shape.ToArray();
                limits[axis] = nDraws;
                result = Lax.Slice(perm, new Ints(new int[perm.Rank]), new Ints(limits));
            }
        }
        else
        {
            var pArr = p.DType.IsFloat() ? p : Np.AsType(p, DType.Float32);
            if (pArr.Rank != 1 || pArr.Shape[0] != nInputs)
                throw new ArgumentException($"choice: p must be None or match the shape of a: expected ({nInputs},), got {p.Shape}");
            Tensor ind;
            if (replace)
            {
                // r = cumsum(p)[-1] * (1 - u); ind = searchsorted(cumsum(p), r), side left: #{i: cdf[i] < r}.
                var cdf = Np.Cumsum(pArr);
                var total = Lax.Squeeze(Lax.Slice(cdf, new Ints(nInputs - 1), new Ints(nInputs)), new Ints(0));
                var r = Lax.Mul(total, Lax.Sub(Np.Cast(1.0, pArr.DType), Uniform(key, shape, 0.0, 1.0, pArr.DType)));
                var below = Lax.Lt(Lax.BroadcastInDim(cdf, new Shape([.. shape, nInputs]), new Ints(shape.Rank)), Lax.ExpandDims(r, new Ints(-1)));
                ind = Lax.ReduceSum(Lax.ConvertElementType(below, DType.Int32), shape.Rank);
            }
            else
            {
                // Gumbel top-k: the k smallest of -gumbel - log p.
                var g = Lax.Sub(Lax.Neg(Gumbel(key, new Shape(nInputs), pArr.DType)), Lax.Log(pArr));
                ind = Lax.Slice(Lax.Argsort(g), new Ints(0), new Ints(nDraws));
            }
            result = arr is null ? ind : Np.Take(arr, ind, axis);
        }
        return Lax.Reshape(result, outShape);
    }

    /// <summary>
    /// int32 draws from categorical distributions given by unnormalised log probabilities on
    /// <paramref name="axis"/>, as <c>jax.random.categorical</c>: the argmax of logits plus Gumbel noise.
    /// <paramref name="shape"/> (default: logits' shape without the axis) may add leading sample axes.
    /// </summary>
    public static Tensor Categorical(Tensor key, Tensor logits, int axis = -1, Shape? shape = null)
    {
        NotNull(key);
        NotNull(logits);
        KeyShapes.CheckSingle("categorical", key);
        if (!logits.DType.IsFloat())
            throw new ArgumentException($"categorical: logits must be float32 or float64, got {logits.DType.Name()}{logits.Shape}");
        var ax = logits.Shape.NormalizeAxis(axis, "categorical");
        var batchShape = new Shape(logits.Shape.Where((_, d) => d != ax));
        var outShape = shape ?? batchShape;
        CheckBroadcastsTo("categorical", outShape, batchShape);
        var prefix = outShape.Rank - batchShape.Rank;
        // gumbel(key, prefix + logits' shape) + logits (expanded with the prefix axes), argmax on the axis.
        var logitsShape = new List<int>(outShape.Skip(prefix));
        logitsShape.Insert(ax, logits.Shape[ax]);
        var noise = Gumbel(key, new Shape([.. outShape.Take(prefix), .. logitsShape]), logits.DType);
        var expanded = prefix == 0 ? logits : Lax.ExpandDims(logits, new Ints(Enumerable.Range(0, prefix)));
        return Lax.Argmax(Lax.Add(noise, expanded), prefix + ax);
    }
}
