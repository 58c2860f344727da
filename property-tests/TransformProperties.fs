/// Properties of the transformations on random programs (with lax.cond nodes): jit equals eager, gradients equal
/// finite differences (both modes, second order), jacfwd equals jacrev, vmap equals a loop,
/// grad of jit equals jit of grad.
module TransformProperties

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open RandomPrograms
open Transforms.Checks

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 40
        arbitrary = [ typeof<Arbitraries> ] }

let private close tol (expected: Tensor) (actual: Tensor) =
    Expect.equal actual.Shape expected.Shape "shape"
    expectClose tol (toFloats expected) actual "values"

[<Tests>]
let properties =
    testList
        "random programs"
        [ test "the generator makes programs with cond nodes (seed 7)" {
              let programs = Gen.sampleWithSeed (Rnd 7UL) 60 60 (programGenWith true)
              let withCond = programs |> Array.filter (fun p -> (string p).Contains "lax.cond") |> Array.length
              Expect.isGreaterThan withCond 5 $"programs with a cond among {programs.Length} (seed 7)"
          }

          testPropertyWithConfig config "jit equals eager" (fun (c: Case) ->
              let x, y = c.Inputs
              let f = Func<Tensor, Tensor, Tensor>(evaluate c.Program)
              close 1e-12 (f.Invoke(x, y)) (Jax.Jit(f).Invoke(x, y)))

          testPropertyWithConfig config "jit equals eager in float32" (fun (c: Case) ->
              let x, y = c.Inputs
              let x32, y32 = np.array (Array.map float32 c.X), np.array (Array.map float32 c.Y)
              let f = Func<Tensor, Tensor, Tensor>(evaluate c.Program)
              close 1e-5 (f.Invoke(x32, y32)) (Jax.Jit(f).Invoke(x32, y32))
              ignore (x, y))

          testPropertyWithConfig config "gradients equal finite differences away from cond thresholds, both modes, to second order" (fun (c: Case) ->
              let x, y = c.Inputs
              // steps of about 1e-4 along directions in [-1, 1] take the branches taken this far from their thresholds
              margin c.Program x y > 0.05
              ==> lazy (checkGrads 1e-5 (fun a -> evaluate c.Program a[0] a[1]) [| x; y |]))

          testPropertyWithConfig config "jacfwd equals jacrev" (fun (c: Case) ->
              let x, y = c.Inputs
              let f x = evaluate c.Program x y
              close 1e-12 (jacfwd f x) (jacrev f x))

          testPropertyWithConfig config "grad of jit equals jit of grad" (fun (c: Case) ->
              let x, y = c.Inputs
              let f x = np.sum (evaluate c.Program x y)
              close 1e-12 (grad (jit f) x) (jit (grad f) x))

          testPropertyWithConfig config "vmap equals a loop over the examples" (fun (c: Case) ->
              let x, y = c.Inputs
              let xs = np.stack 0 [ x; x * 0.5; -x ]
              checkVmap (fun a -> evaluate c.Program a[0] a[1]) [| Some 0; None |] [| xs; y |]
              checkVmap (fun a -> evaluate c.Program a[0] a[1]) [| Some 1; Some 0 |] [| np.transpose xs; np.stack 0 [ y; y; y ] |])

          testPropertyWithConfig config "vmap of grad equals per-example gradients" (fun (c: Case) ->
              let x, y = c.Inputs
              let xs = np.stack 0 [ x; x * 0.5; -x ]
              checkVmap (fun a -> grad (fun x -> np.sum (evaluate c.Program x a[1])) a[0]) [| Some 0; None |] [| xs; y |]) ]
