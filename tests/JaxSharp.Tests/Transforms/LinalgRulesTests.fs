/// The transformation rules of cholesky and triangular_solve: gradients to second order against
/// finite differences (JAX's check_grads) over every combination of triangular_solve's flags,
/// the transposition identity of the solve in b, vmap against a loop with batched and unbatched
/// arguments at various axes, and JAX's documented behaviour (the unread triangle and a unit
/// diagonal get no gradient; cholesky's tangent satisfies dL Lᵀ + L dLᵀ = dA).
module Transforms.LinalgRulesTests

open System
open Expecto
open JaxSharp
open JaxSharp.Primitives.LinearAlgebra
open OpTable.Generators
open Transforms.Checks

let private config = { FsCheckConfig.defaultConfig with maxTest = 20 }

/// float64 values in [-1, 1] of the given shape.
let private random (seed: int) (shape: int[]) =
    let rng = Random(seed)
    tensorOf DType.Float64 shape (Array.init (Array.fold (*) 1 shape) (fun _ -> rng.NextDouble() * 2.0 - 1.0))

/// Random (..., m, m) matrices with 3 added to the diagonal: triangles far from singular.
let private wellConditioned (seed: int) (shape: int[]) =
    let m = shape[shape.Length - 1]
    Lax.Add(random seed shape, Np.Multiply(Np.Eye(m, dtype = DType.Float64), 3.0))

/// A Aᵀ + n I: symmetric positive definite, for any square A (batched on the leading axes).
let private spd (a: Tensor) =
    let n = a.Shape[a.Rank - 1]
    Lax.Add(Np.Matmul(a, Np.Swapaxes(a, -1, -2)), Np.Multiply(Np.Eye(n, dtype = DType.Float64), float n))

let private close (expected: float[]) (actual: Tensor) =
    let actual = toFloats actual
    Expect.equal actual.Length expected.Length "size"
    for i in 0 .. expected.Length - 1 do
        if not (abs (actual[i] - expected[i]) <= 1e-10 * (1.0 + abs expected[i])) then
            failtestf "element %d is %g, expected %g (all: %A)" i actual[i] expected[i] actual

let private countPrimitive name (jaxpr: IR.Jaxpr) =
    jaxpr.Equations |> Seq.filter (fun e -> e.Application.Primitive.Name = name) |> Seq.length

let private sumAll (x: Tensor) = Lax.ReduceSum(x, [| 0 .. x.Rank - 1 |])

/// Every combination of (left_side, lower, transpose_a, unit_diagonal).
let private flagCombinations =
    [ for left in [ true; false ] do
          for lower in [ true; false ] do
              for transpose in [ true; false ] do
                  for unit in [ true; false ] do
                      left, lower, transpose, unit ]

let private solve (left, lower, transpose, unit) (a: Tensor) (b: Tensor) =
    Lax.TriangularSolve(a, b, leftSide = left, lower = lower, transposeA = transpose, unitDiagonal = unit)

/// b's shape for a (batch..., m, m) and n right-hand sides.
let private bShape left (batch: int[]) m n = Array.append batch (if left then [| m; n |] else [| n; m |])

/// x with a new axis of size `size` at `axis`, each slice different.
let private stacked (seed: int) (axis: int) (size: int) (make: int -> Tensor) =
    Np.Stack([| for i in 0 .. size - 1 -> make (seed + i) |], axis)

