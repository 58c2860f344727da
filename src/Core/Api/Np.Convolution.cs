namespace JaxSharp;

public static partial class Np
{
    /// <summary>
    /// <c>jnp.convolve</c>: the discrete linear convolution of two non-empty 1-d arrays (promoted to a
    /// common float dtype), sum over m of a[m] v[n - m]. <paramref name="mode"/> "full" (the default)
    /// gives every overlap (length |a| + |v| - 1), "same" the length of the longer input, "valid" only
    /// full overlaps (length max - min + 1).
    /// </summary>
    /// <example><c>Np.Convolve(Np.Array(new[] { 1.0, 2.0, 3.0 }), Np.Array(new[] { 0.0, 1.0, 0.5 }))</c> is [0, 1, 2.5, 4, 1.5].</example>
    public static Tensor Convolve(Tensor a, Tensor v, string mode = "full") => Correlation("convolve", a, v, mode);

    /// <summary>
    /// <c>jnp.correlate</c>: the cross-correlation of two non-empty 1-d arrays, c[k] = sum over n of
    /// a[n + k] v[n], in the modes of <see cref="Convolve"/> ("valid" is the default here, as in numpy).
    /// </summary>
    /// <example><c>Np.Correlate(Np.Array(new[] { 1.0, 2.0, 3.0 }), Np.Array(new[] { 0.0, 1.0, 0.5 }))</c> is [3.5].</example>
    public static Tensor Correlate(Tensor a, Tensor v, string mode = "valid") => Correlation("correlate", a, v, mode);

    /// <summary>JAX's <c>_conv</c>: both as one conv_general_dilated of (1, 1, n) arrays, the shorter one as the kernel.</summary>
    private static Tensor Correlation(string op, Tensor a, Tensor v, string mode)
    {
        NotNull(a);
        NotNull(v);
        NotNull(mode);
        if (a.Rank != 1 || v.Rank != 1)
            throw new ArgumentException($"{op}: takes 1-d arrays, got shapes {a.Shape} and {v.Shape}; flatten them with Np.Ravel, or use Lax.ConvGeneralDilated for n-d");
        if (a.Shape[0] == 0 || v.Shape[0] == 0)
            throw new ArgumentException($"{op}: inputs cannot be empty, got shapes {a.Shape} and {v.Shape}");
        var (x, y) = Promote(a, v);
        (x, y) = (ToInexact(x), ToInexact(y));
        var reverse = false;
        if (x.Shape[0] < y.Shape[0])
        {
            (x, y) = (y, x);
            reverse = op == "correlate";
        }
        if (op == "convolve") y = Lax.Rev(y, new Ints(0));
        var n = y.Shape[0];
        (int, int) padding = mode switch
        {
            "valid" => (0, 0),
            "same" => (n / 2, n - n / 2 - 1),
            "full" => (n - 1, n - 1),
            _ => throw new ArgumentException($"{op}: mode \"{mode}\" is not one of \"full\", \"same\" or \"valid\""),
        };
        var result = Lax.ConvGeneralDilated(Lax.Reshape(x, new Shape(1, 1, x.Shape[0])), Lax.Reshape(y, new Shape(1, 1, n)), [1], [padding]);
        var flat = Lax.Reshape(result, new Shape(result.Shape[2]));
        return reverse ? Lax.Rev(flat, new Ints(0)) : flat;
    }
}
