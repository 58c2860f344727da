using JaxSharp.Random;

namespace JaxSharp;

// jax.random's f, wald, triangular, generalized_normal, ball and orthogonal: transformations of
// normal, uniform, exponential and gamma draws with JAX's key splits and operation order
// (jax/_src/random/core.py's _f, _wald, _triangular, _generalized_normal, _ball, _orthogonal).
public static partial class Rng
{
    /// <summary>
    /// F-distributed values, as <c>jax.random.f</c>: <c>(chi2(dfnum) / dfnum) / (chi2(dfden) / dfden)</c>
    /// with the key split into (denominator key, numerator key). <paramref name="shape"/> defaults
    /// to the broadcast shape of dfnum and dfden.
    /// </summary>
    public static Tensor F(Tensor key, Tensor dfnum, Tensor dfden, Shape? shape = null, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(dfnum);
        NotNull(dfden);
        KeyShapes.CheckSingle("f", key);
        RequireFloat("f", floatType);
        var s = shape ?? Primitives.Broadcasting.Shapes("f", dfnum.Shape, dfden.Shape);
        CheckBroadcastsTo("f", s, dfnum.Shape, dfden.Shape);
        var denominatorDf = Np.Cast(dfden, floatType);
        var numeratorDf = Np.Cast(dfnum, floatType);
        var (keyDenominator, keyNumerator) = Split2(key);
        var chi2Numerator = Chisquare(keyNumerator, numeratorDf, s, floatType);
        var chi2Denominator = Chisquare(keyDenominator, denominatorDf, s, floatType);
        return Lax.Div(Np.Divide(chi2Numerator, numeratorDf), Np.Divide(chi2Denominator, denominatorDf));
    }

    /// <summary>
    /// Wald (inverse Gaussian) values of a mean, as <c>jax.random.wald</c>: Michael, Schucany and
    /// Haas's transformation of a normal draw, accepted against a uniform one (keys from one split).
    /// <paramref name="shape"/> defaults to mean's shape.
    /// </summary>
    public static Tensor Wald(Tensor key, Tensor mean, Shape? shape = null, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(mean);
        KeyShapes.CheckSingle("wald", key);
        RequireFloat("wald", floatType);
        var s = shape ?? mean.Shape;
        CheckBroadcastsTo("wald", s, mean.Shape);
        var (k1, k2) = Split2(key);
        var mu = Np.BroadcastTo(Np.Cast(mean, floatType), s);
        var v = Normal(k1, s, floatType);
        var z = Uniform(k2, s, 0.0, 1.0, floatType);
        var y = Np.Multiply(v, v);
        var ySquared = Np.Multiply(y, y);
        var meanSquared = Np.Multiply(mu, mu);
        var sqrtTerm = Np.Sqrt(Np.Add(Np.Multiply(Np.Multiply(4.0, mu), y), Np.Multiply(meanSquared, ySquared)));
        var x = Np.Subtract(Np.Add(mu, Np.Divide(Np.Multiply(meanSquared, y), 2.0)), Np.Multiply(Np.Divide(mu, 2.0), sqrtTerm));
        return Lax.Select(Np.LessEqual(z, Np.Divide(mu, Np.Add(mu, x))), x, Np.Divide(meanSquared, x));
    }

