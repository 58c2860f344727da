/// The transformation rules of convolutions and window reductions: gradients to second order
/// against finite differences (JAX's check_grads) over random layouts, padding, dilations and
/// groups; the transposition identity of both operands; vmap against a loop with either or
/// both operands batched at various axes; and jit against eager.
module Transforms.ConvRulesTests

open System
open Expecto
open JaxSharp
open JaxSharp.Primitives.Convolution
open OpTable.Generators
open OpTable.ConvCases
open OpTable.WindowOps
open Transforms.Checks

let private config = { FsCheckConfig.defaultConfig with maxTest = 12 }

let private dot (a: Tensor) (b: Tensor) = Array.fold2 (fun s x y -> s + x * y) 0.0 (toFloats a) (toFloats b)

/// A case small enough for second-order finite differences: batch and features at most 2 per group.
let private smallCase (rng: Random) = randomCase rng 2

/// A window reduction with the identity of windows that hold only padding (-inf for max, +inf
/// for min) replaced by 0, so that finite differences and comparisons see numbers.
let private windowFinite computation case (x: Tensor) =
    let y = applyWindow computation case x
    Np.Where(Np.IsFinite y, y, Np.ZerosLike y)

/// x with a new axis of `size` examples at `axis`.
let private stackedAt (axis: int) (examples: Tensor[]) = Np.Stack(examples, axis)

[<Tests>]
let tests =
    testList
        "convolution rules"
        [ testPropertyWithConfig config "conv_general_dilated: check_grads to second order over random layouts, padding, dilations and groups" (fun (seed: int) ->
              let rng = Random seed
              let case = smallCase rng
              let lhs, rhs = operands rng DType.Float64 case
              checkGrads 1e-6 (fun x -> apply case x[0] x[1]) [| lhs; rhs |])
          testPropertyWithConfig config "conv_general_dilated: the transposes satisfy <u, conv(x, w)> = <x, T_lhs u> = <w, T_rhs u>" (fun (seed: int) ->
              let rng = Random seed
              let case = smallCase rng
              let x, w = operands rng DType.Float64 case
              let y = apply case x w
              let u = randomLike (seed + 1) y
              let p = (Jax.MakeJaxpr(Func<Tensor[], Tensor[]>(fun a -> [| apply case a[0] a[1] |]), [| x; w |])).Equations |> Seq.map _.Application |> Seq.find (fun e -> e.Primitive.Name = "conv_general_dilated") |> _.Params
              let toLhs = ConvGeneralDilated.Instance.Transpose(u, [| null; w |], [| x.Aval; w.Aval |], p)
              let toRhs = ConvGeneralDilated.Instance.Transpose(u, [| x; null |], [| x.Aval; w.Aval |], p)
              let expected = dot u y
              Expect.floatClose { absolute = 1e-10; relative = 1e-10 } (dot x toLhs[0]) expected $"lhs, seed {seed}: {describe case}"
              Expect.floatClose { absolute = 1e-10; relative = 1e-10 } (dot w toRhs[1]) expected $"rhs, seed {seed}: {describe case}")
          testPropertyWithConfig config "conv_general_dilated: vmap with the input, the kernel or both batched, at random axes, equals a loop" (fun (seed: int) ->
              let rng = Random seed
              let case = smallCase rng
              let examples = Array.init 3 (fun _ -> operands rng DType.Float64 case)
              let xs = examples |> Array.map fst
              let ws = examples |> Array.map snd
              let f (a: Tensor[]) = apply case a[0] a[1]
              let ax, aw = rng.Next(0, xs[0].Rank + 1), rng.Next(0, ws[0].Rank + 1)
              checkVmap f [| Some ax; None |] [| stackedAt ax xs; ws[0] |]
              checkVmap f [| None; Some aw |] [| xs[0]; stackedAt aw ws |]
              checkVmap f [| Some ax; Some aw |] [| stackedAt ax xs; stackedAt aw ws |])
          test "jit of a convolution's gradients equals the eager gradients" {
              let rng = Random 5
              let x = tensorOf DType.Float32 [| 2; 3; 7; 6 |] (Array.init 252 (fun _ -> rng.NextDouble()))
              let w = tensorOf DType.Float32 [| 4; 3; 3; 3 |] (Array.init 108 (fun _ -> rng.NextDouble()))
              let loss (a: Tensor[]) = Lax.ReduceSum(Lax.Mul(Lax.Conv(a[0], a[1], [| 2; 1 |], "SAME"), Lax.Conv(a[0], a[1], [| 2; 1 |], "SAME")), [| 0; 1; 2; 3 |])
              let grads = Func<Tensor[], Tensor[]>(fun a -> Jax.Grad(Func<Tensor[], Tensor> loss, [| 0; 1 |]).Invoke a)
              let eager = grads.Invoke [| x; w |]
              let jitted = (Jax.Jit grads).Invoke [| x; w |]
              for i in 0..1 do
                  expectClose 1e-4 (toFloats eager[i]) jitted[i] $"gradient {i}"
          }
          testPropertyWithConfig config "reduce_window sum, max and min: check_grads to second order over random windows" (fun (seed: int) ->
              let rng = Random seed
              let case = randomWindowCase rng
              // distinct values, far apart, so that no finite difference step changes a max
              let n = Array.fold (*) 1 case.Shape
              let x = tensorOf DType.Float64 case.Shape (Array.init n float |> Array.sortBy (fun _ -> rng.Next()))
              for computation in [ "sum"; "max"; "min" ] do
                  checkGrads 1e-6 (fun a -> windowFinite computation case a[0]) [| x |])
          testPropertyWithConfig config "reduce_window and pooling gradients: vmap at random axes equals a loop" (fun (seed: int) ->
              let rng = Random seed
              let case = randomWindowCase rng
              let n = Array.fold (*) 1 case.Shape
              let xs = Array.init 3 (fun _ -> tensorOf DType.Float64 case.Shape (Array.init n (fun _ -> float (rng.Next(0, 5)))))
              let axis = rng.Next(0, case.Shape.Length + 1)
              let batched = stackedAt axis xs
              for computation in [ "sum"; "max"; "min" ] do
                  let f (a: Tensor[]) = windowFinite computation case a[0]
                  checkVmap f [| Some axis |] [| batched |]
                  // the gradient (select_and_scatter_add) and the JVP (select_and_gather_add), batched
                  let u = Np.OnesLike(f [| xs[0] |])
                  let gradient (a: Tensor[]) =
                      let struct (_, pullback) = Jax.Vjp(Func<Tensor, Tensor>(fun z -> windowFinite computation case z), a[0])
                      pullback.Invoke u
                  checkVmap gradient [| Some axis |] [| batched |]
                  let jvp (a: Tensor[]) =
                      let struct (_, t) = Jax.Jvp(Func<Tensor, Tensor>(fun z -> windowFinite computation case z), a[0], a[1])
                      t
                  checkVmap jvp [| Some axis; None |] [| batched; Np.OnesLike xs[0] |]
                  checkVmap jvp [| None; Some axis |] [| xs[0]; batched |]) ]

/// The primitives whose Jvp, Transpose and Batch rules these tests check (max and min are not linear: no Transpose).
let covered = [ "conv_general_dilated" ] @ OpTable.WindowOps.covered
