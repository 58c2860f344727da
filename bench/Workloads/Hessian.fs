/// hessian of f x = sum (tanh x) * sum (x * x) at 8 float32 values: jit of jacfwd of jacrev.
module Workloads.Hessian

open System
open JaxSharp
open JaxSharp.FSharp
open Harness

let private n = 8

/// The function differentiated.
let f (x: Tensor) = np.sum (np.tanh x) * np.sum (x * x)

/// The Hessian by its formula, with s = sum tanh x, q = sum x^2, t = tanh x, d = 1 - t^2:
/// H[i, j] = 2 d_i x_j + 2 d_j x_i + (i = j) (2 s - 2 t_i d_i q).
let hand (x: float32[]) =
    let t = Array.map MathF.Tanh x
    let d = Array.map (fun v -> 1.0f - v * v) t
    let s, q = Array.sum t, Array.sumBy (fun v -> v * v) x
    Array.init (n * n) (fun k ->
        let i, j = k / n, k % n
        let diagonal = if i = j then 2.0f * s - 2.0f * t.[i] * d.[i] * q else 0.0f
        2.0f * d.[i] * x.[j] + 2.0f * d.[j] * x.[i] + diagonal)

/// The workload's name.
let name = $"hessian of sum (tanh x) * sum (x^2), {n} float32"

/// The rows of the workload.
let rows budget =
    let data = Array.init n (fun i -> float32 i / 4.0f - 1.0f)
    let x = Tensor.FromArray(data, Shape(n))
    let h = hessian f
    let jitted = jit h
    interleave budget name Latency
        (OpenCLVariants.withOpenCL (fun d -> let xd = devicePut d x in fun () -> jitted xd)
            [ variant "jit" (fun () -> jitted x |> ignore)
              variant "eager" (fun () -> h x |> ignore)
              variant "hand" (fun () -> hand data |> ignore) ])
