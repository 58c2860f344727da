/// The TorchSharp rows of the bench: the workloads named on the command line (`key=row name`),
/// timed as numpy_bench.py times NumPy's, one JSON line per row, for bench/TorchSharp.fs to read.
/// Arguments: budget seconds, then `key=name` pairs. Torch runs on 2 threads (the machine's cores).
module TorchPeer

open System
open System.Diagnostics
open TorchSharp

/// Median, min and max seconds per call of f within the budget (after a warm-up), as JSON fields.
let private measure (budget: float) (f: unit -> unit) =
    let batch = WarmUp.callsPerSample budget f
    let times = ResizeArray<float>()
    let clock = Stopwatch.StartNew()
    while times.Count < 5 || (clock.Elapsed.TotalSeconds < budget && times.Count < 2000) do
        let start = Stopwatch.GetTimestamp()
        for _ in 1..batch do
            f ()
        times.Add(float (Stopwatch.GetTimestamp() - start) / float Stopwatch.Frequency / float batch)
    let sorted = times.ToArray() |> Array.sort
    $"\"median\": {sorted.[sorted.Length / 2]}, \"min\": {sorted.[0]}, \"max\": {sorted.[sorted.Length - 1]}, \"reps\": {sorted.Length}"

/// The MLP 784-512-512-10 SGD step, as the bench's: relu, mean softmax cross-entropy, autograd.
let private mlpStep (batch: int64) =
    let sizes = [| 784L; 512L; 512L; 10L |]
    let weights = [| for i in 0..2 -> (torch.rand(sizes.[i], sizes.[i + 1]) * 2.0f - 1.0f) / MathF.Sqrt(float32 sizes.[i]) |]
    let ps = [| for i in 0..2 -> [| weights.[i].requires_grad_(); torch.zeros(sizes.[i + 1]).requires_grad_() |] |] |> Array.concat
    let x = torch.rand(batch, 784L)
    let y = torch.nn.functional.one_hot(torch.arange(batch) % 10L, 10L).to_type(torch.ScalarType.Float32)
    fun () ->
        use _ = torch.NewDisposeScope()
        let h1 = torch.nn.functional.relu(x.matmul(ps.[0]) + ps.[1])
        let h2 = torch.nn.functional.relu(h1.matmul(ps.[2]) + ps.[3])
        let logits = h2.matmul(ps.[4]) + ps.[5]
        let loss = -(y * torch.nn.functional.log_softmax(logits, 1L)).sum(1L).mean()
        loss.backward()
        use _ = torch.no_grad()
        for p in ps do
            p.sub_(p.grad * 0.01f) |> ignore
            p.grad.zero_() |> ignore

/// The 3x3 convolution 64 -> 64 on 56x56, batch 8: forward, and forward with both gradients.
let private conv (withGradients: bool) =
    let x = (torch.rand(8L, 64L, 56L, 56L) - 0.5f).requires_grad_(withGradients)
    let w = (torch.rand(64L, 64L, 3L, 3L) - 0.5f).requires_grad_(withGradients)
    let g = torch.rand(8L, 64L, 56L, 56L) - 0.5f
    fun () ->
        use _ = torch.NewDisposeScope()
        let y = torch.nn.functional.conv2d(x, w, padding = [| 1L; 1L |])
        if withGradients then torch.autograd.grad([| y |], [| x; w |], [| g |]) |> ignore

let private workloads (key: string) : (unit -> unit) option =
    match key with
    | "mlp1" -> Some(mlpStep 1L)
    | "mlp128" -> Some(mlpStep 128L)
    | "mlp1024" -> Some(mlpStep 1024L)
    | "matmul1000" ->
        let m = torch.rand(1000L, 1000L)
        Some(fun () -> use _ = torch.NewDisposeScope() in m.matmul(m.T) |> ignore)
    | "convforward" -> Some(conv false)
    | "convgradients" -> Some(conv true)
    | _ -> None

[<EntryPoint>]
let main argv =
    torch.set_num_threads 2
    let budget = float argv.[0]
    printfn "{\"torchsharp\": \"%s\"}" (typeof<torch.Tensor>.Assembly.GetName().Version.ToString())
    for arg in argv.[1..] do
        let key, name = let i = arg.IndexOf '=' in arg.Substring(0, i), arg.Substring(i + 1)
        match workloads key with
        | Some f ->
            let fields = measure budget f
            printfn "{\"workload\": \"%s\", \"variant\": \"torchsharp\", %s}" name fields
        | None -> eprintfn "TorchPeer: no workload %s" key
    0
