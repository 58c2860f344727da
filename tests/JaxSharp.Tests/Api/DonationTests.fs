module Api.DonationTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open TestHelpers
open OpTable.Generators

/// A seeded float32 tensor of the shape, printing the seed on failure through the test's name.
let private randomTensor (seed: int) (shape: int[]) =
    let rng = Random(seed)
    Tensor.FromArray(Array.init (Array.fold (*) 1 shape) (fun _ -> float32 (rng.NextDouble() * 2.0 - 1.0)), Shape(shape))

let private values (t: Tensor) = t.ToArray<float32>()

/// Functions of one [n, n] matrix whose outputs of its shape may or may not be written into its
/// buffer: each is run donated and not, and must give the same values.
type Params = { W: Tensor; Rate: float }

let private programs: (string * (Tensor -> Tensor * Tensor)) list =
    [ "an elementwise update reading the input in place", fun w -> w - 0.1 * np.tanh w, np.sum w
      "an output written before a product reads the input", fun w -> w + 1.0, np.matmul w w
      "a transposed read in the loop that writes the output", fun w -> np.transpose w + w, w * 2.0
      "a reduction read before the update", fun w -> w - np.mean w, np.max w
      "a broadcast row read by the loop that writes the output", fun w -> w + np.broadcastTo [| 4; 4 |] (w.[0..0, *]), w
      "the input returned as it is", fun w -> w, w * 3.0
      "a reversed read in the loop that writes the output", fun w -> np.flip w + w, w
      "one value returned twice", fun w -> w * 2.0, w * 2.0 ]

