namespace JaxSharp;

public static partial class Lax
{
    private const string ConvertHint = "convert with Np.AsType / Lax.ConvertElementType (np.astype / lax.convertElementType in F#)";

    /// <summary>
    /// Gives weakly typed operands (.NET scalars) the promoted dtype, as JAX does: weak values
    /// meeting strong ones of one dtype, of the same or a higher kind, take that dtype; values
    /// that are all weak meet at their join. Any other mismatch is left for the caller's
    /// <see cref="RequireSameDTypes"/> to report.
    /// </summary>
    private static Tensor[] MatchWeak(params Tensor[] xs)
    {
        if (xs.All(x => x.DType == xs[0].DType) || xs.All(x => !x.IsWeaklyTyped)) return xs;
        var (dtype, weak) = TypePromotion.Join(xs.Select(x => x.Aval));
        var allWeak = xs.All(x => x.IsWeaklyTyped);
        // A weak value of a higher kind than the strong ones, or strong values of several dtypes: refused.
        if (weak != allWeak || xs.Any(x => !x.IsWeaklyTyped && x.DType != dtype)) return xs;
        return xs.Select(x => Np.Cast(x, dtype, weak)).ToArray();
    }

    private static (Tensor, Tensor) MatchWeak(Tensor a, Tensor b)
    {
        var matched = MatchWeak([a, b]);
        return (matched[0], matched[1]);
    }

    /// <summary>
    /// Refuses operands of several dtypes as jax.lax does (a TypeError there, with these words):
    /// lax never promotes; the caller converts an operand, or uses <paramref name="promoting"/>.
    /// </summary>
    private static void RequireSameDTypes(string laxName, string promoting, params Tensor[] xs)
    {
        if (xs.All(x => x.DType == xs[0].DType)) return;
        throw new ArgumentException(
            $"lax.{laxName} requires arguments to have the same dtypes, got {string.Join(", ", xs.Select(x => x.DType.Name()))}; " +
            $"{ConvertHint}, or use {promoting}, which promotes");
    }

    /// <summary>
    /// Refuses an operand and a value written into it (padding value, update, scatter updates) of
    /// two dtypes, with jax.lax's words; a weakly typed value takes the operand's dtype first.
    /// </summary>
    private static Tensor MatchOperand(string laxName, Tensor x, Tensor value, string valueName, string promoting)
    {
        var matched = MatchWeak(x, value).Item2;
        if (matched.DType == x.DType) return matched;
        throw new ArgumentException(
            $"lax.{laxName} requires the operand and the {valueName} to have the same dtype, got {x.DType.Name()} and {matched.DType.Name()}; " +
            $"convert the {valueName} with Np.AsType({valueName}, DType.{x.DType}) (np.astype in F#), or use {promoting}, which converts");
    }

    /// <summary>
    /// The operands of <c>dot_general</c> in one dtype: as jax.lax.dot_general, operands of two
    /// dtypes compute in the more precise one (float64, float32, int32, uint32, bool in that order).
    /// </summary>
    private static (Tensor, Tensor) MatchDotOperands(Tensor lhs, Tensor rhs)
    {
        if (lhs.DType == rhs.DType) return (lhs, rhs);
        var dtype = DotRank(lhs.DType) >= DotRank(rhs.DType) ? lhs.DType : rhs.DType;
        return (ConvertElementType(lhs, dtype), ConvertElementType(rhs, dtype));
    }

    // JAX's dot_general orders dtypes by (exponent range, mantissa, bit width, signedness).
    private static int DotRank(DType dtype) => dtype switch
    {
        DType.Float64 => 4,
        DType.Float32 => 3,
        DType.Int32 => 2,
        DType.UInt32 => 1,
        _ => 0,
    };
}
