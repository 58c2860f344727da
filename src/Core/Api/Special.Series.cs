namespace JaxSharp;

// scipy.special's functions that are series with a fixed number of terms, unrolled into
// elementwise operations: the modified Bessel functions (Abramowitz & Stegun 9.8.1-9.8.4,
// relative error below 2e-7), the exponential integral and the regularized incomplete gamma
// functions (series below a + 1, continued fraction above; accurate for a up to about 100).
public static partial class Special
{
    private static Tensor Horner(Tensor t, double[] coefficients)
    {
        Tensor acc = Np.FullLike(t, coefficients[^1]);
        for (var i = coefficients.Length - 2; i >= 0; i--) acc = Np.Add(coefficients[i], Np.Multiply(t, acc));
        return acc;
    }

    private static readonly double[] s_i0Small = [1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.0360768, 0.0045813];
    private static readonly double[] s_i0Large = [0.39894228, 0.01328592, 0.00225319, -0.00157565, 0.00916281, -0.02057706, 0.02635537, -0.01647633, 0.00392377];
    private static readonly double[] s_i1Small = [0.5, 0.87890594, 0.51498869, 0.15084934, 0.02658733, 0.00301532, 0.00032411];
    private static readonly double[] s_i1Large = [0.39894228, -0.03988024, -0.00362018, 0.00163801, -0.01031555, 0.02282967, -0.02895312, 0.01787654, -0.00420059];

    /// <summary><c>e^-|x| I0(x)</c>, the exponentially scaled modified Bessel function of order 0.</summary>
    public static Tensor I0e(Tensor x)
    {
        var ax = Np.Abs(Float(NotNull(x)));
        var small = Np.LessEqual(ax, 3.75);
        var xs = Np.Where(small, ax, 3.75);
        var xl = Np.Where(small, 3.75, ax);
        var inner = Np.Multiply(Horner(Np.Square(Np.Divide(xs, 3.75)), s_i0Small), Np.Exp(Np.Negative(xs)));
        var outer = Np.Divide(Horner(Np.Divide(3.75, xl), s_i0Large), Np.Sqrt(xl));
        return Np.Where(small, inner, outer);
    }

    /// <summary>The modified Bessel function of order 0, <c>I0(x) = e^|x| i0e(x)</c>.</summary>
    public static Tensor I0(Tensor x) => Np.Multiply(Np.Exp(Np.Abs(Float(NotNull(x)))), I0e(x));

    /// <summary><c>e^-|x| I1(x)</c>, the exponentially scaled modified Bessel function of order 1 (odd in x).</summary>
    public static Tensor I1e(Tensor x)
    {
        var xf = Float(NotNull(x));
        var ax = Np.Abs(xf);
        var small = Np.LessEqual(ax, 3.75);
        var xs = Np.Where(small, ax, 3.75);
        var xl = Np.Where(small, 3.75, ax);
        var inner = Np.Multiply(Np.Multiply(xs, Horner(Np.Square(Np.Divide(xs, 3.75)), s_i1Small)), Np.Exp(Np.Negative(xs)));
        var outer = Np.Divide(Horner(Np.Divide(3.75, xl), s_i1Large), Np.Sqrt(xl));
        return Np.Multiply(Np.Sign(xf), Np.Where(small, inner, outer));
    }

    /// <summary>The modified Bessel function of order 1, <c>I1(x) = e^|x| i1e(x)</c>.</summary>
    public static Tensor I1(Tensor x) => Np.Multiply(Np.Exp(Np.Abs(Float(NotNull(x)))), I1e(x));

    /// <summary>
    /// The exponential integral <c>E1(x) = ∫_x^∞ e^-t / t dt</c> for x &gt; 0: the power series up to
    /// 2, a continued fraction above; +inf at 0 and NaN below.
    /// </summary>
    public static Tensor Exp1(Tensor x)
    {
        var xf = Float(NotNull(x));
        var small = Np.LessEqual(xf, 2);
        var xs = Np.Where(Np.LogicalAnd(small, Np.Greater(xf, 0)), xf, 1);
        // E1 = -γ - ln x - Σ (-x)^k / (k k!)
        Tensor sum = Np.ZerosLike(xs);
        Tensor power = Np.OnesLike(xs);
        for (var k = 1; k <= 40; k++)
        {
            power = Np.Divide(Np.Multiply(power, Np.Negative(xs)), k);
            sum = Np.Add(sum, Np.Divide(power, k));
        }
        var series = Np.Subtract(Np.Subtract(-0.57721566490153286, Np.Log(xs)), sum);
        // E1 = e^-x / (x + 1 - 1² / (x + 3 - 2² / (x + 5 - ...)))
        var xl = Np.Where(small, 3, xf);
        Tensor tail = Np.ZerosLike(xl);
        for (var n = 60; n >= 1; n--) tail = Np.Divide(n * n, Np.Subtract(Np.Add(xl, 2 * n + 1), tail));
        var fraction = Np.Divide(Np.Exp(Np.Negative(xl)), Np.Subtract(Np.Add(xl, 1), tail));
        var value = Np.Where(small, series, fraction);
        return Np.Where(Np.Equal(xf, 0), double.PositiveInfinity, Np.Where(Np.Less(xf, 0), double.NaN, value));
    }

