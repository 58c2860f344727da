/// `./build.sh soak`: the reliability probes at full size (not part of the test command). Prints
/// the figures and writes docs/reliability.md: calls, threads, wrong results, heap growth per
/// 1e5 calls, the deep program, and the bad-input table's verdicts.
module Reliability.Soak

open System
open System.Diagnostics
open System.IO
open JaxSharp
open JaxSharp.FSharp
open Reliability.Probes

let private kb (bytes: int64) = $"{float bytes / 1024.0:F1} KB"

let private perHundredThousand (r: MemoryResult) =
    kb (int64 (float (r.HeapAfter - r.HeapBefore) * 1e5 / float r.Calls))

/// A straight-line program of <c>steps</c> multiply-adds (two equations each), jitted, differentiated and run; its seconds.
let private deepProgram (steps: int) =
    let chain (x: Tensor) = Seq.fold (fun (a: Tensor) i -> a * 0.999999 + 1e-6 * float (i % 7)) x [ 1..steps ]
    let x = np.array [| 0.5; 1.5 |]
    let clock = Stopwatch.StartNew()
    let value = (jit chain x).ToArray<float>()
    let slope = (jit (grad (fun x -> np.sum (chain x))) x).ToArray<float>()
    let expectedSlope = Math.Pow(0.999999, float steps)
    let right = slope |> Array.forall (fun s -> abs (s - expectedSlope) < 1e-9 * float steps) && value.Length = 2
    clock.Elapsed.TotalSeconds, right

/// The bad-input table's rows judged: clear (the expected exception, every expected word),
/// poor (another exception, or words missing), silent (nothing thrown).
let private badInputs () =
    let verdict (row: BadInputTests.Mistake) =
        try
            row.Action()
            "silent"
        with e ->
            if e.GetType() = row.Expected && row.Words |> List.forall e.Message.Contains then "clear" else "poor"
    let verdicts = BadInputTests.table |> List.map verdict
    let count v = verdicts |> List.filter ((=) v) |> List.length
    verdicts.Length, count "clear", count "poor", count "silent"

/// Runs every probe, prints the figures and returns the page.
let run () =
    let seed = Environment.TickCount
    printfn "soak: concurrency probe, seed %d" seed
    let threads = concurrency seed 8 10_000
    printfn "soak: first-call race"
    let race = firstCallRace 200 8
    printfn "soak: 1e5 steady-state calls"
    let steady = steadyState 100_000
    // Past the caches' bounds first: what the bounded caches hold is not growth.
    printfn "soak: 10,000 dropped jitted closures"
    let closures = droppedClosures (CacheLimits.Programs + 100) 10_000
    printfn "soak: 2,000 distinct eager shapes"
    let shapes = distinctEagerShapes (CacheLimits.EagerKernels + 100) 2_000
    let caches = Jax.CacheStatistics()
    printfn "soak: a 100,000-equation program"
    let deepSeconds, deepRight = deepProgram 50_000
    let tried, clear, poor, silent = badInputs ()
    let now = DateTime.UtcNow.ToString "yyyy-MM-dd HH:mm"
    let deepVerdict = if deepRight then "right" else "WRONG"
    let lines =
        [ "# Reliability"
          ""
          "How JaxSharp holds up when used hard: many threads, long runs, huge programs and bad input."
          "This page is written by `./build.sh soak` (the probes in tests/JaxSharp.Tests/Reliability/Probes.fs"
          "at full size); the test command runs the same probes small (`reliability`, `bad input`,"
          "`deep programs`, `jit cache keys`, `cache bounds`). Goal: 0 wrong, 0 poor, 0 growth."
          ""
          $"Run on {now} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, seed {seed}."
          ""
          "| probe | size | result |"
          "|---|---|---|"
          $"| mixed calls (eager, jit, grad, jit of grad, grad of jit, vmap of grad, static and tree jit) on sizes 1 to 70,000 | {threads.Threads} threads x {threads.Calls / threads.Threads} calls | {threads.Wrong} wrong, {threads.Errors} errors |"
          $"| first call of a fresh jitted function, threads released together | {race.Rounds} rounds x {race.Threads} threads | at most {race.MaxTraces} trace per signature, {race.Wrong} wrong |"
          $"| steady-state calls of every variant | {steady.Calls} calls | heap {perHundredThousand steady} per 1e5 calls |"
          $"| jitted closures created, called once and dropped, after as many as the shared cache holds | {closures.Calls} closures | heap {perHundredThousand closures} per 1e5 closures |"
          $"| eager calls on distinct shapes, after as many as the kernel cache holds | {shapes.Calls} shapes | heap {perHundredThousand shapes} per 1e5 shapes |"
          $"| the caches after those runs | bounds: {CacheLimits.Programs} programs, {CacheLimits.EagerKernels} eager kernels, {kb CacheLimits.PoolBytes} pooled | {caches.JittedFunctions} live jitted functions, {caches.Programs} shared programs, {caches.EagerKernels} eager kernels, {caches.PooledBuffers} pooled buffers ({kb caches.PooledBytes}) |"
          $"| jit, and jit of grad, of a 100,000-equation straight-line program | 1 program | {deepSeconds:F1} s, {deepVerdict} |"
          $"| the bad-input table (tests/JaxSharp.Tests/BadInputTests.fs) | {tried} inputs | {clear} clear, {poor} poor, {silent} silent |"
          ""
          "## What holds it up"
          ""
          "- **Wrong results are compared bit for bit** with the same call made on one thread; every"
          "  variant (eager, jit, grad, jit of grad, grad of jit, vmap of grad, jit with a static"
          "  argument, jit of a tree) is deterministic, so any difference is a bug."
          "- **The jit cache keys on everything that changes the program** (docs/jit.md, section 6):"
          "  shapes, dtypes, weak flags, static values by `Equals` (arrays by content; reference-equality"
          "  values refused), the random scheme in force, and constants inside nested programs."
          "- **First calls trace once per signature**, however many threads make them (the others wait)."
          "- **Caches are bounded** (docs/jit.md, section 6b): shared programs (held weakly, LRU),"
          "  eager kernels (LRU) and the buffer pool (size classes under a byte cap); a jitted"
          "  function's own programs live as long as it. The closure and shape probes start past those"
          "  bounds, so what the bounded caches hold is not counted as growth; `Jax.ClearCaches()` empties them."
          "- **Deep programs** compile: fusion keeps its own stack and bounds each loop's cost"
          "  (docs/jit.md, section 2), and every pass over programs is a loop, not a recursion."
          "- **Bad input** is judged by the table's expected exception type and message words: *clear*"
          "  when both match, *poor* when another exception comes or words are missing, *silent* when"
          "  nothing is thrown. Null arguments, sizes past .NET's array limit, failed allocations, values"
          "  used on another thread while tracing, and leaked tracers each have their own message." ]
    lines |> List.iter (printfn "%s")
    lines

/// Entry point of `--soak`: runs the probes and writes docs/reliability.md.
let main () =
    let page = run ()
    let path = Path.Combine(__SOURCE_DIRECTORY__, "..", "..", "..", "docs", "reliability.md")
    File.WriteAllLines(path, page)
    printfn "wrote %s" (Path.GetFullPath path)
    0
