namespace JaxSharp;

// The rest of jax.nn's activations, standardize and dot_product_attention, as JAX composes them.
public static partial class Nn
{
    /// <summary>The continuously differentiable ELU: <c>x</c> for x &gt; 0, else <c>alpha (e^(x/alpha) - 1)</c>.</summary>
    public static Tensor Celu(Tensor x, double alpha = 1.0)
    {
        var xf = Np.ToInexact(NotNull(x));
        var negative = Np.Minimum(xf, 0);
        return Np.Add(Np.Maximum(xf, 0), Np.Multiply(alpha, Np.Expm1(Np.Divide(negative, alpha))));
    }

    /// <summary>The gated linear unit: x split in two halves along the axis, <c>a · sigmoid(b)</c>.</summary>
    /// <exception cref="ArgumentException">The axis has an odd length.</exception>
    public static Tensor Glu(Tensor x, int axis = -1)
    {
        NotNull(x);
        var d = x.Shape.NormalizeAxis(axis, "glu");
        if (x.Shape[d] % 2 != 0)
            throw new ArgumentException($"glu: axis {axis} of shape {x.Shape} has odd length {x.Shape[d]}; it must split into two equal halves");
        var halves = Np.Split(x, 2, d);
        return Np.Multiply(halves[0], Sigmoid(halves[1]));
    }

    /// <summary>The piecewise linear sigmoid <c>relu6(x + 3) / 6</c>.</summary>
    public static Tensor HardSigmoid(Tensor x) => Np.Divide(Relu6(Np.Add(Np.ToInexact(NotNull(x)), 3)), 6);

    /// <summary><c>x · hard_sigmoid(x)</c>.</summary>
    public static Tensor HardSilu(Tensor x)
    {
        var xf = Np.ToInexact(NotNull(x));
        return Np.Multiply(xf, HardSigmoid(xf));
    }

    /// <summary>The same as <see cref="HardSilu"/>.</summary>
    public static Tensor HardSwish(Tensor x) => HardSilu(NotNull(x));

    /// <summary>x clipped to [-1, 1].</summary>
    public static Tensor HardTanh(Tensor x)
    {
        var xf = Np.ToInexact(NotNull(x));
        return Np.Where(Np.Greater(xf, 1), Np.OnesLike(xf), Np.Where(Np.Less(xf, -1), Np.Negative(Np.OnesLike(xf)), xf));
    }

    /// <summary>The identity activation: x itself.</summary>
    public static Tensor Identity(Tensor x) => NotNull(x);

    /// <summary>The hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor x) => Np.Tanh(NotNull(x));

    /// <summary><c>log(1 - e^x)</c> for x &lt; 0, accurate at both ends (log(-expm1 x) near 0, log1p(-e^x) below -log 2).</summary>
    public static Tensor Log1mexp(Tensor x)
    {
        var xf = Np.ToInexact(NotNull(x));
        var nearZero = Np.Greater(xf, -Math.Log(2));
        var near = Np.Where(nearZero, xf, -1);
        var far = Np.Where(nearZero, -1, xf);
        return Np.Where(nearZero, Np.Log(Np.Negative(Np.Expm1(near))), Np.Log1p(Np.Negative(Np.Exp(far))));
    }

    /// <summary><c>log(mean(e^x))</c> over the axis, stable: <c>logsumexp(x) - log n</c>.</summary>
    public static Tensor Logmeanexp(Tensor x, int? axis = null, bool keepdims = false)
    {
        NotNull(x);
        var n = axis is int a ? x.Shape[x.Shape.NormalizeAxis(a, "logmeanexp")] : x.Size;
        return Np.Subtract(Np.Logsumexp(x, axis, keepdims), Math.Log(n));
    }

    /// <summary>The self-gated activation <c>x tanh(softplus(x))</c>.</summary>
    public static Tensor Mish(Tensor x)
    {
        var xf = Np.ToInexact(NotNull(x));
        return Np.Multiply(xf, Np.Tanh(Softplus(xf)));
    }

