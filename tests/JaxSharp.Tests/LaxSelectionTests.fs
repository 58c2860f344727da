/// lax.clamp and lax.select_n: values, JAX's derivatives, vmap, and jax.lax's refusals of
/// other shapes and dtypes.
module LaxSelectionTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open Transforms.Checks
open TestHelpers

let private v (xs: float list) = Tensor.FromArray(Array.ofList xs)
let private values (t: Tensor) = toFloats t |> List.ofArray
let private gradOf (f: Tensor -> Tensor) (x: Tensor) = Jax.Grad(Func<Tensor, Tensor>(fun a -> Np.Sum(f a))).Invoke x

[<Tests>]
let clampTests =
    testList
        "lax clamp"
        [ test "clamp bounds x by scalars or bounds of x's shape, in x's dtype" {
              let x = v [ -2.0; -0.5; 0.0; 0.5; 2.0 ]
              Expect.equal (values (Lax.Clamp(-1.0, x, 1.0))) [ -1.0; -0.5; 0.0; 0.5; 1.0 ] "scalar bounds"
              let lo = v [ 0.0; 0.0; 0.5; 0.0; 3.0 ]
              let hi = v [ 1.0; 1.0; 1.0; 0.25; 4.0 ]
              Expect.equal (values (lax.clamp lo x hi)) [ 0.0; 0.0; 0.5; 0.25; 3.0 ] "bounds of x's shape"
              let x32 = Tensor.FromArray [| -3.0f; 3.0f |]
              let clamped = Lax.Clamp(-1.0, x32, 1.0)
              Expect.equal clamped.DType DType.Float32 "a .NET scalar bound takes x's dtype"
              Expect.equal (clamped.ToArray<float32>()) [| -1.0f; 1.0f |] "float32 values"
              Expect.equal ((Lax.Clamp(0, Tensor.FromArray [| -5; 5; 12 |], 10)).ToArray<int>()) [| 0; 5; 10 |] "int32"
              Expect.equal (values (Lax.Clamp(2.0, v [ 0.0; 5.0 ], 1.0))) [ 1.0; 1.0 ] "min > max gives max, as XLA's clamp"
          }
          test "the derivative reaches x strictly inside, min where it wins below max, max where it wins" {
              let x = v [ -2.0; -1.0; 0.0; 1.0; 2.0 ]
              let lo = v [ -1.0; -1.0; -1.0; -1.0; -1.0 ]
              let hi = v [ 1.0; 1.0; 1.0; 1.0; 1.0 ]
              Expect.equal (values (gradOf (fun a -> Lax.Clamp(lo, a, hi)) x)) [ 0.0; 0.0; 1.0; 0.0; 0.0 ] "d/dx: none at the bounds"
              Expect.equal (values (gradOf (fun a -> Lax.Clamp(a, x, hi)) lo)) [ 1.0; 0.0; 0.0; 0.0; 0.0 ] "d/dmin"
              Expect.equal (values (gradOf (fun a -> Lax.Clamp(lo, x, a)) hi)) [ 0.0; 0.0; 0.0; 0.0; 1.0 ] "d/dmax"
          }
          test "clamp's JVP and VJP match finite differences away from the kinks, to second order" {
              let x = v [ -0.9; -0.2; 0.3; 0.8 ]
              checkGrads 1e-6 (fun a -> Lax.Clamp(a[0], a[1], a[2])) [| v [ -0.5; -0.5; -0.5; -0.5 ]; x; v [ 0.5; 0.5; 0.5; 0.5 ] |]
          }
          test "vmap of clamp: batched bounds, and scalar bounds left unbatched" {
              let x = tensorOf DType.Float64 [| 3; 4 |] (Array.init 12 (fun i -> float i / 4.0 - 1.5))
              let lo = tensorOf DType.Float64 [| 3 |] [| -1.0; -0.5; 0.0 |]
              let hi = tensorOf DType.Float64 [| 3 |] [| 1.0; 0.5; 0.25 |]
              checkVmap (fun a -> Lax.Clamp(a[0], a[1], a[2])) [| Some 0; Some 0; Some 0 |] [| lo; x; hi |]
              checkVmap (fun a -> Lax.Clamp(a[0], a[1], a[2])) [| None; Some 1; None |] [| Tensor.Scalar(-0.5); x; Tensor.Scalar 0.5 |]
          }
          test "clamp refuses bounds of another shape or dtype with jax.lax's words" {
              messageOf (fun () -> Lax.Clamp(v [ 0.0; 0.0 ], v [ 1.0; 2.0; 3.0 ], 1.0))
              |> expectWords [ "lax.clamp requires min.shape == operand.shape or min.shape == ()"; "(2,)"; "(3,)"; "Np.BroadcastTo"; "Np.Clip" ]
              messageOf (fun () -> Lax.Clamp(0.0, v [ 1.0; 2.0 ], v [ 1.0 ]))
              |> expectWords [ "max.shape == operand.shape"; "(1,)" ]
              messageOf (fun () -> Lax.Clamp(Tensor.FromArray [| 0.0f |], v [ 1.0 ], 1.0))
              |> expectWords [ "lax.clamp requires arguments to have the same dtypes"; "float32"; "float64"; "Np.Clip" ]
              messageOf (fun () -> Lax.Clamp(0.5, Tensor.FromArray [| 1; 2 |], 2))
              |> expectWords [ "lax.clamp"; "same dtypes"; "int32" ]
          } ]