    /// <summary>
    /// Triangular values on [left, right] with peak at mode, as <c>jax.random.triangular</c>: the
    /// inverse CDF of one uniform draw. <paramref name="shape"/> defaults to the broadcast shape of
    /// the three parameters.
    /// </summary>
    public static Tensor Triangular(Tensor key, Tensor left, Tensor mode, Tensor right, Shape? shape = null, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(left);
        NotNull(mode);
        NotNull(right);
        KeyShapes.CheckSingle("triangular", key);
        RequireFloat("triangular", floatType);
        var s = shape ?? Primitives.Broadcasting.Shapes("triangular", left.Shape, mode.Shape, right.Shape);
        CheckBroadcastsTo("triangular", s, left.Shape, mode.Shape, right.Shape);
        var l = Np.BroadcastTo(Np.Cast(left, floatType), s);
        var r = Np.BroadcastTo(Np.Cast(right, floatType), s);
        var m = Np.BroadcastTo(Np.Cast(mode, floatType), s);
        var fc = Np.Divide(Np.Subtract(m, l), Np.Subtract(r, l));
        var u = Uniform(key, s, 0.0, 1.0, floatType);
        var below = Np.Add(l, Np.Sqrt(Np.Multiply(Np.Multiply(u, Np.Subtract(r, l)), Np.Subtract(m, l))));
        var above = Np.Subtract(r, Np.Sqrt(Np.Multiply(Np.Multiply(Np.Subtract(1.0, u), Np.Subtract(r, l)), Np.Subtract(r, m))));
        return Lax.Select(Np.Less(u, fc), below, above);
    }

    /// <summary>
    /// Generalized normal values with density ∝ exp(-|x|^p), as <c>jax.random.generalized_normal</c>:
    /// a Rademacher sign times gamma(1/p)^(1/p) (keys from one split).
    /// </summary>
    public static Tensor GeneralizedNormal(Tensor key, double p, Shape shape, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(shape);
        KeyShapes.CheckSingle("generalized_normal", key);
        RequireFloat("generalized_normal", floatType);
        var keys = Split(key);
        var g = Gamma(Key0(keys), Constant(1 / p, floatType), shape, floatType);
        var sign = Rademacher(Key1(keys), shape, floatType);
        return Np.Multiply(sign, Np.Power(g, Constant(1 / p, floatType)));
    }

    /// <summary>
    /// Points uniform in the unit Lp ball of dimension d, as <c>jax.random.ball</c>: generalized
    /// normal coordinates divided by (Σ|g|^p + e)^(1/p) with e exponential (Barthe et al.). The result has shape + (d,).
    /// </summary>
    public static Tensor Ball(Tensor key, int d, double p = 2, Shape? shape = null, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        KeyShapes.CheckSingle("ball", key);
        RequireFloat("ball", floatType);
        if (d < 0) throw new ArgumentException($"ball: d must be a nonnegative dimension, got {d}");
        var s = shape ?? Shape.Scalar;
        var (k1, k2) = Split2(key);
        var g = GeneralizedNormal(k1, p, new Shape([.. s, d]), floatType);
        var e = Exponential(k2, s, floatType);
        var norm = Np.Power(Np.Add(Np.Sum(Np.Power(Np.Abs(g), Constant(p, floatType)), -1), e), Constant(1 / p, floatType));
        return Np.Divide(g, Np.ExpandDims(norm, -1));
    }

    /// <summary>
    /// Matrices uniform on the orthogonal group O(n) (semi-orthogonal n × m when m differs), as
    /// <c>jax.random.orthogonal</c>: Q of the QR decomposition of a normal matrix, its columns
    /// multiplied by the signs of R's diagonal (Mezzadri). The result has shape + (n, m).
    /// </summary>
    /// <example><c>Rng.Orthogonal(key, 3)</c> is a 3 × 3 matrix q with qᵀq = I.</example>
    public static Tensor Orthogonal(Tensor key, int n, Shape? shape = null, DType? dtype = null, int? m = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        KeyShapes.CheckSingle("orthogonal", key);
        RequireFloat("orthogonal", floatType);
        var columns = m ?? n;
        if (n < 0 || columns < 0) throw new ArgumentException($"orthogonal: n and m must be nonnegative, got n={n}, m={columns}");
        var s = shape ?? Shape.Scalar;
        var z = Normal(key, new Shape([.. s, Math.Max(n, columns), Math.Min(n, columns)]), floatType);
        var (q, r) = Lax.Qr(z, fullMatrices: false);
        var d = Np.Diagonal(r, 0, -2, -1);
        var x = Np.Multiply(q, Np.ExpandDims(Np.Sign(d), -2));
        return n < columns ? Np.Swapaxes(x, -1, -2) : x;
    }
}
