namespace JaxSharp;

// jnp's array manipulation that composes slicing, concatenation, flips and masks.
public static partial class Np
{
    /// <summary>
    /// The <paramref name="n"/>-th discrete difference along the axis, <c>x[1:] - x[:-1]</c> applied n
    /// times (not-equal for bools); the axis shrinks by n.
    /// </summary>
    /// <example><c>Np.Diff(Np.Array(new[] { 1, 4, 9 }))</c> is <c>[3, 5]</c>.</example>
    /// <exception cref="ArgumentException">Negative n, or a scalar.</exception>
    public static Tensor Diff(Tensor x, int n = 1, int axis = -1)
    {
        NotNull(x);
        if (n < 0) throw new ArgumentException($"diff: n is {n}; the order of the difference must be >= 0");
        if (x.Rank == 0) throw new ArgumentException("diff: x is a scalar; it needs at least one axis (use AtLeast1d)");
        var d = x.Shape.NormalizeAxis(axis, "diff");
        for (var i = 0; i < n && x.Shape[d] > 0; i++)
        {
            var length = x.Shape[d];
            var later = SliceAxis(x, d, 1, length);
            var earlier = SliceAxis(x, d, 0, length - 1);
            x = x.DType == DType.Bool ? NotEqual(later, earlier) : Subtract(later, earlier);
        }
        return x;
    }

    /// <summary>The differences of consecutive elements of the flattened array.</summary>
    public static Tensor Ediff1d(Tensor x) => Diff(Ravel(NotNull(x)));

    /// <summary>
    /// x shifted by <paramref name="shift"/> along the axis, elements that fall off one end coming
    /// back at the other; without an axis the flattened array is rolled and the shape restored.
    /// </summary>
    /// <example><c>Np.Roll(Np.Arange(5), 2)</c> is <c>[3, 4, 0, 1, 2]</c>.</example>
    public static Tensor Roll(Tensor x, int shift, int? axis = null)
    {
        NotNull(x);
        if (axis is null) return Reshape(Roll(Ravel(x), shift, 0), x.Shape.ToArray());
        var d = x.Shape.NormalizeAxis(axis.Value, "roll");
        var n = x.Shape[d];
        if (n == 0) return x;
        var s = ((shift % n) + n) % n;
        if (s == 0) return x;
        return Concatenate([SliceAxis(x, d, n - s, n), SliceAxis(x, d, 0, n - s)], d);
    }

    /// <summary>
    /// x rotated by 90° <paramref name="k"/> times in the plane of the two axes (by default the
    /// first two), from the first axis toward the second, as numpy's rot90.
    /// </summary>
    /// <exception cref="ArgumentException">x has fewer than two axes, or the axes are equal.</exception>
    public static Tensor Rot90(Tensor x, int k = 1, int axis1 = 0, int axis2 = 1)
    {
        NotNull(x);
        if (x.Rank < 2) throw new ArgumentException($"rot90: x has shape {x.Shape}; it needs at least two axes");
        var a = x.Shape.NormalizeAxis(axis1, "rot90");
        var b = x.Shape.NormalizeAxis(axis2, "rot90");
        if (a == b) throw new ArgumentException($"rot90: both axes are {a}; give two different axes");
        return (((k % 4) + 4) % 4) switch
        {
            0 => x,
            1 => Swapaxes(Flip(x, b), a, b),
            2 => Flip(x, a, b),
            _ => Flip(Swapaxes(x, a, b), b),
        };
    }

    /// <summary>x reversed along its second axis (left and right swapped).</summary>
    public static Tensor Fliplr(Tensor x)
    {
        NotNull(x);
        if (x.Rank < 2) throw new ArgumentException($"fliplr: x has shape {x.Shape}; it needs at least two axes (use Flip for 1-d)");
        return Flip(x, 1);
    }

    /// <summary>x reversed along its first axis (up and down swapped).</summary>
    public static Tensor Flipud(Tensor x)
    {
        NotNull(x);
        if (x.Rank < 1) throw new ArgumentException("flipud: x is a scalar; it needs at least one axis");
        return Flip(x, 0);
    }

    /// <summary>An n × m matrix with ones at and below the k-th diagonal, zeros above.</summary>
    /// <example><c>Np.Tri(3)</c> is the lower triangle of ones.</example>
    public static Tensor Tri(int n, int? m = null, int k = 0, DType? dtype = null) => AsType(TriMask(n, m ?? n, k), dtype ?? DTypes.DefaultFloat);

    /// <summary>The bool mask <c>j &lt;= i + k</c> of an n × m matrix.</summary>
    private static Tensor TriMask(int n, int m, int k)
    {
        if (n < 0 || m < 0) throw new ArgumentException($"tri: the shape ({n}, {m}) has a negative size");
        var shape = new Shape(n, m);
        return GreaterEqual(Add(Lax.BroadcastedIota(DType.Int32, shape, 0), k), Lax.BroadcastedIota(DType.Int32, shape, 1));
    }