[<Tests>]
let selectNTests =
    let a = v [ 1.0; 2.0; 3.0; 4.0; 5.0 ]
    let b = v [ 10.0; 20.0; 30.0; 40.0; 50.0 ]
    let c = v [ 100.0; 200.0; 300.0; 400.0; 500.0 ]
    testList
        "lax select_n"
        [ test "select_n picks cases[which] for bool and int32 which, scalar or elementwise" {
              let pred = Tensor.FromArray [| true; false; true; false; false |]
              Expect.equal (values (Lax.SelectN(pred, a, b))) [ 10.0; 2.0; 30.0; 4.0; 5.0 ] "bool: false picks cases[0]"
              let which = Tensor.FromArray [| 0; 2; 1; 5; -1 |]
              Expect.equal (values (lax.selectN which [ a; b; c ])) [ 1.0; 200.0; 30.0; 400.0; 5.0 ] "int32, out of range takes the nearest case"
              Expect.equal (values (Lax.SelectN(Tensor.Scalar 1, a, b, c))) (values b) "a scalar which"
              Expect.equal (values (Lax.SelectN(Tensor.Scalar 0, a))) (values a) "one case"
              Expect.equal (values (Lax.SelectN(Tensor.FromArray [| 1u; 0u; 2u; 0u; 1u |], a, b, c))) [ 10.0; 2.0; 300.0; 4.0; 50.0 ] "uint32"
          }
          test "the derivative reaches each case where it is picked" {
              let which = Tensor.FromArray [| 0; 2; 1; 2; 0 |]
              Expect.equal (values (gradOf (fun x -> Lax.SelectN(which, a, x, c)) b)) [ 0.0; 0.0; 1.0; 0.0; 0.0 ] "d/dcases[1]"
              Expect.equal (values (gradOf (fun x -> Lax.SelectN(which, a, b, x)) c)) [ 0.0; 1.0; 0.0; 1.0; 0.0 ] "d/dcases[2]"
              checkGrads 1e-6 (fun xs -> Lax.SelectN(which, xs[0], xs[1], xs[2])) [| a; b; c |]
          }
          test "vmap of select_n: which and cases batched, or which alone" {
              let which = Tensor.FromArray(array2D [ [ 0; 1; 2 ]; [ 2; 2; 0 ] ])
              let cases = [| for k in 0..2 -> tensorOf DType.Float64 [| 2; 3 |] (Array.init 6 (fun i -> float (10 * k + i))) |]
              checkVmap (fun xs -> Lax.SelectN(xs[0], xs[1], xs[2], xs[3])) [| Some 0; Some 0; Some 0; Some 0 |] (Array.append [| which |] cases)
              let row = tensorOf DType.Float64 [| 3 |] [| 1.0; 2.0; 3.0 |]
              checkVmap (fun xs -> Lax.SelectN(xs[0], xs[1], xs[2])) [| Some 0; None; None |] [| which; row; Np.Negative row |]
          }
          test "select_n refuses what jax.lax refuses, with its words" {
              messageOf (fun () -> Lax.SelectN(Tensor.Scalar 0)) |> expectWords [ "lax.select_n must have at least one case" ]
              messageOf (fun () -> Lax.SelectN(Tensor.Scalar 0, a, v [ 1.0 ]))
              |> expectWords [ "lax.select_n cases must have the same shapes"; "(5,)"; "(1,)" ]
              messageOf (fun () -> Lax.SelectN(Tensor.Scalar 0, a, Tensor.FromArray [| 1.0f; 2.0f; 3.0f; 4.0f; 5.0f |]))
              |> expectWords [ "lax.select_n requires arguments to have the same dtypes"; "float64"; "float32" ]
              messageOf (fun () -> Lax.SelectN(Tensor.Scalar 0.5, a, b))
              |> expectWords [ "`which` must be boolean or integer type"; "float"; "Np.AsType" ]
              messageOf (fun () -> Lax.SelectN(Tensor.FromArray [| true |], v [ 1.0 ], v [ 2.0 ], v [ 3.0 ]))
              |> expectWords [ "boolean `which` cannot have > 2 cases"; "3" ]
              messageOf (fun () -> Lax.SelectN(Tensor.FromArray [| 0; 1 |], a, b))
              |> expectWords [ "`which` must be scalar or have the same shape as cases"; "(2,)"; "(5,)" ]
          } ]
