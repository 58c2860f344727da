/// The transformation rules of lu, eigh, svd and qr: gradients to second order against finite
/// differences (JAX's check_grads) of the outputs, or of sign-invariant functions of them where
/// the decomposition fixes vectors only up to sign; vmap against a loop; and JAX's documented
/// behaviour at repeated eigenvalues and for the cases JAX refuses.
module Transforms.DecompositionRulesTests

open System
open Expecto
open JaxSharp
open OpTable.Generators
open Transforms.Checks
open TestHelpers

/// float64 values in [-1, 1] of the given shape.
let private random (seed: int) (shape: int[]) =
    let rng = Random(seed)
    tensorOf DType.Float64 shape (Array.init (Array.fold (*) 1 shape) (fun _ -> rng.NextDouble() * 2.0 - 1.0))

let private symmetric (x: Tensor) = Lax.Add(x, Np.Swapaxes(x, -1, -2))

let private stacked (seed: int) (axis: int) (size: int) (make: int -> Tensor) =
    Np.Stack([| for i in 0 .. size - 1 -> make (seed + i) |], axis)

/// sum_i g_i u_i v_iᵀ for fixed weights g: unchanged when a pair of singular vectors flips sign.
let private weightedSvd (x: Tensor) =
    let struct (u, _, vt) = Lax.Svd(x, fullMatrices = false)
    let k = vt.Shape[vt.Rank - 2]
    let g = Tensor.FromArray(Array.init k (fun i -> float (i + 1)))
    Np.Matmul(Lax.Mul(u, Np.BroadcastTo(g, u.Shape)), vt)

