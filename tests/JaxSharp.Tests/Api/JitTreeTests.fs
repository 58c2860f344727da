module Api.JitTreeTests

open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators

/// Parameters with a static field: a new value of it is a new program.
type Step = { W: Tensor; Rate: float }

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
          test "grad of a jitted function of a tuple" {
              let f = jit (fun (a: Tensor, b: Tensor) -> np.sum (a * b))
              let ga, gb = grad f (np.array [| 1.0; 2.0 |], np.array [| 3.0; 4.0 |])
              expectClose 0.0 [| 3.0; 4.0 |] ga "b"
              expectClose 0.0 [| 1.0; 2.0 |] gb "a"
          } ]