[<Tests>]
let tests =
    testList
        "linalg rules"
        [ testList
              "triangular_solve"
              [ testPropertyWithConfig config "check_grads to second order over random flags and shapes" (fun (seed: int) ->
                    let rng = Random seed
                    let flags = flagCombinations[rng.Next flagCombinations.Length]
                    let left, _, _, _ = flags
                    let batch = if rng.Next 2 = 0 then [||] else [| 2 |]
                    let m, n = rng.Next(1, 4), rng.Next(1, 4)
                    let a = wellConditioned seed (Array.append batch [| m; m |])
                    let b = random (seed + 1) (bShape left batch m n)
                    checkGrads 1e-6 (fun x -> solve flags x[0] x[1]) [| a; b |])
                test "check_grads to second order for every combination of flags" {
                    for flags in flagCombinations do
                        let left, _, _, _ = flags
                        let a = wellConditioned 3 [| 3; 3 |]
                        let b = random 4 (bShape left [||] 3 2)
                        checkGrads 1e-6 (fun x -> solve flags x[0] x[1]) [| a; b |]
                }
                test "the transpose rule in b satisfies <u, solve(a, v)> = <solve_transposed(a, u), v>" {
                    for flags in flagCombinations do
                        let left, _, _, _ = flags
                        let p = let l, lo, t, u = flags in TriangularSolveParams(l, lo, t, false, u)
                        let a = wellConditioned 5 [| 2; 3; 3 |]
                        let v = random 6 (bShape left [| 2 |] 3 4)
                        let u = random 7 (bShape left [| 2 |] 3 4)
                        let forward = TriangularSolve.Instance.Bind(p, a, v)
                        let back = TriangularSolve.Instance.Transpose(u, [| a; null |], [| a.Aval; v.Aval |], p)
                        Expect.isNull back[0] "a is not linear: no cotangent"
                        let dot (x: Tensor) (y: Tensor) = Array.fold2 (fun s p q -> s + p * q) 0.0 (toFloats x) (toFloats y)
                        close [| dot u forward |] (Tensor.Scalar(dot back[1] v))
                }
                test "the triangle it does not read, and a unit diagonal, get zero gradient (as in JAX)" {
                    let a = wellConditioned 8 [| 3; 3 |]
                    let b = random 9 [| 3; 2 |]
                    let gradA flags =
                        Jax.Grad(Func<Tensor, Tensor>(fun a -> sumAll (solve flags a b))).Invoke a |> toFloats
                    let lowerGrad = gradA (true, true, false, false)
                    for i in 0..2 do
                        for j in i + 1 .. 2 do
                            Expect.equal lowerGrad[i * 3 + j] 0.0 $"upper element ({i}, {j}) of a lower solve"
                    let unitGrad = gradA (true, false, true, true)
                    for i in 0..2 do
                        for j in 0..i do
                            Expect.equal unitGrad[i * 3 + j] 0.0 $"element ({i}, {j}) of an upper unit-diagonal solve"
                }
                test "vmap with a, b or both batched, at the front, in the middle and last, on both sides" {
                    for left in [ true; false ] do
                        let flags = left, true, false, false
                        let f (x: Tensor[]) = solve flags x[0] x[1]
                        let aAt seed axis = stacked seed axis 3 (fun s -> wellConditioned s [| 3; 3 |])
                        let bAt seed axis = stacked seed axis 3 (fun s -> random s (bShape left [||] 3 2))
                        let a, b = wellConditioned 10 [| 3; 3 |], random 11 (bShape left [||] 3 2)
                        for axA, axB in [ Some 0, Some 0; Some 2, Some 1; Some 1, Some 2 ] do
                            checkVmap f [| axA; axB |] [| aAt 20 axA.Value; bAt 30 axB.Value |]
                        for ax in [ 0; 1; 2 ] do
                            checkVmap f [| None; Some ax |] [| a; bAt 40 ax |]
                            checkVmap f [| Some ax; None |] [| aAt 50 ax; b |]
                }
                test "vmap over matrices that already have a batch axis, batched at the same axis or not" {
                    for left in [ true; false ] do
                        let flags = left, false, true, false
                        let f (x: Tensor[]) = solve flags x[0] x[1]
                        let aAt axis = stacked 60 axis 3 (fun s -> wellConditioned s [| 2; 3; 3 |])
                        let bAt axis = stacked 70 axis 3 (fun s -> random s (bShape left [| 2 |] 3 2))
                        checkVmap f [| Some 1; Some 1 |] [| aAt 1; bAt 1 |]
                        checkVmap f [| Some 0; Some 1 |] [| aAt 0; bAt 1 |]
                        checkVmap f [| None; Some 1 |] [| wellConditioned 80 [| 2; 3; 3 |]; bAt 1 |]
                        checkVmap f [| Some 3; None |] [| aAt 3; random 81 (bShape left [| 2 |] 3 2) |]
                }
                test "vmap with an unbatched a is one solve and never broadcasts a" {
                    let a = wellConditioned 90 [| 4; 4 |]
                    let bs = random 91 [| 5; 4; 3 |]
                    let solves = Jax.Vmap(Func<Tensor[], Tensor[]>(fun x -> [| solve (true, true, false, false) a x[0] |]))
                    let jaxpr = Jax.MakeJaxpr(solves, bs)
                    Expect.equal (countPrimitive "triangular_solve" jaxpr) 1 $"one triangular_solve in\n{jaxpr}"
                    Expect.equal (countPrimitive "broadcast_in_dim" jaxpr) 0 $"no broadcast in\n{jaxpr}"
                }
                test "vectors b solve as one column (left side) or one row (right side)" {
                    let a = wellConditioned 92 [| 3; 3 |]
                    let v = random 93 [| 3 |]
                    for left in [ true; false ] do
                        let asMatrix = if left then Np.Reshape(v, 3, 1) else Np.Reshape(v, 1, 3)
                        let expected = solve (left, true, false, false) a asMatrix
                        close (toFloats expected) (solve (left, true, false, false) a v)
                } ]
          testList
              "cholesky"
              [ testPropertyWithConfig config "check_grads to second order of cholesky(A Aᵀ + n I) over random A" (fun (seed: int) ->
                    let rng = Random seed
                    let batch = if rng.Next 2 = 0 then [||] else [| 2 |]
                    let n = rng.Next(1, 4)
                    let a = random seed (Array.append batch [| n; n |])
                    checkGrads 1e-6 (fun x -> Lax.Cholesky(spd x[0])) [| a |])
                test "check_grads of cholesky on a symmetric positive definite matrix itself (the tangent is symmetrized, as the input is)" {
                    let s = spd (random 100 [| 3; 3 |])
                    checkGrads 1e-6 (fun x -> Lax.Cholesky x[0]) [| s |]
                }
                test "the tangent satisfies dL Lᵀ + L dLᵀ = dA, with dL lower triangular" {
                    let s = spd (random 101 [| 4; 4 |])
                    let ds = spd (random 102 [| 4; 4 |])
                    let struct (l, dl) = Jax.Jvp(Func<Tensor, Tensor>(fun x -> Lax.Cholesky x), s, ds)
                    let lhs = Lax.Add(Np.Matmul(dl, Np.Swapaxes(l, 0, 1)), Np.Matmul(l, Np.Swapaxes(dl, 0, 1)))
                    close (toFloats ds) lhs
                    let dlv = toFloats dl
                    for i in 0..3 do
                        for j in i + 1 .. 3 do
                            Expect.equal dlv[i * 4 + j] 0.0 $"dL ({i}, {j})"
                }
                test "a matrix that is not positive definite has NaN tangents, as its factor is NaN" {
                    let x = Tensor.FromArray(array2D [ [ 1.0; 2.0 ]; [ 2.0; 1.0 ] ])
                    let struct (_, dl) = Jax.Jvp(Func<Tensor, Tensor>(fun x -> Lax.Cholesky x), x, x)
                    Expect.isTrue (toFloats dl |> Array.forall Double.IsNaN) "NaN tangents"
                }
                test "vmap at every axis, with and without a batch axis of its own" {
                    let xs = stacked 110 0 3 (fun s -> spd (random s [| 3; 3 |]))
                    for ax in 0..2 do
                        checkVmap (fun x -> Lax.Cholesky x[0]) [| Some ax |] [| Np.Moveaxis(xs, 0, ax) |]
                    let ys = stacked 120 1 3 (fun s -> spd (random s [| 2; 3; 3 |]))
                    checkVmap (fun x -> Lax.Cholesky x[0]) [| Some 1 |] [| ys |]
                }
                test "vmap of the gradient (the JVP's solves and product batched) equals a loop" {
                    let w = random 130 [| 3; 3 |]
                    let g (x: Tensor[]) =
                        Jax.Grad(Func<Tensor, Tensor>(fun a -> sumAll (Lax.Mul(Lax.Cholesky(spd a), w)))).Invoke x[0]
                    let xs = stacked 131 0 3 (fun s -> random s [| 3; 3 |])
                    checkVmap g [| Some 0 |] [| xs |]
                    checkVmap g [| Some 2 |] [| Np.Moveaxis(xs, 0, 2) |]
                } ]
          test "jit of a gradient through cholesky and triangular_solve equals the eager gradient" {
              let b = random 140 [| 3; 2 |]
              let f (a: Tensor) =
                  let l = Lax.Cholesky(spd a)
                  sumAll (Lax.TriangularSolve(l, b, leftSide = true, lower = true))
              let grad = Func<Tensor, Tensor>(fun a -> Jax.Grad(Func<Tensor, Tensor> f).Invoke a)
              let a = random 141 [| 3; 3 |]
              let eager = grad.Invoke a
              let jitted = Jax.Jit(grad)
              close (toFloats eager) (jitted.Invoke a)
              close (toFloats eager) (jitted.Invoke a)
          } ]

/// The primitives whose Jvp, Transpose and Batch rules these tests check (cholesky is not linear: no Transpose).
let covered = [ "cholesky"; "triangular_solve" ]
