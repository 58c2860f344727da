/// Column sums joined into the elementwise loop whose shape they reduce: a bias gradient (the
/// cotangent summed over the batch) is combined as the loop stores the cotangent, not in a pass
/// of its own. Read from Jax.Lower, and checked against eager calls (each reduction its own
/// one-equation program), finite differences and donation.
module Cpu.ColumnSumFusionTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open Cpu.FusionTests

/// A seeded float32 tensor in [-1, 1); the seed is part of every failure message.
let private seeded (seed: int) (shape: int[]) =
    let rng = Random(seed)
    Tensor.FromArray(Array.init (Array.fold (*) 1 shape) (fun _ -> float32 (rng.NextDouble() * 2.0 - 1.0)), Shape shape)

/// A dense layer, relu, a second layer, summed against fixed targets: the gradient's bias term
/// is the column sum of relu's backward select, which a product also reads.
let private twoLayers (x: Tensor) (t: Tensor) (w1: Tensor, b1: Tensor, w2: Tensor) =
    np.sum (np.matmul (nn.relu (np.matmul x w1 + b1)) w2 * t)

[<Tests>]
let tests =
    testList
        "column sums in elementwise loops"
        [ test "a bias gradient is summed in the loop that stores the cotangent, not in a pass of its own" {
              let seed = 16
              let x, t = seeded seed [| 32; 48 |], seeded (seed + 1) [| 32; 16 |]
              let p = [| seeded (seed + 2) [| 48; 64 |]; seeded (seed + 3) [| 64 |]; seeded (seed + 4) [| 64; 16 |] |]
              let gradient (p: Tensor[]) =
                  let w1, b1, w2 = grad (twoLayers x t) (p.[0], p.[1], p.[2])
                  [| w1; b1; w2 |]
              let listing = Jax.Lower(Func<Tensor[], Tensor[]>(gradient), p)
              let loops = groups listing |> List.filter (fun g -> g.Contains "loop over [32,64]")
              Expect.isFalse (loops |> List.exists (fun g -> g.Contains "reduction loop")) $"no reduction pass over [32,64] (seed {seed}): {listing}"
              Expect.isTrue (loops |> List.exists (fun g -> (g.Substring(g.IndexOf " -> " + 4).Split ' ').Length = 2)) $"a loop stores the cotangent and its column sum: {listing}"
              let eager = gradient p
              let jitted = Jax.Jit(Func<Tensor[], Tensor[]>(gradient)).Invoke(p)
              for k, name in List.indexed [ "w1"; "b1"; "w2" ] do
                  expectClose 1e-4 (toFloats eager.[k]) jitted.[k] $"the gradient of {name}, jit against eager (seed {seed})"
          }
          test "a row sum (the last axis reduced) keeps its own pass" {
              let listing = lower (fun x -> let y = x * 2.0 + 1.0 in np.sumAxis 1 y + np.sum y) (f32 [| 33; 67 |])
              Expect.stringContains listing "reduction loop over [33,67]" listing
          }
          test "column sums joined into loops equal the eager sums, for every layout and split" {
              let cases: (string * (Tensor -> Tensor * Tensor) * int[]) list =
                  [ "sum over the batch of a stored value", (fun x -> let y = x * 2.0 + 1.0 in y, np.sumAxis 0 y), [| 33; 67 |]
                    "a sum computing its own operand in the loop", (fun x -> np.exp x, np.sumAxis 0 (x * 3.0 - 1.0)), [| 33; 67 |]
                    "max over the batch", (fun x -> let y = x * x in y, np.maxAxis 0 y), [| 33; 67 |]
                    "min over the batch", (fun x -> let y = x - 0.25 in y, np.minAxis 0 y), [| 33; 67 |]
                    "one row", (fun x -> let y = x * 2.0 in y, np.sumAxis 0 y), [| 1; 67 |]
                    "shorter rows than a vector", (fun x -> let y = x * 2.0 in y, np.sumAxis 0 y), [| 40; 5 |]
                    "a middle axis", (fun x -> let y = np.tanh x in y, np.sumAxes [| 1 |] false y), [| 4; 5; 67 |]
                    "two leading axes", (fun x -> let y = np.tanh x in y, np.sumAxes [| 0; 1 |] false y), [| 4; 5; 67 |]
                    "on both cores", (fun x -> let y = x * 2.0 + 1.0 in y, np.sumAxis 0 y), [| 300; 301 |]
                    "few long rows, split by columns", (fun x -> let y = x * 2.0 + 1.0 in y, np.sumAxis 0 y), [| 2; 20000 |]
                    "a middle axis on both cores", (fun x -> let y = x * 2.0 in y, np.sumAxes [| 1 |] false y), [| 40; 30; 67 |]
                    "a centred value reads the finished sum", (fun x -> let y = np.exp x in let s = np.sumAxis 0 y in y - s, s), [| 33; 67 |] ]
              for seed, (name, f, shape) in List.indexed cases do
                  let x = seeded seed shape
                  let listing = Jax.Lower(Func<Tensor[], Tensor[]>(fun a -> let y, s = f a.[0] in [| y; s |]), [| x |])
                  Expect.isFalse (listing.Contains "reduction loop") $"{name}: the reduction joins a loop (seed {seed}): {listing}"
                  let ey, es = f x
                  let jy, js = (jit f) x
                  expectClose 1e-5 (toFloats ey) jy $"{name}: the elementwise value (seed {seed})"
                  expectClose 1e-4 (toFloats es) js $"{name}: the column reduction (seed {seed})"
          }
          test "the jitted bias gradient agrees with finite differences" {
              let seed = 23
              let x = seeded seed [| 16; 12 |]
              let w = seeded (seed + 1) [| 12; 8 |]
              let loss (b: Tensor) = np.sum (np.tanh (np.matmul x w + b) * np.tanh (np.matmul x w + b))
              let b = seeded (seed + 2) [| 8 |]
              let g = toFloats ((jit (grad loss)) b)
              let bs = toFloats b
              for j in 0 .. 7 do
                  let h = 1e-2
                  let at (d: float) = Tensor.FromArray(bs |> Array.mapi (fun i v -> float32 (if i = j then v + d else v)), Shape [| 8 |])
                  let numeric = (float ((loss (at h)).ToArray<float32>().[0]) - float ((loss (at -h)).ToArray<float32>().[0])) / (2.0 * h)
                  Expect.floatClose { absolute = 2e-2; relative = 2e-2 } g.[j] numeric $"d loss / d b[{j}] (seed {seed})"
          }
          test "a donated input is not summed into while the loop still reads it" {
              // one row: the loop reads b at the offsets it writes, and the column sum has b's shape
              let f (b: Tensor, x: Tensor) = let y = x * b + 1.0 in np.reshape [| 1; 64 |] y, np.sumAxis 0 (np.reshape [| 1; 64 |] y)
              let seed = 31
              let b, x = seeded seed [| 64 |], seeded (seed + 1) [| 1; 64 |]
              let listing = Jax.Lower(Func<Tensor[], Tensor[]>(fun a -> let y, s = f (a.[0], a.[1]) in [| y; s |]), [| b; x |])
              Expect.stringContains listing "loop over [64], " $"one loop, rows collapsed (seed {seed}): {listing}"
              Expect.isFalse (listing.Contains "reduction loop") $"the sum joins the loop (seed {seed}): {listing}"
              let ey, es = f (b, x)
              let expectedY, expectedS = toFloats ey, toFloats es
              let y, s = (jitDonate [ 0 ] f) (np.copy b, x)
              expectClose 1e-6 expectedY y $"the value (seed {seed})"
              expectClose 1e-6 expectedS s $"the column sum (seed {seed})"
          } ]
