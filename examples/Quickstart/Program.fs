// The quickstart: a few tensors, a traced program, and eager vs jit timings of selu.
open System.Diagnostics
open JaxSharp
open JaxSharp.FSharp

let selu (x: Tensor) = 1.05 * np.where (x .> 0.0) x (1.67 * np.exp x - 1.67)

printfn "JaxSharp quickstart\n"
printfn "A few tensors:"
printfn "  %O" (np.array [| -1.0f; 0.0f; 2.0f |])
printfn "  %O" (np.array (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ]))
printfn "  %O" (np.arange 10 |> np.reshape [| 2; 5 |])
printfn "  %O" (random.normal (random.key 0) [| 3 |])

printfn "\nselu traced into a program:"
printfn "%O" (makeJaxpr selu (np.zeros [| 1000 |]))

printfn "\nIts gradient, also a program:"
printfn "%O" (makeJaxpr (grad (fun x -> np.sum (selu x))) (np.zeros [| 1000 |]))

/// The median time of `runs` calls of f, in milliseconds.
let median runs (f: unit -> unit) =
    let times =
        [| for _ in 1..runs ->
               let watch = Stopwatch.StartNew()
               f ()
               watch.Elapsed.TotalMilliseconds |]
    Array.sortInPlace times
    times[runs / 2]

let x = random.normal (random.key 1) [| 1_000_000 |]
let fast = jit selu
let first = Stopwatch.StartNew()
fast x |> ignore
printfn "\nselu over %d float32 values:" x.Size
printfn "  jit, first call (trace + compile): %8.2f ms" first.Elapsed.TotalMilliseconds
let eager = median 20 (fun () -> selu x |> ignore)
let jitted = median 20 (fun () -> fast x |> ignore)
printfn "  eager, op by op (median):          %8.2f ms" eager
printfn "  jit, cached (median):              %8.2f ms" jitted
printfn "  speed-up:                          %8.1fx" (eager / jitted)
