/// The op table of window reductions: reduce_window sum, max and min over random windows,
/// strides, padding and dilations against a naive loop; max and min pooling's selection
/// (select_and_gather_add, select_and_scatter_add) against the first extremum of each window;
/// nn pooling; and the error messages.
module OpTable.WindowOps

open System
open Expecto
open JaxSharp
open OpTable.Generators
open TestHelpers

/// The primitives this table checks against references.
let covered = [ "reduce_window_sum"; "reduce_window_max"; "reduce_window_min"; "select_and_gather_add"; "select_and_scatter_add" ]

let private config = { FsCheckConfig.defaultConfig with maxTest = 60 }

/// One window reduction over an operand of Shape.
type WindowCase =
    { Shape: int[]
      Window: int[]
      Strides: int[]
      Padding: (int * int)[]
      BaseDilation: int[]
      WindowDilation: int[] }

let randomWindowCase (rng: Random) =
    let rank = rng.Next(1, 4)
    let window = Array.init rank (fun _ -> rng.Next(1, 4))
    { Shape = Array.init rank (fun d -> rng.Next(window[d], window[d] + 4))
      Window = window
      Strides = Array.init rank (fun _ -> rng.Next(1, 3))
      Padding = Array.init rank (fun _ -> rng.Next(0, 3), rng.Next(-1, 2))
      BaseDilation = Array.init rank (fun _ -> if rng.Next 4 = 0 then 2 else 1)
      WindowDilation = Array.init rank (fun _ -> if rng.Next 4 = 0 then 2 else 1) }

let applyWindow (computation: string) (c: WindowCase) (x: Tensor) =
    Lax.ReduceWindow(x, computation, c.Window, c.Strides, c.Padding |> Array.map (fun (a, b) -> struct (a, b)), c.BaseDilation, c.WindowDilation)

let private rowMajor (shape: int[]) (index: int[]) = Array.fold2 (fun acc n i -> acc * n + i) 0 shape index

let rec private indices (sizes: int[]) d : int list list =
    if d = sizes.Length then [ [] ] else [ for i in 0 .. sizes[d] - 1 do for rest in indices sizes (d + 1) -> i :: rest ]

/// The output shape and, for each window, the flat operand indices inside it (row-major over the window).
let windows (c: WindowCase) =
    let rank = c.Shape.Length
    let dilated n r = if n = 0 then 0 else 1 + r * (n - 1)
    let outShape =
        Array.init rank (fun d ->
            let padded = dilated c.Shape[d] c.BaseDilation[d] + fst c.Padding[d] + snd c.Padding[d]
            let w = dilated c.Window[d] c.WindowDilation[d]
            if padded < w then 0 else (padded - w) / c.Strides[d] + 1)
    let members (o: int[]) =
        [ for k in indices c.Window 0 do
              let k = Array.ofList k
              let at = Array.init rank (fun d -> o[d] * c.Strides[d] + k[d] * c.WindowDilation[d] - fst c.Padding[d])
              if at |> Array.mapi (fun d q -> q >= 0 && q % c.BaseDilation[d] = 0 && q / c.BaseDilation[d] < c.Shape[d]) |> Array.forall id then
                  yield rowMajor c.Shape (Array.init rank (fun d -> at[d] / c.BaseDilation[d])) ]
    outShape, [ for o in indices outShape 0 -> members (Array.ofList o) ]

/// The first largest (or smallest) member of a window, if any.
let private selected (xs: float[]) largest (members: int list) =
    members |> List.fold (fun best i -> match best with Some b when (if largest then xs[i] <= xs[b] else xs[i] >= xs[b]) -> best | _ -> Some i) None