    /// <summary>The lower triangle of the last two axes of x: elements above the k-th diagonal are zeroed.</summary>
    public static Tensor Tril(Tensor x, int k = 0)
    {
        NotNull(x);
        if (x.Rank < 2) throw new ArgumentException($"tril: x has shape {x.Shape}; it needs at least two axes");
        return Where(TriMask(x.Shape[^2], x.Shape[^1], k), x, ZerosLike(x));
    }

    /// <summary>The upper triangle of the last two axes of x: elements below the k-th diagonal are zeroed.</summary>
    public static Tensor Triu(Tensor x, int k = 0)
    {
        NotNull(x);
        if (x.Rank < 2) throw new ArgumentException($"triu: x has shape {x.Shape}; it needs at least two axes");
        return Where(TriMask(x.Shape[^2], x.Shape[^1], k - 1), ZerosLike(x), x);
    }

    /// <summary>
    /// The k-th diagonal of the plane of <paramref name="axis1"/> and <paramref name="axis2"/>: those
    /// two axes are removed and the diagonal becomes the last axis.
    /// </summary>
    /// <example><c>Np.Diagonal(m)</c> is the main diagonal of a matrix.</example>
    public static Tensor Diagonal(Tensor x, int offset = 0, int axis1 = 0, int axis2 = 1)
    {
        NotNull(x);
        if (x.Rank < 2) throw new ArgumentException($"diagonal: x has shape {x.Shape}; it needs at least two axes");
        var a = x.Shape.NormalizeAxis(axis1, "diagonal");
        var b = x.Shape.NormalizeAxis(axis2, "diagonal");
        if (a == b) throw new ArgumentException($"diagonal: both axes are {a}; give two different axes");
        var moved = Moveaxis(x, [a, b], [x.Rank - 2, x.Rank - 1]);
        int rows = moved.Shape[^2], cols = moved.Shape[^1];
        var firstRow = Math.Max(-offset, 0);
        var firstCol = Math.Max(offset, 0);
        var length = Math.Max(0, Math.Min(rows - firstRow, cols - firstCol));
        var flat = Reshape(moved, [.. moved.Shape.Take(moved.Rank - 2), rows * cols]);
        var positions = Add(Multiply(Add(Arange(length), firstRow), cols), Add(Arange(length), firstCol));
        return Take(flat, positions, axis: -1);
    }

    /// <summary>The sum of the k-th diagonal (see <see cref="Diagonal"/>).</summary>
    public static Tensor Trace(Tensor x, int offset = 0, int axis1 = 0, int axis2 = 1) => Sum(Diagonal(NotNull(x), offset, axis1, axis2), -1);

    /// <summary>
    /// For a vector, the square matrix with it on the k-th diagonal; for a matrix, its k-th diagonal.
    /// </summary>
    /// <exception cref="ArgumentException">x is neither 1-d nor 2-d.</exception>
    public static Tensor Diag(Tensor x, int k = 0)
    {
        NotNull(x);
        if (x.Rank == 2) return Diagonal(x, k);
        if (x.Rank != 1) throw new ArgumentException($"diag: x has shape {x.Shape}; it must be 1-d (to build a matrix) or 2-d (to read a diagonal)");
        var n = x.Shape[0];
        var shape = new Shape(n, n);
        var onDiagonal = Equal(Lax.BroadcastedIota(DType.Int32, shape, 0), Lax.BroadcastedIota(DType.Int32, shape, 1));
        var rows = Lax.BroadcastInDim(x, shape, new[] { 0 });
        var square = Where(onDiagonal, rows, ZerosLike(rows));
        var shift = Math.Abs(k);
        return k >= 0 ? Pad(square, [(0, shift), (shift, 0)]) : Pad(square, [(shift, 0), (0, shift)]);
    }

    /// <summary>The flattened x on the k-th diagonal of a square matrix.</summary>
    public static Tensor Diagflat(Tensor x, int k = 0) => Diag(Ravel(NotNull(x)), k);

    /// <summary>The Kronecker product: blocks <c>a[i, j] * b</c>; the ranks are matched by leading size-1 axes.</summary>
    public static Tensor Kron(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        var rank = Math.Max(a.Rank, b.Rank);
        var sa = Enumerable.Repeat(1, rank - a.Rank).Concat(a.Shape).ToArray();
        var sb = Enumerable.Repeat(1, rank - b.Rank).Concat(b.Shape).ToArray();
        var aInterleaved = Reshape(a, [.. sa.SelectMany(n => new[] { n, 1 })]);
        var bInterleaved = Reshape(b, [.. sb.SelectMany(n => new[] { 1, n })]);
        return Reshape(Multiply(aInterleaved, bInterleaved), [.. sa.Zip(sb, (m, n) => m * n)]);
    }

