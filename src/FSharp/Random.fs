namespace JaxSharp.FSharp

open JaxSharp

/// jax.random for F#: explicit keys (raw uint32 data of shape (2,)), split, foldIn, and
/// samplers, forwarding to JaxSharp.Rng. A key is a value: split it, never reuse it.
/// Float samplers give the default float dtype: float32, or float64 under Jax.Config.EnableX64.
[<RequireQualifiedAccess>]
module random =
    /// The key of an int32 seed, as jax.random.key: [0, seed].
    let key (seed: int) : Tensor = Rng.Key seed

    /// The key of a 64-bit seed: its high and low words.
    let key64 (seed: int64) : Tensor = Rng.Key seed

    /// The raw uint32 data of keys (the keys themselves, checked).
    let keyData (keys: Tensor) : Tensor = Rng.KeyData keys

    /// Keys from raw uint32 data of shape (..., 2).
    let wrapKeyData (data: Tensor) : Tensor = Rng.WrapKeyData data

    /// n new keys from a key: a (n, 2) tensor.
    let split (key: Tensor) (n: int) : Tensor = Rng.Split(key, n)

    /// A new key from a key and a 32-bit message.
    let foldIn (key: Tensor) (data: int) : Tensor = Rng.FoldIn(key, data)

    /// Random uint32 bits of a shape.
    let bits (key: Tensor) (shape: int[]) : Tensor = Rng.Bits(key, Shape shape)

    /// Random bits of a width (8, 16, 32, or 64: two uint32 words per draw, low first).
    let bitsOfWidth (bitWidth: int) (key: Tensor) (shape: int[]) : Tensor = Rng.Bits(key, Shape shape, bitWidth)

    /// Uniform float values in [0, 1).
    let uniform (key: Tensor) (shape: int[]) : Tensor = Rng.Uniform(key, Shape shape)

    /// Uniform values in [minval, maxval) of a float dtype.
    let uniformRange (dtype: DType) (minval: Tensor) (maxval: Tensor) (key: Tensor) (shape: int[]) : Tensor =
        Rng.Uniform(key, Shape shape, minval, maxval, dtype)

    /// Booleans of a shape, true with probability p.
    let bernoulli (p: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.Bernoulli(key, p, Shape shape)

    /// Standard normal float values.
    let normal (key: Tensor) (shape: int[]) : Tensor = Rng.Normal(key, Shape shape)

    /// Standard normal values truncated to (lower, upper).
    let truncatedNormal (lower: float) (upper: float) (key: Tensor) (shape: int[]) : Tensor =
        Rng.TruncatedNormal(key, lower, upper, Shape shape)

    /// Random int32 values in [minval, maxval).
    let randint (minval: int) (maxval: int) (key: Tensor) (shape: int[]) : Tensor =
        Rng.Randint(key, Shape shape, Tensor.op_Implicit minval, Tensor.op_Implicit maxval)

    /// Exponential float values with rate 1.
    let exponential (key: Tensor) (shape: int[]) : Tensor = Rng.Exponential(key, Shape shape)

    /// Standard Gumbel float values.
    let gumbel (key: Tensor) (shape: int[]) : Tensor = Rng.Gumbel(key, Shape shape)

    /// Standard Laplace float values.
    let laplace (key: Tensor) (shape: int[]) : Tensor = Rng.Laplace(key, Shape shape)

    /// Standard logistic float values.
    let logistic (key: Tensor) (shape: int[]) : Tensor = Rng.Logistic(key, Shape shape)

    /// Two new keys from a key, as a tuple: let key, subkey = random.split2 key.
    let split2 (key: Tensor) : Tensor * Tensor =
        let struct (a, b) = Rng.Split2 key
        a, b

    /// A random permutation of 0..n-1 (int32).
    let permutation (key: Tensor) (n: int) : Tensor = Rng.Permutation(key, n)

    /// x permuted along axis 0 (slices move together).
    let permute (key: Tensor) (x: Tensor) : Tensor = Rng.Permutation(key, x)

    /// x permuted along an axis; independent shuffles each vector along it on its own.
    let permuteAlong (axis: int) (independent: bool) (key: Tensor) (x: Tensor) : Tensor =
        Rng.Permutation(key, x, axis, independent)

    /// Draws of a shape from 0..n-1 (int32), with replacement.
    let choiceRange (n: int) (key: Tensor) (shape: int[]) : Tensor = Rng.Choice(key, n, Shape shape)

    /// Draws of a shape from the rows of a (axis 0): replace, and optional probabilities p.
    let choice (replace: bool) (p: Tensor option) (a: Tensor) (key: Tensor) (shape: int[]) : Tensor =
        Rng.Choice(key, a, Shape shape, replace, Option.toObj p)

    /// int32 draws from categorical distributions given by logits on the last axis.
    let categorical (key: Tensor) (logits: Tensor) : Tensor = Rng.Categorical(key, logits)

    /// Categorical draws of a shape (leading sample axes allowed) with logits on an axis.
    let categoricalWith (axis: int) (shape: int[]) (key: Tensor) (logits: Tensor) : Tensor =
        Rng.Categorical(key, logits, axis, Shape shape)

    /// Multivariate normal draws of batch shape: mean (..., n), cov (..., n, n), by Cholesky.
    let multivariateNormal (mean: Tensor) (cov: Tensor) (key: Tensor) (shape: int[]) : Tensor =
        Rng.MultivariateNormal(key, mean, cov, Shape shape)

    /// Gamma(a) float values with unit scale.
    let gamma (a: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.Gamma(key, a, Shape shape)

    /// Logs of Gamma(a) float values (precise for small a).
    let loggamma (a: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.LogGamma(key, a, Shape shape)

    /// Beta(a, b) float values.
    let beta (a: Tensor) (b: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.Beta(key, a, b, Shape shape)

    /// Dirichlet(alpha) float values of batch shape (alpha is (..., n); the result shape + (n,)).
    let dirichlet (alpha: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.Dirichlet(key, alpha, Shape shape)

    /// Poisson(lam) int32 values.
    let poisson (lam: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.Poisson(key, lam, Shape shape)

    /// -1 or +1 with equal probability (int32).
    let rademacher (key: Tensor) (shape: int[]) : Tensor = Rng.Rademacher(key, Shape shape)
    /// Standard Cauchy values.
    let cauchy (key: Tensor) (shape: int[]) : Tensor = Rng.Cauchy(key, Shape shape)
    /// Pareto values of shape b.
    let pareto (b: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.Pareto(key, b, Shape shape)
    /// Weibull values of a scale and concentration.
    let weibullMin (scale: Tensor) (concentration: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.WeibullMin(key, scale, concentration, Shape shape)
    /// Maxwell values.
    let maxwell (key: Tensor) (shape: int[]) : Tensor = Rng.Maxwell(key, Shape shape)
    /// Double-sided Maxwell values of a location and scale.
    let doubleSidedMaxwell (loc: Tensor) (scale: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.DoubleSidedMaxwell(key, loc, scale, Shape shape)
    /// Rayleigh values of a scale.
    let rayleigh (scale: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.Rayleigh(key, scale, Shape shape)
    /// Log-normal values of a sigma.
    let lognormal (sigma: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.Lognormal(key, sigma, Shape shape)
    /// Chi-square values with df degrees of freedom.
    let chisquare (df: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.Chisquare(key, df, Shape shape)
    /// Student's t values with df degrees of freedom.
    let t (df: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.T(key, df, Shape shape)
    /// Geometric values (int32, from 1) of success probability p.
    let geometric (p: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.Geometric(key, p, Shape shape)

    /// Binomial(n, p) counts as float values (inversion for small n · p, BTRS otherwise, as JAX).
    let binomial (n: Tensor) (p: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.Binomial(key, n, p, Shape shape)
    /// Multinomial float counts of n trials over p's last axis; shape is the whole result shape (outcomes last).
    let multinomial (n: Tensor) (p: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.Multinomial(key, n, p, Shape shape)
    /// F-distributed float values with dfnum and dfden degrees of freedom.
    let f (dfnum: Tensor) (dfden: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.F(key, dfnum, dfden, Shape shape)
    /// Wald (inverse Gaussian) float values of a mean.
    let wald (mean: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.Wald(key, mean, Shape shape)
    /// Triangular float values on [left, right] with peak at mode.
    let triangular (left: Tensor) (mode: Tensor) (right: Tensor) (key: Tensor) (shape: int[]) : Tensor =
        Rng.Triangular(key, left, mode, right, Shape shape)
    /// Generalized normal float values with density proportional to exp(-|x|^p).
    let generalizedNormal (p: float) (key: Tensor) (shape: int[]) : Tensor = Rng.GeneralizedNormal(key, p, Shape shape)
    /// Points uniform in the unit Lp ball of dimension d: shape + (d,) float values.
    let ball (d: int) (p: float) (key: Tensor) (shape: int[]) : Tensor = Rng.Ball(key, d, p, Shape shape)
    /// Uniform n x n orthogonal float matrices of batch shape: shape + (n, n).
    let orthogonal (n: int) (key: Tensor) (shape: int[]) : Tensor = Rng.Orthogonal(key, n, Shape shape)
    /// Uniform n x m semi-orthogonal float matrices (orthonormal rows if n <= m, columns otherwise).
    let orthogonalRect (n: int) (m: int) (key: Tensor) (shape: int[]) : Tensor = Rng.Orthogonal(key, n, Shape shape, m = m)

    /// Runs a function with the pre-jax-0.5 Threefry scheme (jax_threefry_partitionable = False).
    let withOriginalScheme (f: unit -> 'a) : 'a =
        use _ = Rng.UseScheme Random.ThreefryScheme.Original
        f ()
