namespace JaxSharp;

// jnp's searching, counting and interpolation, by comparing every pair (JAX's
// "compare_all" method), which fuses into one loop and needs no sort.
public static partial class Np
{
    /// <summary>
    /// Where each value of <paramref name="v"/> would be inserted into the sorted 1-d
    /// <paramref name="a"/> to keep it sorted: the count of elements below it ("left"), or at or
    /// below it ("right"). int32, of v's shape.
    /// </summary>
    /// <example><c>Np.Searchsorted(Np.Array(new[] { 1.0, 2.0, 3.0 }), Np.Array(new[] { 2.5 }))</c> is <c>[2]</c>.</example>
    /// <exception cref="ArgumentException">a is not 1-d, or side is neither "left" nor "right".</exception>
    public static Tensor Searchsorted(Tensor a, Tensor v, string side = "left")
    {
        NotNull(a);
        NotNull(v);
        NotNull(side);
        if (a.Rank != 1) throw new ArgumentException($"searchsorted: a has shape {a.Shape}; it must be a sorted 1-d array");
        if (side != "left" && side != "right") throw new ArgumentException($"searchsorted: side is \"{side}\"; it must be \"left\" or \"right\"");
        var (sorted, values) = Promote(a, v);
        var expanded = ExpandDims(values, values.Rank);
        var before = side == "left" ? Less(sorted, expanded) : LessEqual(sorted, expanded);
        return Sum(AsType(before, DType.Int32), -1);
    }

    /// <summary>
    /// The index of the bin of each x among increasing <paramref name="bins"/>: i with
    /// <c>bins[i-1] &lt;= x &lt; bins[i]</c> (with <paramref name="right"/>, <c>bins[i-1] &lt; x &lt;= bins[i]</c>).
    /// </summary>
    public static Tensor Digitize(Tensor x, Tensor bins, bool right = false) =>
        Searchsorted(NotNull(bins), NotNull(x), right ? "left" : "right");

    /// <summary>Whether each element of <paramref name="element"/> occurs in <paramref name="testElements"/>.</summary>
    public static Tensor Isin(Tensor element, Tensor testElements, bool invert = false)
    {
        NotNull(element);
        NotNull(testElements);
        var found = Any(Equal(ExpandDims(element, element.Rank), Ravel(testElements)), -1);
        return invert ? LogicalNot(found) : found;
    }

    /// <summary>
    /// How many times each value 0..length-1 occurs in the int array x (with weights, their
    /// sums). As JAX: negative values count as 0, values of length or more are dropped; the
    /// static <paramref name="length"/> keeps the shape known under jit.
    /// </summary>
    /// <exception cref="ArgumentException">x is not a 1-d integer array, or length is negative.</exception>
    public static Tensor Bincount(Tensor x, int length, Tensor? weights = null)
    {
        NotNull(x);
        if (x.Rank != 1 || !x.DType.IsInteger()) throw new ArgumentException($"bincount: x is {x.DType.Name()} of shape {x.Shape}; it must be a 1-d integer array");
        if (length < 0) throw new ArgumentException($"bincount: length is {length}; it must be >= 0");
        var hits = Equal(ExpandDims(Maximum(x, 0), 1), Arange(length));
        var w = weights is null ? OnesLike(x) : weights;
        return Sum(Where(hits, ExpandDims(w, 1), ZerosLike(ExpandDims(w, 1))), 0);
    }

