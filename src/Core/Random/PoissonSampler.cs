using static JaxSharp.Random.ScalarDraws;

namespace JaxSharp.Random;

/// <summary>
/// JAX's <c>_poisson</c> (jax/_src/random.py) on one key and a block of float32 rates: Knuth's
/// algorithm where lam &lt; 10 (or NaN), Hörmann's transformed rejection elsewhere, both as JAX's
/// while loops over the whole block (each iteration splits the key and draws a uniform for every
/// element), so that the numbers are JAX's. lam = 0 gives 0; negative or NaN rates give -1.
/// </summary>
internal static class PoissonSampler
{
    /// <summary>Writes the draws for <paramref name="lam"/> into <paramref name="result"/>.</summary>
    public static void Sample((uint, uint) key, ReadOnlySpan<float> lam, Span<int> result, ThreefryScheme scheme)
    {
        var n = lam.Length;
        var useKnuth = new bool[n];
        var lamKnuth = new float[n];
        var lamRejection = new float[n];
        for (var i = 0; i < n; i++)
        {
            useKnuth[i] = float.IsNaN(lam[i]) || lam[i] < 10f;
            lamKnuth[i] = useKnuth[i] ? lam[i] : 0f;
            // The acceptance rate of rejection peaks near 89% as lam grows: a large dummy rate.
            lamRejection[i] = useKnuth[i] ? 1e5f : lam[i];
        }
        var knuth = useKnuth.Contains(true) ? Knuth(key, lamKnuth, scheme) : null;
        var rejection = useKnuth.Contains(false) ? Rejection(key, lamRejection, scheme) : null;
        for (var i = 0; i < n; i++)
            result[i] = lam[i] == 0f ? 0 : useKnuth[i] ? knuth![i] : rejection![i];
    }

    /// <summary>Knuth: count uniforms until their product falls below exp(-lam), minus one.</summary>
    private static int[] Knuth((uint, uint) key, float[] lam, ThreefryScheme scheme)
    {
        var n = lam.Length;
        var k = new int[n];
        var logProd = new float[n];
        var u = new float[n];
        // while any(log_prod > -lam): k += (log_prod > -lam); log_prod += log(uniform(subkey, shape)).
        while (Active(logProd, lam))
        {
            (key, var subkey) = Split2(key.Item1, key.Item2, scheme);
            Uniforms<float>(subkey, scheme, u);
            for (var i = 0; i < n; i++)
            {
                if (logProd[i] > -lam[i]) k[i]++;
                logProd[i] += MathF.Log(u[i]);
            }
        }
        for (var i = 0; i < n; i++) k[i] -= 1;
        return k;
    }

    private static bool Active(float[] logProd, float[] lam)
    {
        for (var i = 0; i < lam.Length; i++)
            if (logProd[i] > -lam[i]) return true;
        return false;
    }

    /// <summary>Hörmann's transformed rejection (PTRS); the last accepted k of each element, looping until every element has accepted once.</summary>
    private static int[] Rejection((uint, uint) key, float[] lam, ThreefryScheme scheme)
    {
        var n = lam.Length;
        var kOut = new float[n];
        Array.Fill(kOut, -1f);
        var accepted = new bool[n];
        var (logLam, a, b, invAlpha, vR) = (new float[n], new float[n], new float[n], new float[n], new float[n]);
        for (var i = 0; i < n; i++)
        {
            logLam[i] = MathF.Log(lam[i]);
            b[i] = 0.931f + 2.53f * MathF.Sqrt(lam[i]);
            a[i] = -0.059f + 0.02483f * b[i];
            invAlpha[i] = 1.1239f + 1.1328f / (b[i] - 3.4f);
            vR[i] = 0.9277f - 3.6224f / (b[i] - 2f);
        }
        var (us, vs) = (new float[n], new float[n]);
        while (accepted.Contains(false))
        {
            (key, var key0, var key1) = Split3(key.Item1, key.Item2, scheme);
            Uniforms<float>(key0, scheme, us);
            Uniforms<float>(key1, scheme, vs);
            for (var i = 0; i < n; i++)
            {
                var u = us[i] - 0.5f;
                var v = vs[i];
                var uShifted = 0.5f - MathF.Abs(u);
                var k = MathF.Floor((2f * a[i] / uShifted + b[i]) * u + lam[i] + 0.43f);
                var s = MathF.Log(v * invAlpha[i] / (a[i] / (uShifted * uShifted) + b[i]));
                var t = -lam[i] + k * logLam[i] - LogGamma(k + 1f);
                var accept1 = uShifted >= 0.07f && v <= vR[i];
                var reject = k < 0f || (uShifted < 0.013f && v > uShifted);
                var accept = accept1 || (!reject && s <= t);
                // Every acceptance overwrites, also after the first, as JAX's select does.
                if (accept) kOut[i] = k;
                accepted[i] |= accept;
            }
        }
        var result = new int[n];
        for (var i = 0; i < n; i++) result[i] = (int)kOut[i];
        return result;
    }

    /// <summary>
    /// lgamma in float32, computed in float64 and rounded (XLA evaluates a float32 Lanczos
    /// series; the two can differ in the last bit, which matters only for a draw exactly at the
    /// acceptance boundary).
    /// </summary>
    private static float LogGamma(float x) => (float)LogGamma((double)x);

    private static readonly double[] s_lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>log |Gamma(x)| by the Lanczos series (g = 7, 9 terms), with the reflection formula below 1/2.</summary>
    private static double LogGamma(double x)
    {
        if (x < 0.5)
            // Gamma(x) Gamma(1 - x) = pi / sin(pi x)
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        x -= 1;
        var sum = s_lanczos[0];
        for (var i = 1; i < s_lanczos.Length; i++) sum += s_lanczos[i] / (x + i);
        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
