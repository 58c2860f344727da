/// The nesting issue 12 names: a cond in a scan, in grad, in vmap, in jit, against the same math
/// written with a .NET `if` and `for` on concrete values (which grad follows outside jit).
module ControlFlow.NestingTests

open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open TestHelpers

/// One step: tanh(c w + row) while the state's sum is positive, sin c + row w otherwise.
let private step (w: Tensor) (c: Tensor) (row: Tensor) =
    lax.cond (np.sum c .> 0.0) (fun (c: Tensor) -> np.tanh (c * w + row)) (fun c -> np.sin c + row * w) c

/// The loss of one example: the final state's sum after scanning its rows.
let private viaScan (w: Tensor) (rows: Tensor) =
    let last, _ = lax.scan (fun c row -> let next = step w c row in next, next) (rows.[0] * 0.5) rows
    np.sum last

/// How often each branch ran in viaIf (true branch, false branch): the test needs both.
let private taken = [| 0; 0 |]

/// The same with .NET control flow on concrete values.
let private viaIf (w: Tensor) (rows: Tensor) =
    let mutable c = rows.[0] * 0.5
    for t in 0 .. rows.Shape.[0] - 1 do
        let row = rows.[t]
        let positive = (np.sum c .> 0.0).Item<bool>()
        taken.[if positive then 0 else 1] <- taken.[if positive then 0 else 1] + 1
        c <- if positive then np.tanh (c * w + row) else np.sin c + row * w
    np.sum c

[<Tests>]
let tests =
    testList
        "control-flow nestings"
        [ for dtype in [ DType.Float32; DType.Float64 ] do
              test $"cond in scan in grad in vmap in jit equals .NET if and for under grad, example by example ({dtype.Name()})" {
                  let seed = 1206
                  printfn $"control-flow nestings: seed {seed}"
                  let xs = Np.AsType(random.normal (random.key seed) [| 6; 5; 3 |], dtype)
                  let w = Np.AsType(np.array [| 0.7; -1.1; 0.4 |], dtype)
                  let perExample = jit (fun (w: Tensor, xs: Tensor) -> vmap (fun rows -> grad (fun w -> viaScan w rows) w) xs)
                  let actual = perExample (w, xs)
                  let tol = if dtype = DType.Float32 then 1e-5 else 1e-12
                  for e in 0..5 do
                      let expected = grad (fun w -> viaIf w xs.[e]) w
                      expectClose tol (toFloats expected) actual.[e] $"example {e}"
                  Expect.isGreaterThan taken.[0] 0 "the true branch ran"
                  Expect.isGreaterThan taken.[1] 0 "the false branch ran"
              } ]
