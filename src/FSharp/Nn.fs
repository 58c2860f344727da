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
