/// Optimizers and schedules against optax's formulas, step by step by hand, in float64.
module Training.OptimTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open TestHelpers

/// A user's model parameters: a record is a parameter tree.
type Linear = { W: Tensor; B: Tensor }

let p0 = [| 1.0; -2.0; 0.5 |]
let g1 = [| 0.1; -0.3; 2.0 |]
let g2 = [| -0.2; 0.4; 1.0 |]
let vec (xs: float[]) = np.array xs

/// Runs opt for the gradients in turn from p0, returning each step's updates.
let updatesOf (opt: GradientTransformation) (grads: float[] list) =
    let mutable p = vec p0
    let mutable state = opt.init p
    [ for g in grads do
          let updates, next = opt.update (vec g) state p
          state <- next
          p <- optim.applyUpdates p updates
          yield toFloats updates ]

let expectStepsWithin tol (expected: float[] list) (actual: float[] list) message =
    for i, (e, a) in List.zip expected actual |> List.indexed do
        expectClose tol e (vec a) $"{message}, step {i + 1}"

let expectSteps expected actual message = expectStepsWithin 1e-12 expected actual message

let lr = 0.1
let map2 f (a: float[]) (b: float[]) = Array.map2 f a b

[<Tests>]
let tests =
    testList
        "optimizers"
        [ test "sgd moves by minus the learning rate times the gradient" {
              updatesOf (optim.sgd lr) [ g1 ] |> expectSteps [ g1 |> Array.map (fun g -> -lr * g) ] <| "sgd"
          }

          test "sgd with momentum follows the trace t = g + momentum t" {
              let m = 0.9
              let t2 = map2 (fun g t -> g + m * t) g2 g1
              updatesOf (optim.sgdMomentum lr m) [ g1; g2 ]
              |> expectSteps [ g1 |> Array.map (fun g -> -lr * g); t2 |> Array.map (fun t -> -lr * t) ]
              <| "momentum"
          }

          test "Nesterov momentum looks ahead: -lr (g + momentum t)" {
              let m = 0.9
              let t1 = g1
              let t2 = map2 (fun g t -> g + m * t) g2 t1
              updatesOf (optim.sgdNesterov lr m) [ g1; g2 ]
              |> expectSteps [ map2 (fun g t -> -lr * (g + m * t)) g1 t1; map2 (fun g t -> -lr * (g + m * t)) g2 t2 ]
              <| "nesterov"
          }

          test "adam's first two steps are optax's bias-corrected moments" {
              let b1, b2, eps = 0.9, 0.999, 1e-8
              let m1 = g1 |> Array.map (fun g -> (1.0 - b1) * g)
              let v1 = g1 |> Array.map (fun g -> (1.0 - b2) * g * g)
              let m2 = map2 (fun g m -> (1.0 - b1) * g + b1 * m) g2 m1
              let v2 = map2 (fun g v -> (1.0 - b2) * g * g + b2 * v) g2 v1
              let step (m: float[]) (v: float[]) t =
                  map2 (fun m v -> -lr * ((m / (1.0 - b1 ** t)) / (sqrt (v / (1.0 - b2 ** t)) + eps))) m v
              updatesOf (optim.adam lr) [ g1; g2 ] |> expectSteps [ step m1 v1 1.0; step m2 v2 2.0 ] <| "adam"
          }

          test "adamw adds the decayed weights before scaling by -lr" {
              let b1, b2, eps, wd = 0.9, 0.999, 1e-8, 0.01
              let adamPart = map2 (fun m v -> (m / (1.0 - b1)) / (sqrt (v / (1.0 - b2)) + eps)) (g1 |> Array.map (fun g -> (1.0 - b1) * g)) (g1 |> Array.map (fun g -> (1.0 - b2) * g * g))
              updatesOf (optim.adamw lr wd) [ g1 ] |> expectSteps [ map2 (fun a p -> -lr * (a + wd * p)) adamPart p0 ] <| "adamw"
          }

          test "rmsprop divides by the root of the running mean square" {
              let d, eps = 0.9, 1e-8
              let nu1 = g1 |> Array.map (fun g -> (1.0 - d) * g * g)
              let nu2 = map2 (fun g n -> (1.0 - d) * g * g + d * n) g2 nu1
              updatesOf (optim.rmsprop lr) [ g1; g2 ]
              |> expectSteps [ map2 (fun g n -> -lr * g / sqrt (n + eps)) g1 nu1; map2 (fun g n -> -lr * g / sqrt (n + eps)) g2 nu2 ]
              <| "rmsprop"
          }

          test "adagrad divides by the root of the sum of squares, starting at 0.1" {
              let eps = 1e-7
              let s1 = g1 |> Array.map (fun g -> 0.1 + g * g)
              let s2 = map2 (fun g s -> s + g * g) g2 s1
              updatesOf (optim.adagrad lr) [ g1; g2 ]
              |> expectSteps [ map2 (fun g s -> -lr * g / sqrt (s + eps)) g1 s1; map2 (fun g s -> -lr * g / sqrt (s + eps)) g2 s2 ]
              <| "adagrad"
          }

          test "clipByGlobalNorm rescales to the maximum norm over all leaves and leaves small gradients alone" {
              let clip = optim.clipByGlobalNorm 1.0
              let tree = (np.array [| 3.0 |], np.array [| 4.0 |])
              let (a, b), _ = clip.update tree (clip.init tree) tree
              expectClose 1e-15 [| 0.6 |] a "3 / 5"
              expectClose 1e-15 [| 0.8 |] b "4 / 5"
              let small = (np.array [| 0.3 |], np.array [| 0.4 |])
              let (c, d), _ = clip.update small (clip.init small) small
              expectClose 0.0 [| 0.3 |] c "unchanged"
              expectClose 0.0 [| 0.4 |] d "unchanged"
              expectClose 1e-15 [| 5.0 |] (optim.globalNorm tree) "the global norm"
          }

          test "chain feeds each transformation's updates to the next" {
              let opt = optim.chain [ optim.clipByGlobalNorm 1.0; optim.sgd lr ]
              let g = [| 3.0; 0.0; 4.0 |]
              updatesOf opt [ g ] |> expectSteps [ [| -0.06; 0.0; -0.08 |] ] <| "clip then sgd"
          }

          test "a schedule's learning rate is read at the step count, starting from 0" {
              let opt = optim.sgd (schedule.exponentialDecay lr 1 0.5)
              // schedules compute in float32, as optax's
              updatesOf opt [ g1; g1; g1 ]
              |> expectStepsWithin 1e-8 [ for k in 0..2 -> g1 |> Array.map (fun g -> -lr * 0.5 ** float k * g) ]
              <| "0.1, 0.05, 0.025"
          }

          test "an optimizer works on records and keeps their structure" {
              let p = { W = np.array [| 1.0; 2.0 |]; B = np.array [| 0.5 |] }
              let opt = optim.adam 0.01
              let g = grad (fun (q: Linear) -> np.sum (q.W * q.W) + np.sum q.B) p
              let updates, _ = opt.update g (opt.init p) p
              // the first adam step is -lr * sign(g) (up to eps)
              expectClose 1e-8 [| -0.01; -0.01 |] updates.W "W"
              expectClose 1e-8 [| -0.01 |] updates.B "B"
              let next = optim.applyUpdates p updates
              expectClose 1e-8 [| 0.99; 1.99 |] next.W "applied"
          }

          test "a whole training step jits to the same result as eagerly" {
              let opt = optim.adam 0.05
              let loss (p: Linear, x: Tensor) = np.sum ((x * p.W + p.B) ** 2.0)
              let step (p: Linear, s: OptState, x: Tensor) =
                  let g = grad (fun q -> loss (q, x)) p
                  let updates, s2 = opt.update g s p
                  optim.applyUpdates p updates, s2
              let p = { W = np.array [| 1.0f; -1.0f |]; B = np.array [| 0.5f; 0.25f |] }
              let x = np.array [| 2.0f; 3.0f |]
              let mutable eager = p, opt.init p
              let mutable jitted = eager
              let compiled = jit step
              for _ in 1..3 do
                  let pe, se = eager
                  eager <- step (pe, se, x)
                  let pj, sj = jitted
                  jitted <- compiled (pj, sj, x)
              expectClose 1e-6 (toFloats (fst eager).W) (fst jitted).W "W"
              expectClose 1e-6 (toFloats (fst eager).B) (fst jitted).B "B"
              Expect.equal ((snd jitted).Leaves[0].Item<int>()) 3 "the step count is 3"
          }

          test "a state from another optimizer or tree is refused with both sizes" {
              let p = vec p0
              let sgdState = (optim.sgd lr).init p
              throwsWith<ArgumentException> [ "adam"; "holds 0 tensors"; "keeps 3"; "1 leaves"; "Init" ] (fun () ->
                  (optim.adam lr).update p sgdState p |> ignore)
          }

          test "gradients that do not match the parameters are named with both shapes" {
              let opt = optim.sgd lr
              let p = vec p0
              throwsWith<ArgumentException> [ "gradient leaf 0 is float64(2,)"; "parameter leaf 0 is float64(3,)" ] (fun () ->
                  opt.update (np.array [| 1.0; 2.0 |]) (opt.init p) p |> ignore)
              throwsWith<ArgumentException> [ "tree 2 has another structure" ] (fun () ->
                  optim.applyUpdates (box (p, p)) (box (p, (p, p))) |> ignore)
          }

          test "hyperparameters out of range are refused with the range" {
              throwsWith<ArgumentException> [ "b1 is 1"; "[0, 1)" ] (fun () -> Optim.Adam(0.1, b1 = 1.0) |> ignore)
              throwsWith<ArgumentException> [ "maxNorm is 0"; "positive" ] (fun () -> optim.clipByGlobalNorm 0.0 |> ignore)
              throwsWith<ArgumentException> [ "NaN"; "finite" ] (fun () -> optim.sgd nan |> ignore)
          } ]

