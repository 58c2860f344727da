/// An RNN h = tanh (h W + x U) over 1000 steps, hidden 256, batch 32, inputs 64, float32: one
/// lax.scan under jit (forward, and grad of the sum of the last state) against the same math
/// hand-written as a .NET loop of jitted per-step calls with the project's matmul (forward, and a
/// hand-written backward through time over the stored states).
module Workloads.Rnn

open System
open JaxSharp
open JaxSharp.FSharp
open Harness

let private steps, hidden, batch, inputs = 1000, 256, 32, 64

let private step (w: Tensor) (u: Tensor) (h: Tensor) (x: Tensor) = np.tanh (np.matmul h w + np.matmul x u)

/// The last state of the scan.
let private forward (w: Tensor, u: Tensor, h0: Tensor, xs: Tensor) =
    fst (lax.scan (fun (h: Tensor) (x: Tensor) -> step w u h x, ()) h0 xs)

let private loss (w: Tensor, u: Tensor, h0: Tensor, xs: Tensor) = np.sum (forward (w, u, h0, xs))

/// One step, jitted: the hand-written loop's forward.
let private stepJit = jit (fun (w: Tensor, u: Tensor, h: Tensor, x: Tensor) -> step w u h x)

/// One step of backpropagation through time, jitted: from the cotangent dh of h_t = tanh(h_(t-1) W + x_t U),
/// da = dh (1 - h_t^2); dW += h_(t-1)^T da; dU += x_t^T da; the cotangent of h_(t-1) is da W^T.
let private backStep =
    jit (fun (w: Tensor, hPrev: Tensor, x: Tensor, h: Tensor, dh: Tensor, dW: Tensor, dU: Tensor) ->
        let da = dh * (1.0 - h * h)
        np.matmul da (np.transpose w), dW + np.matmul (np.transpose hPrev) da, dU + np.matmul (np.transpose x) da)

let private handForward (w: Tensor) (u: Tensor) (h0: Tensor) (xs: Tensor[]) =
    let states = Array.zeroCreate (xs.Length + 1)
    states.[0] <- h0
    for t in 0 .. xs.Length - 1 do
        states.[t + 1] <- stepJit (w, u, states.[t], xs.[t])
    states

let private handGrad (w: Tensor) (u: Tensor) (h0: Tensor) (xs: Tensor[]) =
    let states = handForward w u h0 xs
    let mutable dh = np.onesLike states.[xs.Length]
    let mutable dW = np.zerosLike w
    let mutable dU = np.zerosLike u
    for t in xs.Length - 1 .. -1 .. 0 do
        let dPrev, dW', dU' = backStep (w, states.[t], xs.[t], states.[t + 1], dh, dW, dU)
        dh <- dPrev
        dW <- dW'
        dU <- dU'
    dW, dU, dh

let private random (seed: int) (shape: int[]) (scale: float32) =
    let rng = Random(seed)
    Tensor.FromArray(Array.init (Array.fold (*) 1 shape) (fun _ -> (float32 (rng.NextDouble()) * 2.0f - 1.0f) * scale), Shape(shape))

/// The rows: forward and grad, scan under jit vs the hand-written loops.
let rows budget =
    let w = random 1 [| hidden; hidden |] (1.0f / sqrt (float32 hidden))
    let u = random 2 [| inputs; hidden |] (1.0f / sqrt (float32 inputs))
    let h0 = random 3 [| batch; hidden |] 0.1f
    let xs = random 4 [| steps; batch; inputs |] 1.0f
    let slices = Array.init steps (fun t -> np.reshape [| batch; inputs |] (lax.slice [| t; 0; 0 |] [| t + 1; batch; inputs |] xs))
    let scanForward = jit forward
    // the gradient with respect to W, U and h0, as the hand-written backward computes
    let scanGrad = jit (fun (w: Tensor, u: Tensor, h0: Tensor, xs: Tensor) -> grad (fun (w: Tensor, u: Tensor, h0: Tensor) -> loss (w, u, h0, xs)) (w, u, h0))
    let name what = $"RNN {what}: scan of tanh (h W + x U), {steps} steps, hidden {hidden}, batch {batch}, float32"
    interleave budget (name "forward") Latency
        (OpenCLVariants.withOpenCL (fun d -> let on = devicePut d in fun () -> scanForward (on w, on u, on h0, on xs))
            [ variant "jit" (fun () -> scanForward (w, u, h0, xs) |> ignore)
              variant "hand" (fun () -> handForward w u h0 slices |> ignore) ])
    @ interleave budget (name "grad") Latency
        (OpenCLVariants.withOpenCL (fun d -> let on = devicePut d in fun () -> let _, _, dh0 = scanGrad (on w, on u, on h0, on xs) in dh0)
            [ variant "jit" (fun () -> scanGrad (w, u, h0, xs) |> ignore)
              variant "hand" (fun () -> handGrad w u h0 slices |> ignore) ])
