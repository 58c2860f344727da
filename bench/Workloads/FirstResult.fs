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
    match (("start", "", ignore) :: workloads) |> List.tryFind (fun (k, _, _) -> k = key) with
    | Some(_, _, run) ->
        let sinceStart () = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds
        let atMain = sinceStart ()
        let jitAtMain, methodsAtMain = Runtime.JitInfo.GetCompilationTime(), Runtime.JitInfo.GetCompiledMethodCount()
        run ()
        if Environment.GetEnvironmentVariable "FIRST_RESULT_PHASES" = "1" then
            let jitTime = Runtime.JitInfo.GetCompilationTime() - jitAtMain
            let methods = Runtime.JitInfo.GetCompiledMethodCount() - methodsAtMain
            eprintfn $"{key}: main reached at {atMain:F0} ms ({jitAtMain.TotalMilliseconds:F0} ms JIT, {methodsAtMain} methods), result at {sinceStart ():F0} ms after the process started; from main to the result the .NET JIT compiled {methods} methods in {jitTime.TotalMilliseconds:F0} ms"
        0
    | None ->
        eprintfn $"""--first-result: no workload {key}; the workloads are {workloads |> List.map (fun (k, _, _) -> k) |> String.concat ", "}"""
        2

/// The ReadyToRun publish of the bench beside its build output (bench/bin/ReadyToRun), which the
/// `jit, ReadyToRun app` rows start: the library, FSharp.Core and the bench precompiled by crossgen2.
let readyToRunBench = IO.Path.GetFullPath(IO.Path.Combine(AppContext.BaseDirectory, "..", "..", "ReadyToRun", "JaxSharp.Bench.dll"))

/// The command that publishes it (build.fsx's Bench target runs it).
let readyToRunPublish =
    $"dotnet publish bench/JaxSharp.Bench.fsproj -c Release -r {Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier} --self-contained false -p:PublishReadyToRun=true -o bench/bin/ReadyToRun"

/// Seconds from starting a child process on `key` to its exit: the bench's own build output, or
/// (`readyToRun`) its ReadyToRun publish, both under the dotnet host as a user's `dotnet app.dll`.
let private timeChild (readyToRun: bool) (key: string) =
    let start = ProcessStartInfo(Environment.ProcessPath, UseShellExecute = false)
    // under `dotnet JaxSharp.Bench.dll` the process is the dotnet host, which takes the dll first
    let viaHost = IO.Path.GetFileNameWithoutExtension(Environment.ProcessPath) = "dotnet"
    let app = if readyToRun then readyToRunBench else Reflection.Assembly.GetEntryAssembly().Location
    if readyToRun && not (IO.File.Exists app) then failwith $"no ReadyToRun publish at {app}: run `{readyToRunPublish}`"
    if readyToRun && not viaHost then failwith "the ReadyToRun rows need the bench started as `dotnet JaxSharp.Bench.dll`"
    for arg in [ if viaHost then app
                 "--first-result"
                 key ] do
        start.ArgumentList.Add arg
    let clock = Stopwatch.StartNew()
    use p = Process.Start start
    p.WaitForExit()
    if p.ExitCode <> 0 then failwith $"--first-result {key} exited with {p.ExitCode}"
    clock.Elapsed.TotalSeconds

/// The rows: each workload, and an empty process as the floor, in `repeats` fresh processes per
/// variant (the build output and the ReadyToRun publish), the variants alternating.
let rows (repeats: int) =
    let variants = [ "jit", false; "jit, ReadyToRun app", true ]
    let cases = ("start", "an empty process: start and exit, no JaxSharp call") :: (workloads |> List.map (fun (key, name, _) -> key, name))
    [ for key, name in cases do
          // A variant that fails (no ReadyToRun publish, a child's error) stops; the others go on.
          let samples = variants |> List.map (fun _ -> ResizeArray<float>())
          let failures: string option[] = Array.create variants.Length None
          for _ in 1..repeats do
              variants
              |> List.iteri (fun i (_, readyToRun) ->
                  if failures.[i].IsNone then
                      try
                          samples.[i].Add(timeChild readyToRun key)
                      with e ->
                          failures.[i] <- Some e.Message)
          for i, (variant, _) in List.indexed variants do
              let sample =
                  match failures.[i] with
                  | Some e -> Error e
                  | None -> Ok(sampleOf (samples.[i].ToArray()))
              yield { Workload = name; Variant = variant; Work = Latency; Sample = sample } ]
