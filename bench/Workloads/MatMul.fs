/// x @ x.T for a float32 n x n matrix (2 n^3 flops), n = 1000 and 3000 (and 4096 on a GPU).
module Workloads.MatMul

open System
open System.Runtime.Intrinsics
open System.Threading.Tasks
open JaxSharp
open JaxSharp.FSharp
open Harness

let inline private fma (a: Vector512<float32>) b c = Vector512.FusedMultiplyAdd(a, b, c)

/// The hand-written loop: C[i, j] is the dot product of rows i and j of x, computed in tiles
/// of 4 x 4 dot products with 16 Vector512 accumulators over the whole row (the 8 rows of a tile
/// stay in L1), each reduced once at the end; blocks of 4 rows split across cores. No packing:
/// that is what separates it from a BLAS. n must be a multiple of 4.
let hand (x: float32[]) (n: int) =
    let c = GC.AllocateUninitializedArray<float32>(n * n)
    let vectorEnd = n / 16 * 16
    /// Stores tile element (r, s) of the tile at rows i, j: the vector's sum plus the scalar tail.
    let store i j r s (acc: Vector512<float32>) =
        let mutable total = Vector512.Sum acc
        for q in vectorEnd .. n - 1 do
            total <- total + x.[(i + r) * n + q] * x.[(j + s) * n + q]
        c.[(i + r) * n + j + s] <- total
    Parallel.For(0, n / 4, fun ib ->
        let i = ib * 4
        for jb in 0 .. n / 4 - 1 do
            let j = jb * 4
            let mutable c00, c01, c02, c03 = Vector512<float32>.Zero, Vector512<float32>.Zero, Vector512<float32>.Zero, Vector512<float32>.Zero
            let mutable c10, c11, c12, c13 = Vector512<float32>.Zero, Vector512<float32>.Zero, Vector512<float32>.Zero, Vector512<float32>.Zero
            let mutable c20, c21, c22, c23 = Vector512<float32>.Zero, Vector512<float32>.Zero, Vector512<float32>.Zero, Vector512<float32>.Zero
            let mutable c30, c31, c32, c33 = Vector512<float32>.Zero, Vector512<float32>.Zero, Vector512<float32>.Zero, Vector512<float32>.Zero
            let mutable p = 0
            while p < vectorEnd do
                let a0, a1 = Vector512.LoadUnsafe(&x.[i * n + p]), Vector512.LoadUnsafe(&x.[(i + 1) * n + p])
                let a2, a3 = Vector512.LoadUnsafe(&x.[(i + 2) * n + p]), Vector512.LoadUnsafe(&x.[(i + 3) * n + p])
                let b0, b1 = Vector512.LoadUnsafe(&x.[j * n + p]), Vector512.LoadUnsafe(&x.[(j + 1) * n + p])
                let b2, b3 = Vector512.LoadUnsafe(&x.[(j + 2) * n + p]), Vector512.LoadUnsafe(&x.[(j + 3) * n + p])
                c00 <- fma a0 b0 c00; c01 <- fma a0 b1 c01; c02 <- fma a0 b2 c02; c03 <- fma a0 b3 c03
                c10 <- fma a1 b0 c10; c11 <- fma a1 b1 c11; c12 <- fma a1 b2 c12; c13 <- fma a1 b3 c13
                c20 <- fma a2 b0 c20; c21 <- fma a2 b1 c21; c22 <- fma a2 b2 c22; c23 <- fma a2 b3 c23
                c30 <- fma a3 b0 c30; c31 <- fma a3 b1 c31; c32 <- fma a3 b2 c32; c33 <- fma a3 b3 c33
                p <- p + 16
            store i j 0 0 c00; store i j 0 1 c01; store i j 0 2 c02; store i j 0 3 c03
            store i j 1 0 c10; store i j 1 1 c11; store i j 1 2 c12; store i j 1 3 c13
            store i j 2 0 c20; store i j 2 1 c21; store i j 2 2 c22; store i j 2 3 c23
            store i j 3 0 c30; store i j 3 1 c31; store i j 3 2 c32; store i j 3 3 c33)
    |> ignore
    c

/// The workload's name for an n x n matrix.
let name (n: int) = $"x @ x.T, {n}x{n} float32"

/// The largest n whose OpenCL variant runs on an OpenCL CPU device (PoCL takes about 18 s for n = 3000).
let private largestOnOpenCLCpu = 1000

/// The rows of the workload for an n x n matrix.
let rows budget (n: int) =
    let name = name n
    let data = Array.init (n * n) (fun i -> float32 (Math.Sin(float i)))
    let x = Tensor.FromArray(data, Shape(n, n))
    let f (x: Tensor) = np.matmul x (Lax.Transpose(x, Ints(1, 0)))
    let jitted = jit f
    let work = Flops(2.0 * float n ** 3.0)
    let cpu =
        [ variant "jit" (fun () -> jitted x |> ignore)
          variant "eager" (fun () -> f x |> ignore)
          variant "hand" (fun () -> hand data n |> ignore) ]
    interleave budget name work
        (if n <= largestOnOpenCLCpu || OpenCLVariants.onGpu then OpenCLVariants.withOpenCL (fun d -> let xd = devicePut d x in fun () -> jitted xd) cpu else OpenCLVariants.cpuVariants cpu)
