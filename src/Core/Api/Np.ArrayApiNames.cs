namespace JaxSharp;

// numpy 2's array-API names for functions that already exist, and the split variants.
public static partial class Np
{
    /// <summary>The inverse cosine; the same as <see cref="Arccos"/>.</summary>
    public static Tensor Acos(Tensor x) => Arccos(NotNull(x));
    /// <summary>The inverse hyperbolic cosine; the same as <see cref="Arccosh"/>.</summary>
    public static Tensor Acosh(Tensor x) => Arccosh(NotNull(x));
    /// <summary>The inverse sine; the same as <see cref="Arcsin"/>.</summary>
    public static Tensor Asin(Tensor x) => Arcsin(NotNull(x));
    /// <summary>The inverse hyperbolic sine; the same as <see cref="Arcsinh"/>.</summary>
    public static Tensor Asinh(Tensor x) => Arcsinh(NotNull(x));
    /// <summary>The inverse tangent; the same as <see cref="Arctan"/>.</summary>
    public static Tensor Atan(Tensor x) => Arctan(NotNull(x));
    /// <summary>The inverse hyperbolic tangent; the same as <see cref="Arctanh"/>.</summary>
    public static Tensor Atanh(Tensor x) => Arctanh(NotNull(x));
    /// <summary>The angle of the point (b, a); the same as <see cref="Arctan2"/>.</summary>
    public static Tensor Atan2(Tensor a, Tensor b) => Arctan2(NotNull(a), NotNull(b));

    /// <summary>The bits of integer x shifted left by y; the same as <see cref="LeftShift"/>.</summary>
    public static Tensor BitwiseLeftShift(Tensor x, Tensor y) => LeftShift(NotNull(x), NotNull(y));

    /// <summary>The bits of integer x shifted left by y (zeros shifted in).</summary>
    /// <exception cref="ArgumentException">x or y is not an integer array.</exception>
    public static Tensor LeftShift(Tensor x, Tensor y)
    {
        NotNull(x);
        NotNull(y);
        var (a, b) = Promote(x, y);
        if (!a.DType.IsInteger()) throw new ArgumentException($"left_shift: the arguments are {a.DType.Name()}; shifts need integer arrays (convert with Np.AsType)");
        return Lax.ShiftLeft(a, b);
    }

    /// <summary>An array of the shape: zeros, since JAX has no uninitialized memory.</summary>
    public static Tensor Empty(Shape shape, DType? dtype = null) => Zeros(NotNull(shape), dtype);

    /// <summary>An array of x's shape and dtype: zeros, since JAX has no uninitialized memory.</summary>
    public static Tensor EmptyLike(Tensor x, DType? dtype = null) => ZerosLike(NotNull(x), dtype);

    /// <summary>x itself, converted to <paramref name="dtype"/> when given.</summary>
    public static Tensor Asarray(Tensor x, DType? dtype = null) => dtype is DType d ? AsType(NotNull(x), d) : NotNull(x);

    /// <summary>The number of elements of x.</summary>
    public static int Size(Tensor x) => NotNull(x).Size;

    /// <summary>The dimensions of x.</summary>
    public static int[] ShapeOf(Tensor x) => NotNull(x).Shape.ToArray();

    /// <summary>x with the axis moved to position <paramref name="start"/> (numpy's older rollaxis).</summary>
    public static Tensor Rollaxis(Tensor x, int axis, int start = 0)
    {
        NotNull(x);
        var a = x.Shape.NormalizeAxis(axis, "rollaxis");
        var s = start < 0 ? start + x.Rank : start;
        if (s < 0 || s > x.Rank) throw new ArgumentException($"rollaxis: start {start} is outside [-{x.Rank}, {x.Rank}] for shape {x.Shape}");
        return Moveaxis(x, a, s > a ? s - 1 : s);
    }

    /// <summary>x split into equal parts along the second axis (the first for 1-d).</summary>
    public static Tensor[] Hsplit(Tensor x, int sections) => Split(NotNull(x), sections, x.Rank == 1 ? 0 : 1);

    /// <summary>x split into equal parts along the first axis.</summary>
    public static Tensor[] Vsplit(Tensor x, int sections) => Split(NotNull(x), sections, 0);

