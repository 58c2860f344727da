/// The OpenCL variants of the workloads: each workload's jitted call, with its inputs placed on
/// the first OpenCL device once, named "jit (opencl)" and timed beside the CPU's variants (after
/// them, in rounds of its own, when the device is the CPU itself).
/// A call waits for the device (BlockUntilReady on its last output: the queue is in order, so
/// the work queued before it is done too). Without an OpenCL device the variants are left out
/// and the page says why; a primitive without an OpenCL kernel makes its row a failed row that
/// names it.
module OpenCLVariants

open System
open JaxSharp
open Harness

/// The first OpenCL device, or why there is none.
let device: Result<Device, string> =
    try
        Ok(Jax.Devices "opencl" |> Seq.head)
    with :? InvalidOperationException as e ->
        Error e.Message

/// Whether the OpenCL device is a GPU (the GPU-sized rows run only then).
let onGpu =
    match device with
    | Ok d -> d.Kind = DeviceKind.Gpu
    | Error _ -> false

/// `--device opencl`: time only the OpenCL variants and the CPU's jit, their peer.
let mutable only = false

/// The name of the OpenCL variant.
[<Literal>]
let Name = "jit (opencl)"

/// The CPU's variants of a workload: only its jit under `--device opencl`.
let cpuVariants (cpu: Variant list) = if only then cpu |> List.filter (fun v -> v.Name = "jit") else cpu

/// The variants of a workload: the CPU's (`cpuVariants`) and, with a device, the
/// OpenCL one, whose call `prepare device` returns after placing the inputs. On a CPU device
/// (PoCL) the OpenCL variant is timed apart: its worker threads share the cores and stayed busy
/// after its calls returned, which doubled the median of the MLP's batch-1 jit row beside it.
let withOpenCL (prepare: Device -> unit -> Tensor) (cpu: Variant list) =
    let cpu = cpuVariants cpu
    match device with
    | Ok d ->
        let call = lazy (prepare d)
        let timed = if d.Kind = DeviceKind.Cpu then variantApart else variant
        cpu @ [ timed Name (fun () -> (call.Force ()) () |> _.BlockUntilReady() |> ignore) ]
    | Error _ -> cpu

/// The page's note when no GPU ran the OpenCL rows.
[<Literal>]
let NoGpuNote = "GPU figures: not measured yet; run bench/gpu.sh on a machine with a GPU (docs/opencl.md, \"Speed\")."

/// The note for the page: the device the OpenCL rows ran on, or why there are none.
let note () =
    match device with
    | Ok d ->
        let apart =
            if d.Kind = DeviceKind.Cpu then
                " They are timed after the workload's other variants, in rounds of their own: the device's worker threads share the cores and stay busy after a call returns, which slowed the variant timed next (the MLP's batch-1 jit median doubled when they shared rounds)."
            else
                ""
        $"`{Name}` rows: the workload's jitted call on {d} ({d.Kind}), its inputs placed there once; each call waits for the device (BlockUntilReady).{apart}"
    | Error why -> $"No `{Name}` rows: {why}"

/// The device's peak from the environment (bench/gpu.sh sets them when it knows the GPU):
/// `JAXSHARP_PEAK_GBS` (memory bandwidth, GB/s) and `JAXSHARP_PEAK_GFLOPS` (float32, GFLOP/s).
let private peak variable =
    match Double.TryParse(Environment.GetEnvironmentVariable variable: string) with
    | true, value when value > 0.0 -> Some value
    | _ -> None

/// For each OpenCL row with a rate, its share of the device's peak, when the peak is known.
let peakLines (rows: Row list) =
    let bandwidth, flops = peak "JAXSHARP_PEAK_GBS", peak "JAXSHARP_PEAK_GFLOPS"
    [ for row in rows do
          match row.Variant, row.Sample, row.Work with
          | Name, Ok s, Bytes b ->
              match bandwidth with
              | Some p -> $"{row.Workload}: {b / s.Median / 1e9:F1} GB/s, {100.0 * b / s.Median / 1e9 / p:F0}%% of the peak {p:F0} GB/s"
              | None -> $"{row.Workload}: {b / s.Median / 1e9:F1} GB/s (peak unknown: set JAXSHARP_PEAK_GBS)"
          | Name, Ok s, Flops f ->
              match flops with
              | Some p -> $"{row.Workload}: {f / s.Median / 1e9:F1} GFLOP/s, {100.0 * f / s.Median / 1e9 / p:F0}%% of the peak {p:F0} GFLOP/s"
              | None -> $"{row.Workload}: {f / s.Median / 1e9:F1} GFLOP/s (peak unknown: set JAXSHARP_PEAK_GFLOPS)"
          | _ -> () ]
