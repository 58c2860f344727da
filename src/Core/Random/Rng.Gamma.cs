using JaxSharp.Primitives.LinearAlgebra;
using JaxSharp.Primitives.Random;
using JaxSharp.Random;

namespace JaxSharp;

public static partial class Rng
{
    /// <summary>
    /// Gamma(a) values with unit scale, as <c>jax.random.gamma(key, a, shape, dtype)</c>: JAX's
    /// Marsaglia-Tsang sampler per element (the <c>random_gamma</c> primitive). Multiply by a scale
    /// or divide by a rate for other gamma distributions. <paramref name="shape"/> defaults to a's shape.
    /// </summary>
    /// <example><c>Rng.Gamma(key, 0.8, new Shape(5))</c></example>
    public static Tensor Gamma(Tensor key, Tensor a, Shape? shape = null, DType? dtype = null) =>
        GammaCore("gamma", NotNull(key), NotNull(a), shape, dtype ?? DTypes.DefaultFloat, logSpace: false);

    /// <summary>
    /// The logs of Gamma(a) values, as <c>jax.random.loggamma</c>: exp of it equals
    /// <see cref="Gamma"/> of the same key, with better precision for small a (draws near 0).
    /// </summary>
    public static Tensor LogGamma(Tensor key, Tensor a, Shape? shape = null, DType? dtype = null) =>
        GammaCore("loggamma", NotNull(key), NotNull(a), shape, dtype ?? DTypes.DefaultFloat, logSpace: true);

    private static Tensor GammaCore(string op, Tensor key, Tensor a, Shape? shape, DType dtype, bool logSpace)
    {
        KeyShapes.CheckSingle(op, key);
        RequireFloat(op, dtype);
        var s = shape ?? a.Shape;
        CheckBroadcastsTo(op, s, a.Shape);
        var alpha = Np.BroadcastTo(Np.Cast(a, dtype), s);
        return RandomGamma.Instance.Bind(new RandomGammaParams(logSpace, Scheme), key, alpha);
    }

    /// <summary>
    /// Beta(a, b) values, as <c>jax.random.beta</c>: two log-gamma draws from split keys,
    /// combined as <c>g_a / (g_a + g_b)</c> after subtracting their maximum (no underflow for small a, b).
    /// </summary>
    public static Tensor Beta(Tensor key, Tensor a, Tensor b, Shape? shape = null, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(a);
        NotNull(b);
        KeyShapes.CheckSingle("beta", key);
        RequireFloat("beta", floatType);
        var s = shape ?? Primitives.Broadcasting.Shapes("beta", a.Shape, b.Shape);
        CheckBroadcastsTo("beta", s, a.Shape, b.Shape);
        var (keyA, keyB) = Split2(key);
        var logGammaA = LogGamma(keyA, Np.BroadcastTo(Np.Cast(a, floatType), s), s, floatType);
        var logGammaB = LogGamma(keyB, Np.BroadcastTo(Np.Cast(b, floatType), s), s, floatType);
        var logMax = Lax.Max(logGammaA, logGammaB);
        var gammaAScaled = Lax.Exp(Lax.Sub(logGammaA, logMax));
        var gammaBScaled = Lax.Exp(Lax.Sub(logGammaB, logMax));
        return Lax.Div(gammaAScaled, Lax.Add(gammaAScaled, gammaBScaled));
    }

    /// <summary>
    /// Dirichlet(alpha) values on the last axis, as <c>jax.random.dirichlet</c>: the softmax of
    /// log-gamma draws. alpha has shape (..., n); <paramref name="shape"/> is the batch shape
    /// (default alpha's without the last axis), and the result has shape + (n,).
    /// </summary>
    public static Tensor Dirichlet(Tensor key, Tensor alpha, Shape? shape = null, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(alpha);
        KeyShapes.CheckSingle("dirichlet", key);
        RequireFloat("dirichlet", floatType);
        if (alpha.Rank < 1)
            throw new ArgumentException($"dirichlet: requires alpha.ndim >= 1, got alpha of shape {alpha.Shape}");
        var batch = new Shape(alpha.Shape.Take(alpha.Rank - 1));
        var s = shape ?? batch;
        CheckBroadcastsTo("dirichlet", s, batch);
        var logGammaSamples = LogGamma(key, Np.Cast(alpha, floatType), new Shape([.. s, alpha.Shape[alpha.Rank - 1]]), floatType);
        // softmax on the last axis, the max held constant for differentiation (JAX's _softmax).
        var last = logGammaSamples.Rank - 1;
        var xMax = Jax.StopGradient(Np.Max(logGammaSamples, last, keepdims: true));
        var unnormalized = Lax.Exp(Lax.Sub(logGammaSamples, xMax));
        return Lax.Div(unnormalized, Np.Sum(unnormalized, last, keepdims: true));
    }

