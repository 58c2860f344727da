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
        // The phases only where asked for: the local clock and the process's start time cost about
        // 10 ms of a first result (the time zone database, the process table), which a user's
        // program does not spend.
        let phases = Environment.GetEnvironmentVariable "FIRST_RESULT_PHASES" = "1"
        let sinceStart () = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds
        let atMain = if phases then sinceStart () else 0.0
        let jitAtMain, methodsAtMain = Runtime.JitInfo.GetCompilationTime(), Runtime.JitInfo.GetCompiledMethodCount()
        run ()
        if phases then
            let jitTime = Runtime.JitInfo.GetCompilationTime() - jitAtMain
            let methods = Runtime.JitInfo.GetCompiledMethodCount() - methodsAtMain
            eprintfn $"{key}: main reached at {atMain:F0} ms ({jitAtMain.TotalMilliseconds:F0} ms JIT, {methodsAtMain} methods), result at {sinceStart ():F0} ms after the process started; from main to the result the .NET JIT compiled {methods} methods in {jitTime.TotalMilliseconds:F0} ms"
        0
    | None ->
        eprintfn $"""--first-result: no workload {key}; the workloads are {workloads |> List.map (fun (k, _, _) -> k) |> String.concat ", "}"""
        2

/// How a child process is deployed: the bench's `dotnet build` output; its ReadyToRun publish
/// (bench/bin/ReadyToRun: the library, FSharp.Core and the bench precompiled by crossgen2, run by
/// the dotnet host on the installed runtime); or its self-contained composite publish
/// (bench/bin/ReadyToRunComposite: the runtime's framework compiled with them into one image, in
/// one version bubble, so the framework's generics over the library's and primitive types are
/// precompiled too; started as its own executable).
type private Deployment =
    | BuildOutput
    | ReadyToRun
    | Composite

let private rid = Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier
let private published folder file = IO.Path.GetFullPath(IO.Path.Combine(AppContext.BaseDirectory, "..", "..", folder, file))

/// The commands that publish the two precompiled deployments (build.fsx's Bench target runs them).
let private publishCommand =
    function
    | Composite -> $"dotnet publish bench/JaxSharp.Bench.fsproj -c Release -r {rid} --self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -o bench/bin/ReadyToRunComposite"
    | _ -> $"dotnet publish bench/JaxSharp.Bench.fsproj -c Release -r {rid} --self-contained false -p:PublishReadyToRun=true -o bench/bin/ReadyToRun"

/// Seconds from starting a child process on `key` to its exit, deployed as `deployment`: the
/// build output and the ReadyToRun publish under the dotnet host as a user's `dotnet app.dll`,
/// the composite as a self-contained application's executable.
let private timeChild (deployment: Deployment) (key: string) =
    // under `dotnet JaxSharp.Bench.dll` the process is the dotnet host, which takes the dll first
    let viaHost = IO.Path.GetFileNameWithoutExtension(Environment.ProcessPath) = "dotnet"
    let program, app =
        match deployment with
        | BuildOutput -> Environment.ProcessPath, (if viaHost then Some(Reflection.Assembly.GetEntryAssembly().Location) else None)
        | ReadyToRun -> Environment.ProcessPath, Some(published "ReadyToRun" "JaxSharp.Bench.dll")
        | Composite -> published "ReadyToRunComposite" (if OperatingSystem.IsWindows() then "JaxSharp.Bench.exe" else "JaxSharp.Bench"), None
    match deployment, app with
    | BuildOutput, _ -> ()
    | ReadyToRun, _ when not viaHost -> failwith "the ReadyToRun rows need the bench started as `dotnet JaxSharp.Bench.dll`"
    | _, Some path when not (IO.File.Exists path) -> failwith $"no ReadyToRun publish at {path}: run `{publishCommand deployment}`"
    | _, None when not (IO.File.Exists program) -> failwith $"no composite publish at {program}: run `{publishCommand deployment}`"
    | _ -> ()
    let start = ProcessStartInfo(program, UseShellExecute = false)
    for arg in [ yield! Option.toList app
                 "--first-result"
                 key ] do
        start.ArgumentList.Add arg
    let clock = Stopwatch.StartNew()
    use p = Process.Start start
    p.WaitForExit()
    if p.ExitCode <> 0 then failwith $"--first-result {key} exited with {p.ExitCode}"
    clock.Elapsed.TotalSeconds

/// The rows: each workload, and an empty process as the floor, in `repeats` fresh processes per
/// variant (the build output and the two precompiled publishes), the variants alternating.
let rows (repeats: int) =
    let variants = [ "jit", BuildOutput; "jit, ReadyToRun app", ReadyToRun; "jit, self-contained composite app", Composite ]
    let cases = ("start", "an empty process: start and exit, no JaxSharp call") :: (workloads |> List.map (fun (key, name, _) -> key, name))
    [ for key, name in cases do
          // A variant that fails (no publish, a child's error) stops; the others go on.
          let samples = variants |> List.map (fun _ -> ResizeArray<float>())
          let failures: string option[] = Array.create variants.Length None
          for _ in 1..repeats do
              variants
              |> List.iteri (fun i (_, deployment) ->
                  if failures.[i].IsNone then
                      try
                          samples.[i].Add(timeChild deployment key)
                      with e ->
                          failures.[i] <- Some e.Message)
          for i, (variant, _) in List.indexed variants do
              let sample =
                  match failures.[i] with
                  | Some e -> Error e
                  | None -> Ok(sampleOf (samples.[i].ToArray()))
              yield { Workload = name; Variant = variant; Work = Latency; Sample = sample } ]