    /// <summary>log(x^a e^-x / Γ(a)), the prefactor of both incomplete gamma expansions.</summary>
    private static Tensor GammaPrefactor(Tensor a, Tensor x) =>
        Np.Subtract(Np.Subtract(Np.Multiply(a, Np.Log(x)), x), Gammaln(a));

    /// <summary>(P, Q, whether the series was used) for a &gt; 0, x &gt; 0.</summary>
    private static (Tensor P, Tensor Q) IncompleteGamma(Tensor a, Tensor x)
    {
        var broadcast = Np.BroadcastArrays(Float(a), Float(x));
        var (af, xf) = (broadcast[0], broadcast[1]);
        var valid = Np.LogicalAnd(Np.Greater(af, 0), Np.Greater(xf, 0));
        var useSeries = Np.Less(xf, Np.Add(af, 1));
        var aSafe = Np.Where(valid, af, 1);
        // series: P = prefactor · Σ x^n / (a (a+1) ... (a+n))
        var xs = Np.Where(Np.LogicalAnd(valid, useSeries), xf, 0.5);
        Tensor term = Np.Divide(1, aSafe);
        Tensor sum = term;
        for (var n = 1; n < 100; n++)
        {
            term = Np.Multiply(term, Np.Divide(xs, Np.Add(aSafe, n)));
            sum = Np.Add(sum, term);
        }
        var pSeries = Np.Multiply(sum, Np.Exp(GammaPrefactor(aSafe, xs)));
        // continued fraction: Q = prefactor / (x + 1 - a - 1(1-a) / (x + 3 - a - 2(2-a) / ...))
        var xc = Np.Where(Np.LogicalAnd(valid, useSeries), Np.Add(aSafe, 2), Np.Where(valid, xf, 2));
        Tensor tail = Np.ZerosLike(xc);
        for (var n = 60; n >= 1; n--)
            tail = Np.Divide(Np.Multiply(n, Np.Subtract(n, aSafe)), Np.Subtract(Np.Subtract(Np.Add(xc, 2 * n + 1), aSafe), tail));
        var qFraction = Np.Divide(Np.Exp(GammaPrefactor(aSafe, xc)), Np.Subtract(Np.Subtract(Np.Add(xc, 1), aSafe), tail));
        var p = Np.Where(useSeries, pSeries, Np.Subtract(1, qFraction));
        var q = Np.Where(useSeries, Np.Subtract(1, pSeries), qFraction);
        // edges: P(a, 0) = 0; invalid a or x gives NaN
        var zero = Np.LogicalAnd(Np.Greater(af, 0), Np.Equal(xf, 0));
        p = Np.Where(zero, 0, Np.Where(valid, p, double.NaN));
        q = Np.Where(zero, 1, Np.Where(valid, q, double.NaN));
        return (p, q);
    }

    /// <summary>The regularized lower incomplete gamma function <c>P(a, x) = γ(a, x) / Γ(a)</c>.</summary>
    public static Tensor Gammainc(Tensor a, Tensor x)
    {
        NotNull(a);
        NotNull(x);
        return IncompleteGamma(a, x).P;
    }

    /// <summary>The regularized upper incomplete gamma function <c>Q(a, x) = 1 - P(a, x)</c>, accurate in the upper tail.</summary>
    public static Tensor Gammaincc(Tensor a, Tensor x)
    {
        NotNull(a);
        NotNull(x);
        return IncompleteGamma(a, x).Q;
    }

    /// <summary>log Γ(x) for x &gt; 0 (scipy's loggamma on real numbers); NaN for x ≤ 0.</summary>
    public static Tensor Loggamma(Tensor x)
    {
        var xf = Float(NotNull(x));
        return Np.Where(Np.Greater(xf, 0), Gammaln(xf), double.NaN);
    }

    /// <summary>The binomial coefficient <c>N! / (k! (N - k)!)</c> through log-gamma (0 outside 0 ≤ k ≤ N).</summary>
    public static Tensor Comb(Tensor n, Tensor k)
    {
        NotNull(n);
        NotNull(k);
        var (nf, kf) = (Float(n), Float(k));
        var inside = Np.LogicalAnd(Np.GreaterEqual(kf, 0), Np.LessEqual(kf, nf));
        var value = Np.Exp(Np.Subtract(Np.Subtract(Gammaln(Np.Add(nf, 1)), Gammaln(Np.Add(kf, 1))), Gammaln(Np.Add(Np.Subtract(nf, kf), 1))));
        return Np.Where(inside, value, Np.ZerosLike(value));
    }

    /// <summary>The Bernoulli numbers B_0 .. B_n (B_1 = -1/2), as float32.</summary>
    /// <exception cref="ArgumentException">n &lt; 0.</exception>
    public static Tensor Bernoulli(int n)
    {
        if (n < 0) throw new ArgumentException($"bernoulli: n is {n}; it must be >= 0");
        var b = new double[n + 1];
        for (var m = 0; m <= n; m++)
        {
            // B_m = -1/(m+1) Σ_{j<m} C(m+1, j) B_j
            var sum = 0.0;
            var binomial = 1.0;
            for (var j = 0; j < m; j++)
            {
                sum += binomial * b[j];
                binomial = binomial * (m + 1 - j) / (j + 1);
            }
            b[m] = m == 0 ? 1.0 : -sum / (m + 1);
        }
        return Np.Array(b.Select(v => (float)v).ToArray());
    }
}
