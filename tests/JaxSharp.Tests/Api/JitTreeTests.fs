module Api.JitTreeTests

open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators

/// Parameters with a static field: a new value of it is a new program.
type Step = { W: Tensor; Rate: float }

/// A record of the same fields as Step: its own type, rebuilt as itself.
type OtherStep = { W: Tensor; Rate: float }

/// A class whose constructor checks its argument, as a rebuilt tree calls it.
type ScalarOnly(w: Tensor) =
    do if w.Shape.Rank <> 0 then invalidArg "w" "ScalarOnly holds a scalar"
    member _.W = w

[<Tests>]
let tests =
    testList
        "jit of parameter trees"
        [ test "a function of a tuple returning a tuple" {
              let step = jit (fun (w: Tensor, x: Tensor) -> w - 0.1 * x, np.sum (x * x))
              let w', loss = step (np.array [| 1.0; 2.0 |], np.array [| 3.0; 4.0 |])
              expectClose 1e-15 [| 0.7; 1.6 |] w' "updated"
              expectClose 0.0 [| 25.0 |] loss "loss"
          }
          test "a static field keys the cache: a new value traces anew" {
              let mutable traces = 0
              let update =
                  jit (fun (s: Step) ->
                      traces <- traces + 1
                      s.W * s.Rate)
              let w = np.array [| 2.0 |]
              expectClose 0.0 [| 1.0 |] (update { W = w; Rate = 0.5 }) "rate 0.5"
              expectClose 0.0 [| 1.0 |] (update { W = w; Rate = 0.5 }) "cached"
              expectClose 0.0 [| 4.0 |] (update { W = w; Rate = 2.0 }) "rate 2"
              Expect.equal traces 2 "one trace per static value"
          }
          test "records of the same fields are rebuilt as their own types, call after call" {
              let double = jit (fun (s: Step) -> { s with W = s.W * 2.0 })
              let doubleOther = jit (fun (s: OtherStep) -> { s with W = s.W * 2.0 })
              for _ in 1..3 do
                  let a = double { Step.W = np.array [| 1.0 |]; Rate = 0.5 }
                  let b = doubleOther { OtherStep.W = np.array [| 3.0 |]; Rate = 0.25 }
                  expectClose 0.0 [| 2.0 |] a.W "Step"
                  Expect.equal a.Rate 0.5 "Step's static field"
                  expectClose 0.0 [| 6.0 |] b.W "OtherStep"
                  Expect.equal b.Rate 0.25 "OtherStep's static field"
          }
          test "a constructor's own exception comes back as thrown, not wrapped by reflection" {
              let tree = ParameterTree.Flatten(ScalarOnly(np.scalar 1.0))
              Expect.throwsC (fun () -> tree.Rebuild<ScalarOnly>([| np.array [| 1.0; 2.0 |] |]) |> ignore) (fun e ->
                  Expect.isTrue (e :? System.ArgumentException) $"an ArgumentException, not a {e.GetType().Name}"
                  Expect.stringContains e.Message "ScalarOnly holds a scalar" "the constructor's message")
          }
          test "grad of a jitted function of a tuple" {
              let f = jit (fun (a: Tensor, b: Tensor) -> np.sum (a * b))
              let ga, gb = grad f (np.array [| 1.0; 2.0 |], np.array [| 3.0; 4.0 |])
              expectClose 0.0 [| 3.0; 4.0 |] ga "b"
              expectClose 0.0 [| 1.0; 2.0 |] gb "a"
          } ]
