/// The cost of a call: a cached jitted function on one element, and the first call (trace and
/// compile) of a 50-equation program.
module Workloads.Overhead

open JaxSharp
open JaxSharp.FSharp
open Harness

/// A program of 2 * links equations: sin, then a multiply, links times.
let chain links (x: Tensor) =
    let mutable y = x
    for _ in 1..links do
        y <- np.sin y * tensor 1.01
    y

/// The number of equations of `chain links` on x.
let equations links (x: Tensor) = (makeJaxpr (chain links) x).Equations.Count

/// The first call of a freshly jitted `chain` on a vector of n float32 (a new shape, so nothing is cached).
let firstCall links (n: int) =
    let x = Tensor.FromArray(Array.create n 0.5f, Shape(n))
    once (fun () -> jit (chain links) x |> ignore)

/// The call-overhead workload's name.
let overheadName = "call of x + 1 on 1 float32"

/// The rows of the call-overhead workload and of later first calls (the process's first is measured by the caller).
let rows budget links =
    let one = Tensor.FromArray([| 1.0f |], Shape(1))
    let data = [| 1.0f |]
    let plusOne (x: Tensor) = x + tensor 1.0
    let jitted = jit plusOne
    let overhead = overheadName
    let size = equations links one
    let firsts = Array.init 20 (fun i -> firstCall links (1001 + i))
    interleave budget overhead Latency
        (OpenCLVariants.withOpenCL (fun d -> let od = devicePut d one in fun () -> jitted od)
            [ variant "jit" (fun () -> jitted one |> ignore)
              variant "eager" (fun () -> plusOne one |> ignore)
              variant "hand" (fun () -> [| data.[0] + 1.0f |] |> ignore) ])
    @ [ { Workload = $"first call (trace + compile), {size} equations"; Variant = "jit"; Work = Latency; Sample = Ok(sampleOf firsts) } ]
