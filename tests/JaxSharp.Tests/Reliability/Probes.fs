/// The reliability probes, sized by their caller: the unit tests run them small and fast, and
/// `./build.sh soak` runs them at full size and writes docs/reliability.md. Each probe counts
/// wrong results (bit for bit against the same call made on one thread), never just crashes.
module Reliability.Probes

open System
open System.Threading
open JaxSharp
open JaxSharp.FSharp

/// One way to call the library: a name and a call from an input to a result.
type Variant = { Name: string; Call: Tensor -> Tensor }

let private model (x: Tensor) = np.sum (np.tanh (x * 1.5 + 0.25) * x)
let private elementwise (x: Tensor) = np.exp (-x * x) + np.sin x

/// Every transformation, alone and nested, over one elementwise and one reducing model.
let variants () : Variant list =
    let jitted = jit elementwise
    let jittedGrad = jit (grad model)
    let gradOfJit = grad (jit model)
    let scaled = jitStatic (fun x (k: int) -> x * float k)
    let tree = jit (fun (a: Tensor, b: Tensor) -> (a * b, np.sum a))
    [ { Name = "eager"; Call = elementwise }
      { Name = "jit"; Call = jitted }
      { Name = "grad"; Call = grad model }
      { Name = "jit (grad f)"; Call = jittedGrad }
      { Name = "grad (jit f)"; Call = gradOfJit }
      { Name = "vmap (grad f)"; Call = fun x -> vmap (grad model) (np.reshape [| 1; -1 |] x) }
      { Name = "jitStatic"; Call = fun x -> scaled x 3 }
      { Name = "jit of a tree"; Call = fun x -> fst (tree (x, x)) } ]

/// Inputs of a few sizes: vector bodies, tails, and a size split across cores.
let inputs () =
    [ 1; 7; 33; 1000; 70_000 ]
    |> List.map (fun n -> np.array (Array.init n (fun i -> float32 (sin (float i)) * 2.0f)))

let private sameBits (a: Tensor) (b: Tensor) =
    a.Shape = b.Shape && a.DType = b.DType && a.ToArray<float32>() = b.ToArray<float32>()

/// Runs <c>work 0</c> .. <c>work (n - 1)</c> on n threads of their own (the pool would start
/// only one per core at first) and returns their results; an exception in one is rethrown.
let private onThreads (n: int) (work: int -> 'a) : 'a[] =
    let results = Array.zeroCreate n
    let failures = Collections.Concurrent.ConcurrentBag<exn>()
    let threads =
        Array.init n (fun t ->
            Thread((fun () ->
                try
                    results.[t] <- work t
                with e ->
                    failures.Add e), 16 * 1024 * 1024))
    threads |> Array.iter (fun t -> t.Start())
    threads |> Array.iter (fun t -> t.Join())
    if not failures.IsEmpty then raise (AggregateException failures)
    results

/// What a concurrency run found.
type ConcurrencyResult = { Threads: int; Calls: int; Wrong: int; Errors: int }

/// <c>threads</c> threads each make <c>callsPerThread</c> calls, picking variant and input at
/// random (seeded per thread), and compare each result with the one-thread result.
let concurrency (seed: int) (threads: int) (callsPerThread: int) =
    let variants = variants () |> Array.ofList
    let inputs = inputs () |> Array.ofList
    let expected = Array.init variants.Length (fun v -> inputs |> Array.map variants.[v].Call)
    let wrong = ref 0
    let errors = ref 0
    let work t =
        let rng = Random(seed + t)
        for _ in 1..callsPerThread do
            let v = rng.Next variants.Length
            let i = rng.Next inputs.Length
            try
                if not (sameBits (variants.[v].Call inputs.[i]) expected.[v].[i]) then
                    Interlocked.Increment wrong |> ignore
            with _ ->
                Interlocked.Increment errors |> ignore
    onThreads threads work |> ignore
    { Threads = threads; Calls = threads * callsPerThread; Wrong = wrong.Value; Errors = errors.Value }

/// What a first-call race found: traces per fresh function (1 is right) and wrong results.
type RaceResult = { Rounds: int; Threads: int; MaxTraces: int; Wrong: int }

/// <c>rounds</c> times, a fresh jitted function is first called by <c>threads</c> threads released together.
let firstCallRace (rounds: int) (threads: int) =
    let x = np.arange 100.0f
    let expected = (np.sin x * 2.0).ToArray<float32>()
    let mutable maxTraces, wrong = 0, 0
    for _ in 1..rounds do
        let traces = ref 0
        let f =
            jit (fun (x: Tensor) ->
                Interlocked.Increment traces |> ignore
                np.sin x * 2.0)
        use barrier = new Barrier(threads)
        let results =
            onThreads threads (fun _ ->
                barrier.SignalAndWait()
                (f x).ToArray<float32>())
        maxTraces <- max maxTraces traces.Value
        wrong <- wrong + (results |> Array.filter (fun r -> r <> expected) |> Array.length)
    { Rounds = rounds; Threads = threads; MaxTraces = maxTraces; Wrong = wrong }

/// What a memory run found: the managed heap after a warm-up and after the calls.
type MemoryResult = { Calls: int; HeapBefore: int64; HeapAfter: int64 }

let private heap () =
    GC.Collect()
    GC.WaitForPendingFinalizers()
    GC.Collect()
    GC.GetTotalMemory true

/// Calls every variant on every input, round after round, <c>calls</c> calls in all after a warm-up.
let steadyState (calls: int) =
    let variants = variants () |> Array.ofList
    let inputs = inputs () |> List.take 4 |> Array.ofList
    let run n =
        for k in 0 .. n - 1 do
            variants.[k % variants.Length].Call inputs.[(k / variants.Length) % inputs.Length] |> ignore
    run (variants.Length * inputs.Length * 4)
    let before = heap ()
    run calls
    { Calls = calls; HeapBefore = before; HeapAfter = heap () }

/// Creates, calls once and drops <c>count</c> jitted closures (each over its own constant),
/// after <c>warmUp</c> of them (more than the shared cache's bound, to measure past it).
let droppedClosures (warmUp: int) (count: int) =
    let x = np.ones [| 16 |]
    let run n =
        for k in 1..n do
            let c = float k
            let f = jit (fun (x: Tensor) -> np.sin x * c)
            f x |> ignore
    run warmUp
    let before = heap ()
    run count
    { Calls = count; HeapBefore = before; HeapAfter = heap () }

/// Eager calls on <c>count</c> distinct shapes, after <c>warmUp</c> others (more than the
/// eager kernel cache's bound, to measure past it).
let distinctEagerShapes (warmUp: int) (count: int) =
    let run first n =
        for k in first .. first + n - 1 do
            np.exp (np.ones [| k |]) |> ignore
    run 1 warmUp
    let before = heap ()
    run (warmUp + 1) count
    { Calls = count; HeapBefore = before; HeapAfter = heap () }
