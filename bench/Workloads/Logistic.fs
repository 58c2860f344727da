/// sum (logistic x) and its gradient, logistic x * (1 - logistic x), over 1e6 float32.
module Workloads.Logistic

open System
open System.Runtime.Intrinsics
open JaxSharp
open JaxSharp.FSharp
open Harness

let private one = Vector512.Create 1.0f
let private logistic (v: Vector512<float32>) = one / (one + VectorMath.exp (-v))
let private scalar (x: float32) = 1.0f / (1.0f + MathF.Exp -x)

/// The hand-written sum: one Vector512 accumulator per core, then the partial sums.
let handSum (x: float32[]) =
    let partial = Array.zeroCreate<float32> Environment.ProcessorCount
    VectorMath.forRanges x.Length 65536 (fun worker lo hi ->
        let mutable acc = Vector512<float32>.Zero
        let mutable i = lo
        while i + 16 <= hi do
            acc <- acc + logistic (Vector512.LoadUnsafe(&x.[i]))
            i <- i + 16
        let mutable s = Vector512.Sum acc
        for j in i .. hi - 1 do
            s <- s + scalar x.[j]
        partial.[worker] <- s)
    Array.sum partial

/// The hand-written gradient: s (1 - s) into a fresh array.
let handGrad (x: float32[]) =
    let y = GC.AllocateUninitializedArray<float32> x.Length
    VectorMath.forRanges x.Length 65536 (fun _ lo hi ->
        let mutable i = lo
        while i + 16 <= hi do
            let s = logistic (Vector512.LoadUnsafe(&x.[i]))
            (s * (one - s)).StoreUnsafe(&y.[i])
            i <- i + 16
        for j in i .. hi - 1 do
            let s = scalar x.[j]
            y.[j] <- s * (1.0f - s))
    y

/// The workloads' names for n elements.
let sumName (n: int) = $"sum (logistic x), {float n:g} float32"

/// The gradient workload's name.
let gradName (n: int) = $"grad of sum (logistic x), {float n:g} float32"

/// The rows of both workloads for n elements.
let rows budget (n: int) =
    let data = Array.init n (fun i -> float32 (Math.Sin(float i)) * 4.0f)
    let x = Tensor.FromArray(data, Shape(n))
    let f (x: Tensor) = np.sum (lax.logistic x)
    let g = grad f
    let jf, jg = jit f, jit g
    let sumName, gradName = sumName n, gradName n
    interleave budget sumName (Bytes(4.0 * float n))
        (OpenCLVariants.withOpenCL (fun d -> let xd = devicePut d x in fun () -> jf xd)
            [ variant "jit" (fun () -> jf x |> ignore)
              variant "eager" (fun () -> f x |> ignore)
              variant "hand" (fun () -> handSum data |> ignore) ])
    @ interleave budget gradName (Bytes(8.0 * float n))
        (OpenCLVariants.withOpenCL (fun d -> let xd = devicePut d x in fun () -> jg xd)
            [ variant "jit" (fun () -> jg x |> ignore)
              variant "eager" (fun () -> g x |> ignore)
              variant "hand" (fun () -> handGrad data |> ignore) ])
