/// A multilayer perceptron on the UCI handwritten digits: the data, the model, a jitted
/// training step with optim.adam, evaluation and per-example gradients with vmap.
module Digits.Training

open System
open System.IO
open System.IO.Compression
open JaxSharp
open JaxSharp.FSharp

/// Images (n, 64) float32 in [0, 1] and labels (n,) int32.
type Data = { Images: Tensor; Labels: Tensor }

/// The model's parameters: records are parameter trees, so grad and the optimizer keep them.
type Layer = { W: Tensor; B: Tensor }
type Mlp = { Hidden: Layer; Output: Layer }

/// How to train.
type Settings = { Epochs: int; BatchSize: int; Hidden: int; LearningRate: float; Seed: int }

let defaults = { Epochs = 30; BatchSize = 32; Hidden = 128; LearningRate = 3e-3; Seed = 0 }

/// What one epoch gave.
type Epoch = { Number: int; Loss: float; TestAccuracy: float }

/// The data file next to the program (the build copies examples/data/digits.csv.gz there).
let dataFile = Path.Combine(AppContext.BaseDirectory, "digits.csv.gz")

/// Reads the csv.gz: 64 pixels (0..16) then the label, per line.
let load (path: string) : Data =
    use reader = new StreamReader(new GZipStream(File.OpenRead path, CompressionMode.Decompress))
    let rows = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries) |> Array.map (fun l -> l.Split ',' |> Array.map float32)
    let pixels = Array2D.init rows.Length 64 (fun i j -> rows[i][j] / 16.0f)
    { Images = np.array pixels; Labels = np.array (rows |> Array.map (fun r -> int r[64])) }

/// A random 80/20 split of the examples.
let split (key: Tensor) (data: Data) : Data * Data =
    let n = data.Labels.Shape[0]
    let order = random.permutation key n
    let trainCount = n * 4 / 5
    let part (indices: Tensor) = { Images = np.takeAxis 0 indices data.Images; Labels = np.takeAxis 0 indices data.Labels }
    let all = order.ToArray<int>()
    part (np.array all[.. trainCount - 1]), part (np.array all[trainCount ..])

/// He-initialised hidden layer, Glorot output layer, zero biases.
let init (key: Tensor) (hidden: int) : Mlp =
    let k1, k2 = random.split2 key
    { Hidden = { W = initializers.heNormal k1 [| 64; hidden |]; B = np.zeros [| hidden |] }
      Output = { W = initializers.glorotNormal k2 [| hidden; 10 |]; B = np.zeros [| 10 |] } }

/// Logits of images (..., 64).
let forward (p: Mlp) (x: Tensor) =
    let h = nn.relu (np.matmul x p.Hidden.W + p.Hidden.B)
    np.matmul h p.Output.W + p.Output.B

/// Mean cross-entropy of a batch; labels one-hot.
let loss (p: Mlp) (x: Tensor) (y: Tensor) = -(np.mean (np.sumAxis -1 (y * nn.logSoftmax (forward p x))))

/// The fraction of images whose most likely class is the label, one example at a time under vmap.
let accuracy (p: Mlp) (data: Data) =
    let predicted = vmap (fun x -> np.argmax (forward p x)) data.Images
    Array.map2 (fun a b -> if a = b then 1.0 else 0.0) (predicted.ToArray<int>()) (data.Labels.ToArray<int>()) |> Array.average

/// The norm of each test example's own gradient: vmap of grad, one batched program.
let perExampleGradientNorms (p: Mlp) (data: Data) : float32[] =
    let norm (x: Tensor, y: Tensor) = optim.globalNorm (grad (fun q -> loss q x y) p)
    (vmap norm (data.Images, nn.oneHot 10 data.Labels)).ToArray<float32>()

/// Trains from scratch, calling report after each epoch; returns the parameters and the epochs.
let train (settings: Settings) (report: Epoch -> unit) : Mlp * Data * Epoch list =
    let key = random.key settings.Seed
    let dataKey, rest = random.split2 key
    let initKey, shuffleKey = random.split2 rest
    let trainSet, testSet = split dataKey (load dataFile)
    let opt = optim.adam settings.LearningRate
    // one compiled program per batch shape: the loss, its gradient and the Adam update together
    let step =
        jit (fun (p: Mlp, state: OptState, x: Tensor, y: Tensor) ->
            let value, grads = valueAndGrad (fun q -> loss q x y) p
            let updates, state = opt.update grads state p
            optim.applyUpdates p updates, state, value)
    let batches = trainSet.Labels.Shape[0] / settings.BatchSize
    let mutable p = init initKey settings.Hidden
    let mutable state = opt.init p
    let epochs =
        [ for epoch in 1 .. settings.Epochs do
              let order = (random.permutation (random.foldIn shuffleKey epoch) trainSet.Labels.Shape[0]).ToArray<int>()
              let mutable total = 0.0
              for b in 0 .. batches - 1 do
                  let indices = np.array order[b * settings.BatchSize .. (b + 1) * settings.BatchSize - 1]
                  let x = np.takeAxis 0 indices trainSet.Images
                  let y = nn.oneHot 10 (np.takeAxis 0 indices trainSet.Labels)
                  let p', state', value = step (p, state, x, y)
                  p <- p'
                  state <- state'
                  total <- total + float (value.Item<float32>())
              let result = { Number = epoch; Loss = total / float batches; TestAccuracy = accuracy p testSet }
              report result
              yield result ]
    p, testSet, epochs