[<Tests>]
let tests =
    testList
        "buffer donation"
        [ test "an SGD step writes the new weights into the donated weights' buffer" {
              let step = jitDonate [ 0 ] (fun (w: Tensor, g: Tensor) -> w - 0.5 * g)
              let w = randomTensor 1 [| 64; 32 |]
              let g = randomTensor 2 [| 64; 32 |]
              let expected = Array.map2 (fun a b -> a - 0.5f * b) (values w) (values g)
              let buffer = w.Data
              let w' = step (w, g)
              Expect.isTrue (obj.ReferenceEquals(w'.Data, buffer)) "the output is in the donated buffer"
              Expect.equal (values w') expected "the update"
              Expect.equal (values g) (values (randomTensor 2 [| 64; 32 |])) "the gradient, not donated, is unchanged"
          }
          test "a donating step allocates no output array" {
              let step = jitDonate [ 0 ] (fun (w: Tensor, g: Tensor) -> w - 0.5 * g)
              let plain = jit (fun (w: Tensor, g: Tensor) -> w - 0.5 * g)
              let g = randomTensor 3 [| 100_000 |]
              let mutable w = step (randomTensor 4 [| 100_000 |], g)
              let mutable v = plain (randomTensor 4 [| 100_000 |], g)
              let before = GC.GetAllocatedBytesForCurrentThread()
              w <- step (w, g)
              let donating = GC.GetAllocatedBytesForCurrentThread() - before
              let before = GC.GetAllocatedBytesForCurrentThread()
              v <- plain (v, g)
              let fresh = GC.GetAllocatedBytesForCurrentThread() - before
              Expect.isLessThan donating 40_000L $"donating call allocated {donating} bytes"
              Expect.isGreaterThan fresh 400_000L $"plain call allocated {fresh} bytes"
              Expect.equal (values w) (values v) "same values"
          }
          test "reading a donated tensor is an error naming the argument and the fix" {
              let step = jitDonate [ 0 ] (fun (w: Tensor, g: Tensor) -> w - 0.5 * g)
              let w = np.ones [| 3 |]
              step (w, np.ones [| 3 |]) |> ignore
              throwsWith<InvalidOperationException>
                  [ "f32[3]"; "donated to a jitted function as its argument 0 (leaf .Item1)"; "Use the jitted function's output"; "jitDonate" ]
                  (fun () -> w.ToArray<float32>() |> ignore)
              throwsWith<InvalidOperationException> [ "argument 0 (leaf .Item1)" ] (fun () -> np.sin w |> ignore)
              throwsWith<InvalidOperationException> [ "argument 0 (leaf .Item1)" ] (fun () -> step (w, np.ones [| 3 |]) |> ignore)
              Expect.equal (string w) "Donated<f32[3]>" "printing names it donated"
          }
          test "every leaf of a donated record argument is consumed, and named by its path" {
              let step = jitDonate [ 0 ] (fun (p: Params, x: Tensor) -> { W = p.W - x; Rate = p.Rate })
              let p = { W = np.ones [| 2 |]; Rate = 0.5 }
              let x = np.ones [| 2 |]
              let p' = step (p, x)
              expectClose 0.0 [| 0.0; 0.0 |] p'.W "updated"
              expectClose 0.0 [| 1.0; 1.0 |] x "x is not donated"
              throwsWith<InvalidOperationException> [ "argument 0 (leaf .Item1.W)" ] (fun () -> np.sum p.W |> ignore)
          }
          test "donated programs give the values of undonated ones, whatever reads the input later" {
              for name, f in programs do
                  let donated = jitDonate [ 0 ] f
                  let plain = jit f
                  let w = randomTensor 5 [| 4; 4 |]
                  let e1, e2 = plain w
                  let a1, a2 = donated (np.copy w)
                  Expect.equal (values a1) (values e1) $"{name}: first output"
                  Expect.equal (values a2) (values e2) $"{name}: second output"
          }
          test "an output that is the donated input itself stays readable" {
              let identity = jitDonate [ 0 ] (fun (w: Tensor) -> w)
              let w = np.array [| 1.0f; 2.0f |]
              let y = identity w
              Expect.equal (values y) [| 1.0f; 2.0f |] "the output"
              throws<InvalidOperationException> (fun () -> values w |> ignore) |> ignore
          }
          test "a value returned twice keeps both outputs when one is donated later" {
              let twice = jit (fun (w: Tensor) -> w * 2.0, w * 2.0)
              let a, b = twice (np.array [| 1.0f; 2.0f |])
              let update = jitDonate [ 0 ] (fun (w: Tensor) -> w + 1.0)
              let a' = update a
              Expect.equal (values a') [| 3.0f; 5.0f |] "the update"
              Expect.equal (values b) [| 2.0f; 4.0f |] "the other output keeps its values"
          }
          test "a tensor sharing its buffer through devicePut is not overwritten" {
              let x = np.array [| 1.0f; 2.0f |]
              let y = devicePut (devicesOf "cpu").Head x
              let update = jitDonate [ 0 ] (fun (w: Tensor) -> w + 1.0)
              Expect.equal (values (update y)) [| 2.0f; 3.0f |] "the update"
              Expect.equal (values x) [| 1.0f; 2.0f |] "x keeps its values"
          }
          test "np.copy keeps a value that is then donated" {
              let update = jitDonate [ 0 ] (fun (w: Tensor) -> w + 1.0)
              let x = np.array [| 1.0f; 2.0f |]
              let kept = np.copy x
              update x |> ignore
              Expect.equal (values kept) [| 1.0f; 2.0f |] "the copy"
          }
          test "a tensor passed twice, donated once, is an error naming both arguments" {
              let f = jitDonate [ 0 ] (fun (w: Tensor, g: Tensor) -> w - g)
              let w = np.ones [| 3 |]
              throwsWith<ArgumentException>
                  [ "f32[3]"; "argument 0 (leaf .Item1) is donated"; "also argument 1 (leaf .Item2)"; "np.copy" ]
                  (fun () -> f (w, w) |> ignore)
              Expect.equal (values w) [| 1.0f; 1.0f; 1.0f |] "w is not consumed by the refused call"
          }
          test "an index that is not an argument's is an error naming it and the arguments" {
              let f = jitDonate [ 2 ] (fun (w: Tensor, g: Tensor) -> w - g)
              throwsWith<ArgumentOutOfRangeException>
                  [ "jitDonate"; "argument 2 cannot be donated"; "takes 2 arguments"; "0 to 1" ]
                  (fun () -> f (np.ones [| 3 |], np.ones [| 3 |]) |> ignore)
              throwsWith<ArgumentOutOfRangeException>
                  [ "Jax.Jit"; "argument 1 cannot be donated"; "takes 1 argument" ]
                  (fun () -> jitDonate [ 1 ] (fun (w: Tensor) -> w * 2.0) |> ignore)
          }
          test "C#'s Jit with donate consumes the donated argument only" {
              let sgd = Jax.Jit(Func<Tensor, Tensor, Tensor>(fun w g -> w - 0.5 * g), donate = [| 0 |])
              let w = np.array [| 1.0f; 2.0f |]
              let g = np.array [| 2.0f; 2.0f |]
              Expect.equal (values (sgd.Invoke(w, g))) [| 0.0f; 1.0f |] "the update"
              Expect.equal (values g) [| 2.0f; 2.0f |] "g"
              throwsWith<InvalidOperationException> [ "argument 0"; "Jax.Jit's donate" ] (fun () -> values w |> ignore)
          }
          test "donation inside another transformation does nothing" {
              let step = jitDonate [ 0 ] (fun (w: Tensor) -> w * w)
              let w = np.array [| 3.0f |]
              expectClose 0.0 [| 6.0 |] (grad (fun w -> np.sum (step w)) w) "gradient through the donating function"
              expectClose 0.0 [| 3.0 |] w "w is still readable"
          }
          test "a training loop gives the same parameters with and without donation" {
              let loss (p: Params) (x: Tensor) = np.sum (np.tanh (np.matmul x p.W) ** 2.0)
              let update (p: Params, x: Tensor) =
                  let g = grad (fun w -> loss { p with W = w } x) p.W
                  { p with W = p.W - p.Rate * g }
              let donating = jitDonate [ 0 ] update
              let plain = jit update
              let x = randomTensor 6 [| 8; 5 |]
              let mutable a = { W = randomTensor 7 [| 5; 3 |]; Rate = 0.1 }
              let mutable b = { W = randomTensor 7 [| 5; 3 |]; Rate = 0.1 }
              for _ in 1..5 do
                  let buffer = a.W.Data
                  a <- donating (a, x)
                  b <- plain (b, x)
                  Expect.isTrue (obj.ReferenceEquals(a.W.Data, buffer)) "the step updates the weights in place"
              Expect.equal (values a.W) (values b.W) "the weights after five steps"
          } ]