    /// <summary>
    /// The piecewise linear interpolant of the points (xp, fp), increasing xp, at x; outside
    /// [xp[0], xp[^1]] the end values (or <paramref name="left"/> and <paramref name="right"/>).
    /// </summary>
    /// <exception cref="ArgumentException">xp and fp are not 1-d of the same length.</exception>
    public static Tensor Interp(Tensor x, Tensor xp, Tensor fp, double? left = null, double? right = null)
    {
        NotNull(x);
        NotNull(xp);
        NotNull(fp);
        if (xp.Rank != 1 || fp.Rank != 1 || xp.Shape[0] != fp.Shape[0] || xp.Shape[0] == 0)
            throw new ArgumentException($"interp: xp {xp.Shape} and fp {fp.Shape} must be 1-d arrays of the same, non-zero length");
        var n = xp.Shape[0];
        var xf = ToInexact(x);
        var i = Clip(Searchsorted(xp, xf, "right"), 1, Math.Max(n - 1, 1));
        var below = Subtract(i, 1);
        var (x0, x1) = (Take(xp, below), Take(xp, i));
        var (f0, f1) = (Take(ToInexact(fp), below), Take(ToInexact(fp), i));
        var dx = Subtract(x1, x0);
        var interpolated = Where(Equal(dx, 0), f0, Add(f0, Multiply(Divide(Subtract(xf, x0), Where(Equal(dx, 0), 1, dx)), Subtract(f1, f0))));
        var first = Take(ToInexact(fp), Np.Array(new[] { 0 }))[0];
        var last = Take(ToInexact(fp), Np.Array(new[] { n - 1 }))[0];
        interpolated = Where(Less(xf, Take(xp, Np.Array(new[] { 0 }))[0]), left is double l ? (Tensor)l : first, interpolated);
        return Where(Greater(xf, Take(xp, Np.Array(new[] { n - 1 }))[0]), right is double r ? (Tensor)r : last, interpolated);
    }

    /// <summary>The integral of y by the trapezoidal rule along the axis, with spacing dx.</summary>
    public static Tensor Trapezoid(Tensor y, double dx = 1.0, int axis = -1)
    {
        NotNull(y);
        var d = y.Shape.NormalizeAxis(axis, "trapezoid");
        var n = y.Shape[d];
        var yf = ToInexact(y);
        var pairs = Add(SliceAxis(yf, d, 1, n), SliceAxis(yf, d, 0, Math.Max(n - 1, 0)));
        return Multiply(Sum(pairs, d), dx / 2);
    }

    /// <summary>The polynomial with coefficients p (highest power first) at x, by Horner's rule.</summary>
    /// <exception cref="ArgumentException">p is not 1-d.</exception>
    public static Tensor Polyval(Tensor p, Tensor x)
    {
        NotNull(p);
        NotNull(x);
        if (p.Rank != 1) throw new ArgumentException($"polyval: p has shape {p.Shape}; the coefficients must be 1-d, highest power first");
        var (pf, xf) = Promote(p, x);
        Tensor acc = ZerosLike(Add(xf, Take(pf, Np.Array(new[] { 0 }))[0]));
        for (var k = 0; k < p.Shape[0]; k++) acc = Add(Multiply(acc, xf), Take(pf, Np.Array(new[] { k }))[0]);
        return acc;
    }

    /// <summary>The Vandermonde matrix of the 1-d x: columns <c>x^(n-1), ..., x, 1</c> (increasing powers with <paramref name="increasing"/>).</summary>
    public static Tensor Vander(Tensor x, int? n = null, bool increasing = false)
    {
        NotNull(x);
        if (x.Rank != 1) throw new ArgumentException($"vander: x has shape {x.Shape}; it must be 1-d");
        var columns = n ?? x.Shape[0];
        var powers = Arange(columns);
        if (!increasing) powers = Subtract(columns - 1, powers);
        return Power(ExpandDims(x, 1), AsType(powers, x.DType == DType.Bool ? DType.Int32 : x.DType));
    }

    /// <summary>num numbers spaced evenly on a log scale: <c>base^linspace(start, stop)</c>.</summary>
    public static Tensor Logspace(double start, double stop, int num = 50, bool endpoint = true, double @base = 10.0, DType? dtype = null) =>
        AsType(Power(@base, Linspace(start, stop, num, endpoint, DType.Float64)), dtype ?? DTypes.DefaultFloat);

    /// <summary>num numbers spaced evenly on a log scale from start to stop (a geometric progression).</summary>
    /// <exception cref="ArgumentException">start or stop is zero, or their signs differ.</exception>
    public static Tensor Geomspace(double start, double stop, int num = 50, bool endpoint = true, DType? dtype = null)
    {
        if (start == 0 || stop == 0 || Math.Sign(start) != Math.Sign(stop))
            throw new ArgumentException($"geomspace: start {start} and stop {stop} must be non-zero and of the same sign");
        var sign = Math.Sign(start);
        return AsType(Multiply(sign, Logspace(Math.Log10(Math.Abs(start)), Math.Log10(Math.Abs(stop)), num, endpoint, 10.0, DType.Float64)), dtype ?? DTypes.DefaultFloat);
    }
}
