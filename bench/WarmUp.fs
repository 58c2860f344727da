/// The warm-up before a timed call, shared by the bench's harness and its TorchSharp peer (whose
/// managed wrappers start at tier 0 too), so that both time the same steady state.
module WarmUp

open System.Diagnostics

/// Calls f for a fifth of the budget (at least 0.3 s and 3 calls), and on until tiered
/// compilation has settled: no method JIT-compiled (tier-ups included) for the last 0.2 s, or
/// the budget (at least 1 s) spent. The library's per-call code starts at tier 0 and reaches
/// tier 1 only after two rounds of call counting, about 0.5 to 1 s into a call loop; timing it
/// earlier mixed tier-0 samples into the medians. Returns how many calls make one sample
/// (enough for 20 µs).
let callsPerSample (budget: float) (f: unit -> unit) =
    let clock = Stopwatch.StartNew()
    let mutable calls = 0
    let mutable compiled = System.Runtime.JitInfo.GetCompiledMethodCount false
    let mutable lastCompile = 0.0
    let settled () =
        let now = System.Runtime.JitInfo.GetCompiledMethodCount false
        if now <> compiled then
            compiled <- now
            lastCompile <- clock.Elapsed.TotalSeconds
        clock.Elapsed.TotalSeconds - lastCompile >= 0.2 || clock.Elapsed.TotalSeconds >= max 1.0 budget
    while calls < 3 || clock.Elapsed.TotalSeconds < max 0.3 (budget / 5.0) || not (settled ()) do
        f ()
        calls <- calls + 1
    max 1 (int (20e-6 / (clock.Elapsed.TotalSeconds / float calls)))
