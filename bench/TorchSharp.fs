/// The TorchSharp side: bench/TorchPeer (a separate project, never a dependency of the library)
/// run through its run.sh, which preloads a stand-in libstdc++ that TorchSharp-cpu 0.107 needs on
/// this Debian. Optional: when the peer cannot be built or loaded, its rows are skipped with a note.
module TorchSharpPeer

open System
open System.Diagnostics
open System.IO
open System.Text.Json
open Harness

let private script = Path.Combine(__SOURCE_DIRECTORY__, "TorchPeer", "run.sh")

/// The peer's workload keys and the names the .NET rows use for them.
let private workloads =
    [ "mlp1", Workloads.Mlp.name 1
      "mlp128", Workloads.Mlp.name 128
      "mlp1024", Workloads.Mlp.name 1024
      "matmul1000", Workloads.MatMul.name 1000
      "convforward", Workloads.Conv.forwardName
      "convgradients", Workloads.Conv.gradientsName ]

let private rowOf (json: JsonElement) =
    let number (name: string) = json.GetProperty(name).GetDouble()
    { Workload = json.GetProperty("workload").GetString()
      Variant = json.GetProperty("variant").GetString()
      Work = Latency
      Sample = Ok { Median = number "median"; Min = number "min"; Max = number "max"; Reps = int (number "reps") } }

/// TorchSharp's rows for the workloads whose names pass `keep` (their Work is taken from the .NET
/// rows by the report), and a note saying what ran, or why nothing did.
let rows (budget: float) (keep: string -> bool) : Row list * string =
    let chosen = workloads |> List.filter (snd >> keep)
    if chosen.IsEmpty then
        [], ""
    else
        try
            let start = ProcessStartInfo(script, RedirectStandardOutput = true, RedirectStandardError = true)
            start.ArgumentList.Add(string budget)
            for key, name in chosen do
                start.ArgumentList.Add $"{key}={name}"
            use p = Process.Start start
            let errors = p.StandardError.ReadToEndAsync()
            let lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            p.WaitForExit()
            let parsed = lines |> Array.filter (fun l -> l.StartsWith "{") |> Array.map (fun l -> JsonDocument.Parse(l).RootElement)
            let rows = parsed |> Array.filter (fun j -> fst (j.TryGetProperty "workload")) |> Array.map rowOf |> Array.toList
            if p.ExitCode <> 0 || rows.IsEmpty then
                let why = errors.Result.Trim().Split('\n') |> Array.tryLast |> Option.defaultValue ""
                [], $"TorchSharp: not measured (bench/TorchPeer/run.sh exited with {p.ExitCode}: {why})"
            else
                let version = parsed |> Array.tryPick (fun j -> match j.TryGetProperty "torchsharp" with | true, v -> Some(v.GetString()) | _ -> None)
                rows, $"""TorchSharp-cpu {defaultArg version "?"} (LibTorch CPU, 2 threads), run by bench/TorchPeer/run.sh with a stand-in libstdc++ preloaded (GLIBCXX_3.4.32), in its own process after the .NET rows."""
        with e ->
            [], $"TorchSharp: not measured ({e.Message})"
