/// selu over float32 vectors of 1e6 and 1e7 elements, as JAX's jit tutorial writes it
/// (`lambda_ * where(x > 0, x, alpha * exp(x) - alpha)` with alpha 1.67, lambda_ 1.05): one read
/// and one write per element.
module Workloads.Selu

open System
open System.Runtime.Intrinsics
open JaxSharp
open JaxSharp.FSharp
open Harness

let private scale, alpha = 1.05f, 1.67f

/// The tutorial's selu, traced by jit and run op by op by eager.
let selu (x: Tensor) = 1.05 * np.where (x .> 0.0) x (1.67 * np.exp x - 1.67)

/// The hand-written loop: Vector512 with the polynomial exp, split across the cores, into a fresh array.
let hand (x: float32[]) =
    let y = GC.AllocateUninitializedArray<float32> x.Length
    VectorMath.forRanges x.Length 65536 (fun _ lo hi ->
        let mutable i = lo
        while i + 16 <= hi do
            let v = Vector512.LoadUnsafe(&x.[i])
            let negative = Vector512.Create alpha * VectorMath.exp v - Vector512.Create alpha
            let r = Vector512.Create scale * Vector512.ConditionalSelect(Vector512.GreaterThan(v, Vector512<float32>.Zero), v, negative)
            r.StoreUnsafe(&y.[i])
            i <- i + 16
        for j in i .. hi - 1 do
            y.[j] <- scale * (if x.[j] > 0.0f then x.[j] else alpha * MathF.Exp x.[j] - alpha))
    y

/// The workload's name for n elements.
let name (n: int) = $"selu, {float n:g} float32"

/// The rows of the workload for n elements.
let rows budget (n: int) =
    let name = name n
    let data = Array.init n (fun i -> float32 (Math.Sin(float i)) * 3.0f)
    let x = Tensor.FromArray(data, Shape(n))
    let jitted = jit selu
    let work = Bytes(8.0 * float n)
    interleave budget name work
        (OpenCLVariants.withOpenCL (fun d -> let xd = devicePut d x in fun () -> jitted xd)
            [ variant "jit" (fun () -> jitted x |> ignore)
              variant "eager" (fun () -> selu x |> ignore)
              variant "hand" (fun () -> hand data |> ignore) ])