    /// <summary>
    /// The coordinate arrays of a grid: for 1-d x0..xn-1, n arrays of the grid's shape. With
    /// <paramref name="indexing"/> "xy" (the default) the first two axes are swapped, as numpy's.
    /// </summary>
    /// <exception cref="ArgumentException">An input is not 1-d, or indexing is neither "xy" nor "ij".</exception>
    public static Tensor[] Meshgrid(Tensor[] xs, string indexing = "xy")
    {
        NoNulls(xs);
        NotNull(indexing);
        if (indexing != "xy" && indexing != "ij") throw new ArgumentException($"meshgrid: indexing is \"{indexing}\"; it must be \"xy\" or \"ij\"");
        foreach (var x in xs)
            if (x.Rank != 1) throw new ArgumentException($"meshgrid: an input has shape {x.Shape}; each must be 1-d (use Ravel)");
        var lengths = xs.Select(x => x.Shape[0]).ToArray();
        var axisOf = Enumerable.Range(0, xs.Length).ToArray();
        if (indexing == "xy" && xs.Length >= 2)
        {
            (lengths[0], lengths[1]) = (lengths[1], lengths[0]);
            (axisOf[0], axisOf[1]) = (1, 0);
        }
        var shape = new Shape(lengths);
        return xs.Select((x, i) => Lax.BroadcastInDim(x, shape, new[] { axisOf[i] })).ToArray();
    }

    /// <summary>x with at least one axis: a scalar becomes shape (1).</summary>
    public static Tensor Atleast1d(Tensor x) => NotNull(x).Rank >= 1 ? x : Reshape(x, 1);

    /// <summary>x with at least two axes: a scalar becomes (1, 1), a vector (1, n).</summary>
    public static Tensor Atleast2d(Tensor x) => NotNull(x).Rank >= 2 ? x : Reshape(x, [1, .. Atleast1d(x).Shape]);

    /// <summary>x with at least three axes: a scalar becomes (1, 1, 1), a vector (1, n, 1), a matrix (m, n, 1).</summary>
    public static Tensor Atleast3d(Tensor x) => NotNull(x).Rank switch
    {
        0 => Reshape(x, 1, 1, 1),
        1 => Reshape(x, 1, x.Shape[0], 1),
        2 => Reshape(x, x.Shape[0], x.Shape[1], 1),
        _ => x,
    };

    /// <summary>Arrays joined along the second axis (the first for 1-d arrays).</summary>
    public static Tensor Hstack(IEnumerable<Tensor> xs)
    {
        var all = NotNull(xs).Select(Atleast1d).ToArray();
        return Concatenate(all, all.Length > 0 && all[0].Rank == 1 ? 0 : 1);
    }

    /// <summary>Arrays joined along the first axis, vectors becoming rows.</summary>
    public static Tensor Vstack(IEnumerable<Tensor> xs) => Concatenate(NotNull(xs).Select(Atleast2d), 0);

    /// <summary>Arrays joined along the third axis (see <see cref="Atleast3d"/>).</summary>
    public static Tensor Dstack(IEnumerable<Tensor> xs) => Concatenate(NotNull(xs).Select(Atleast3d), 2);

    /// <summary>Vectors as the columns of a matrix (2-d arrays are joined along their second axis).</summary>
    public static Tensor ColumnStack(IEnumerable<Tensor> xs) =>
        Concatenate(NotNull(xs).Select(x => x.Rank < 2 ? Reshape(x, x.Size, 1) : x), 1);

    /// <summary>Arrays joined along an existing axis; the same as <see cref="Concatenate"/> (the array API's name).</summary>
    public static Tensor Concat(IEnumerable<Tensor> xs, int axis = 0) => Concatenate(NotNull(xs), axis);

    /// <summary>The axes permuted; the same as <see cref="Transpose"/> (the array API's name).</summary>
    public static Tensor PermuteDims(Tensor x, params int[] axes) => Transpose(NotNull(x), NotNull(axes));

    /// <summary>The last two axes swapped.</summary>
    public static Tensor MatrixTranspose(Tensor x)
    {
        NotNull(x);
        if (x.Rank < 2) throw new ArgumentException($"matrix_transpose: x has shape {x.Shape}; it needs at least two axes");
        return Swapaxes(x, -1, -2);
    }

    /// <summary>The number of axes of x.</summary>
    public static int Ndim(Tensor x) => NotNull(x).Rank;

    /// <summary>
    /// A copy of x in a buffer of its own, as <c>jnp.copy</c>. Arrays are immutable, so a copy is
    /// needed only to keep a value that is about to be donated to a jitted function (see
    /// <c>Jax.Jit</c>'s <c>donate</c>); a traced value is returned as it is.
    /// </summary>
    public static Tensor Copy(Tensor x) => NotNull(x).CopyOfHostBuffer();

    /// <summary>The n × n identity matrix; the same as <see cref="Eye"/> with one size.</summary>
    public static Tensor Identity(int n, DType? dtype = null) => Eye(n, dtype: dtype);

    /// <summary>x and values joined along the axis; without an axis both are flattened first.</summary>
    public static Tensor Append(Tensor x, Tensor values, int? axis = null)
    {
        NotNull(x);
        NotNull(values);
        return axis is int a ? Concatenate([x, values], a) : Concatenate([Ravel(x), Ravel(values)], 0);
    }
}
