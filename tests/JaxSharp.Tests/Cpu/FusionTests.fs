/// Fusion decisions, read from Jax.Lower: which equations share a loop, which run as
/// kernels, which values are stored, and what runs vectorised or on several cores.
module Cpu.FusionTests

open System
open System.Runtime.Intrinsics
open Expecto
open JaxSharp
open JaxSharp.FSharp

let f32 (shape: int[]) =
    Tensor.FromArray(Array.init (Array.fold (*) 1 shape) (fun i -> float32 (i % 17) / 8.0f - 1.0f), Shape shape)

/// The "group ..." header lines of the listing.
let groups (listing: string) =
    listing.Split('\n')
    |> Array.filter (fun l -> l.StartsWith "group ")
    |> List.ofArray

/// The names of the equations a group's loop computes.
let computes (group: string) =
    let body = group.Substring(group.LastIndexOf ": " + 2)
    body.Substring(0, body.IndexOf " -> ").Split(' ') |> List.ofArray

let lanes32 =
    if Vector512.IsHardwareAccelerated then 16
    elif Vector256.IsHardwareAccelerated then 8
    else 4

[<Tests>]
let tests =
    testList
        "fusion"
        [
            test "selu is one vectorised loop" {
                let listing = lower nn.selu (f32 [| 1000 |])

                Expect.equal
                    (groups listing)
                    [ $"group 0: loop over [1000], {lanes32} lanes, one core: b c d e f g -> g" ]
                    "one group"

                Expect.stringContains listing "while ((col <= (colHi - " "a vector loop"
            }
            test "sum of logistic is one loop ending in its reduction" {
                Expect.equal
                    (groups (lower (fun x -> np.sum (nn.sigmoid x)) (f32 [| 1000 |])))
                    [ $"group 0: reduction loop over [1000], {lanes32} lanes, one core: b c -> c" ]
                    "one group"
            }
            test "the gradient of sum of logistic is at most two loops" {
                let listing = lower (grad (fun x -> np.sum (nn.sigmoid x))) (f32 [| 1000 |])
                Expect.isLessThanOrEqual (groups listing).Length 2 listing
            }
            test "a matmul runs as a kernel, the loop reading it as the kernel's epilogue" {
                // rows of 16: whole vectors at every width, so the loop, collapsed to one axis, splits at the product's rows
                let listing = lower (fun x -> np.exp (np.matmul x x + 1.0)) (f32 [| 16; 16 |])

                Expect.equal
                    (groups listing |> List.map (fun g -> g.Split(':').[1].Trim()))
                    [ "kernel + epilogue" ]
                    listing
                Expect.stringContains listing $"epilogue on each finished block of rows: loop over [256], {lanes32} lanes, on the product's cores" listing
            }
            test "two reductions of one domain share a pass, and an expensive value they read is stored once" {
                let expensive =
                    lower (fun x -> np.sum (np.exp x) + np.max (np.exp x)) (f32 [| 1000 |])

                Expect.equal (groups expensive |> List.map computes) [ [ "b" ]; [ "c"; "d" ]; [ "e" ] ] $"exp, then sum and max, then add: {expensive}"
                let cheap = lower (fun x -> np.sum (x * 2.0) + np.max (x * 2.0)) (f32 [| 1000 |])
                Expect.equal (groups cheap |> List.map computes) [ [ "b"; "c"; "d" ]; [ "e" ] ] $"x * 2 once, in the pass of sum and max: {cheap}"
            }
            test "a loop's scalar tail calls the one-lane form of a SIMD function by name" {
                let listing = lower (fun x -> np.exp x * 2.0) (f32 [| 1000 |])
                Expect.stringContains listing "= exp_lane(a);" listing
            }
            test "a broadcast bias fuses into the loop as a stride-0 read" {
                let bias = Tensor.FromArray(Array.init 64 float32)
                let listing = lower (fun x -> np.tanh (x + bias)) (f32 [| 32; 64 |])
                Expect.equal (groups listing).Length 1 listing
                Expect.stringContains listing "loop over [32,64]" "rows and columns"
            }
            test "a sum over the leading axis is a vectorised column loop" {
                let x = f32 [| 100; 64 |]
                let listing = lower (fun x -> np.sumAxis 0 x) x
                Expect.stringContains listing "reduction loop over [100,64]" listing
                Expect.stringContains listing "lanes" "vectorised"
            }
            test "a dense layer's bias and relu, forward and gradient, are vectorised loops (stop_gradient has a vector form)" {
                let w, w2 = f32 [| 64; 64 |], f32 [| 64; 16 |]
                let bias = Tensor.FromArray(Array.init 64 (fun i -> float32 i / 64.0f - 0.5f))
                // the gradient of the second weight reads relu's value: select (k > 0) k (stop_gradient (max k 0))
                let layers (x: Tensor, w2: Tensor) = np.sum (np.matmul (nn.relu (np.matmul x w + bias)) w2)
                let step x = let gx, gw2 = grad layers (x, w2) in gx + np.sum gw2
                let listing = lower step (f32 [| 32; 64 |])
                Expect.stringContains listing "stop_gradient" "the program computes relu through stop_gradient"
                let loops = groups listing |> List.filter (fun g -> g.Contains "loop over")
                Expect.isNonEmpty loops listing
                for loop in loops do
                    Expect.isFalse (loop.Contains ", scalar, ") $"every loop has vector lanes: {listing}"
                let x = f32 [| 32; 64 |]
                OpTable.Generators.expectClose 1e-4 ((step x).ToArray<float32>() |> Array.map float) ((jit step) x) "jit equals eager"
            }
            test "a large loop runs on several cores" {
                let listing = lower nn.selu (f32 [| 1_000_000 |])

                if Environment.ProcessorCount > 1 then
                    Expect.stringContains listing "parallel" listing
            }
            test "jit equals eager on fused loops of every kind" {
                let bias = Tensor.FromArray(Array.init 64 (fun i -> float32 i / 64.0f))

                let cases: (string * (Tensor -> Tensor) * int[]) list =
                    [
                        "selu", nn.selu, [| 1003 |]
                        "bias tanh", (fun x -> np.tanh (x + bias)), [| 33; 64 |]
                        "row sums", (fun x -> np.sumAxis 1 (np.exp x)), [| 33; 64 |]
                        "column max", (fun x -> np.maxAxis 0 (x * x)), [| 33; 64 |]
                        "softmax", nn.softmax, [| 7; 64 |]
                        "big sum", (fun x -> np.sum (nn.sigmoid x)), [| 300_001 |]
                        "big rows", (fun x -> np.sumAxis 1 (np.sin x)), [| 3000; 100 |]
                        "big columns", (fun x -> np.sumAxis 0 (np.sin x)), [| 100; 3000 |]
                        "stop_gradient", (fun x -> stopGradient (x * 2.0) + np.exp x), [| 33; 64 |]
                        "relu gradient", grad (fun x -> np.sum (nn.relu (x + bias) * x)), [| 33; 64 |]
                    ]

                for name, f, shape in cases do
                    let x = f32 shape
                    let expected = (f x).ToArray<float32>() |> Array.map float
                    OpTable.Generators.expectClose 1e-4 expected ((jit f) x) name
            }
        ]