    /// <summary><c>x / (|x| + 1)</c>.</summary>
    public static Tensor SoftSign(Tensor x)
    {
        var xf = Np.ToInexact(NotNull(x));
        return Np.Divide(xf, Np.Add(Np.Abs(xf), 1));
    }

    /// <summary>0 for x ≤ -1, <c>(x + 1)² / 4</c> on (-1, 1), x for x ≥ 1.</summary>
    public static Tensor SparsePlus(Tensor x)
    {
        var xf = Np.ToInexact(NotNull(x));
        var middle = Np.Divide(Np.Square(Np.Add(xf, 1)), 4);
        return Np.Where(Np.LessEqual(xf, -1), Np.ZerosLike(xf), Np.Where(Np.GreaterEqual(xf, 1), xf, middle));
    }

    /// <summary>The derivative of <see cref="SparsePlus"/>: <c>(x + 1) / 2</c> clipped to [0, 1].</summary>
    public static Tensor SparseSigmoid(Tensor x) => Np.Clip(Np.Divide(Np.Add(Np.ToInexact(NotNull(x)), 1), 2), 0, 1);

    /// <summary><c>(x + sqrt(x² + b)) / 2</c>, a smooth relu.</summary>
    public static Tensor Squareplus(Tensor x, double b = 4)
    {
        var xf = Np.ToInexact(NotNull(x));
        return Np.Divide(Np.Add(xf, Np.Sqrt(Np.Add(Np.Square(xf), b))), 2);
    }

    /// <summary>x minus its mean, divided by <c>sqrt(variance + epsilon)</c>, over the axis.</summary>
    public static Tensor Standardize(Tensor x, int axis = -1, double epsilon = 1e-5)
    {
        var xf = Np.ToInexact(NotNull(x));
        var mean = Np.Mean(xf, axis, keepdims: true);
        var variance = Np.Subtract(Np.Mean(Np.Square(xf), axis, keepdims: true), Np.Square(mean));
        return Np.Multiply(Np.Subtract(xf, mean), Lax.Rsqrt(Np.Add(variance, epsilon)));
    }

    /// <summary>
    /// Scaled dot-product attention, as jax.nn.dot_product_attention: query (B, T, N, H), key and
    /// value (B, S, N, H) give (B, T, N, H) = <c>softmax(q kᵀ · scale + bias, masked) v</c>, with
    /// <c>scale = 1/√H</c> by default. The bias and the bool mask broadcast to (B, N, T, S);
    /// <paramref name="isCausal"/> masks key positions after the query's.
    /// </summary>
    /// <exception cref="ArgumentException">The inputs are not 4-d, or their shapes do not match.</exception>
    public static Tensor DotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? bias = null, Tensor? mask = null, double? scale = null, bool isCausal = false)
    {
        NotNull(query);
        NotNull(key);
        NotNull(value);
        if (query.Rank != 4 || key.Rank != 4 || value.Rank != 4)
            throw new ArgumentException($"dot_product_attention: query {query.Shape}, key {key.Shape} and value {value.Shape} must all be 4-d (batch, length, heads, head size)");
        if (key.Shape != value.Shape || query.Shape[0] != key.Shape[0] || query.Shape[2] != key.Shape[2] || query.Shape[3] != key.Shape[3])
            throw new ArgumentException($"dot_product_attention: query {query.Shape}, key {key.Shape} and value {value.Shape} differ in batch, heads or head size (key and value must have the same shape)");
        var logits = Np.Multiply(Np.Einsum("BTNH,BSNH->BNTS", query, key), scale ?? 1 / Math.Sqrt(query.Shape[3]));
        if (bias is not null) logits = Np.Add(logits, bias);
        var keep = mask;
        if (isCausal)
        {
            var causal = Np.AsType(Np.Tri(query.Shape[1], key.Shape[1]), DType.Bool);
            keep = keep is null ? causal : Np.LogicalAnd(keep, causal);
        }
        if (keep is not null)
            logits = Np.Where(keep, logits, logits.DType == DType.Float32 ? float.MinValue : double.MinValue);
        return Np.Einsum("BNTS,BSNH->BTNH", Softmax(logits, -1), value);
    }
}
