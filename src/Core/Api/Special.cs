using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace JaxSharp;

/// <summary>
/// JAX's <c>jax.scipy.special</c> for C#: log-gamma and its relatives, the normal distribution's
/// functions, and safe logarithms, composed from <see cref="Np"/> functions, so that every
/// transformation applies. Integer inputs are converted to float32. Where JAX has a primitive
/// (lgamma, digamma, erfc) this is a series composed of elementwise operations instead, accurate to
/// about 1e-13 relative in float64 (erfc-based functions to about 1e-7 relative in their tails).
/// </summary>
public static partial class Special
{
    private static T NotNull<T>([NotNull] T? value, [CallerArgumentExpression(nameof(value))] string parameter = "", [CallerMemberName] string member = "")
        where T : class => Arg.NotNull(value, "Special." + member, parameter);

    private static Tensor Float(Tensor x) => Np.ToInexact(x);

    /// <summary>
    /// log Γ(x) for x &gt;= 0.5: the recurrence up to w = x + 8, then Stirling's series
    /// <c>(w - 1/2) log w - w + log(2π)/2 + Σ B_2k / (2k (2k - 1) w^(2k-1))</c>.
    /// </summary>
    private static Tensor StirlingLogGamma(Tensor x)
    {
        Tensor shift = Np.ZerosLike(x);
        for (var k = 0; k < 8; k++) shift = Np.Add(shift, Np.Log(Np.Add(x, k)));
        var w = Np.Add(x, 8);
        var inv2 = Np.Divide(1, Np.Multiply(w, w));
        var series = Np.Divide(Np.Subtract(1.0 / 12, Np.Multiply(inv2, Np.Subtract(1.0 / 360, Np.Multiply(inv2,
            Np.Subtract(1.0 / 1260, Np.Multiply(inv2, Np.Subtract(1.0 / 1680, Np.Multiply(inv2, 1.0 / 1188)))))))), w);
        var stirling = Np.Add(Np.Subtract(Np.Multiply(Np.Subtract(w, 0.5), Np.Log(w)), w), Np.Add(0.5 * Math.Log(2 * Math.PI), series));
        return Np.Subtract(stirling, shift);
    }

    /// <summary>
    /// <c>log |Γ(x)|</c> elementwise (+inf at the poles 0, -1, -2, ...); reflection below 0.5.
    /// </summary>
    /// <example><c>Special.Gammaln(Np.Array(new[] { 5.0 }))</c> is <c>log 24</c>.</example>
    public static Tensor Gammaln(Tensor x)
    {
        var xf = Float(NotNull(x));
        var reflect = Np.Less(xf, 0.5);
        var direct = StirlingLogGamma(Np.Where(reflect, Np.Subtract(1, xf), xf));
        // log|Γ(x)| = log(π / |sin(πx)|) - log Γ(1 - x); a safe x where the branch is not taken
        var xr = Np.Where(reflect, xf, 0.25);
        var reflected = Np.Subtract(Np.Subtract(Math.Log(Math.PI), Np.Log(Np.Abs(Np.Sin(Np.Multiply(Math.PI, xr))))), direct);
        return Np.Where(reflect, reflected, direct);
    }

    /// <summary>The sign of Γ(x): 1 for x &gt; 0, alternating between the poles below 0.</summary>
    public static Tensor Gammasgn(Tensor x)
    {
        var xf = Float(NotNull(x));
        var evenFloor = Np.Equal(Np.Remainder(Np.Floor(xf), 2), 0);
        return Np.Where(Np.Greater(xf, 0), Np.OnesLike(xf), Np.Where(evenFloor, Np.OnesLike(xf), Np.Negative(Np.OnesLike(xf))));
    }

    /// <summary>Γ(x) elementwise, <c>sign · exp(log|Γ(x)|)</c>.</summary>
    public static Tensor Gamma(Tensor x) => Np.Multiply(Gammasgn(NotNull(x)), Np.Exp(Gammaln(x)));

