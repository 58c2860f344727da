/// Batching and differentiation rules of the PRNG and bit primitives: a batch of keys draws as
/// a loop over the keys (JAX's vmap semantics), bits have no tangents, and samplers are
/// differentiable in their reparameterised parameters.
module Transforms.RandomRulesTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open JaxSharp.Primitives
open JaxSharp.Primitives.Random
open OpTable.Generators
open Transforms.Checks

let private keys (n: int) = Rng.Split(Rng.Key 7, n)
let private u32s (values: uint32[]) = Tensor.FromArray values
let private f64s (values: float[]) = Tensor.FromArray values

let private spd (n: int) (seed: int) =
    // a aᵀ + n I: symmetric positive definite.
    let rng = Random(seed)
    let a = Array2D.init n n (fun _ _ -> rng.NextDouble() - 0.5)
    Array2D.init n n (fun i j -> (Seq.sum (seq { for k in 0 .. n - 1 -> a[i, k] * a[j, k] })) + (if i = j then float n else 0.0))

[<Tests>]
let tests =
    testList
        "random rules"
        [ testList
              "batching"
              [ test "random_bits: a batch of keys along any axis draws as a loop over the keys" {
                    let f: Fn = fun a -> Rng.Bits(a[0], Shape [| 3 |])
                    checkVmap f [| Some 0 |] [| keys 4 |]
                    // keys (2, 4): the batch axis is the words axis of the per-example key
                    checkVmap f [| Some 1 |] [| lax.transpose [| 1; 0 |] (keys 4) |]
                    checkVmap (fun a -> Rng.Bits(a[0], Shape [| 2; 2 |], 64)) [| Some 0 |] [| keys 3 |]
                    checkVmap (fun a -> Rng.Bits(a[0], Shape [| 5 |], 8)) [| Some 0 |] [| keys 3 |]
                }
                test "random_bits on batched key arrays keeps a batch axis among the key axes" {
                    let grid = Rng.Split(Rng.Key 1, Shape [| 2; 3 |])
                    let f: Fn = fun a -> RandomBits.Instance.Bind(RandomBitsParams(32, Shape [| 4 |], Random.ThreefryScheme.Partitionable), a[0])
                    checkVmap f [| Some 0 |] [| grid |]
                    checkVmap f [| Some 1 |] [| grid |]
                }
                test "random_split: batched keys split as a loop, in both schemes" {
                    let f: Fn = fun a -> Rng.Split(a[0], 3)
                    checkVmap f [| Some 0 |] [| keys 4 |]
                    checkVmap f [| Some 1 |] [| lax.transpose [| 1; 0 |] (keys 4) |]
                    random.withOriginalScheme (fun () -> checkVmap f [| Some 0 |] [| keys 3 |])
                }
                test "random_fold_in: keys, messages or both batched" {
                    let f: Fn = fun a -> Rng.FoldIn(a[0], a[1])
                    let msgs = u32s [| 0u; 5u; 7u; UInt32.MaxValue |]
                    checkVmap f [| Some 0; None |] [| keys 4; Tensor.Scalar 3u |]
                    checkVmap f [| None; Some 0 |] [| Rng.Key 2; msgs |]
                    checkVmap f [| Some 0; Some 0 |] [| keys 4; msgs |]
                    checkVmap f [| Some 1; Some 0 |] [| lax.transpose [| 1; 0 |] (keys 4); msgs |]
                }
                test "random_fold_in: batches of key arrays broadcast against batches of messages" {
                    let f: Fn = fun a -> RandomFoldIn.Instance.Bind(PrimitiveParams.None, a[0], a[1])
                    let grid = Rng.Split(Rng.Key 3, Shape [| 2; 3 |]) // batch 2 of (3,) keys
                    let msgs = Tensor.FromArray(Array2D.init 2 3 (fun i j -> uint32 (10 * i + j)))
                    checkVmap f [| Some 0; Some 0 |] [| grid; msgs |]
                    checkVmap f [| Some 0; None |] [| grid; u32s [| 1u; 2u; 3u |] |]
                    checkVmap f [| None; Some 1 |] [| keys 2; msgs |]
                    // one message per example against a (3,) key array: ranks differ
                    checkVmap f [| None; Some 0 |] [| keys 3; u32s [| 4u; 9u |] |]
                }
                test "random_seed: batched seeds give batched keys" {
                    checkVmap (fun a -> Rng.Key a[0]) [| Some 0 |] [| Tensor.FromArray [| 0; 1; -1; 42 |] |]
                    checkVmap (fun a -> Rng.Key a[0]) [| Some 1 |] [| Tensor.FromArray(Array2D.init 2 3 (fun i j -> i * 3 + j)) |]
                }
                test "shift_left and shift_right_logical batch as elementwise ops" {
                    let x = Tensor.FromArray(Array2D.init 4 3 (fun i j -> uint32 (0x80000001 + 977 * (i + j))))
                    let y = Tensor.FromArray(Array2D.init 4 3 (fun i j -> uint32 (i * 7 + j * 5)))
                    for f in [ (fun (a: Tensor[]) -> Lax.ShiftLeft(a[0], a[1])); (fun a -> Lax.ShiftRightLogical(a[0], a[1])) ] do
                        checkVmap f [| Some 0; Some 0 |] [| x; y |]
                        checkVmap f [| Some 0; None |] [| x; u32s [| 1u; 31u; 32u |] |]
                        checkVmap f [| None; Some 1 |] [| u32s [| 1u; 2u; 3u; 4u |]; y |]
                        checkVmap f [| Some 1; Some 0 |] [| lax.transpose [| 1; 0 |] x; y |]
                }
                test "bitcast_convert_type batches, also when the batch axis is the words axis" {
                    let x = Tensor.FromArray(Array2D.init 3 2 (fun i j -> float32 (i - j) * 1.5f))
                    let toU32: Fn = fun a -> Lax.BitcastConvertType(a[0], DType.UInt32)
                    checkVmap toU32 [| Some 0 |] [| x |]
                    checkVmap toU32 [| Some 1 |] [| x |]
                    let doubles = f64s [| 1.0; -2.5; 3.25 |]
                    checkVmap toU32 [| Some 0 |] [| doubles |]
                    let words = Lax.BitcastConvertType(Tensor.FromArray(Array2D.init 3 4 (fun i j -> float (i * 4 + j) + 0.5)), DType.UInt32) // (3, 4, 2)
                    let toF64: Fn = fun a -> Lax.BitcastConvertType(a[0], DType.Float64)
                    checkVmap toF64 [| Some 0 |] [| words |]
                    checkVmap toF64 [| Some 1 |] [| words |]
                    // (3, 2, 4): per example (3, 2) words, batched on the last axis
                    checkVmap toF64 [| Some 2 |] [| lax.transpose [| 0; 2; 1 |] words |]
                }
                test "random_gamma: keys, alpha or both batched, as JAX's batching rule" {
                    let f: Fn = fun a -> Rng.Gamma(a[0], a[1], Shape [| 3 |], DType.Float64)
                    let alphas = Tensor.FromArray(Array2D.init 4 3 (fun i j -> 0.3 + float (i + 2 * j)))
                    checkVmap f [| Some 0; None |] [| keys 4; f64s [| 0.5; 1.0; 4.0 |] |]
                    checkVmap f [| None; Some 0 |] [| Rng.Key 5; alphas |]
                    checkVmap f [| Some 0; Some 0 |] [| keys 4; alphas |]
                    checkVmap f [| Some 1; Some 1 |] [| lax.transpose [| 1; 0 |] (keys 4); lax.transpose [| 1; 0 |] alphas |]
                    checkVmap (fun a -> Rng.LogGamma(a[0], 0.2, Shape [| 2 |])) [| Some 0 |] [| keys 3 |]
                }
                test "random_poisson: keys, rates or both batched" {
                    let f: Fn = fun a -> Rng.Poisson(a[0], a[1], Shape [| 3 |])
                    let rates = Tensor.FromArray(Array2D.init 3 3 (fun i j -> float32 (i * 6 + j * 4)))
                    checkVmap f [| Some 0; None |] [| keys 4; Tensor.FromArray [| 0.5f; 3.0f; 20.0f |] |]
                    checkVmap f [| None; Some 0 |] [| Rng.Key 5; rates |]
                    checkVmap f [| Some 0; Some 1 |] [| keys 3; rates |]
                }
                test "cholesky: a batch of matrices along any axis" {
                    let stack = Tensor.FromArray(Array3D.init 3 3 3 (fun b i j -> (spd 3 b)[i, j]))
                    let f: Fn = fun a -> LinearAlgebra.Cholesky.Instance.Bind(PrimitiveParams.None, a[0])
                    checkVmap f [| Some 0 |] [| stack |]
                    // (3, 3, batch): the batch axis is the last, a matrix axis of the batched operand
                    checkVmap f [| Some 2 |] [| lax.transpose [| 1; 2; 0 |] stack |]
                    let grid = Tensor.FromArray(Array4D.init 2 2 3 3 (fun b c i j -> (spd 3 (2 * b + c))[i, j]))
                    checkVmap f [| Some 1 |] [| grid |]
                }
                test "vmap of a sampler over split keys equals the loop (uniform, normal, gumbel, bernoulli)" {
                    checkVmap (fun a -> Rng.Normal(a[0], Shape [| 3 |])) [| Some 0 |] [| keys 5 |]
                    checkVmap (fun a -> Rng.Uniform(a[0], Shape [| 2; 3 |])) [| Some 0 |] [| keys 5 |]
                    checkVmap (fun a -> Rng.Gumbel(a[0], Shape [| 4 |])) [| Some 0 |] [| keys 3 |]
                    checkVmap (fun a -> Rng.Bernoulli(a[0], Tensor.op_Implicit 0.3, Shape [| 4 |])) [| Some 0 |] [| keys 3 |]
                    checkVmap (fun a -> Rng.Uniform(a[0], Shape [| 3 |], a[1], Tensor.Scalar 2.0f)) [| Some 0; Some 0 |] [| keys 3; Tensor.FromArray [| -1.0f; 0.0f; 1.0f |] |]
                    random.withOriginalScheme (fun () -> checkVmap (fun a -> Rng.Normal(a[0], Shape [| 5 |])) [| Some 0 |] [| keys 3 |])
                }
                test "vmap of samplers that pick words or keys (float64 uniform, randint, split2) equals the loop" {
                    checkVmap (fun a -> Rng.Uniform(a[0], Shape [| 3 |], 0.0, 1.0, DType.Float64)) [| Some 0 |] [| keys 3 |]
                    checkVmap (fun a -> Rng.Randint(a[0], Shape [| 4 |], 0, 10)) [| Some 0 |] [| keys 3 |]
                    checkVmap (fun a -> snd (random.split2 a[0])) [| Some 0 |] [| keys 3 |]
                }
                test "vmap of permutation, choice, categorical, beta, dirichlet and multivariate normal over keys equals the loop" {
                    checkVmap (fun a -> Rng.Permutation(a[0], 6)) [| Some 0 |] [| keys 3 |]
                    checkVmap (fun a -> Rng.Permutation(a[0], a[1], 1, true)) [| Some 0; None |] [| keys 3; Tensor.FromArray(Array2D.init 2 5 (fun i j -> 5 * i + j)) |]
                    checkVmap (fun a -> Rng.Choice(a[0], 5, Shape [| 3 |], false)) [| Some 0 |] [| keys 3 |]
                    checkVmap (fun a -> Rng.Choice(a[0], 4, Shape [| 3 |], true, a[1])) [| Some 0; Some 0 |] [| keys 2; Tensor.FromArray(array2D [ [ 0.1f; 0.2f; 0.3f; 0.4f ]; [ 0.4f; 0.3f; 0.2f; 0.1f ] ]) |]
                    checkVmap (fun a -> Rng.Choice(a[0], 4, Shape [| 2 |], false, a[1])) [| Some 0; None |] [| keys 3; Tensor.FromArray [| 0.1f; 0.2f; 0.3f; 0.4f |] |]
                    checkVmap (fun a -> Rng.Categorical(a[0], a[1])) [| Some 0; Some 0 |] [| keys 3; Tensor.FromArray(Array2D.init 3 4 (fun i j -> float32 (i - j))) |]
                    checkVmap (fun a -> Rng.Beta(a[0], 0.5, 2.0, Shape [| 3 |])) [| Some 0 |] [| keys 3 |]
                    checkVmap (fun a -> Rng.Dirichlet(a[0], Tensor.FromArray [| 0.5f; 1.0f; 2.0f |], Shape [| 2 |])) [| Some 0 |] [| keys 3 |]
                    checkVmap (fun a -> Rng.MultivariateNormal(a[0], a[1], Tensor.FromArray(spd 2 4), Shape [| 3 |])) [| Some 0; Some 0 |] [| keys 3; Tensor.FromArray(Array2D.init 3 2 (fun i j -> float (i + j))) |]
                } ]
          testList
              "differentiation"
              [ test "grad of normal * sigma with respect to sigma is the normal draw (reparameterised)" {
                    let key = Rng.Key 3
                    let g = Jax.Grad(fun (sigma: Tensor) -> np.sum (Rng.Normal(key, Shape [| 5 |]) * sigma))
                    let expected = np.sum (Rng.Normal(key, Shape [| 5 |]))
                    Expect.equal ((g.Invoke(Tensor.Scalar 2.0f)).Item<float32>()) (expected.Item<float32>()) "d/dsigma sum(z sigma) = sum z"
                }
                test "check_grads through samplers' location and scale parameters (float64)" {
                    let key = Rng.Key 11
                    checkGrads 1e-6 (fun a -> Rng.Normal(key, Shape [| 4 |], DType.Float64) * a[0] + a[1]) [| f64s [| 0.5; 2.0; 1.0; 3.0 |]; f64s [| 0.1; 0.2; 0.3; 0.4 |] |]
                    checkGrads 1e-6 (fun a -> Rng.Uniform(key, Shape [| 4 |], a[0], a[1], DType.Float64)) [| f64s [| -1.0; 0.0; 0.5; 1.0 |]; f64s [| 2.0; 3.0; 4.0; 5.0 |] |]
                    checkGrads 1e-6 (fun a -> Rng.Gamma(key, 2.5, Shape [| 3 |], DType.Float64) * a[0]) [| f64s [| 0.5; 1.5; 2.0 |] |]
                    checkGrads 1e-6 (fun a -> np.exp (Rng.Gumbel(key, Shape [| 3 |], DType.Float64) * a[0])) [| f64s [| 0.5; 0.25; 0.1 |] |]
                }
                test "multivariate normal is differentiable in its mean" {
                    let cov = Tensor.FromArray(spd 3 1)
                    checkGrads 1e-6 (fun a -> Rng.MultivariateNormal(Rng.Key 2, a[0], cov, Shape [| 2 |])) [| f64s [| 1.0; -1.0; 0.5 |] |]
                }
                test "bits carry no tangent: jvp of a function of bitcast floats is zero" {
                    let f = Func<Tensor[], Tensor[]>(fun a -> [| Lax.BitcastConvertType(Lax.BitcastConvertType(a[0], DType.UInt32), DType.Float32) |])
                    let struct (_, tangents) = Jax.Jvp(f, [| Tensor.FromArray [| 1.0f; 2.0f |] |], [| Tensor.FromArray [| 1.0f; 1.0f |] |])
                    Expect.equal (toFloats tangents[0]) [| 0.0; 0.0 |] "zero tangent, as JAX's defjvp_zero"
                    let x = Tensor.FromArray [| 1.0f |]
                    let rule = Bits.BitcastConvertType.Instance.Jvp([| x |], [| x |], x, Bits.BitcastParams DType.Float32)
                    Expect.isNull rule "the rule returns a symbolic zero"
                }
                test "the gradient of gamma with respect to alpha is a named error (implicit reparameterisation is not implemented)" {
                    let f = Func<Tensor, Tensor>(fun a -> np.sum (Rng.Gamma(Rng.Key 0, a, Shape [| 3 |], DType.Float64)))
                    Expect.throwsT<NotSupportedException> (fun () -> Jax.Grad(f).Invoke(Tensor.Scalar 2.0) |> ignore) "random_gamma names the missing rule"
                }
                test "jit of a gradient through a sampler equals the eager gradient" {
                    let key = Rng.Key 4
                    let loss (a: Tensor[]) = np.sum (np.sin (Rng.Normal(key, Shape [| 6 |], DType.Float64) * a[0] + a[1]))
                    let g = Func<Tensor[], Tensor[]>(fun a -> [| Jax.Grad(Func<Tensor, Tensor>(fun s -> loss [| s; a[1] |])).Invoke a[0] |])
                    let args = [| f64s [| 0.5; 1.0; 2.0; 0.1; 0.2; 0.3 |]; Tensor.Scalar 0.25 |]
                    let eager = g.Invoke(args)[0]
                    let jitted = Jax.Jit(g).Invoke(args)[0]
                    Expect.equal (toFloats jitted) (toFloats eager) "jit equals eager"
                } ] ]

/// The primitives whose Jvp, Transpose (none is linear) and Batch rules these tests check.
let covered =
    [ "random_seed"; "random_split"; "random_fold_in"; "random_bits"; "random_gamma"; "random_poisson"; "cholesky"
      "shift_left"; "shift_right_logical"; "bitcast_convert_type" ]
