/// Runs every workload under jit, eager, a hand-written loop and NumPy, prints the table and
/// writes docs/benchmarks.md; `--help` prints the options (`usage` below).
module Program

open System
open System.IO
open Harness

/// Links of the chain program: 2 equations each.
let private links = 25

/// The options, for `--help` and for a flag the bench does not know.
let private usage (stages: string list) =
    $"""usage: dotnet JaxSharp.Bench.dll [options]
  --budget S             seconds spent per row (default 1)
  --only STAGE           time one stage's .NET rows and print them, without writing docs/benchmarks.md;
                         stages: {String.concat ", " stages}
  --numpy                with --only: NumPy's rows beside them
  --torch                with --only: TorchSharp's rows beside them (bench/TorchPeer; skipped with a note when it cannot load)
  --device opencl        only the workloads' OpenCL variants and the CPU's jit beside them (bench/gpu.sh)
  --first-result NAME    the child process of the firstresult stage: compute one result and exit
  --help                 this text
Without --only, every stage runs with NumPy and TorchSharp beside it and the run is written to docs/benchmarks.md."""

/// The flags that take a value, and those that don't.
let private valued, switches = set [ "--budget"; "--only"; "--device"; "--first-result" ], set [ "--numpy"; "--torch"; "--help" ]

/// The first argument that is neither a known flag nor a known flag's value.
let private unknownFlag (argv: string[]) =
    let rec scan i =
        if i >= argv.Length then None
        elif valued.Contains argv.[i] then scan (i + 2)
        elif switches.Contains argv.[i] then scan (i + 1)
        else Some argv.[i]
    scan 0

