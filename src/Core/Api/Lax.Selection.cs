namespace JaxSharp;

public static partial class Lax
{
    /// <summary>
    /// <c>lax.clamp</c>: <c>min(max(x, min), max)</c> elementwise. <paramref name="min"/> and
    /// <paramref name="max"/> are scalars or of x's shape, of x's dtype (a .NET scalar takes it);
    /// lax never broadcasts or promotes here, <see cref="Np.Clip(Tensor, Tensor?, Tensor?)"/> does.
    /// As JAX's rule, the derivative reaches x only strictly inside (min, max), min where
    /// <c>min &gt; x</c> and <c>min &lt; max</c>, and max where <c>max &lt; x</c>.
    /// </summary>
    /// <example><c>Lax.Clamp(0.0, x, 1.0)</c></example>
    /// <exception cref="ArgumentException">A bound's shape or dtype differs from x's.</exception>
    public static Tensor Clamp(Tensor min, Tensor x, Tensor max)
    {
        NotNull(min);
        NotNull(x);
        NotNull(max);
        var matched = MatchWeak(min, x, max);
        RequireSameDTypes("clamp", "Np.Clip", matched);
        var lo = ClampBound("min", matched[0], x.Shape);
        var hi = ClampBound("max", matched[2], x.Shape);
        var operand = matched[1];
        var inside = BitwiseAnd(Lt(lo, operand), Lt(operand, hi));
        var minWins = BitwiseAnd(Gt(lo, operand), Lt(lo, hi));
        var maxWins = Lt(hi, operand);
        // Where none holds (a tie, lo >= hi, NaN), the value passes no derivative, as JAX's.
        var other = Jax.StopGradient(Min(Max(operand, lo), hi));
        return Select(inside, operand, Select(minWins, lo, Select(maxWins, hi, other)));
    }

    private static Tensor ClampBound(string name, Tensor bound, Shape operandShape)
    {
        if (bound.Rank == 0) return BroadcastInDim(bound, operandShape, Ints.Empty);
        if (bound.Shape == operandShape) return bound;
        throw new ArgumentException(
            $"lax.clamp requires {name}.shape == operand.shape or {name}.shape == (), got {name} of shape {bound.Shape} and x of shape {operandShape}; " +
            $"broadcast it with Np.BroadcastTo({name}, x.Shape), or use Np.Clip, which broadcasts");
    }

    /// <summary>
    /// <c>lax.select_n</c>: elementwise <c>cases[which]</c>. <paramref name="which"/> is bool (at
    /// most two cases: false picks cases[0]) or an integer in [0, n) (outside it, the nearest
    /// case), a scalar or of the cases' shape; the cases share one shape and dtype.
    /// </summary>
    /// <example><c>Lax.SelectN(Tensor.FromArray(new[] { 0, 2, 1 }), a, b, c)</c></example>
    /// <exception cref="ArgumentException">No case, cases of several shapes or dtypes, a float which, a bool which with more than two cases, or a which of another shape.</exception>
    public static Tensor SelectN(Tensor which, params Tensor[] cases)
    {
        NotNull(which);
        NotNull(cases);
        foreach (var c in cases) NotNull(c);
        if (cases.Length == 0)
            throw new ArgumentException("lax.select_n must have at least one case; pass the arrays to choose from after which");
        if (cases.Any(c => c.Shape != cases[0].Shape))
            throw new ArgumentException(
                $"lax.select_n cases must have the same shapes, got [{string.Join(", ", cases.Select(c => c.Shape))}]; broadcast them with Np.BroadcastTo, or use Np.Where, which broadcasts");
        var matched = MatchWeak(cases);
        RequireSameDTypes("select_n", "Np.Where", matched);
        if (which.DType != DType.Bool && !which.DType.IsInteger())
            throw new ArgumentException(
                $"lax.select_n `which` must be boolean or integer type, got {which.DType.Name()}; convert it with Np.AsType(which, DType.Int32)");
        if (which.DType == DType.Bool && cases.Length > 2)
            throw new ArgumentException(
                $"lax.select_n with boolean `which` cannot have > 2 cases, got {cases.Length}; convert which with Np.AsType(which, DType.Int32)");
        if (which.Rank != 0 && which.Shape != cases[0].Shape)
            throw new ArgumentException(
                $"lax.select_n `which` must be scalar or have the same shape as cases, got `which` shape {which.Shape} but case shape {cases[0].Shape}");
        if (matched.Length == 1) return matched[0];
        var predicateOf = which.Rank == 0 ? BroadcastInDim(which, cases[0].Shape, Ints.Empty) : which;
        if (which.DType == DType.Bool) return Select(predicateOf, matched[1], matched[0]);
        var result = matched[0];
        for (var i = 1; i < matched.Length; i++)
            result = Select(Ge(predicateOf, Np.Cast(Tensor.Scalar(i), which.DType)), matched[i], result);
        return result;
    }
}