[<Tests>]
let tests =
    testList
        "decomposition rules"
        [ test "lu: check_grads to second order, square, tall and wide" {
              for seed, shape in [ 1, [| 3; 3 |]; 2, [| 4; 3 |]; 3, [| 3; 4 |]; 4, [| 2; 3; 3 |] ] do
                  checkGrads 1e-6 (fun x -> let struct (lu, _, _) = Lax.Lu x[0] in lu) [| random seed shape |]
          }
          test "lu: pivots and permutation get no tangent" {
              let a = random 5 [| 3; 3 |]
              let struct (_, t) = Jax.Jvp(Func<Tensor[], Tensor[]>(fun x -> let struct (lu, p, q) = Lax.Lu x[0] in [| lu; p; q |]), [| a |], [| a |])
              Expect.equal (toFloats t[1], toFloats t[2]) (Array.zeroCreate 3, Array.zeroCreate 3) "zero integer tangents"
          }
          test "lu: vmap at every axis equals a loop" {
              let xs = stacked 10 0 3 (fun s -> random s [| 3; 4 |])
              for ax in 0..2 do
                  for output in 0..2 do
                      checkVmap (fun x -> let struct (lu, p, q) = Lax.Lu x[0] in [| lu; p; q |][output]) [| Some ax |] [| Np.Moveaxis(xs, 0, ax) |]
          }
          test "eigh: check_grads to second order of the eigenvalues and the projectors v vᵀ (sign-free)" {
              for seed, shape in [ 20, [| 3; 3 |]; 21, [| 4; 4 |]; 22, [| 2; 3; 3 |] ] do
                  let a = symmetric (random seed shape)
                  checkGrads 1e-6 (fun x -> let struct (_, w) = Lax.Eigh x[0] in w) [| a |]
                  checkGrads 1e-6 (fun x -> let struct (v, _) = Lax.Eigh x[0] in Lax.Mul(v, v)) [| a |]
          }
          test "eigh: at a repeated eigenvalue the eigenvalues differentiate and the eigenvectors' tangents are not finite, as in JAX" {
              let eye = Np.Eye(3, dtype = DType.Float64)
              let grad = Jax.Grad(Func<Tensor, Tensor>(fun a -> Np.Sum(Np.Linalg.Eigvalsh a))).Invoke eye
              expectClose 1e-15 (toFloats eye) grad "d sum(w) / da = I"
              let struct (_, t) = Jax.Jvp(Func<Tensor[], Tensor[]>(fun x -> let struct (v, _) = Lax.Eigh x[0] in [| v |]), [| eye |], [| symmetric (random 23 [| 3; 3 |]) |])
              Expect.isFalse (toFloats t[0] |> Array.forall Double.IsFinite) "eigenvector tangents are inf or NaN"
          }
          test "eigh: vmap at every axis equals a loop" {
              let xs = stacked 30 0 3 (fun s -> symmetric (random s [| 3; 3 |]))
              for ax in 0..2 do
                  checkVmap (fun x -> let struct (v, _) = Lax.Eigh x[0] in v) [| Some ax |] [| Np.Moveaxis(xs, 0, ax) |]
                  checkVmap (fun x -> let struct (_, w) = Lax.Eigh x[0] in w) [| Some ax |] [| Np.Moveaxis(xs, 0, ax) |]
          }
          test "svd: check_grads to second order of s and of sign-free products of the vectors, square, tall and wide" {
              for seed, shape in [ 40, [| 3; 3 |]; 41, [| 4; 2 |]; 42, [| 2; 4 |]; 43, [| 2; 3; 3 |] ] do
                  let a = random seed shape
                  checkGrads 1e-6 (fun x -> Lax.SingularValues x[0]) [| a |]
                  checkGrads 1e-6 (fun x -> let struct (_, s, _) = Lax.Svd(x[0], fullMatrices = false) in s) [| a |]
                  checkGrads 1e-6 (fun x -> weightedSvd x[0]) [| a |]
          }
          test "svd: the derivative of full matrices is refused with the fix, as JAX's" {
              let a = random 44 [| 3; 2 |]
              throwsWith<NotSupportedException> [ "svd"; "(3, 2)"; "fullMatrices: false" ] (fun () ->
                  Jax.Jvp(Func<Tensor[], Tensor[]>(fun x -> let struct (u, _, _) = Lax.Svd(x[0], fullMatrices = true) in [| u |]), [| a |], [| a |]) |> ignore)
          }
          test "svd: vmap at every axis equals a loop, thin and full" {
              let xs = stacked 50 0 3 (fun s -> random s [| 3; 2 |])
              for ax in 0..2 do
                  for full in [ true; false ] do
                      for output in 0..2 do
                          checkVmap (fun x -> let struct (u, s, vt) = Lax.Svd(x[0], fullMatrices = full) in [| u; s; vt |][output]) [| Some ax |] [| Np.Moveaxis(xs, 0, ax) |]
          }
          test "qr: check_grads to second order of q and r, tall reduced and square" {
              for seed, shape, full in [ 60, [| 4; 3 |], false; 61, [| 3; 3 |], true; 62, [| 2; 3; 2 |], false ] do
                  let a = random seed shape
                  checkGrads 1e-6 (fun x -> let struct (q, _) = Lax.Qr(x[0], fullMatrices = full) in q) [| a |]
                  checkGrads 1e-6 (fun x -> let struct (_, r) = Lax.Qr(x[0], fullMatrices = full) in r) [| a |]
          }
          test "qr: the derivative of a wide matrix is refused with the fix, as JAX's" {
              let a = random 63 [| 2; 3 |]
              throwsWith<NotSupportedException> [ "qr"; "(2, 3)"; "m >= n" ] (fun () ->
                  Jax.Jvp(Func<Tensor[], Tensor[]>(fun x -> let struct (q, _) = Lax.Qr(x[0], fullMatrices = false) in [| q |]), [| a |], [| a |]) |> ignore)
          }
          test "qr: vmap at every axis equals a loop" {
              let xs = stacked 70 0 3 (fun s -> random s [| 3; 2 |])
              for ax in 0..2 do
                  checkVmap (fun x -> let struct (q, _) = Lax.Qr(x[0], fullMatrices = true) in q) [| Some ax |] [| Np.Moveaxis(xs, 0, ax) |]
                  checkVmap (fun x -> let struct (_, r) = Lax.Qr(x[0], fullMatrices = false) in r) [| Some ax |] [| Np.Moveaxis(xs, 0, ax) |]
          }
          test "jit of gradients through every decomposition equals eager" {
              let f (a: Tensor) =
                  let struct (lu, _, _) = Lax.Lu a
                  let struct (_, w) = Lax.Eigh(symmetric a)
                  let struct (q, _) = Lax.Qr(a, fullMatrices = false)
                  Np.Sum(lu) + Np.Sum(w * w) + Np.Sum(Lax.SingularValues a) + Np.Sum(q * q * q)
              let grad = Func<Tensor, Tensor>(fun a -> Jax.Grad(Func<Tensor, Tensor> f).Invoke a)
              let a = random 80 [| 3; 3 |]
              expectClose 1e-12 (toFloats (grad.Invoke a)) (Jax.Jit(grad).Invoke a) "jit = eager"
          } ]

/// The primitives whose Jvp and Batch rules these tests check (none is linear: no Transpose).
let covered = [ "lu"; "eigh"; "svd"; "qr" ]
