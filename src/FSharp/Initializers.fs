namespace JaxSharp.FSharp

open JaxSharp

/// jax.nn.initializers for F#: each takes a key and a shape and gives parameters of the default
/// float dtype (float32; float64 under Jax.Config.EnableX64, as JAX's dtypes.float_),
/// forwarding to JaxSharp.Initializers (which takes a dtype too).
/// `let w = initializers.heNormal key [| 64; 10 |]`.
[<RequireQualifiedAccess>]
module initializers =
    let private defaultFloat (init: Initializer) (key: Tensor) (shape: int[]) = init.Invoke(key, Shape shape, System.Nullable())

    /// Zeros.
    let zeros key shape = defaultFloat (Initializers.Zeros()) key shape
    /// Ones.
    let ones key shape = defaultFloat (Initializers.Ones()) key shape
    /// A constant.
    let constant (value: float) key shape = defaultFloat (Initializers.Constant value) key shape
    /// Normal with a standard deviation.
    let normal (stddev: float) key shape = defaultFloat (Initializers.Normal stddev) key shape
    /// Uniform on [0, scale).
    let uniform (scale: float) key shape = defaultFloat (Initializers.Uniform scale) key shape
    /// A normal truncated to two standard deviations, times stddev.
    let truncatedNormal (stddev: float) key shape = defaultFloat (Initializers.TruncatedNormal stddev) key shape
    /// Variance scale / fan (FanIn, FanOut or FanAvg), drawn from a distribution.
    let varianceScaling (scale: float) (mode: FanMode) (distribution: VarianceDistribution) key shape =
        defaultFloat (Initializers.VarianceScaling(scale, mode, distribution)) key shape
    /// Glorot (Xavier) uniform: variance 1 / fan_avg.
    let glorotUniform key shape = defaultFloat (Initializers.GlorotUniform()) key shape
    /// Glorot (Xavier) normal: variance 1 / fan_avg, truncated normal.
    let glorotNormal key shape = defaultFloat (Initializers.GlorotNormal()) key shape
    /// The same as glorotUniform.
    let xavierUniform key shape = glorotUniform key shape
    /// The same as glorotNormal.
    let xavierNormal key shape = glorotNormal key shape
    /// He (Kaiming) uniform: variance 2 / fan_in.
    let heUniform key shape = defaultFloat (Initializers.HeUniform()) key shape
    /// He (Kaiming) normal: variance 2 / fan_in, truncated normal.
    let heNormal key shape = defaultFloat (Initializers.HeNormal()) key shape
    /// The same as heUniform.
    let kaimingUniform key shape = heUniform key shape
    /// The same as heNormal.
    let kaimingNormal key shape = heNormal key shape
    /// LeCun uniform: variance 1 / fan_in.
    let lecunUniform key shape = defaultFloat (Initializers.LecunUniform()) key shape
    /// LeCun normal: variance 1 / fan_in, truncated normal.
    let lecunNormal key shape = defaultFloat (Initializers.LecunNormal()) key shape
    /// Orthonormal columns (or rows, whichever are fewer) along the last axis, times scale.
    let orthogonal (scale: float) key shape = defaultFloat (Initializers.Orthogonal scale) key shape
