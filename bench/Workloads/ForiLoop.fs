/// A fori_loop of 1e6 scalar steps v <- v * 0.999 + 1 under jit (issue 12's loop row: within 5x of
/// a hand-written loop), against the same loop written in F#.
module Workloads.ForiLoop

open JaxSharp
open JaxSharp.FSharp
open Harness

/// The number of steps.
let steps = 1_000_000

/// The workload's name.
let name = $"foriLoop of {float steps:g} scalar steps v * 0.999 + 1, float32"

/// The hand-written loop.
let hand (v0: float32) =
    let mutable v = v0
    for _ in 1..steps do
        v <- v * 0.999f + 1.0f
    v

/// The loop as a fori_loop.
let private loop (v: Tensor) = lax.foriLoop 0 steps (fun _ c -> c * 0.999 + 1.0) v

/// The rows: jit (one compiled loop), eager (traces and compiles the loop at each call) and hand.
let rows budget =
    let v = Tensor.Scalar 0.5f
    let jitted = jit loop
    let expected = hand 0.5f
    let got = (jitted v).Item<float32>()
    if abs (got - expected) > 1e-3f * abs expected then failwith $"{name}: jit gives {got}, the hand loop {expected}"
    interleave budget name Latency
        (OpenCLVariants.withOpenCL (fun d -> let vd = devicePut d v in fun () -> jitted vd)
            [ variant "jit" (fun () -> jitted v |> ignore)
              variant "eager" (fun () -> loop v |> ignore)
              variant "hand" (fun () -> hand 0.5f |> ignore) ])
