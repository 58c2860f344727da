/// A 3x3 convolution, 64 -> 64 features on 56x56, batch 8, float32, NCHW / OIHW, SAME padding
/// (issue 16's convolution goal): the forward pass, and the forward pass with the gradients to
/// both the input and the kernel (each as much work as the forward pass: 3 x 2 N H W O I 9 flops).
/// The "NHWC" variants run the same convolution channels-last (NHWC / HWIO, JAX's and flax's usual layout).
module Workloads.Conv

open System
open JaxSharp
open JaxSharp.FSharp
open Harness

let private batch, features, size = 8, 64, 56

/// The workload's names.
let forwardName = $"conv 3x3 {features}->{features} {size}x{size}, batch {batch}, float32: forward"
let gradientsName = $"conv 3x3 {features}->{features} {size}x{size}, batch {batch}, float32: forward + both gradients"

/// The rows of the workload.
let rows budget =
    let rng = Random 1
    let values n = Array.init n (fun _ -> float32 (rng.NextDouble() - 0.5))
    let x = Tensor.FromArray(values (batch * features * size * size), Shape(batch, features, size, size))
    let w = Tensor.FromArray(values (features * features * 9), Shape(features, features, 3, 3))
    let g = Tensor.FromArray(values (batch * features * size * size), Shape(batch, features, size, size))
    let xNhwc = Tensor.FromArray(values (batch * features * size * size), Shape(batch, size, size, features))
    let wHwio = Tensor.FromArray(values (features * features * 9), Shape(3, 3, features, features))
    let gNhwc = Tensor.FromArray(values (batch * features * size * size), Shape(batch, size, size, features))
    let forward (x: Tensor) (w: Tensor) = lax.conv [| 1; 1 |] "SAME" x w
    let forwardNhwc (x: Tensor) (w: Tensor) = lax.convGeneralDilated [| 1; 1 |] "SAME" ("NHWC", "HWIO", "NHWC") x w
    // the pullback of g through the convolution: both gradients, as a training step needs them
    let gradientsOf forward (a: Tensor[]) =
        // only x and w are differentiated, as TorchSharp's autograd does: g is the cotangent, not a parameter
        let struct (y, pullback) = Jax.Vjp(Func<Tensor[], Tensor[]>(fun p -> [| forward p[0] p[1] |]), a[..1])
        Array.append y (pullback.Invoke [| a[2] |])
    let gradients = gradientsOf forward
    let jitForward = Jax.Jit(Func<Tensor, Tensor, Tensor>(forward))
    let jitGradients = Jax.Jit(Func<Tensor[], Tensor[]>(gradients))
    let jitForwardNhwc = Jax.Jit(Func<Tensor, Tensor, Tensor>(forwardNhwc))
    let jitGradientsNhwc = Jax.Jit(Func<Tensor[], Tensor[]>(gradientsOf forwardNhwc))
    let flops = 2.0 * float batch * float (size * size) * float (features * features * 9)
    interleave budget forwardName (Flops flops)
        (OpenCLVariants.withOpenCL (fun d -> let xd, wd = devicePut d x, devicePut d w in fun () -> jitForward.Invoke(xd, wd))
            [ variant "jit" (fun () -> jitForward.Invoke(x, w) |> ignore)
              variant "eager" (fun () -> forward x w |> ignore)
              variant "jit, NHWC" (fun () -> jitForwardNhwc.Invoke(xNhwc, wHwio) |> ignore) ])
    @ interleave budget gradientsName (Flops(3.0 * flops))
        (OpenCLVariants.withOpenCL (fun d -> let placed = [| x; w; g |] |> Array.map (devicePut d) in fun () -> Array.last (jitGradients.Invoke placed))
            [ variant "jit" (fun () -> jitGradients.Invoke [| x; w; g |] |> ignore)
              variant "eager" (fun () -> gradients [| x; w; g |] |> ignore)
              variant "jit, NHWC" (fun () -> jitGradientsNhwc.Invoke [| xNhwc; wHwio; gNhwc |] |> ignore) ])
