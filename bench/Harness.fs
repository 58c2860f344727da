/// Timing: warm up, then repeat the variants of a workload in rounds within a time budget and
/// keep the median, min and max seconds per call of each. Calls shorter than 20 µs are timed in
/// batches, so a sample is the mean of the calls in its batch.
module Harness

open System.Diagnostics

/// Seconds per call over the repetitions of one measurement.
type Sample = { Median: float; Min: float; Max: float; Reps: int }

/// What one call does, to turn a time into a rate.
type Work =
    | Bytes of float
    | Flops of float
    | Latency

/// One line of the results: a workload under one variant (jit, eager, hand, numpy...).
type Row = { Workload: string; Variant: string; Work: Work; Sample: Result<Sample, string> }

/// A sample from times in seconds.
let sampleOf (times: float[]) =
    let sorted = Array.sort times
    { Median = sorted.[sorted.Length / 2]; Min = sorted.[0]; Max = sorted.[sorted.Length - 1]; Reps = sorted.Length }

let private seconds (ticks: int64) = float ticks / float Stopwatch.Frequency

/// One variant of a workload (jit, eager, hand...): its name, one call, and whether it is timed
/// in rounds of its own after the others (`Apart`): a variant whose work goes on in other
/// threads of the same cores after its call returns (a CPU OpenCL device's workers) would slow
/// whichever variant follows it in a shared round.
type Variant = { Name: string; Call: unit -> unit; Apart: bool }

/// A variant named `name` that calls f, timed in shared rounds with the others.
let variant name (f: unit -> unit) = { Name = name; Call = f; Apart = false }

/// A variant named `name` that calls f, timed in rounds of its own after the shared ones.
let variantApart name (f: unit -> unit) = { Name = name; Call = f; Apart = true }

/// Warms up `variants` and times them in rounds, one sample of each per round in a shuffled
/// order, until their budget is spent (at least 5 rounds, at most 2000): each variant's warm-up
/// result and, when it ran, its times.
let private timeRounds (budget: float) (variants: Variant list) =
    let warmed =
        variants
        |> List.map (fun v ->
            try
                v, Ok(WarmUp.callsPerSample budget v.Call)
            with e ->
                v, Error $"{e.GetType().Name}: {e.Message}")
    let running = warmed |> List.choose (function v, Ok batch -> Some(v, batch, ResizeArray<float>()) | _ -> None)
    let clock = Stopwatch.StartNew()
    let total = budget * float variants.Length
    let mutable rounds = 0
    let order = System.Random(1)
    while not running.IsEmpty && (rounds < 5 || (clock.Elapsed.TotalSeconds < total && rounds < 2000)) do
        // A fresh order each round: the garbage one variant leaves (eager's intermediates) and the
        // collection it triggers then land on each of the others alike, not on the one after it.
        for v, batch, times in running |> List.sortBy (fun _ -> order.Next()) do
            let start = Stopwatch.GetTimestamp()
            for _ in 1..batch do
                v.Call()
            times.Add(seconds (Stopwatch.GetTimestamp() - start) / float batch)
        rounds <- rounds + 1
    warmed
    |> List.map (fun (v, warm) ->
        v.Name,
        match warm with
        | Error e -> Error e
        | Ok _ -> running |> List.pick (fun (r, _, times) -> if r.Name = v.Name then Some(Ok(sampleOf (times.ToArray()))) else None))

/// The rows of one workload: each variant is warmed up, then the variants are timed in rounds,
/// one sample of each per round in a shuffled order, until the budget of every variant is spent (at least 5 rounds,
/// at most 2000). A disturbance from the rest of the machine then hits every variant alike,
/// which keeps the ratios between them meaningful on a shared machine. `Apart` variants are
/// timed the same way afterwards, each in rounds of its own. A variant that throws gets its
/// exception as its row's error text. Rows keep the order of `variants`.
let interleave (budget: float) workload work (variants: Variant list) =
    let shared, apart = variants |> List.partition (fun v -> not v.Apart)
    let samples = timeRounds budget shared @ (apart |> List.collect (fun v -> timeRounds budget [ v ])) |> Map.ofList
    variants |> List.map (fun v -> { Workload = workload; Variant = v.Name; Work = work; Sample = samples.[v.Name] })

/// Times a single call (a first call cannot be repeated).
let once (f: unit -> unit) =
    let start = Stopwatch.GetTimestamp()
    f ()
    seconds (Stopwatch.GetTimestamp() - start)
