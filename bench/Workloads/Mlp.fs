/// One SGD training step of an MLP 784-512-512-10 (relu, softmax cross-entropy, float32), the
/// whole step (forward, gradient, update) under one jit, at batch 1, 128 and 1024. NumPy's row
/// (numpy_bench.py) is the same step with hand-written backpropagation.
module Workloads.Mlp

open System
open JaxSharp
open JaxSharp.FSharp
open Harness

/// One dense layer's parameters.
type Layer = { W: Tensor; B: Tensor }

/// The three layers: records are parameter trees, so grad returns the same shape.
type Net = { L1: Layer; L2: Layer; L3: Layer }

let private sizes = [| 784; 512; 512; 10 |]
let private learningRate = 0.01

let private dense (l: Layer) (x: Tensor) = np.matmul x l.W + l.B

/// Mean softmax cross-entropy of the logits against one-hot labels.
let private loss (p: Net) (x: Tensor) (y: Tensor) =
    let logits = dense p.L3 (nn.relu (dense p.L2 (nn.relu (dense p.L1 x))))
    -(np.mean (np.sumAxis -1 (y * nn.logSoftmax logits)))

let private sgd (p: Layer) (g: Layer) = { W = p.W - learningRate * g.W; B = p.B - learningRate * g.B }

/// The gradient of the loss and the SGD update.
let private update (p: Net, x: Tensor, y: Tensor) =
    let g = grad (fun q -> loss q x y) p
    { L1 = sgd p.L1 g.L1; L2 = sgd p.L2 g.L2; L3 = sgd p.L3 g.L3 }

/// The whole step, one compiled program.
let private step = jit update

/// The whole step donating the parameters: the new ones are written into the old ones' buffers.
let private donatingStep = jitDonate [ 0 ] update

let private random (rng: Random) (shape: int[]) (scale: float32) =
    Tensor.FromArray(Array.init (Array.fold (*) 1 shape) (fun _ -> (float32 (rng.NextDouble()) * 2.0f - 1.0f) * scale), Shape(shape))

let private layer rng (fanIn: int) (fanOut: int) =
    { W = random rng [| fanIn; fanOut |] (1.0f / sqrt (float32 fanIn)); B = np.zeros [| fanOut |] }

/// The workload's name at a batch size.
let name (batch: int) = $"MLP training step 784-512-512-10, relu, softmax cross-entropy, SGD, batch {batch}, float32"

/// The row of one batch size: the jitted step, its result fed back as the next step's parameters.
let rows budget (batch: int) =
    let rng = Random(16)
    let mutable net =
        { L1 = layer rng sizes.[0] sizes.[1]; L2 = layer rng sizes.[1] sizes.[2]; L3 = layer rng sizes.[2] sizes.[3] }
    let x = Tensor.FromArray(Array.init (batch * 784) (fun _ -> float32 (rng.NextDouble())), Shape(batch, 784))
    let y = nn.oneHot 10 (np.array (Array.init batch (fun i -> i % 10)))
    let placed (d: Device) =
        let on = devicePut d
        let layer (l: Layer) = { W = on l.W; B = on l.B }
        let onDevice = ref { L1 = layer net.L1; L2 = layer net.L2; L3 = layer net.L3 }
        let xd, yd = on x, on y
        fun () ->
            onDevice.Value <- step (onDevice.Value, xd, yd)
            onDevice.Value.L3.B
    let copy (l: Layer) = { W = np.copy l.W; B = np.copy l.B }
    let mutable donated = { L1 = copy net.L1; L2 = copy net.L2; L3 = copy net.L3 }
    interleave budget (name batch) Latency
        (OpenCLVariants.withOpenCL placed
            [ variant "jit" (fun () -> net <- step (net, x, y))
              variant "jit, params donated" (fun () -> donated <- donatingStep (donated, x, y)) ])