    /// <summary><c>log |B(a, b)| = log|Γ(a)| + log|Γ(b)| - log|Γ(a + b)|</c>.</summary>
    public static Tensor Betaln(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        return Np.Subtract(Np.Add(Gammaln(a), Gammaln(b)), Gammaln(Np.Add(Float(a), Float(b))));
    }

    /// <summary>The beta function <c>B(a, b) = Γ(a) Γ(b) / Γ(a + b)</c>.</summary>
    public static Tensor Beta(Tensor a, Tensor b)
    {
        NotNull(a);
        NotNull(b);
        var sign = Np.Multiply(Np.Multiply(Gammasgn(a), Gammasgn(b)), Gammasgn(Np.Add(Float(a), Float(b))));
        return Np.Multiply(sign, Np.Exp(Betaln(a, b)));
    }

    /// <summary><c>n! = Γ(n + 1)</c> elementwise (0 for negative n, as JAX).</summary>
    public static Tensor Factorial(Tensor n)
    {
        var nf = Float(NotNull(n));
        return Np.Where(Np.Less(nf, 0), Np.ZerosLike(nf), Gamma(Np.Add(nf, 1)));
    }

    /// <summary>The rising factorial (Pochhammer symbol) <c>Γ(z + m) / Γ(z)</c>.</summary>
    public static Tensor Poch(Tensor z, Tensor m)
    {
        NotNull(z);
        NotNull(m);
        var zm = Np.Add(Float(z), Float(m));
        var sign = Np.Multiply(Gammasgn(zm), Gammasgn(z));
        return Np.Multiply(sign, Np.Exp(Np.Subtract(Gammaln(zm), Gammaln(z))));
    }

    /// <summary>The log of the multivariate gamma function of dimension d: <c>d(d-1)/4 log π + Σ_j log Γ(a - j/2)</c>.</summary>
    /// <exception cref="ArgumentException">d &lt; 1.</exception>
    public static Tensor Multigammaln(Tensor a, int d)
    {
        var af = Float(NotNull(a));
        if (d < 1) throw new ArgumentException($"multigammaln: d is {d}; the dimension must be >= 1");
        Tensor sum = Np.FullLike(af, d * (d - 1) / 4.0 * Math.Log(Math.PI));
        for (var j = 0; j < d; j++) sum = Np.Add(sum, Gammaln(Np.Subtract(af, j / 2.0)));
        return sum;
    }

    /// <summary>
    /// The digamma function ψ(x) = d/dx log Γ(x): the recurrence up to x + 8, then the asymptotic
    /// series; reflection below 0.5. NaN at the poles.
    /// </summary>
    public static Tensor Digamma(Tensor x)
    {
        var xf = Float(NotNull(x));
        var reflect = Np.Less(xf, 0.5);
        var y = Np.Where(reflect, Np.Subtract(1, xf), xf);
        Tensor shift = Np.ZerosLike(y);
        for (var k = 0; k < 8; k++) shift = Np.Add(shift, Np.Divide(1, Np.Add(y, k)));
        var w = Np.Add(y, 8);
        var inv2 = Np.Divide(1, Np.Multiply(w, w));
        // ln w - 1/(2w) - Σ B_2k / (2k w^2k)
        var series = Np.Multiply(inv2, Np.Add(1.0 / 12, Np.Multiply(inv2, Np.Add(-1.0 / 120, Np.Multiply(inv2,
            Np.Add(1.0 / 252, Np.Multiply(inv2, Np.Add(-1.0 / 240, Np.Multiply(inv2, 1.0 / 132)))))))));
        var psi = Np.Subtract(Np.Subtract(Np.Subtract(Np.Log(w), Np.Divide(0.5, w)), series), shift);
        var xr = Np.Where(reflect, xf, 0.25);
        var atPole = Np.LogicalAnd(reflect, Np.Equal(xf, Np.Floor(xf)));
        var reflected = Np.Subtract(psi, Np.Divide(Math.PI, Np.Tan(Np.Multiply(Math.PI, xr))));
        return Np.Where(atPole, double.NaN, Np.Where(reflect, reflected, psi));
    }

