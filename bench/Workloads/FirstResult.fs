/// The first result in a fresh process, process start included: the bench starts itself again
/// with `--first-result WORKLOAD`, which computes one result and exits, and times the whole
/// child process from its start to its exit (as a user's `dotnet app.dll` would feel it).
module Workloads.FirstResult

open System
open System.Diagnostics
open JaxSharp
open JaxSharp.FSharp
open Harness

/// A small MLP 16-32-32-1, tanh, mean squared error: its gradient is the first result.
let private mlpLoss (w1: Tensor, w2: Tensor, w3: Tensor) (x: Tensor) (y: Tensor) =
    let h = np.tanh (np.matmul (np.tanh (np.matmul x w1)) w2)
    np.mean ((np.matmul h w3 - y) ** 2.0)

let private filled (shape: int[]) (value: float32) = Tensor.FromArray(Array.create (Array.fold (*) 1 shape) value, Shape(shape))

/// The workloads a child process can run: a name for the row and the computation.
let private workloads: (string * string * (unit -> unit)) list =
    [ "jit50", "first result in a fresh process: jit of a 50-equation program", (fun () ->
          let x = filled [| 1000 |] 0.5f
          jit (Overhead.chain 25) x |> ignore)
      "gradmlp", "first result in a fresh process: grad of an MLP 16-32-32-1, batch 8", (fun () ->
          let p = filled [| 16; 32 |] 0.1f, filled [| 32; 32 |] 0.1f, filled [| 32; 1 |] 0.1f
          grad (fun q -> mlpLoss q (filled [| 8; 16 |] 0.5f) (filled [| 8; 1 |] 1.0f)) p |> ignore) ]

/// Runs one workload in this process (the child's side) and returns the exit code.
let child (key: string) =
    match workloads |> List.tryFind (fun (k, _, _) -> k = key) with
    | Some(_, _, run) ->
        let sinceStart () = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds
        let atMain = sinceStart ()
        run ()
        if Environment.GetEnvironmentVariable "FIRST_RESULT_PHASES" = "1" then
            eprintfn $"{key}: main reached at {atMain:F0} ms, result at {sinceStart ():F0} ms after the process started"
        0
    | None ->
        eprintfn $"""--first-result: no workload {key}; the workloads are {workloads |> List.map (fun (k, _, _) -> k) |> String.concat ", "}"""
        2

/// Seconds from starting a child process on `key` to its exit.
let private timeChild (key: string) =
    let start = ProcessStartInfo(Environment.ProcessPath, UseShellExecute = false)
    // under `dotnet JaxSharp.Bench.dll` the process is the dotnet host, which takes the dll first
    let viaHost = IO.Path.GetFileNameWithoutExtension(Environment.ProcessPath) = "dotnet"
    for arg in [ if viaHost then Reflection.Assembly.GetEntryAssembly().Location
                 "--first-result"
                 key ] do
        start.ArgumentList.Add arg
    let clock = Stopwatch.StartNew()
    use p = Process.Start start
    p.WaitForExit()
    if p.ExitCode <> 0 then failwith $"--first-result {key} exited with {p.ExitCode}"
    clock.Elapsed.TotalSeconds

/// The rows: each workload in `repeats` fresh processes, one after another.
let rows (repeats: int) =
    workloads
    |> List.map (fun (key, name, _) ->
        let sample =
            try
                Ok(sampleOf (Array.init repeats (fun _ -> timeChild key)))
            with e ->
                Error e.Message
        { Workload = name; Variant = "jit"; Work = Latency; Sample = sample })
