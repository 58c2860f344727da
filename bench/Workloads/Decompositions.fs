/// Batches of small decompositions, float32: cholesky then a triangular solve of 256 16 x 16
/// matrices, and eigh of 64 16 x 16 matrices. The OpenCL kernels run one work item per matrix.
module Workloads.Decompositions

open System
open JaxSharp
open JaxSharp.FSharp
open Harness

let private n = 16

/// Seeded symmetric positive definite matrices: x xᵀ + n I.
let private spd (count: int) =
    let random = Random 17
    let x = Tensor.FromArray(Array.init (count * n * n) (fun _ -> float32 (random.NextDouble() * 2.0 - 1.0)), Shape(count, n, n))
    Np.Matmul(x, Np.Swapaxes(x, -1, -2)) + Np.AsType(Np.Eye(n) * float n, DType.Float32)

/// The rows of the workloads.
let rows budget =
    let choleskyCount, eighCount = 256, 64
    let a, s = spd choleskyCount, spd eighCount
    let b = Tensor.FromArray(Array.init (choleskyCount * n * 4) (fun i -> float32 (Math.Sin(float i))), Shape(choleskyCount, n, 4))
    let solve = jit (fun (a: Tensor, b: Tensor) -> Lax.TriangularSolve(Lax.Cholesky a, b, leftSide = true, lower = true))
    let eigenvalues = jit (fun (s: Tensor) -> let struct (_, w) = Lax.Eigh s in w)
    interleave budget $"cholesky + triangular_solve, {choleskyCount} x {n}x{n} float32" Latency
        (OpenCLVariants.withOpenCL (fun d -> let ad, bd = devicePut d a, devicePut d b in fun () -> solve (ad, bd))
            [ variant "jit" (fun () -> solve (a, b) |> ignore) ])
    @ interleave budget $"eigh, {eighCount} x {n}x{n} float32" Latency
        (OpenCLVariants.withOpenCL (fun d -> let sd = devicePut d s in fun () -> eigenvalues sd)
            [ variant "jit" (fun () -> eigenvalues s |> ignore) ])
