/// Properties of np.linalg over random sizes, batch shapes and matrices (FsCheck gives the seed,
/// printed on failure): gradients equal finite differences to second order, vmap equals a loop,
/// and jit equals eager.
module LinalgProperties

open System
open Expecto
open JaxSharp
open OpTable.Generators
open Transforms.Checks

let private config = { FsCheckConfig.defaultConfig with maxTest = 15 }

/// A random case from a seed: n in 1..4, an optional batch axis, float64 values in [-1, 1].
let private matrices (seed: int) =
    let rng = Random seed
    let n = rng.Next(1, 5)
    let batch = if rng.Next 2 = 0 then [||] else [| rng.Next(1, 4) |]
    let shape = Array.append batch [| n; n |]
    let values = Array.init (Array.fold (*) 1 shape) (fun _ -> rng.NextDouble() * 2.0 - 1.0)
    let a = tensorOf DType.Float64 shape values
    // 3 on the diagonal keeps every matrix far from singular
    n, Lax.Add(a, Np.Multiply(Np.Eye(n, dtype = DType.Float64), 3.0))

let private symmetric (x: Tensor) = Lax.Add(x, Np.Swapaxes(x, -1, -2))

[<Tests>]
let properties =
    testList
        "np.linalg on random matrices"
        [ testPropertyWithConfig config "solve, det, slogdet and inv: gradients equal finite differences, both modes, to second order" (fun (seed: int) ->
              let n, a = matrices seed
              let b = randomLike (seed + 1) (Np.Ones(Shape [| n |], DType.Float64))
              checkGrads 1e-6 (fun x -> Np.Linalg.Solve(x[0], x[1])) [| a; b |]
              checkGrads 1e-6 (fun x -> Np.Linalg.Det x[0]) [| a |]
              checkGrads 1e-6 (fun x -> let struct (_, l) = Np.Linalg.Slogdet x[0] in l) [| a |]
              checkGrads 1e-6 (fun x -> Np.Linalg.Inv x[0]) [| a |])

          testPropertyWithConfig config "eigvalsh, svdvals, the 2-norm and cholesky: gradients equal finite differences (distinct values)" (fun (seed: int) ->
              let _, a = matrices seed
              checkGrads 1e-6 (fun x -> Np.Linalg.Eigvalsh(symmetric x[0])) [| a |]
              checkGrads 1e-6 (fun x -> Np.Linalg.Svdvals x[0]) [| a |]
              checkGrads 1e-6 (fun x -> Np.Linalg.Cholesky(Np.Matmul(x[0], Np.Swapaxes(x[0], -1, -2)), upper = true)) [| a |])

          testPropertyWithConfig config "vmap of the decompositions and solves equals a loop" (fun (seed: int) ->
              let _, a = matrices seed
              let stacked = Np.Stack([| a; Np.Multiply(a, 0.5); Np.Swapaxes(a, -1, -2) |], 0)
              checkVmap (fun x -> Np.Linalg.Eigvalsh(symmetric x[0])) [| Some 0 |] [| stacked |]
              checkVmap (fun x -> let struct (_, s, _) = Np.Linalg.Svd(x[0], false) in s) [| Some 0 |] [| stacked |]
              checkVmap (fun x -> let struct (_, r) = Np.Linalg.Qr x[0] in r) [| Some 0 |] [| stacked |]
              checkVmap (fun x -> Np.Linalg.Det x[0]) [| Some 0 |] [| stacked |]
              checkVmap (fun x -> Np.Linalg.Expm x[0]) [| Some 0 |] [| stacked |])

          testPropertyWithConfig config "jit of a gradient through solve, slogdet and eigh equals eager" (fun (seed: int) ->
              let _, a = matrices seed
              let f (x: Tensor) =
                  let struct (_, l) = Np.Linalg.Slogdet x
                  let struct (w, _) = Np.Linalg.Eigh(symmetric x)
                  Np.Sum(Np.Linalg.Solve(x, Np.Sum(x, -1, keepdims = true))) + Np.Sum(l) + Np.Sum(Np.Multiply(w, w))
              let grad = Func<Tensor, Tensor>(fun x -> Jax.Grad(Func<Tensor, Tensor> f).Invoke x)
              expectClose 1e-10 (toFloats (grad.Invoke a)) (Jax.Jit(grad).Invoke a) "jit = eager") ]
