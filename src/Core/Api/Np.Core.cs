using JaxSharp.Primitives.Elementwise;

namespace JaxSharp;

/// <summary>
/// numpy-style functions (JAX's <c>jax.numpy</c>) for C#: creation, elementwise math with
/// broadcasting and JAX's type promotion, reductions, shape manipulation, linear algebra and
/// indexing. Built on the primitives; adds none of its own.
/// </summary>
public static partial class Np
{
    /// <summary>
    /// Converts both arguments to their promoted dtype (JAX's rules, <see cref="TypePromotion"/>):
    /// a weakly typed scalar takes the other's dtype.
    /// </summary>
    internal static (Tensor, Tensor) Promote(Tensor a, Tensor b)
    {
        var (dtype, weak) = TypePromotion.Join(a.DType, a.IsWeaklyTyped, b.DType, b.IsWeaklyTyped);
        return (Cast(a, dtype, weak), Cast(b, dtype, weak));
    }

    /// <summary>Promotes several arguments to their common dtype.</summary>
    internal static Tensor[] Promote(params Tensor[] args)
    {
        var (dtype, weak) = TypePromotion.Join(args.Select(a => a.Aval));
        return args.Select(a => Cast(a, dtype, weak)).ToArray();
    }

    /// <summary>
    /// <paramref name="x"/> in <paramref name="dtype"/>: unchanged when it already is; a
    /// concrete scalar converts on the host (so literals stay literals in traced programs), a
    /// .NET double from its exact value; anything else through <c>convert_element_type</c>.
    /// </summary>
    internal static Tensor Cast(Tensor x, DType dtype, bool weak = false)
    {
        if (x.DType == dtype && x.IsWeaklyTyped == weak) return x;
        x = x.ExactLiteral;
        if (x.DType == dtype && x.IsWeaklyTyped == weak) return x;
        var p = new ConvertParams(dtype, weak);
        if (x.IsTracer || x.Rank != 0) return ConvertElementType.Instance.Bind(p, x);
        if (ConvertElementType.OnHost(x, p) is { } converted) return converted;
        using var _ = IR.ProgramBuilder.Suspend();
        return ConvertElementType.Instance.Bind(p, x);
    }

    /// <summary>Converts <paramref name="x"/> to <paramref name="dtype"/> (numpy's <c>astype</c>).</summary>
    public static Tensor AsType(Tensor x, DType dtype) => Cast(NotNull(x), dtype);

    /// <summary>A tensor from a .NET array of any rank; see <see cref="Tensor.FromArray(Array)"/>.</summary>
    /// <example><c>Np.Array(new[,] { { 1.0, 2.0 }, { 3.0, 4.0 } })</c> is a float64 (2, 2) tensor.</example>
    public static Tensor Array(Array values) => Tensor.FromArray(NotNull(values));

    /// <summary>A strongly typed float64 scalar tensor (use <c>2.0</c> directly for a weakly typed one).</summary>
    public static Tensor Scalar(double value) => Tensor.Scalar(value);

    /// <summary>A strongly typed float32 scalar tensor.</summary>
    public static Tensor Scalar(float value) => Tensor.Scalar(value);

    /// <summary>A strongly typed int32 scalar tensor.</summary>
    public static Tensor Scalar(int value) => Tensor.Scalar(value);

    /// <summary>Elementwise choice: <paramref name="x"/> where <paramref name="condition"/> holds, else <paramref name="y"/>, with broadcasting and promotion.</summary>
    /// <example><c>Np.Where(x > 0, x, 0.0)</c> is relu.</example>
    public static Tensor Where(Tensor condition, Tensor x, Tensor y)
    {
        NotNull(condition);
        NotNull(x);
        NotNull(y);
        var (a, b) = Promote(x, y);
        if (condition.DType != DType.Bool) condition = Cast(condition, DType.Bool);
        return Select.Instance.Bind(Primitives.PrimitiveParams.None, condition, a, b);
    }
}