    /// <summary>
    /// Poisson(lam) int32 values, as <c>jax.random.poisson</c>: Knuth's algorithm below lam = 10,
    /// Hörmann's transformed rejection above (the <c>random_poisson</c> primitive). lam is converted
    /// to float32 as in JAX; lam = 0 gives 0, negative or NaN rates give -1.
    /// </summary>
    public static Tensor Poisson(Tensor key, Tensor lam, Shape? shape = null)
    {
        NotNull(key);
        NotNull(lam);
        KeyShapes.CheckSingle("poisson", key);
        var s = shape ?? lam.Shape;
        CheckBroadcastsTo("poisson", s, lam.Shape);
        var rates = Np.BroadcastTo(Np.Cast(lam, DType.Float32), s);
        return RandomPoisson.Instance.Bind(new RandomPoissonParams(Scheme), key, rates);
    }

    /// <summary>
    /// Multivariate normal values, as <c>jax.random.multivariate_normal(key, mean, cov, shape, dtype, method='cholesky')</c>:
    /// <c>mean + L z</c> with L the Cholesky factor of cov and z standard normal of shape + (n,).
    /// mean is (..., n), cov (..., n, n); <paramref name="shape"/> defaults to their broadcast batch shape.
    /// Only the 'cholesky' method exists here (no svd or eigh yet).
    /// </summary>
    public static Tensor MultivariateNormal(Tensor key, Tensor mean, Tensor cov, Shape? shape = null, DType? dtype = null, string method = "cholesky")
    {
        NotNull(key);
        NotNull(mean);
        NotNull(cov);
        NotNull(method);
        KeyShapes.CheckSingle("multivariate_normal", key);
        if (method is "svd" or "eigh")
            throw new NotSupportedException($"multivariate_normal: method '{method}' needs an {method} primitive, which JaxSharp does not have yet; use method 'cholesky'");
        if (method != "cholesky")
            throw new ArgumentException($"multivariate_normal: method must be one of 'svd', 'eigh', 'cholesky', got '{method}'");
        // promote_dtypes_inexact(mean, cov), then the requested dtype joins the sum.
        var inexact = mean.DType == DType.Float64 || cov.DType == DType.Float64 ? DType.Float64 : DType.Float32;
        var outDType = dtype ?? inexact;
        RequireFloat("multivariate_normal", outDType);
        if (mean.Rank < 1) throw new ArgumentException($"multivariate_normal: requires mean.ndim >= 1, got mean of shape {mean.Shape}");
        if (cov.Rank < 2) throw new ArgumentException($"multivariate_normal: requires cov.ndim >= 2, got cov of shape {cov.Shape}");
        var n = mean.Shape[mean.Rank - 1];
        if (cov.Shape[cov.Rank - 2] != n || cov.Shape[cov.Rank - 1] != n)
            throw new ArgumentException($"multivariate_normal: requires cov.shape == (..., n, n) for n={n}, but got cov.shape == {cov.Shape}");
        var meanBatch = new Shape(mean.Shape.Take(mean.Rank - 1));
        var covBatch = new Shape(cov.Shape.Take(cov.Rank - 2));
        var s = shape ?? Primitives.Broadcasting.Shapes("multivariate_normal", meanBatch, covBatch);
        CheckBroadcastsTo("multivariate_normal", s, meanBatch, covBatch);
        var sum = inexact == DType.Float64 || outDType == DType.Float64 ? DType.Float64 : DType.Float32;
        var factor = Np.Cast(Lax.Cholesky(Np.Cast(cov, inexact)), sum);
        var z = Np.Cast(Normal(key, new Shape([.. s, n]), outDType), sum);
        // einsum('...ij,...j->...i', factor, z): sum over j of factor[..., i, j] * z[..., None, j].
        var products = Lax.Mul(factor, Lax.ExpandDims(z, new Ints(-2)));
        var lz = Lax.ReduceSum(products, products.Rank - 1);
        return Lax.Add(Np.Cast(mean, sum), lz);
    }
}
