namespace JaxSharp.FSharp

open JaxSharp

/// jax.nn for F#: activations and friends, forwarding to JaxSharp.Nn.
[<RequireQualifiedAccess>]
module nn =
    /// max(x, 0).
    let relu (x: Tensor) = Nn.Relu(x)
    /// min(max(x, 0), 6).
    let relu6 (x: Tensor) = Nn.Relu6(x)
    /// 1 / (1 + e^-x).
    let sigmoid (x: Tensor) = Nn.Sigmoid(x)
    /// log(1 + e^x), stable.
    let softplus (x: Tensor) = Nn.Softplus(x)
    /// log(sigmoid x), stable.
    let logSigmoid (x: Tensor) = Nn.LogSigmoid(x)
    /// x * sigmoid x.
    let silu (x: Tensor) = Nn.Silu(x)
    /// x * sigmoid x (the same as silu).
    let swish (x: Tensor) = Nn.Swish(x)
    /// scale * elu(x, alpha) with JAX's constants.
    let selu (x: Tensor) = Nn.Selu(x)
    /// x for x > 0, else e^x - 1.
    let elu (x: Tensor) = Nn.Elu(x)
    /// x for x > 0, else alpha (e^x - 1).
    let eluWith (alpha: float) (x: Tensor) = Nn.Elu(x, alpha)
    /// The tanh approximation of the GELU, as jax.nn.gelu's default.
    let gelu (x: Tensor) = Nn.Gelu(x)
    /// The exact GELU, x/2 (1 + erf(x / sqrt 2)).
    let geluExact (x: Tensor) = Nn.Gelu(x, false)
    /// x for x >= 0, else 0.01 x.
    let leakyRelu (x: Tensor) = Nn.LeakyRelu(x)
    /// x for x >= 0, else negativeSlope * x.
    let leakyReluWith (negativeSlope: float) (x: Tensor) = Nn.LeakyRelu(x, negativeSlope)
    /// Softmax along the last axis.
    let softmax (x: Tensor) = Nn.Softmax(x)
    /// Softmax along an axis.
    let softmaxAxis (axis: int) (x: Tensor) = Nn.Softmax(x, axis)
    /// Log-softmax along the last axis.
    let logSoftmax (x: Tensor) = Nn.LogSoftmax(x)
    /// Log-softmax along an axis.
    let logSoftmaxAxis (axis: int) (x: Tensor) = Nn.LogSoftmax(x, axis)
    /// log(sum(exp x)) of all elements, stable.
    let logsumexp (x: Tensor) = Nn.Logsumexp(x)
    /// float32 one-hot rows of numClasses entries; out-of-range indices give zero rows.
    let oneHot (numClasses: int) (indices: Tensor) = Nn.OneHot(indices, numClasses)
    /// One-hot rows of the given dtype.
    let oneHotAs (dtype: DType) (numClasses: int) (indices: Tensor) = Nn.OneHot(indices, numClasses, dtype)
    /// Max pooling of (batch, spatial..., features) x: nn.maxPool [|2; 2|] [|2; 2|] "VALID" x.
    let maxPool (windowShape: int[]) (strides: int[]) (padding: string) (x: Tensor) =
        if isNull strides then nullArg (nameof strides)
        Nn.MaxPool(x, windowShape, strides, padding)
    /// Average pooling of (batch, spatial..., features) x, padding counted as zeros: nn.avgPool [|2; 2|] [|2; 2|] "VALID" x.
    let avgPool (windowShape: int[]) (strides: int[]) (padding: string) (x: Tensor) =
        if isNull strides then nullArg (nameof strides)
        Nn.AvgPool(x, windowShape, strides, padding)
    /// The continuously differentiable ELU (alpha 1).
    let celu (x: Tensor) = Nn.Celu(x)
    /// The gated linear unit along the last axis.
    let glu (x: Tensor) = Nn.Glu(x)
    /// relu6(x + 3) / 6.
    let hardSigmoid (x: Tensor) = Nn.HardSigmoid x
    /// x · hard_sigmoid(x).
    let hardSilu (x: Tensor) = Nn.HardSilu x
    /// x · hard_sigmoid(x).
    let hardSwish (x: Tensor) = Nn.HardSwish x
    /// x clipped to [-1, 1].
    let hardTanh (x: Tensor) = Nn.HardTanh x
    /// x itself.
    let identity (x: Tensor) = Nn.Identity x
    /// The hyperbolic tangent.
    let tanh (x: Tensor) = Nn.Tanh x
    /// log(1 - e^x) for x < 0, accurate at both ends.
    let log1mexp (x: Tensor) = Nn.Log1mexp x
    /// log(mean(e^x)) of all elements, stable.
    let logmeanexp (x: Tensor) = Nn.Logmeanexp(x)
    /// x tanh(softplus x).
    let mish (x: Tensor) = Nn.Mish x
    /// x / (|x| + 1).
    let softSign (x: Tensor) = Nn.SoftSign x
    /// The sparse plus: 0, (x + 1)² / 4, x.
    let sparsePlus (x: Tensor) = Nn.SparsePlus x
    /// (x + 1) / 2 clipped to [0, 1].
    let sparseSigmoid (x: Tensor) = Nn.SparseSigmoid x
    /// (x + sqrt(x² + 4)) / 2.
    let squareplus (x: Tensor) = Nn.Squareplus(x)
    /// x standardized over the last axis (mean 0, variance 1, epsilon 1e-5).
    let standardize (x: Tensor) = Nn.Standardize(x)
    /// softmax(q kᵀ / √H) v for (batch, length, heads, head size) inputs: `nn.dotProductAttention q k v`.
    let dotProductAttention (query: Tensor) (key: Tensor) (value: Tensor) = Nn.DotProductAttention(query, key, value)
    /// Causal attention: each query attends to key positions up to its own.
    let dotProductAttentionCausal (query: Tensor) (key: Tensor) (value: Tensor) = Nn.DotProductAttention(query, key, value, isCausal = true)