    /// <summary>
    /// The Hurwitz zeta function <c>ζ(s, q) = Σ_k (q + k)^-s</c> for s &gt; 1 and q &gt; 0 (Euler–Maclaurin
    /// summation after 9 terms); NaN elsewhere.
    /// </summary>
    public static Tensor Zeta(Tensor s, Tensor q)
    {
        NotNull(s);
        NotNull(q);
        var (sf, qf) = (Float(s), Float(q));
        const int n = 9;
        Tensor sum = Np.ZerosLike(Np.Add(sf, qf));
        for (var k = 0; k < n; k++) sum = Np.Add(sum, Np.Power(Np.Add(qf, k), Np.Negative(sf)));
        var a = Np.Add(qf, n);
        sum = Np.Add(sum, Np.Divide(Np.Power(a, Np.Subtract(1, sf)), Np.Subtract(sf, 1)));
        var term = Np.Power(a, Np.Negative(sf));
        sum = Np.Add(sum, Np.Multiply(0.5, term));
        // Σ_j B_2j / (2j)! · s (s+1) ... (s+2j-2) · a^(-s-2j+1)
        double[] bernoulliOverFactorial = [1.0 / 12, -1.0 / 720, 1.0 / 30240, -1.0 / 1209600, 1.0 / 47900160, -691.0 / 1307674368000];
        Tensor rising = sf;
        var power = Np.Divide(term, a);
        for (var j = 0; j < bernoulliOverFactorial.Length; j++)
        {
            sum = Np.Add(sum, Np.Multiply(bernoulliOverFactorial[j], Np.Multiply(rising, power)));
            rising = Np.Multiply(rising, Np.Multiply(Np.Add(sf, 2 * j + 1), Np.Add(sf, 2 * j + 2)));
            power = Np.Divide(power, Np.Multiply(a, a));
        }
        var valid = Np.LogicalAnd(Np.Greater(sf, 1), Np.Greater(qf, 0));
        return Np.Where(valid, sum, double.NaN);
    }

    /// <summary>The n-th derivative of the digamma function: ψ for n = 0, else <c>(-1)^(n+1) n! ζ(n + 1, x)</c>.</summary>
    /// <exception cref="ArgumentException">n &lt; 0.</exception>
    public static Tensor Polygamma(int n, Tensor x)
    {
        NotNull(x);
        if (n < 0) throw new ArgumentException($"polygamma: n is {n}; the order must be >= 0");
        if (n == 0) return Digamma(x);
        var factorial = Enumerable.Range(1, n).Aggregate(1.0, (f, k) => f * k);
        return Np.Multiply((n % 2 == 1 ? 1 : -1) * factorial, Zeta(Np.FullLike(Float(x), n + 1), x));
    }

    /// <summary>The error function.</summary>
    public static Tensor Erf(Tensor x) => Lax.Erf(Float(NotNull(x)));

    /// <summary>The inverse error function on (-1, 1).</summary>
    public static Tensor Erfinv(Tensor x) => Lax.Erfinv(Float(NotNull(x)));

    /// <summary>
    /// <c>log(erfc(z)) - (-z²)</c> for z ≥ 0.5 by a Chebyshev fit (relative error below 1.2e-7), and
    /// the t it uses: <c>erfc(z) = t exp(-z² + poly(t))</c>.
    /// </summary>
    private static (Tensor T, Tensor LogPoly) ErfcTail(Tensor z)
    {
        var t = Np.Divide(1, Np.Add(1, Np.Multiply(0.5, z)));
        double[] c = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        Tensor poly = Np.FullLike(t, c[^1]);
        for (var i = c.Length - 2; i >= 0; i--) poly = Np.Add(c[i], Np.Multiply(t, poly));
        return (t, poly);
    }

