namespace JaxSharp.FSharp

open JaxSharp

/// jax.random for F#: explicit keys (raw uint32 data of shape (2,)), split, foldIn, and
/// samplers, forwarding to JaxSharp.Rng. A key is a value: split it, never reuse it.
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

    /// Uniform float32 values in [0, 1).
    let uniform (key: Tensor) (shape: int[]) : Tensor = Rng.Uniform(key, Shape shape)

    /// Uniform values in [minval, maxval) of a float dtype.
    let uniformRange (dtype: DType) (minval: Tensor) (maxval: Tensor) (key: Tensor) (shape: int[]) : Tensor =
        Rng.Uniform(key, Shape shape, minval, maxval, dtype)

    /// Booleans of a shape, true with probability p.
    let bernoulli (p: Tensor) (key: Tensor) (shape: int[]) : Tensor = Rng.Bernoulli(key, p, Shape shape)

    /// Standard normal float32 values.
    let normal (key: Tensor) (shape: int[]) : Tensor = Rng.Normal(key, Shape shape)

    /// Standard normal values truncated to (lower, upper).
    let truncatedNormal (lower: float) (upper: float) (key: Tensor) (shape: int[]) : Tensor =
        Rng.TruncatedNormal(key, lower, upper, Shape shape)

    /// Random int32 values in [minval, maxval).
    let randint (minval: int) (maxval: int) (key: Tensor) (shape: int[]) : Tensor =
        Rng.Randint(key, Shape shape, Tensor.op_Implicit minval, Tensor.op_Implicit maxval)

    /// Exponential float32 values with rate 1.
    let exponential (key: Tensor) (shape: int[]) : Tensor = Rng.Exponential(key, Shape shape)

    /// Standard Gumbel float32 values.
    let gumbel (key: Tensor) (shape: int[]) : Tensor = Rng.Gumbel(key, Shape shape)

    /// Standard Laplace float32 values.
    let laplace (key: Tensor) (shape: int[]) : Tensor = Rng.Laplace(key, Shape shape)

    /// Standard logistic float32 values.
    let logistic (key: Tensor) (shape: int[]) : Tensor = Rng.Logistic(key, Shape shape)

    /// Runs a function with the pre-jax-0.5 Threefry scheme (jax_threefry_partitionable = False).
    let withOriginalScheme (f: unit -> 'a) : 'a =
        use _ = Rng.UseScheme Random.ThreefryScheme.Original
        f ()
