/// Product epilogues (XLA's output fusion): the elementwise loop that alone reads a matrix
/// product's result runs on each block of rows the blocked product finishes, on the same core.
/// Each program is compiled twice, with epilogues and without (the reference plan), and every
/// output must have the same bits; where the fold must not apply, the plan says so.
module Cpu.EpilogueTests

open System
open Expecto
open JaxSharp
open JaxSharp.Cpu
open JaxSharp.FSharp

/// A seeded tensor in [-1, 1) of the dtype; the seed is part of every failure message.
let private seeded (dtype: DType) (seed: int) (shape: int[]) =
    let rng = Random(seed)
    let values = Array.init (Array.fold (*) 1 shape) (fun _ -> rng.NextDouble() * 2.0 - 1.0)
    if dtype = DType.Float64 then Tensor.FromArray(values, Shape shape)
    else Tensor.FromArray(Array.map float32 values, Shape shape)

/// The program as jit compiles it: traced, then simplified (a transposed product becomes a product of swapped operands).
let private jaxprOf (f: Tensor[] -> Tensor[]) (xs: Tensor[]) =
    JaxSharp.Transforms.Simplifier.Simplify(Jax.MakeJaxpr(Func<Tensor[], Tensor[]>(f), xs))

/// How many steps of the program are a product with an epilogue.
let private epilogues (program: CpuProgram) =
    program.Steps |> Seq.filter (fun s -> s :? CpuProgram.EpilogueRun) |> Seq.length

/// The bits of a float tensor's elements, comparable exactly.
let private bits (t: Tensor) : int64[] =
    match t.Data with
    | :? (float32[]) as f -> f |> Array.truncate t.Size |> Array.map (fun v -> int64 (BitConverter.SingleToInt32Bits v))
    | :? (float[]) as d -> d |> Array.truncate t.Size |> Array.map BitConverter.DoubleToInt64Bits
    | other -> failwith $"no float data: {other.GetType()}"

/// Runs the program with epilogues and without; checks the number of epilogues and that every output has the same bits.
let private expectSameBits (name: string) (expectedEpilogues: int) (f: Tensor[] -> Tensor[]) (xs: Tensor[]) =
    let jaxpr = jaxprOf f xs
    let fused, reference = CpuProgram(jaxpr, true), CpuProgram(jaxpr, false)
    Expect.equal (epilogues reference) 0 $"{name}: the reference plan has no epilogue"
    Expect.equal (epilogues fused) expectedEpilogues $"{name}: products with an epilogue"
    let actual, expected = fused.Run xs, reference.Run xs
    for k in 0 .. expected.Length - 1 do
        Expect.equal (string actual.[k].Aval) (string expected.[k].Aval) $"{name}: output {k}'s type"
        Expect.sequenceEqual (bits actual.[k]) (bits expected.[k]) $"{name}: output {k} has the bits of the plan without epilogues"

let private relu (x: Tensor) = np.maximum x 0.0

