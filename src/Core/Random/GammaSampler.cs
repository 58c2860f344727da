using System.Numerics;
using static JaxSharp.Random.ScalarDraws;

namespace JaxSharp.Random;

/// <summary>
/// JAX's <c>_gamma_one</c> (jax/_src/random.py): one Gamma(alpha) draw by Marsaglia and Tsang's
/// method, with its key splitting, rejection loops and float operations in JAX's order, so that
/// the numbers are JAX's. For alpha &lt; 1 the draw is boosted: Gamma(alpha) ~ Gamma(alpha + 1) *
/// (1 - U)^(1/alpha), or in log space log Gamma(alpha + 1) + log1p(-U) / alpha (JAX's
/// form since its commit 7205160 of July 2023: both spaces use the same 1 - U).
/// </summary>
internal static class GammaSampler
{
    private static T Log1p<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float)
            ? T.CreateTruncating(Primitives.ScalarMath.Log1p(float.CreateTruncating(x)))
            : T.CreateTruncating(Primitives.ScalarMath.Log1p(double.CreateTruncating(x)));

    /// <summary>One draw (its log when <paramref name="logSpace"/>) from the key (k0, k1).</summary>
    public static T One<T>(uint k0, uint k1, T alpha, bool logSpace, ThreefryScheme scheme) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T zero = T.Zero, one = T.One;
        var oneOverTwo = T.CreateTruncating(0.5);
        var oneOverThree = T.CreateTruncating(1.0 / 3.0);
        var squeezeConst = T.CreateTruncating(0.0331);

        var boostMask = alpha >= one;
        var alphaOrig = alpha;
        alpha = boostMask ? alpha : alpha + one;
        var d = alpha - oneOverThree;
        var c = oneOverThree / T.Sqrt(d);

        var (key, subkey) = Split2(k0, k1, scheme);
        var uBoost = Uniform<T>(subkey, scheme);

        // while_loop(cond, body, (key, X = 0, V = 1, U = 2)): the initial state is rejected.
        T x2 = zero, v3 = one, u = T.CreateTruncating(2);
        // Reject while U >= 1 - 0.0331 X^2 and log U >= X / 2 + d (1 - V + log V), with X = x^2, V = v^3.
        while (u >= one - squeezeConst * (x2 * x2) && T.Log(u) >= x2 * oneOverTwo + d * (one - v3 + T.Log(v3)))
        {
            (var next, var xKey, var uKey) = Split3(key.Item1, key.Item2, scheme);
            key = next;
            // Inner while_loop((x_key, 0, -1)): draw x ~ N(0, 1) until v = 1 + c x > 0.
            var (inner, x, v) = (xKey, zero, -one);
            while (v <= zero)
            {
                (inner, var sub) = Split2(inner.Item1, inner.Item2, scheme);
                x = Normal<T>(sub, scheme);
                v = one + x * c;
            }
            x2 = x * x;
            v3 = v * v * v;
            u = Uniform<T>(uKey, scheme);
        }
        if (logSpace)
        {
            // log U as -exponential = log1p(-u), so that log-space and plain draws agree.
            var logSample = Log1p(-uBoost);
            var logBoost = boostMask || logSample == zero ? zero : logSample * (one / alphaOrig);
            return T.Log(d) + T.Log(v3) + logBoost;
        }
        var boost = boostMask ? one : T.Pow(one - uBoost, one / alphaOrig);
        return d * v3 * boost;
    }
}