    /// <summary><c>1 - erf(x)</c>, accurate in the upper tail where 1 - erf would round to 0.</summary>
    public static Tensor Erfc(Tensor x)
    {
        var xf = Float(NotNull(x));
        var tail = Np.GreaterEqual(xf, 0.5);
        var z = Np.Where(tail, xf, 0.5);
        var (t, poly) = ErfcTail(z);
        var tailValue = Np.Multiply(t, Np.Exp(Np.Add(Np.Negative(Np.Multiply(z, z)), poly)));
        return Np.Where(tail, tailValue, Np.Subtract(1, Lax.Erf(xf)));
    }

    /// <summary>The scaled complementary error function <c>e^(x²) erfc(x)</c>, without overflow for large x.</summary>
    public static Tensor Erfcx(Tensor x)
    {
        var xf = Float(NotNull(x));
        var tail = Np.GreaterEqual(xf, 0.5);
        var z = Np.Where(tail, xf, 0.5);
        var (t, poly) = ErfcTail(z);
        var small = Np.Where(tail, 0, xf);
        return Np.Where(tail, Np.Multiply(t, Np.Exp(poly)), Np.Multiply(Np.Exp(Np.Multiply(small, small)), Np.Subtract(1, Lax.Erf(small))));
    }

    /// <summary>The standard normal CDF, <c>erfc(-x/√2) / 2</c>.</summary>
    public static Tensor Ndtr(Tensor x) => Np.Multiply(0.5, Erfc(Np.Multiply(Float(NotNull(x)), -1 / Math.Sqrt(2))));

    /// <summary>The log of the standard normal CDF, accurate far into the lower tail (no log of 0).</summary>
    public static Tensor LogNdtr(Tensor x)
    {
        var xf = Float(NotNull(x));
        var lower = Np.Less(xf, -1);
        var z = Np.Where(lower, Np.Multiply(xf, -1 / Math.Sqrt(2)), 0.5);
        var (t, poly) = ErfcTail(z);
        var lowerValue = Np.Add(Np.Log(Np.Multiply(0.5, t)), Np.Subtract(poly, Np.Multiply(z, z)));
        var upper = Np.Where(lower, 0, xf);
        return Np.Where(lower, lowerValue, Np.Log1p(Np.Multiply(-0.5, Erfc(Np.Multiply(upper, 1 / Math.Sqrt(2))))));
    }

    /// <summary>The inverse of <see cref="Ndtr"/> on (0, 1): <c>√2 erfinv(2p - 1)</c>.</summary>
    public static Tensor Ndtri(Tensor p) => Np.Multiply(Math.Sqrt(2), Lax.Erfinv(Np.Subtract(Np.Multiply(Float(NotNull(p)), 2), 1)));

    /// <summary>The logistic sigmoid <c>1 / (1 + e^-x)</c> (scipy's name).</summary>
    public static Tensor Expit(Tensor x) => Nn.Sigmoid(NotNull(x));

    /// <summary>The log-odds <c>log(p / (1 - p))</c>, the inverse of <see cref="Expit"/>.</summary>
    public static Tensor Logit(Tensor p)
    {
        var pf = Float(NotNull(p));
        return Np.Log(Np.Divide(pf, Np.Subtract(1, pf)));
    }

    /// <summary><c>x log y</c>, defined as 0 where x = 0 (even for y = 0), with a zero gradient there.</summary>
    public static Tensor Xlogy(Tensor x, Tensor y)
    {
        NotNull(x);
        NotNull(y);
        var (xf, yf) = (Float(x), Float(y));
        var zero = Np.Equal(xf, 0);
        return Np.Where(zero, Np.ZerosLike(Np.Add(xf, yf)), Np.Multiply(xf, Np.Log(Np.Where(zero, 1, yf))));
    }

    /// <summary><c>x log(1 + y)</c>, defined as 0 where x = 0.</summary>
    public static Tensor Xlog1py(Tensor x, Tensor y)
    {
        NotNull(x);
        NotNull(y);
        var (xf, yf) = (Float(x), Float(y));
        var zero = Np.Equal(xf, 0);
        return Np.Where(zero, Np.ZerosLike(Np.Add(xf, yf)), Np.Multiply(xf, Np.Log1p(Np.Where(zero, 0, yf))));
    }

