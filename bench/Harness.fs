/// Timing: warm up, then repeat a call within a time budget and keep the median, min and max
/// seconds per call. Calls shorter than a few microseconds are timed in batches, so a sample
/// is the mean of the calls in its batch.
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

/// Times f: warm-up for a fifth of the budget (at least 0.3 s and 3 calls, so tiered compilation has
/// settled), then samples for the rest of it (at least 5, at most 2000).
let measure (budget: float) (f: unit -> unit) =
    let clock = Stopwatch.StartNew()
    let mutable calls = 0
    while calls < 3 || clock.Elapsed.TotalSeconds < max 0.3 (budget / 5.0) do
        f ()
        calls <- calls + 1
    let perCall = clock.Elapsed.TotalSeconds / float calls
    let batch = max 1 (int (20e-6 / perCall))
    let times = ResizeArray()
    clock.Restart()
    while times.Count < 5 || (clock.Elapsed.TotalSeconds < budget && times.Count < 2000) do
        let start = Stopwatch.GetTimestamp()
        for _ in 1..batch do
            f ()
        times.Add(seconds (Stopwatch.GetTimestamp() - start) / float batch)
    sampleOf (times.ToArray())

/// A row measured by `measure`; an exception becomes the row's error text.
let row budget workload variant work (f: unit -> unit) =
    let sample =
        try
            Ok(measure budget f)
        with e ->
            Error $"{e.GetType().Name}: {e.Message}"
    { Workload = workload; Variant = variant; Work = work; Sample = sample }

/// Times a single call (a first call cannot be repeated).
let once (f: unit -> unit) =
    let start = Stopwatch.GetTimestamp()
    f ()
    seconds (Stopwatch.GetTimestamp() - start)
