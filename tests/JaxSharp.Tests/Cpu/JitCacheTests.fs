/// The cache of jitted functions: one trace and one compiled program per signature (shapes,
/// dtypes, weak flags, static arguments), no tracing and no allocation beyond the outputs on
/// later calls.
module Cpu.JitCacheTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp

let f32 (n: int) =
    Tensor.FromArray(Array.init n (fun i -> float32 i / float32 n))

/// The bytes this thread allocates per call of `f x`, over `calls` calls after `warm` warm-up calls.
let bytesPerCall (f: Tensor -> Tensor) (x: Tensor) warm calls =
    for _ in 1..warm do
        f x |> ignore

    let before = GC.GetAllocatedBytesForCurrentThread()

    for _ in 1..calls do
        f x |> ignore

    (GC.GetAllocatedBytesForCurrentThread() - before) / int64 calls

[<Tests>]
let tests =
    testList
        "jit cache"
        [
            test "the second call does not trace; a new shape traces again" {
                let mutable traces = 0

                let f =
                    jit (fun x ->
                        traces <- traces + 1
                        np.sin x * 2.0)

                f (f32 10) |> ignore
                f (f32 10) |> ignore
                Expect.equal traces 1 "one trace for two calls"
                f (f32 11) |> ignore
                Expect.equal traces 2 "a new shape is a new signature"
                f (f32 10) |> ignore
                Expect.equal traces 2 "the first signature is still cached"
            }
            test "a static argument is part of the signature and a plain value in the function" {
                let mutable traces = 0

                let power =
                    jitStatic (fun x (n: int) ->
                        traces <- traces + 1
                        List.replicate n x |> List.reduce (*))

                let x = Tensor.FromArray [| 2.0f; 3.0f |]
                Expect.equal ((power x 3).ToArray<float32>()) [| 8.0f; 27.0f |] "cubes"
                Expect.equal ((power x 2).ToArray<float32>()) [| 4.0f; 9.0f |] "squares"
                Expect.equal ((power x 3).ToArray<float32>()) [| 8.0f; 27.0f |] "cubes again"
                Expect.equal traces 2 "one trace per static value"
            }
            test "the C# form takes the static value as the second argument" {
                let scale = Jax.Jit<float>(Func<Tensor, float, Tensor>(fun x s -> x * s))

                Expect.equal
                    ((scale.Invoke(Tensor.FromArray [| 1.0f; 2.0f |], 3.0)).ToArray<float32>())
                    [| 3.0f; 6.0f |]
                    "scaled"
            }
            // sequenced: another test renting buffers of the same size class at the same time would empty the pool under it
            testSequenced
            <| test "a cached call allocates its outputs, not its intermediates" {
                // softmax: max, exp (stored: two reductions read it), sum, divide: three 40 KB intermediates per call if unpooled.
                let n = 10_000
                let f = jit nn.softmax
                let x = f32 n
                let perCall = bytesPerCall f x 5 20
                Expect.isLessThan perCall (int64 (4 * n + 4096)) $"{perCall} bytes per call for a 40 KB output"
            }
            // sequenced: another test renting buffers of the same size class at the same time would empty the pool under it
            testSequenced
            <| test "seven intermediates of one size live at once are all pooled, as in a training step's backward pass" {
                // six products, all read by the final sum, and each product's shifted operand: 7 of
                // the 72x72 class live at once (a pool keeping 4 per class allocated 3 of them each call)
                let n = 72

                let f =
                    jit (fun (x: Tensor) ->
                        [ 1..6 ] |> List.map (fun k -> np.matmul (x + float k) x) |> List.reduce (+))

                let x =
                    Tensor.FromArray(Array.init (n * n) (fun i -> float32 (i % 7) / 7.0f), Shape(n, n))

                let perCall = bytesPerCall f x 3 10

                Expect.isLessThan
                    perCall
                    (int64 (4 * n * n + 8192))
                    $"{perCall} bytes per call for a {4 * n * n} byte output"
            }
            test "two jit wrappers of one function share the compiled program" {
                let x = f32 100
                let a = jit (fun x -> np.tanh x + 1.0)
                let b = jit (fun x -> np.tanh x + 1.0)
                Expect.sequenceEqual ((a x).ToArray<float32>()) ((b x).ToArray<float32>()) "same values"
            }
        ]
