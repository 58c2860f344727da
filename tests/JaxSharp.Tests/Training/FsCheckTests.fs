/// JaxSharp.FsCheck: checkGrads on users' models, its messages, generators that shrink, and the
/// properties; a wrong custom derivative is caught and shrunk to a minimal counterexample.
module Training.FsCheckTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open JaxSharp
open JaxSharp.FSharp
open JaxSharp.FsCheck
open OpTable.Generators
open TestHelpers

type Dense = { W: Tensor; B: Tensor }

let mlp (p: Dense, x: Tensor) = np.sum (np.tanh (np.matmul x p.W + p.B) ** 2.0)

let layer = { W = np.array (array2D [ [ 0.3; -0.2 ]; [ 0.1; 0.4 ]; [ -0.5; 0.2 ] ]); B = np.array [| 0.1; -0.1 |] }
let input = np.array (array2D [ [ 1.0; 2.0; -1.0 ] ])

/// x² whose derivative rule forgot the 2.
let wrongSquare = customJvp (fun x -> x * x) (fun x t -> x * x, x * t)

/// x³ whose derivative rule says 3x instead of 3x².
let wrongCube = customJvp (fun x -> x ** 3.0) (fun x t -> x ** 3.0, 3.0 * x * t)

/// Captures the result of a property run (FsCheck's runner interface).
type Capture() =
    member val Result: TestResult option = None with get, set
    interface IRunner with
        member _.OnStartFixture _ = ()
        member _.OnArguments(_, _, _) = ()
        member _.OnShrink(_, _) = ()
        member r.OnFinished(_, result) = r.Result <- Some result

let quick = Config.QuickThrowOnFailure.WithMaxTest(20).WithQuietOnSuccess(true)

[<Tests>]
let tests =
    testList
        "JaxSharp.FsCheck"
        [ test "checkGrads passes a correct model to second order, float64 and float32" {
              checkGrads 2 mlp (layer, input)
              let layer32 = tree.map (fun t -> Np.AsType(t, DType.Float32)) layer
              checkGrads 1 mlp (layer32, Np.AsType(input, DType.Float32))
          }

          test "checkGrads names the leaf, the index, both values and the tolerance of a wrong derivative" {
              let e = throws<GradCheckException> (fun () -> checkGrads 1 (fun (p: Dense) -> np.sum (wrongSquare p.W + p.B)) layer)
              Expect.stringStarts e.Message "checkGrads: forward mode, order 1: leaf x.W, index [0, 0]: analytic " "the message"
              for fragment in [ "numeric"; "tolerance 1e-05 + 1e-05 * |numeric|" ] do
                  Expect.stringContains e.Message fragment "the message"
          }

          test "a derivative that is right at first order but not at second fails only checkGrads 2" {
              let square = customJvp (fun x -> x * x) (fun x t -> x * x, 2.0 * stopGradient x * t)
              let f x = np.sum (square x)
              checkGrads 1 f (np.array [| 0.5; -1.5 |])
              let e = throws<GradCheckException> (fun () -> checkGrads 2 f (np.array [| 0.5; -1.5 |]))
              Expect.stringContains e.Message "order 2 (of the forward derivative)" "the second order is named"
          }

          test "options choose the modes and tolerances; bad orders are refused" {
              let options = GradCheckOptions.Default.WithModes(false, true).WithTolerance(10.0, 10.0)
              checkGradsWith options 1 (fun (p: Dense) -> np.sum (wrongSquare p.W)) layer
              throwsWith<ArgumentException> [ "order is 0"; "order 1" ] (fun () -> checkGrads 0 mlp (layer, input))
              throwsWith<ArgumentException> [ "no float tensors" ] (fun () -> checkGrads 1 (fun (x: Tensor) -> Np.AsType(x, DType.Float32)) (np.array [| 1; 2 |]))
          }

          test "C# checkGrads forwards to the same check" {
              GradCheck.CheckGrads(Func<Dense, Tensor>(fun p -> mlp (p, input)), layer)
              throws<GradCheckException> (fun () -> GradCheck.CheckGrads(Func<Tensor, Tensor>(fun x -> np.sum (wrongSquare x)), np.array [| 2.0 |], 1)) |> ignore
          }

          test "a wrong custom derivative is caught and shrunk to one simple element" {
              let capture = Capture()
              let property = JaxProp.gradientsMatch 1 (fun x -> np.sum (wrongCube x)) (JaxGen.anyTensor DType.Float64)
              Check.One(Config.Quick.WithRunner(capture).WithMaxTest(50).WithReplay(Some { Rnd = Rnd(1UL, 3UL); Size = None }), property)
              match capture.Result with
              | Some(TestResult.Failed(_, original, shrunk, _, _, _, shrinks)) ->
                  let x = shrunk.Head :?> Tensor
                  let value = (toFloats x)[0]
                  printfn "wrong cube: %A shrunk in %d steps to %A" original.Head shrinks x
                  Expect.equal x.Size 1 "one element"
                  Expect.equal value (Math.Round value) "an integer"
                  Expect.isTrue (value <> 0.0 && value <> 1.0) "where 3x and 3x² differ"
              | other -> failtestf "expected the property to fail, got %A" other
          }

          test "jit, vmap and gradient properties hold for a correct function" {
              let f (x: Tensor) = np.sum (np.sin x * x)
              Check.One(quick, JaxProp.gradientsMatch 1 f (JaxGen.anyTensor DType.Float64))
              Check.One(quick, JaxProp.jitMatches 1e-6 f (JaxGen.anyTensor DType.Float32))
              Check.One(quick, JaxProp.vmapMatchesLoop 1e-6 (fun x -> np.tanh x * 2.0) (JaxGen.tensorOfShapes 1 3 4 (-3.0, 3.0) DType.Float32))
          }

          test "generators keep their ranges, shapes and structures" {
              let sample (arb: Arbitrary<'a>) = Gen.sampleWithSeed (Rnd 42UL) 10 20 arb.Generator
              for t in sample (JaxGen.tensorIn (-1.0, 2.0) DType.Float32 [| 3; 2 |]) do
                  Expect.equal (t.Shape.ToArray()) [| 3; 2 |] "the shape asked for"
                  Expect.isTrue (toFloats t |> Array.forall (fun v -> v >= -1.0 && v <= 2.0)) "within the range"
              for a, b in sample (JaxGen.broadcastPair DType.Float64) do
                  np.add a b |> ignore
              for p in sample (JaxGen.treeLike layer) do
                  Expect.equal (p.W.Shape.ToArray()) [| 3; 2 |] "W keeps its shape"
                  Expect.equal p.B.DType DType.Float64 "B keeps its dtype"
              for s in sample (JaxGen.shapes 1 3 4) do
                  Expect.isTrue (s.Length >= 1 && s.Length <= 3 && Array.forall (fun d -> d >= 1 && d <= 4) s) "ranks and axes in range"
          }

          test "tensors shrink to smaller shapes and simpler values" {
              let arb = JaxGen.tensorOfShapes 0 3 4 (-10.0, 10.0) DType.Float64
              let t = np.array (array2D [ [ 1.5; -2.25 ]; [ 3.0; 4.0 ] ])
              let candidates = arb.Shrinker t |> List.ofSeq
              Expect.exists candidates (fun c -> c.Size < t.Size) "a smaller shape"
              Expect.exists candidates (fun c -> c.Shape = t.Shape && toFloats c |> Array.forall ((=) 0.0)) "all zeros"
              Expect.exists candidates (fun c -> c.Shape = t.Shape && toFloats c = [| 2.0; -2.0; 3.0; 4.0 |]) "rounded"
          } ]
