/// vmap (fun v -> np.dot mat v) with mat 150 x 100 and 10 vectors: tiny, so it measures overhead.
module Workloads.VmapMatVec

open System
open System.Runtime.Intrinsics
open JaxSharp
open JaxSharp.FSharp
open Harness

let private rowsOf, cols, count = 150, 100, 10

/// The hand-written loop: one Vector512 dot product per (vector, row) of mat, on one core.
let hand (mat: float32[]) (vs: float32[]) =
    let out = GC.AllocateUninitializedArray<float32>(count * rowsOf)
    for b in 0 .. count - 1 do
        for i in 0 .. rowsOf - 1 do
            let mutable acc = Vector512<float32>.Zero
            let mutable p = 0
            while p + 16 <= cols do
                acc <- Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(&mat.[i * cols + p]), Vector512.LoadUnsafe(&vs.[b * cols + p]), acc)
                p <- p + 16
            let mutable s = Vector512.Sum acc
            for q in p .. cols - 1 do
                s <- s + mat.[i * cols + q] * vs.[b * cols + q]
            out.[b * rowsOf + i] <- s
    out

/// The workload's name.
let name = $"vmap (dot mat) over {count} vectors, mat {rowsOf}x{cols} float32"

/// The rows of the workload.
let rows budget =
    let matData = Array.init (rowsOf * cols) (fun i -> float32 (Math.Sin(float i)))
    let vsData = Array.init (count * cols) (fun i -> float32 (Math.Cos(float i)))
    let mat, vs = Tensor.FromArray(matData, Shape(rowsOf, cols)), Tensor.FromArray(vsData, Shape(count, cols))
    let batched = vmap (fun (v: Tensor) -> np.dot mat v)
    let jitted = jit batched
    let work = Flops(2.0 * float (rowsOf * cols * count))
    interleave budget name work
        (OpenCLVariants.withOpenCL (fun d -> let vd = devicePut d vs in fun () -> jitted vd)
            [ variant "jit" (fun () -> jitted vs |> ignore)
              variant "eager" (fun () -> batched vs |> ignore)
              variant "hand" (fun () -> hand matData vsData |> ignore) ])