[<Tests>]
let tests =
    testList
        "product epilogues"
        [ test "bias and relu run on each finished block of a product, with the bits of the loop after it" {
              // m below and above the parallel split, sides off the micro-kernel's tile, a thin product
              // (m = 1: its loop collapses to one axis, and n = 48 is whole vectors of 8 or 16 lanes)
              let sizes = [ 1, 64, 48; 5, 7, 3; 37, 50, 29; 61, 33, 130; 300, 70, 131; 129, 784, 96 ]
              for dtype in [ DType.Float32; DType.Float64 ] do
                  for seed, (m, k, n) in List.indexed sizes do
                      let xs = [| seeded dtype seed [| m; k |]; seeded dtype (seed + 100) [| k; n |]; seeded dtype (seed + 200) [| n |] |]
                      printfn $"epilogue bias+relu {dtype} {m}x{k}x{n} seed {seed}"
                      expectSameBits $"relu(x @ w + b) {dtype} [{m},{k}]x[{k},{n}] (seed {seed})" 1
                          (fun a -> [| relu (np.matmul a.[0] a.[1] + a.[2]) |]) xs
          }
          test "a batch of products runs its epilogue once after all of them, with the same bits" {
              for dtype in [ DType.Float32; DType.Float64 ] do
                  let seed = 41
                  let xs = [| seeded dtype seed [| 4; 30; 20 |]; seeded dtype (seed + 1) [| 4; 20; 16 |]; seeded dtype (seed + 2) [| 16 |] |]
                  expectSameBits $"relu(x @ w + b), a batch of 4 {dtype} (seed {seed})" 1 (fun a -> [| relu (np.matmul a.[0] a.[1] + a.[2]) |]) xs
          }
          test "a select reading the product in place, collapsed to one axis, folds when rows are whole vectors" {
              for dtype in [ DType.Float32; DType.Float64 ] do
                  for seed, (m, n, folds) in List.indexed [ 45, 48, 1; 300, 128, 1; 45, 29, 0 ] do
                      let k = 40
                      let xs = [| seeded dtype seed [| m; k |]; seeded dtype (seed + 1) [| k; n |]; seeded dtype (seed + 2) [| m; n |] |]
                      expectSameBits $"where(c > 0, x @ w, 0) {dtype} [{m},{n}] (seed {seed})" folds
                          (fun a -> [| np.where (a.[2] .> 0.0) (np.matmul a.[0] a.[1]) 0.0 |]) xs
          }
          test "an SGD update after a weight gradient's product folds, and the listing names the epilogue" {
              for dtype in [ DType.Float32; DType.Float64 ] do
                  let seed = 7
                  let b, k, n = 53, 70, 96
                  let xs = [| seeded dtype seed [| k; n |]; seeded dtype (seed + 1) [| b; k |]; seeded dtype (seed + 2) [| b; n |] |]
                  let sgd (a: Tensor[]) = [| a.[0] - 0.01 * np.matmul (np.transpose a.[1]) a.[2] |]
                  expectSameBits $"w - 0.01 * x.T @ d {dtype} (seed {seed})" 1 sgd xs
                  let listing = Jax.Lower(Func<Tensor[], Tensor[]>(sgd), xs)
                  Expect.stringContains listing "kernel + epilogue" $"the listing shows the epilogue: {listing}"
          }
          test "a donated weight takes the SGD epilogue's result in place, with the bits of the plan without epilogues" {
              for dtype in [ DType.Float32; DType.Float64 ] do
                  let seed = 11
                  let b, k, n = 130, 96, 80
                  let w, x, d = seeded dtype seed [| k; n |], seeded dtype (seed + 1) [| b; k |], seeded dtype (seed + 2) [| b; n |]
                  let update (w: Tensor, x: Tensor, d: Tensor) = w - 0.01 * np.matmul (np.transpose x) d
                  let jaxpr = jaxprOf (fun a -> [| update (a.[0], a.[1], a.[2]) |]) [| w; x; d |]
                  let program = CpuProgram(jaxpr, true)
                  Expect.equal (epilogues program) 1 $"the update is the product's epilogue {dtype} (seed {seed})"
                  Expect.equal (program.PlanDonation [| true; false; false |]) [| 0 |] "the donated weight's buffer takes the update"
                  let expected = CpuProgram(jaxpr, false).Run [| w; x; d |]
                  let buffer = w.Data
                  let w' = (jitDonate [ 0 ] update) (w, x, d)
                  Expect.isTrue (obj.ReferenceEquals(w'.Data, buffer)) $"the update is written into the donated buffer {dtype}"
                  Expect.sequenceEqual (bits w') (bits expected.[0]) $"donated and in place, the bits of the plan without epilogues {dtype} (seed {seed})"
          }
          test "a product that is an output, or read only by a reduction, another product or across rows, keeps its loop apart" {
              let dtype = DType.Float32
              let m, k, n = 67, 45, 40
              let xs = [| seeded dtype 3 [| m; k |]; seeded dtype 4 [| k; n |]; seeded dtype 5 [| n |]; seeded dtype 6 [| n; 9 |] |]
              let cases: (string * (Tensor[] -> Tensor[])) list =
                  [ "an output itself", fun a -> let p = np.matmul a.[0] a.[1] in [| relu (p + a.[2]); p |]
                    "only summed over rows", fun a -> [| np.sumAxis 1 (np.matmul a.[0] a.[1]) |]
                    "only summed over columns", fun a -> [| np.sumAxis 0 (np.matmul a.[0] a.[1]) |]
                    "a stored value and its column sum", fun a -> let y = np.matmul a.[0] a.[1] * 2.0 in [| y; np.sumAxis 0 y |]
                    "read by another product", fun a -> [| np.matmul (np.matmul a.[0] a.[1]) a.[3] |]
                    "read across rows too", fun a -> let p = np.matmul a.[0] (np.transpose a.[0]) in [| p + np.transpose p |] ]
              for name, f in cases do
                  expectSameBits name 0 f xs
          }
          test "a product also read by later steps keeps its stored result for them, and its first loop is the epilogue" {
              let dtype = DType.Float32
              let m, k, n = 67, 45, 40
              let xs = [| seeded dtype 8 [| m; k |]; seeded dtype 9 [| k; n |]; seeded dtype 10 [| n |] |]
              let cases: (string * (Tensor[] -> Tensor[])) list =
                  [ "also summed", fun a -> let p = np.matmul a.[0] a.[1] in [| relu (p + a.[2]); np.sum p |]
                    "also read by a later product", fun a -> let p = np.matmul a.[0] a.[1] in [| relu (p + a.[2]); np.matmul (np.transpose p) a.[0] |] ]
              for name, f in cases do
                  expectSameBits name 1 f xs
          }
          test "the MLP training step, under grad and vmap, has the bits of the plan without epilogues" {
              for dtype in [ DType.Float32; DType.Float64 ] do
                  let seed = 29
                  let b = 37
                  let shapes = [ [| 50; 48 |]; [| 48 |]; [| 48; 32 |]; [| 32 |]; [| 32; 10 |]; [| 10 |]; [| b; 50 |]; [| b; 10 |] ]
                  let xs = shapes |> List.mapi (fun i s -> seeded dtype (seed + i) s) |> Array.ofList
                  let step (a: Tensor[]) =
                      let dense (w: Tensor) (bias: Tensor) (x: Tensor) = np.matmul x w + bias
                      let loss (p: Tensor[]) =
                          let logits = dense p.[4] p.[5] (relu (dense p.[2] p.[3] (relu (dense p.[0] p.[1] a.[6]))))
                          -(np.mean (np.sumAxis -1 (a.[7] * nn.logSoftmax logits)))
                      let g = grad loss a.[0..5]
                      Array.init 6 (fun i -> a.[i] - 0.01 * g.[i])
                  let jaxpr = jaxprOf step xs
                  let program = CpuProgram(jaxpr, true)
                  let count = epilogues program
                  Expect.isGreaterThanOrEqual count 4 $"bias+relu after both hidden products and SGD after both hidden weight gradients {dtype} (seed {seed})"
                  // the updates stay after the backward products that read the old weights: every donated parameter takes its update
                  Expect.equal (program.PlanDonation(Array.init 8 (fun i -> i < 6))) [| 0 .. 5 |] $"each parameter's buffer takes its update {dtype}"
                  expectSameBits $"MLP step {dtype} (seed {seed})" count step xs
                  // per example under vmap: the batched products read rows of the batch
                  let perExample (a: Tensor[]) = [| vmap (fun (x: Tensor) -> relu (np.matmul x a.[0] + a.[1])) a.[6] |]
                  expectSameBits $"vmap of a dense layer {dtype} (seed {seed})" 1 perExample xs
          } ]