[<EntryPoint>]
let main argv =
    match Array.tryFindIndex ((=) "--first-result") argv with
    | Some i -> exit (Workloads.FirstResult.child argv.[i + 1])
    | None -> ()
    let budget =
        match Array.tryFindIndex ((=) "--budget") argv with
        | Some i -> float argv.[i + 1]
        | None -> 1.0
    let only = Array.tryFindIndex ((=) "--only") argv |> Option.map (fun i -> argv.[i + 1])
    let openclOnly = Array.tryFindIndex ((=) "--device") argv |> Option.map (fun i -> argv.[i + 1]) |> Option.exists ((=) "opencl")
    OpenCLVariants.only <- openclOnly
    // Before anything else compiles (forced below, before any stage runs): the first compile pays for JIT-compiling the library itself.
    let processFirst =
        lazy
            { Workload = "first call (trace + compile), first in the process"; Variant = "jit"; Work = Latency
              Sample = Ok(sampleOf [| Workloads.Overhead.firstCall links 1000 |]) }
    let stages: (string * (unit -> Row list)) list =
        [ "selu", (fun () -> Workloads.Selu.rows budget 1_000_000 @ Workloads.Selu.rows budget 10_000_000)
          "logistic", (fun () -> Workloads.Logistic.rows budget 1_000_000)
          "matmul", (fun () -> Workloads.MatMul.rows budget 1000 @ Workloads.MatMul.rows budget 3000 @ (if OpenCLVariants.onGpu then Workloads.MatMul.rows budget 4096 else []))
          "conv", (fun () -> Workloads.Conv.rows budget)
          "vmap", (fun () -> Workloads.VmapMatVec.rows budget)
          "hessian", (fun () -> Workloads.Hessian.rows budget)
          "overhead", (fun () -> processFirst.Value :: Workloads.Overhead.rows budget links)
          "foriloop", (fun () -> Workloads.ForiLoop.rows budget)
          "rnn", (fun () -> Workloads.Rnn.rows budget)
          "mlp", (fun () -> [ 1; 128; 1024 ] |> List.collect (Workloads.Mlp.rows budget))
          "products", (fun () -> Workloads.Products.rows budget)
          "firstresult", (fun () -> Workloads.FirstResult.rows 5)
          "decompositions", (fun () -> Workloads.Decompositions.rows budget) ]
    if Array.contains "--help" argv then
        printfn "%s" (usage (List.map fst stages))
        exit 0
    match unknownFlag argv with
    | Some flag ->
        eprintfn "unknown option %s\n%s" flag (usage (List.map fst stages))
        exit 2
    | None -> ()
    let chosen = stages |> List.filter (fun (name, _) -> only |> Option.forall ((=) name))
    if List.isEmpty chosen then failwith $"""--only: no stage named {only.Value}; the stages are {stages |> List.map fst |> String.concat ", "}"""
    let loadBefore = Report.loadAverage ()
    processFirst.Force() |> ignore
    // after the process's first call, which it would otherwise precede with 64 MB of fresh pages
    let freshMemory = Report.freshMemoryCost ()
    let dotnetRows =
        chosen
        |> List.collect (fun (name, run) ->
            printfn "timing %s..." name
            run ())
    let withNumPy = Array.contains "--numpy" argv
    let withTorch = Array.contains "--torch" argv
    let measured = dotnetRows |> List.map (fun r -> r.Workload) |> set
    if (only.IsSome && not withNumPy) || openclOnly then
        printfn "%s" (OpenCLVariants.note ())
        // `--only STAGE --torch`: the stage's TorchSharp rows beside its .NET rows
        let torchRows, torchStatus = if withTorch && not openclOnly then TorchSharpPeer.rows budget measured.Contains else [], ""
        Report.table (dotnetRows @ torchRows) |> List.iter (printfn "%s")
        if torchStatus <> "" then printfn "%s" torchStatus
        OpenCLVariants.peakLines dotnetRows |> List.iter (printfn "%s")
        exit 0
    printfn "timing numpy..."
    let numpyRows, numpyStatus = NumPy.rows budget measured.Contains
    let torchRows, torchStatus =
        if only.IsNone || withTorch then
            printfn "timing torchsharp..."
            TorchSharpPeer.rows budget measured.Contains
        else [], ""
    let all =
        dotnetRows @ numpyRows @ torchRows
        |> List.sortBy (fun r -> dotnetRows |> List.findIndex (fun d -> d.Workload = r.Workload))
    let notes =
        [ match Double.TryParse(loadBefore, Globalization.NumberStyles.Float, Globalization.CultureInfo.InvariantCulture) with
          | true, load when load < 1.0 ->
              "Nothing else ran before the run (load average below 1). The 2 cores are a virtual machine's, so a row can still move between runs: mins are shown too, and the recorded comparisons below were timed back to back."
          | _ -> "The machine was shared: other builds and tests ran on the same 2 cores, so the numbers are noisy; medians and mins are both shown."
          "The process runs with `System.GC.LOHThreshold` = 32 MB (docs/jit.md, \"Memory\"): with .NET's default, every fresh 4 MB output cost a full GC and fresh pages, about 1.3 ms, in every .NET variant alike."
          let perMegabyte, faults = freshMemory
          $"Fresh memory here: the first touch of a new 64 MB array took %.2f{perMegabyte} ms per MB ({faults} page faults). A call whose output lands on pages the runtime has handed back to the OS pays this again, so the medians of rows with outputs of megabytes can sit far above their mins (docs/jit.md, \"Memory\")."
          "NumPy's `x @ x.T` calls syrk (half the flops: its rate counts 2 n^3 all the same); `x @ y.T` is a general sgemm of the same size."
          "jit folds the transpose of `x @ x.T` into dot_general's dimension numbers, so the kernel reads x in place; eager runs the transpose as its own step (a copy) first."
          "A failed row names the missing piece (e.g. a transformation rule not on this branch yet)."
          "The hessian's hand and NumPy rows evaluate its closed form, not an autodiff program."
          "Debian's python3-numpy alone links the reference BLAS (0.45 GFLOP/s on 128x784 by 784x512 float32, the 'oddly slow' NumPy of an earlier run): install libopenblas0-pthread, and check the BLAS NumPy reports above. OpenBLAS's two threads suffer most when the cores are oversubscribed (load average far above 2): compare mins there."
          "The 'jit, params donated' MLP rows run the same step under `jitDonate [ 0 ]`: the new parameters are written into the old ones' buffers (docs/jit.md, 6c). NumPy's step updates its arrays in place too; TorchSharp's runs autograd and updates in place under no_grad."
          "The first-result rows time whole child processes (`--first-result`), from start to exit, as a user feels a fresh `dotnet app.dll`."
          if torchStatus <> "" then torchStatus
          OpenCLVariants.note () ]
        @ (if OpenCLVariants.onGpu then [] else [ OpenCLVariants.NoGpuNote ])
    Report.table all |> List.iter (printfn "%s")
    if only.IsSome then
        printfn "%s" numpyStatus
        if torchStatus <> "" then printfn "%s" torchStatus
        exit 0
    let page = Report.markdown all numpyStatus loadBefore (Report.loadAverage ()) notes
    let path = Path.Combine(__SOURCE_DIRECTORY__, "..", "docs", "benchmarks.md")
    // Before/after comparisons recorded by hand from `--only STAGE --numpy` runs stay below the generated page.
    let recorded =
        let previous = if File.Exists path then File.ReadAllText path else ""
        match previous.IndexOf "\n## Recorded comparisons" with
        | -1 -> ""
        | i -> previous.Substring i
    File.WriteAllText(path, page.TrimEnd() + "\n" + recorded)
    printfn "wrote %s" (Path.GetFullPath path)
    0