    /// <summary>x split into equal parts along the third axis.</summary>
    public static Tensor[] Dsplit(Tensor x, int sections) => Split(NotNull(x), sections, 2);

    /// <summary>x split into <paramref name="sections"/> parts along the axis; unlike Split, the parts may differ in length by one (the first ones longer).</summary>
    public static Tensor[] ArraySplit(Tensor x, int sections, int axis = 0)
    {
        NotNull(x);
        if (sections <= 0) throw new ArgumentException($"array_split: sections is {sections}; it must be > 0");
        var d = x.Shape.NormalizeAxis(axis, "array_split");
        var n = x.Shape[d];
        var parts = new Tensor[sections];
        var start = 0;
        for (var i = 0; i < sections; i++)
        {
            var length = n / sections + (i < n % sections ? 1 : 0);
            parts[i] = SliceAxis(x, d, start, start + length);
            start += length;
        }
        return parts;
    }

    /// <summary>The slices of x along the axis, each without it (the inverse of <see cref="Stack"/>).</summary>
    public static Tensor[] Unstack(Tensor x, int axis = 0)
    {
        NotNull(x);
        var d = x.Shape.NormalizeAxis(axis, "unstack");
        return Enumerable.Range(0, x.Shape[d]).Select(i => Squeeze(SliceAxis(x, d, i, i + 1), d)).ToArray();
    }

    /// <summary>The dot product of a and b along the axis (the last by default), broadcasting the rest.</summary>
    public static Tensor Vecdot(Tensor a, Tensor b, int axis = -1) => Sum(Multiply(NotNull(a), NotNull(b)), axis);

    /// <summary>The matrix-vector product over the last axes: <c>(..., m, n) × (..., n) → (..., m)</c>.</summary>
    public static Tensor Matvec(Tensor matrix, Tensor vector) => Sum(Multiply(NotNull(matrix), ExpandDims(NotNull(vector), vector.Rank - 1)), -1);

    /// <summary>The vector-matrix product over the last axes: <c>(..., m) × (..., m, n) → (..., n)</c>.</summary>
    public static Tensor Vecmat(Tensor vector, Tensor matrix) => Sum(Multiply(ExpandDims(NotNull(vector), vector.Rank), NotNull(matrix)), -2);

    /// <summary>
    /// The cross product of 3-vectors along the last axis (of 2-vectors: the z component, a scalar per pair).
    /// </summary>
    /// <exception cref="ArgumentException">The last axes are not both of length 2 or 3.</exception>
    public static Tensor Cross(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        int la = a.Rank == 0 ? 0 : a.Shape[^1], lb = b.Rank == 0 ? 0 : b.Shape[^1];
        if ((la != 2 && la != 3) || la != lb)
            throw new ArgumentException($"cross: the last axes of {a.Shape} and {b.Shape} must both have length 2 or both 3");
        Tensor C(Tensor t, int i) => Squeeze(SliceAxis(t, t.Rank - 1, i, i + 1), t.Rank - 1);
        if (la == 2) return Subtract(Multiply(C(a, 0), C(b, 1)), Multiply(C(a, 1), C(b, 0)));
        var x = Subtract(Multiply(C(a, 1), C(b, 2)), Multiply(C(a, 2), C(b, 1)));
        var y = Subtract(Multiply(C(a, 2), C(b, 0)), Multiply(C(a, 0), C(b, 2)));
        var z = Subtract(Multiply(C(a, 0), C(b, 1)), Multiply(C(a, 1), C(b, 0)));
        return Stack([x, y, z], -1);
    }

    /// <summary>The covariance matrix of the rows of x (variables), observations in columns, divided by n - 1.</summary>
    public static Tensor Cov(Tensor x, int ddof = 1)
    {
        NotNull(x);
        var data = Atleast2d(ToInexact(x));
        var centered = Subtract(data, Mean(data, 1, keepdims: true));
        return Divide(Matmul(centered, MatrixTranspose(centered)), data.Shape[1] - ddof);
    }

    /// <summary>The Pearson correlation matrix of the rows of x.</summary>
    public static Tensor Corrcoef(Tensor x)
    {
        var c = Cov(NotNull(x));
        var d = Sqrt(Diagonal(c));
        return Clip(Divide(Divide(c, ExpandDims(d, 1)), ExpandDims(d, 0)), -1, 1);
    }
}