    /// <summary>The entropy term <c>-x log x</c>: 0 at 0, -inf for negative x.</summary>
    public static Tensor Entr(Tensor x)
    {
        var xf = Float(NotNull(x));
        var positive = Np.Greater(xf, 0);
        var value = Np.Negative(Xlogy(xf, Np.Where(positive, xf, 1)));
        return Np.Where(Np.Less(xf, 0), double.NegativeInfinity, value);
    }

    /// <summary>The relative entropy term: <c>x log(x / y)</c> for x, y &gt; 0; 0 for x = 0, y ≥ 0; +inf otherwise.</summary>
    public static Tensor RelEntr(Tensor x, Tensor y)
    {
        NotNull(x);
        NotNull(y);
        var broadcast = Np.BroadcastArrays(Float(x), Float(y));
        var (xf, yf) = (broadcast[0], broadcast[1]);
        var both = Np.LogicalAnd(Np.Greater(xf, 0), Np.Greater(yf, 0));
        var safeX = Np.Where(both, xf, 1);
        var safeY = Np.Where(both, yf, 1);
        var value = Np.Multiply(safeX, Np.Log(Np.Divide(safeX, safeY)));
        var zero = Np.LogicalAnd(Np.Equal(xf, 0), Np.GreaterEqual(yf, 0));
        return Np.Where(both, value, Np.Where(zero, Np.ZerosLike(value), double.PositiveInfinity));
    }

    /// <summary>The Kullback–Leibler term <c>x log(x / y) - x + y</c> for x, y &gt; 0; y for x = 0, y ≥ 0; +inf otherwise.</summary>
    public static Tensor KlDiv(Tensor x, Tensor y)
    {
        NotNull(x);
        NotNull(y);
        var (xf, yf) = (Float(x), Float(y));
        var relative = RelEntr(xf, yf);
        var finite = Np.IsFinite(relative);
        return Np.Where(finite, Np.Add(Np.Subtract(relative, xf), yf), relative);
    }

    /// <summary>The Box-Cox transform: <c>(x^λ - 1) / λ</c>, or <c>log x</c> for λ = 0.</summary>
    public static Tensor Boxcox(Tensor x, double lmbda)
    {
        var xf = Float(NotNull(x));
        return lmbda == 0 ? Np.Log(xf) : Np.Divide(Np.Expm1(Np.Multiply(lmbda, Np.Log(xf))), lmbda);
    }

    /// <summary>The Box-Cox transform of 1 + x: <c>((1 + x)^λ - 1) / λ</c>, or <c>log1p x</c> for λ = 0.</summary>
    public static Tensor Boxcox1p(Tensor x, double lmbda)
    {
        var xf = Float(NotNull(x));
        return lmbda == 0 ? Np.Log1p(xf) : Np.Divide(Np.Expm1(Np.Multiply(lmbda, Np.Log1p(xf))), lmbda);
    }

    /// <summary><c>log Σ e^x</c> over the axis (all elements when null), stable; see <see cref="Np.Logsumexp(Tensor, int?, bool)"/>.</summary>
    public static Tensor Logsumexp(Tensor x, int? axis = null, bool keepdims = false) => Np.Logsumexp(NotNull(x), axis, keepdims);

    /// <summary>The softmax along the axis; see <see cref="Nn.Softmax(Tensor, int)"/>.</summary>
    public static Tensor Softmax(Tensor x, int axis = -1) => Nn.Softmax(NotNull(x), axis);

    /// <summary>The log-softmax along the axis; see <see cref="Nn.LogSoftmax(Tensor, int)"/>.</summary>
    public static Tensor LogSoftmax(Tensor x, int axis = -1) => Nn.LogSoftmax(NotNull(x), axis);
}
