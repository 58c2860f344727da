namespace JaxSharp.FSharp

open JaxSharp

/// jax.scipy.special for F#: thin forwarders to JaxSharp.Special (log-gamma and relatives,
/// the normal distribution's functions, safe logarithms). `special.gammaln x`.
[<RequireQualifiedAccess>]
module special =
    /// log |Γ(x)|.
    let gammaln (x: Tensor) = Special.Gammaln x
    /// The sign of Γ(x).
    let gammasgn (x: Tensor) = Special.Gammasgn x
    /// Γ(x).
    let gamma (x: Tensor) = Special.Gamma x
    /// log |B(a, b)|.
    let betaln (a: Tensor) (b: Tensor) = Special.Betaln(a, b)
    /// B(a, b).
    let beta (a: Tensor) (b: Tensor) = Special.Beta(a, b)
    /// n! (0 for negative n).
    let factorial (n: Tensor) = Special.Factorial n
    /// The rising factorial Γ(z + m) / Γ(z).
    let poch (z: Tensor) (m: Tensor) = Special.Poch(z, m)
    /// The log of the multivariate gamma function of dimension d: `special.multigammaln d a`.
    let multigammaln (d: int) (a: Tensor) = Special.Multigammaln(a, d)
    /// ψ(x) = d/dx log Γ(x).
    let digamma (x: Tensor) = Special.Digamma x
    /// The Hurwitz zeta function ζ(s, q).
    let zeta (s: Tensor) (q: Tensor) = Special.Zeta(s, q)
    /// The n-th derivative of ψ.
    let polygamma (n: int) (x: Tensor) = Special.Polygamma(n, x)
    /// The error function.
    let erf (x: Tensor) = Special.Erf x
    /// 1 - erf(x), accurate in the upper tail.
    let erfc (x: Tensor) = Special.Erfc x
    /// e^(x²) erfc(x).
    let erfcx (x: Tensor) = Special.Erfcx x
    /// The inverse error function.
    let erfinv (x: Tensor) = Special.Erfinv x
    /// The standard normal CDF.
    let ndtr (x: Tensor) = Special.Ndtr x
    /// The log of the standard normal CDF.
    let logNdtr (x: Tensor) = Special.LogNdtr x
    /// The inverse of ndtr.
    let ndtri (p: Tensor) = Special.Ndtri p
    /// 1 / (1 + e^-x).
    let expit (x: Tensor) = Special.Expit x
    /// log(p / (1 - p)).
    let logit (p: Tensor) = Special.Logit p
    /// x log y, 0 where x = 0.
    let xlogy (x: Tensor) (y: Tensor) = Special.Xlogy(x, y)
    /// x log(1 + y), 0 where x = 0.
    let xlog1py (x: Tensor) (y: Tensor) = Special.Xlog1py(x, y)
    /// -x log x.
    let entr (x: Tensor) = Special.Entr x
    /// x log(x / y).
    let relEntr (x: Tensor) (y: Tensor) = Special.RelEntr(x, y)
    /// x log(x / y) - x + y.
    let klDiv (x: Tensor) (y: Tensor) = Special.KlDiv(x, y)
    /// The Box-Cox transform with parameter lmbda.
    let boxcox (lmbda: float) (x: Tensor) = Special.Boxcox(x, lmbda)
    /// The Box-Cox transform of 1 + x.
    let boxcox1p (lmbda: float) (x: Tensor) = Special.Boxcox1p(x, lmbda)
    /// log Σ e^x of all elements.
    let logsumexp (x: Tensor) = Special.Logsumexp(x)
    /// The softmax along the last axis.
    let softmax (x: Tensor) = Special.Softmax(x)
    /// The log-softmax along the last axis.
    let logSoftmax (x: Tensor) = Special.LogSoftmax(x)
    /// e^-|x| I0(x).
    let i0e (x: Tensor) = Special.I0e x
    /// The modified Bessel function I0.
    let i0 (x: Tensor) = Special.I0 x
    /// e^-|x| I1(x).
    let i1e (x: Tensor) = Special.I1e x
    /// The modified Bessel function I1.
    let i1 (x: Tensor) = Special.I1 x
    /// The exponential integral E1.
    let exp1 (x: Tensor) = Special.Exp1 x
    /// The regularized lower incomplete gamma function P(a, x).
    let gammainc (a: Tensor) (x: Tensor) = Special.Gammainc(a, x)
    /// The regularized upper incomplete gamma function Q(a, x).
    let gammaincc (a: Tensor) (x: Tensor) = Special.Gammaincc(a, x)
    /// log Γ(x) for x > 0.
    let loggamma (x: Tensor) = Special.Loggamma x
    /// The binomial coefficient.
    let comb (n: Tensor) (k: Tensor) = Special.Comb(n, k)
    /// The Bernoulli numbers B_0 .. B_n.
    let bernoulli (n: int) = Special.Bernoulli n
