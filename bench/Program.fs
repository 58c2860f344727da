/// Runs every workload under jit, eager, a hand-written loop and NumPy, prints the table and
/// writes docs/benchmarks.md. `--budget S` sets the seconds spent per row (default 1);
/// `--only STAGE` (selu, logistic, matmul, conv, vmap, hessian, overhead, foriloop, rnn, mlp, products, firstresult) times one stage of the .NET
/// rows and prints it without NumPy (with it, beside them, given `--numpy` too) or writing the page. `--device opencl` times only the
/// workloads' OpenCL variants and the CPU's jit beside them, and prints the table (bench/gpu.sh). `--first-result WORKLOAD` is the child
/// process of the firstresult stage: it computes one result and exits. `--torch` with `--only`
/// adds the stage's TorchSharp rows (bench/TorchPeer, optional: skipped with a note when it cannot load).
module Program

open System
open System.IO
open Harness

/// Links of the chain program: 2 equations each.
let private links = 25

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
    let loadBefore = Report.loadAverage ()
    // Before anything else compiles: the first compile pays for JIT-compiling the library itself.
    let firstEver = Workloads.Overhead.firstCall links 1000
    let processFirst =
        { Workload = "first call (trace + compile), first in the process"; Variant = "jit"; Work = Latency
          Sample = Ok(sampleOf [| firstEver |]) }
    let stages: (string * (unit -> Row list)) list =
        [ "selu", (fun () -> Workloads.Selu.rows budget 1_000_000 @ Workloads.Selu.rows budget 10_000_000)
          "logistic", (fun () -> Workloads.Logistic.rows budget 1_000_000)
          "matmul", (fun () -> Workloads.MatMul.rows budget 1000 @ Workloads.MatMul.rows budget 3000 @ (if OpenCLVariants.onGpu then Workloads.MatMul.rows budget 4096 else []))
          "conv", (fun () -> Workloads.Conv.rows budget)
          "vmap", (fun () -> Workloads.VmapMatVec.rows budget)
          "hessian", (fun () -> Workloads.Hessian.rows budget)
          "overhead", (fun () -> processFirst :: Workloads.Overhead.rows budget links)
          "foriloop", (fun () -> Workloads.ForiLoop.rows budget)
          "rnn", (fun () -> Workloads.Rnn.rows budget)
          "mlp", (fun () -> [ 1; 128; 1024 ] |> List.collect (Workloads.Mlp.rows budget))
          "products", (fun () -> Workloads.Products.rows budget)
          "firstresult", (fun () -> Workloads.FirstResult.rows 5)
          "decompositions", (fun () -> Workloads.Decompositions.rows budget) ]
    let chosen = stages |> List.filter (fun (name, _) -> only |> Option.forall ((=) name))
    if List.isEmpty chosen then failwith $"""--only: no stage named {only.Value}; the stages are {stages |> List.map fst |> String.concat ", "}"""
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
        [ "The machine was shared: other builds and tests ran on the same 2 cores, so the numbers are noisy; medians and mins are both shown."
          "The process runs with `System.GC.LOHThreshold` = 32 MB (docs/jit.md, \"Memory\"): with .NET's default, every fresh 4 MB output cost a full GC and fresh pages, about 1.3 ms, in every .NET variant alike."
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