[<Tests>]
let scheduleTests =
    testList
        "schedules"
        [ test "constant, exponential decay, cosine decay and linear give optax's values" {
              let at (s: Schedule) (step: int) = s.At step
              Expect.floatClose Accuracy.high (at (schedule.constant 0.3) 7) 0.3 "constant"
              Expect.floatClose Accuracy.high (at (schedule.exponentialDecay 0.1 10 0.5) 20) 0.025 "two halvings"
              Expect.floatClose Accuracy.high (at (schedule.exponentialDecay 0.1 10 0.5) 5) (0.1 * 0.5 ** 0.5) "half a halving"
              Expect.floatClose Accuracy.high (at (Schedules.ExponentialDecay(0.1, 10, 0.5, staircase = true)) 15) 0.05 "staircase"
              let cosine = schedule.cosineDecay 1.0 100 0.1
              Expect.floatClose Accuracy.high (at cosine 0) 1.0 "cosine start"
              Expect.floatClose Accuracy.high (at cosine 50) (0.9 * 0.5 + 0.1) "cosine midway"
              Expect.floatClose Accuracy.high (at cosine 300) 0.1 "cosine after the end: alpha"
              let warmup = schedule.linear 0.0 1.0 10
              Expect.floatClose Accuracy.high (at warmup 3) 0.3 "linear warmup"
              Expect.floatClose Accuracy.high (at warmup 30) 1.0 "flat after"
          }

          test "warmup cosine decay ramps up, then decays to the end value" {
              let s = schedule.warmupCosineDecay 0.0 1.0 10 110 0.0
              Expect.floatClose Accuracy.high (s.At 5) 0.5 "half way up"
              Expect.floatClose Accuracy.high (s.At 10) 1.0 "peak"
              Expect.floatClose Accuracy.high (s.At 60) 0.5 "half way down"
              Expect.floatClose Accuracy.high (s.At 110) 0.0 "end"
          }

          test "bad steps are refused with the rule" {
              throwsWith<ArgumentException> [ "decaySteps is 0"; "positive number of steps" ] (fun () -> schedule.cosineDecay 1.0 0 0.0 |> ignore)
              throwsWith<ArgumentException> [ "decaySteps (5) must exceed warmupSteps (10)" ] (fun () -> schedule.warmupCosineDecay 0.0 1.0 10 5 0.0 |> ignore)
          } ]
