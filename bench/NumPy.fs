/// The NumPy side: numpy_bench.py run by Debian's python3 with OPENBLAS_CORETYPE unset (the
/// environment pins it to Haswell). OpenBLAS 0.3.21 does not recognise every AVX-512 processor
/// and may then fall back to its generic Prescott kernels: the products are then timed again
/// with its SkylakeX (AVX-512) kernels, so the comparison is with OpenBLAS at its best.
module NumPy

open System
open System.Diagnostics
open System.IO
open System.Text.Json
open Harness

let private python = "/usr/bin/python3"
let private script = Path.Combine(__SOURCE_DIRECTORY__, "numpy_bench.py")
let private avx512Cores = set [ "SkylakeX"; "Cooperlake"; "SapphireRapids" ]

/// The script's workload keys and the names the .NET rows use for them.
let private workloads =
    [ "selu6", Workloads.Selu.name 1_000_000
      "selu7", Workloads.Selu.name 10_000_000
      "logistic_sum", Workloads.Logistic.sumName 1_000_000
      "logistic_grad", Workloads.Logistic.gradName 1_000_000
      "matmul1000", Workloads.MatMul.name 1000
      "matmul3000", Workloads.MatMul.name 3000
      "vmap", Workloads.VmapMatVec.name
      "hessian", Workloads.Hessian.name
      "overhead", Workloads.Overhead.overheadName
      "mlp1", Workloads.Mlp.name 1
      "mlp128", Workloads.Mlp.name 128
      "mlp1024", Workloads.Mlp.name 1024 ]
    @ (Workloads.Products.cases |> List.map (fun (key, name, _, _, _) -> key, name))

let private rowOf (json: JsonElement) =
    let number (name: string) = json.GetProperty(name).GetDouble()
    { Workload = json.GetProperty("workload").GetString()
      Variant = json.GetProperty("variant").GetString()
      Work = Latency
      Sample = Ok { Median = number "median"; Min = number "min"; Max = number "max"; Reps = int (number "reps") } }

/// Runs the script on the workloads whose keys pass `keep`, with OPENBLAS_CORETYPE set to
/// `coreType` (None: unset): the rows and the core OpenBLAS reports, or why there are none.
let private run budget label coreType (keep: string -> bool) =
    let start = ProcessStartInfo(python, RedirectStandardOutput = true, RedirectStandardError = true)
    for arg in [ script; string budget; label ] do
        start.ArgumentList.Add arg
    for key, name in workloads |> List.filter (fst >> keep) do
        start.ArgumentList.Add $"{key}={name}"
    match coreType with
    | Some c -> start.Environment["OPENBLAS_CORETYPE"] <- c
    | None -> start.Environment.Remove "OPENBLAS_CORETYPE" |> ignore
    start.Environment.Remove "OPENBLAS_L2_SIZE" |> ignore
    start.Environment["OPENBLAS_VERBOSE"] <- "2"
    use p = Process.Start start
    let errors = p.StandardError.ReadToEndAsync()
    let output = p.StandardOutput.ReadToEnd()
    p.WaitForExit()
    let lines = (output + "\n" + errors.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries)
    let core = lines |> Array.tryPick (fun l -> if l.StartsWith "Core: " then Some(l.Substring(6).Trim()) else None)
    let parsed = lines |> Array.filter (fun l -> l.StartsWith "{") |> Array.map (fun l -> JsonDocument.Parse(l).RootElement)
    let property name = parsed |> Array.tryPick (fun j -> match j.TryGetProperty(name: string) with | true, v -> Some(v.GetString()) | _ -> None)
    match property "error" with
    | Some e -> Error e
    | None when p.ExitCode <> 0 -> Error $"numpy_bench.py exited with {p.ExitCode}: {errors.Result.Trim()}"
    | None ->
        let rows = parsed |> Array.filter (fun j -> fst (j.TryGetProperty "workload")) |> Array.map rowOf |> Array.toList
        Ok(rows, $"""NumPy {defaultArg (property "numpy") "?"} ({defaultArg (property "blas") "BLAS unknown"})""", defaultArg core "unknown")

let private hasAvx512 () =
    try
        File.ReadLines "/proc/cpuinfo" |> Seq.exists (fun l -> l.StartsWith "flags" && l.Contains " avx512f")
    with _ ->
        false

/// NumPy's rows (their Work is taken from the .NET rows by the report) and a line for the
/// report saying what ran, or why nothing did.
let rows (budget: float) (keep: string -> bool) : Row list * string =
    let keepKey key = workloads |> List.exists (fun (k, name) -> k = key && keep name)
    if not (File.Exists python) then
        [], $"NumPy: not measured ({python} not found; `apt-get install -y python3-numpy libopenblas0` installs it)"
    else
        match run budget "numpy" None keepKey with
        | Error why -> [], $"NumPy: not measured ({why})"
        | Ok(rows, version, core) when avx512Cores.Contains core || not (hasAvx512 ()) ->
            rows, $"{version} with OpenBLAS, OPENBLAS_CORETYPE unset: OpenBLAS chose its {core} kernels"
        | Ok(rows, version, core) ->
            let label = "numpy (SkylakeX kernels)"
            match run budget label (Some "SkylakeX") (fun key -> key.StartsWith "matmul" && keepKey key) with
            | Ok(more, _, _) ->
                rows @ more,
                $"{version} with OpenBLAS, OPENBLAS_CORETYPE unset: OpenBLAS chose its {core} kernels on this AVX-512 processor, so the products were also timed with OPENBLAS_CORETYPE=SkylakeX ('{label}')"
            | Error why -> rows, $"{version} with OpenBLAS ({core} kernels); the SkylakeX run failed: {why}"