[<Tests>]
let tests =
    testList
        "window ops"
        [ testPropertyWithConfig config "reduce_window sum, max and min equal the loop over random windows, strides, padding and dilations" (fun (seed: int) ->
              let rng = Random seed
              let case = randomWindowCase rng
              let dtype = [| DType.Float32; DType.Float64; DType.Int32 |][rng.Next 3]
              let x = tensorOf dtype case.Shape (Array.init (Array.fold (*) 1 case.Shape) (fun _ -> float (rng.Next(-50, 50)) / 8.0))
              let xs = toFloats x
              let shape, members = windows case
              for computation, reduce, identity in [ "sum", List.sum, 0.0; "max", List.max, -infinity; "min", List.min, infinity ] do
                  let actual = applyWindow computation case x
                  Expect.equal (actual.Shape.ToArray()) shape $"{computation} shape, seed {seed}: {case}"
                  let expected = members |> List.map (fun m -> if m.IsEmpty then identity else reduce (m |> List.map (fun i -> xs[i]))) |> Array.ofList
                  let expected = if dtype = DType.Int32 then expected |> Array.map (fun v -> if Double.IsInfinity v then float (if v > 0.0 then Int32.MaxValue else Int32.MinValue) else v) else expected
                  expectClose 1e-6 expected actual $"{computation} {dtype}, seed {seed}: {case}")
          testPropertyWithConfig config "max and min pooling's JVP and gradient go to the first selected element of each window" (fun (seed: int) ->
              let rng = Random seed
              let case = randomWindowCase rng
              // values with ties, so that the first of equal elements must win
              let x = tensorOf DType.Float64 case.Shape (Array.init (Array.fold (*) 1 case.Shape) (fun _ -> float (rng.Next(0, 4))))
              let t = tensorOf DType.Float64 case.Shape (Array.init (Array.fold (*) 1 case.Shape) (fun _ -> rng.NextDouble()))
              let xs, ts = toFloats x, toFloats t
              let shape, members = windows case
              for computation, largest in [ "max", true; "min", false ] do
                  let f = Func<Tensor, Tensor>(applyWindow computation case)
                  let struct (_, tangent) = Jax.Jvp(f, x, t)
                  let choice = members |> List.map (selected xs largest)
                  let expectedTangent = choice |> List.map (function Some i -> ts[i] | None -> 0.0) |> Array.ofList
                  expectClose 1e-15 expectedTangent tangent $"{computation} JVP, seed {seed}: {case}"
                  let u = Array.init (Array.fold (*) 1 shape) (fun _ -> rng.NextDouble())
                  let struct (_, pullback) = Jax.Vjp(f, x)
                  let gradient = pullback.Invoke(tensorOf DType.Float64 shape u)
                  let expectedGradient = Array.zeroCreate xs.Length
                  choice |> List.iteri (fun w c -> match c with Some i -> expectedGradient[i] <- expectedGradient[i] + u[w] | None -> ())
                  expectClose 1e-12 expectedGradient gradient $"{computation} gradient, seed {seed}: {case}")
          test "max_pool and avg_pool pool the spatial axes of NHWC, with or without a batch axis" {
              let x = Np.Reshape(Np.Arange(16.0), 1, 4, 4, 1)
              expectClose 0.0 [| 5.0; 7.0; 13.0; 15.0 |] (Nn.MaxPool(x, [| 2; 2 |], [| 2; 2 |])) "2x2 max"
              expectClose 0.0 [| 2.5; 4.5; 10.5; 12.5 |] (Nn.AvgPool(x, [| 2; 2 |], [| 2; 2 |])) "2x2 mean"
              expectClose 0.0 [| 5.0; 7.0; 13.0; 15.0 |] (Nn.MaxPool(Np.Reshape(x, 4, 4, 1), [| 2; 2 |], [| 2; 2 |])) "no batch axis"
              let same = Nn.AvgPool(Np.Reshape(Np.Arange(1.0, 4.0), 1, 3, 1), [| 2 |], padding = "SAME")
              expectClose 1e-15 [| 1.5; 2.5; 1.5 |] same "SAME counts the padding as zeros"
              let exclude = Nn.AvgPool(Np.Reshape(Np.Arange(1.0, 4.0), 1, 3, 1), [| 2 |], padding = "SAME", countIncludePad = false)
              expectClose 1e-15 [| 1.5; 2.5; 3.0 |] exclude "countIncludePad = false divides by the elements inside"
              expectClose 0.0 [| 2.0; 3.0; 3.0 |] (Nn.MaxPool(Np.Reshape(Np.Arange(1.0, 4.0), 1, 3, 1), [| 2 |], padding = "SAME")) "padding never wins a max"
          }
          test "uint32 windows compare unsigned: values from 2^31 up are the largest" {
              // the runtime lets a uint[] pass as an int[]: a kernel that matched it as int32
              // started max from 2^31 and compared values from 2^31 up as negative
              let x = Tensor.FromArray([| 1u; 0x80000000u; 0xFFFFFFF0u; 7u |], Shape(4))
              Expect.equal (Lax.ReduceWindow(x, "max", [| 2 |]).ToArray<uint32>()) [| 0x80000000u; 0xFFFFFFF0u; 0xFFFFFFF0u |] "max"
              Expect.equal (Lax.ReduceWindow(x, "min", [| 2 |]).ToArray<uint32>()) [| 1u; 0x80000000u; 7u |] "min"
              Expect.equal (Lax.ReduceWindow(Tensor.FromArray([| 1u; 2u |], Shape(2)), "max", [| 2 |], null, [| struct (1, 0) |]).ToArray<uint32>()) [| 1u; 2u |] "padding is the smallest uint32, 0"
          }
          test "bad windows are errors that name the op, the shapes and the fix" {
              let x = Np.Zeros([| 2; 3 |])
              throwsWith<ArgumentException> [ "reduce_window"; "window_dimensions"; "(2, 3)"; "one entry per axis" ] (fun () -> Lax.ReduceWindow(x, "max", [| 2 |]) |> ignore)
              throwsWith<ArgumentException> [ "reduce_window"; "\"prod\""; "\"sum\"" ] (fun () -> Lax.ReduceWindow(x, "prod", [| 1; 1 |]) |> ignore)
              throwsWith<ArgumentException> [ "reduce_window_max"; "window_strides"; "positive" ] (fun () -> Lax.ReduceWindow(x, "max", [| 1; 1 |], [| 0; 1 |]) |> ignore)
              throwsWith<ArgumentException> [ "reduce_window_sum"; "padding (-3, 0)"; "crop less" ] (fun () -> Lax.ReduceWindow(x, "sum", [| 1; 1 |], null, [| struct (-3, 0); struct (0, 0) |]) |> ignore)
              throwsWith<ArgumentException> [ "max_pool"; "(2, 3, 4, 5, 6)"; "(batch, spatial..., features)"; "rank 4" ] (fun () -> Nn.MaxPool(Np.Zeros([| 2; 3; 4; 5; 6 |]), [| 2; 2 |]) |> ignore)
              throwsWith<ArgumentException> [ "avg_pool"; "strides"; "one entry per window axis" ] (fun () -> Nn.AvgPool(Np.Zeros([| 1; 4; 4; 1 |]), [| 2; 2 |], [| 2 |]) |> ignore)
          } ]
