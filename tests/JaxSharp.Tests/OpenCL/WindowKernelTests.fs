/// The OpenCL kernels of the window primitives (src/OpenCL/Kernels): reduce_window_sum, _max and
/// _min, and max (min) pooling's JVP and gradient, select_and_gather_add and select_and_scatter_add,
/// with overlapping windows, strides, padding (cropping too) and base and window dilation. Each
/// case runs jitted on the first OpenCL device (PoCL in CI) in every dtype it takes and is compared
/// with the CPU's eager result bit for bit: the kernels combine in the CPU's order (float sums
/// included) and select as it does, so there is no rounding bound to allow. The float inputs hold
/// NaN, ±0 and infinities; the uint32 ones values above 2^31. conv_general_dilated (float32, float64)
/// sums in another order than the CPU's GEMM, so it is held to a bound relative to the sum of the
/// terms' magnitudes (the same convolution of |lhs| and |rhs|). Every test skips, saying why, without a device.
module OpenCL.WindowKernelTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open JaxSharp.Primitives.Windows
open OpTable.Generators
open OpenCL.Ulps

let private numeric = [ DType.Float32; DType.Float64; DType.Int32; DType.UInt32 ]
let private floats = [ DType.Float32; DType.Float64 ]

/// A window over every axis: sizes, strides, (low, high) padding, base and window dilation.
let private window sizes strides (padding: (int * int) list) baseDilation windowDilation =
    WindowParams(Ints sizes, Ints strides, Ints [| for l, _ in padding -> l |], Ints [| for _, h in padding -> h |], Ints baseDilation, Ints windowDilation)

/// The windows the cases run: overlapping 2-d ones with every parameter, 3-d with cropping, and size 1.
let private windows =
    [ "[5; 7], window [2; 3], strides [1; 2], padding (1, 0) (2, 1), base dilation [1; 2], window dilation [2; 1]",
      [| 5; 7 |], window [| 2; 3 |] [| 1; 2 |] [ 1, 0; 2, 1 ] [| 1; 2 |] [| 2; 1 |]
      "[2; 6; 5], window [1; 3; 3], strides [1; 1; 2], padding (0, 0) (-1, 2) (1, 1)",
      [| 2; 6; 5 |], window [| 1; 3; 3 |] [| 1; 1; 2 |] [ 0, 0; -1, 2; 1, 1 ] [| 1; 1; 1 |] [| 1; 1; 1 |]
      "[4; 4], window [3; 2], strides [2; 1], padding (2, 2) (0, 1), base dilation [2; 1], window dilation [1; 3]",
      [| 4; 4 |], window [| 3; 2 |] [| 2; 1 |] [ 2, 2; 0, 1 ] [| 2; 1 |] [| 1; 3 |]
      "[3; 4], window [1; 1]", [| 3; 4 |], window [| 1; 1 |] [| 1; 1 |] [ 0, 0; 0, 0 ] [| 1; 1 |] [| 1; 1 |] ]

let private skipWithoutFloat64 (d: Device) dtype =
    if dtype = DType.Float64 && not ((d :?> JaxSharp.OpenCL.Runtime.OpenCLDevice).HasFloat64) then
        skiptest $"{d} has no cl_khr_fp64"

let private reductions =
    [ ReduceWindowSum.Instance :> JaxSharp.Primitives.Primitive; ReduceWindowMax.Instance; ReduceWindowMin.Instance ]

/// Seeded values in [-2, 2) with no NaN or infinity: the convolution cases compare to rounding.
let private smooth (seed: int) (dtype: DType) (shape: int[]) =
    let random = Random seed
    tensorOf dtype shape (Array.init (Array.fold (*) 1 shape) (fun _ -> 4.0 * random.NextDouble() - 2.0))

/// The convolutions: their name, lhs and rhs shapes, and the call.
let private convCases: (string * int[] * int[] * (Tensor -> Tensor -> Tensor)) list =
    [ "NCHW 2-d, strides [2; 1], padding (1, 2) (0, -1), lhs dilation [1; 2], rhs dilation [1; 2]", [| 2; 3; 7; 6 |], [| 4; 3; 3; 2 |],
      fun x w -> Lax.ConvGeneralDilated(x, w, [| 2; 1 |], [| struct (1, 2); struct (0, -1) |], lhsDilation = [| 1; 2 |], rhsDilation = [| 1; 2 |])
      "NHWC, HWIO, 2 feature groups, strides [1; 2], SAME", [| 2; 5; 6; 4 |], [| 3; 3; 2; 6 |],
      fun x w -> Lax.ConvGeneralDilated(x, w, [| 1; 2 |], "SAME", dimensionNumbers = struct ("NHWC", "HWIO", "NHWC"), featureGroupCount = 2)
      "1-d NWC, WIO into NCW, 2 batch groups", [| 4; 5; 3 |], [| 2; 3; 4 |],
      fun x w -> Lax.ConvGeneralDilated(x, w, [| 1 |], "VALID", dimensionNumbers = struct ("NWC", "WIO", "NCW"), batchGroupCount = 2)
      "3-d NCDHW, padding 1", [| 1; 2; 4; 3; 3 |], [| 2; 2; 2; 2; 2 |],
      fun x w -> Lax.ConvGeneralDilated(x, w, [| 1; 1; 1 |], [| struct (1, 1); struct (1, 1); struct (0, 1) |]) ]

[<Tests>]
let tests =
    testList
        "opencl window kernels"
        [ for dtype in numeric do
              onDevice $"{dtype}: reduce_window sum, max and min and max/min pooling's select_and_gather_add and select_and_scatter_add are the CPU's bit for bit" (fun d ->
                  skipWithoutFloat64 d dtype
                  let seed = 9500 + 100 * int dtype
                  printfn $"opencl window kernels {dtype}: seeds from {seed}"
                  for k, (name, shape, p) in List.indexed windows do
                      let x = deviceData (seed + 10 * k) dtype shape
                      let windowShape = ReduceWindowSum.Instance.InferShape([| x.Aval |], p).Shape
                      let s = deviceData (seed + 10 * k + 1) dtype (windowShape.ToArray())
                      let t = deviceData (seed + 10 * k + 2) dtype shape
                      let where = $"{name}, {dtype} (seed {seed + 10 * k})"
                      agreesBitForBit d $"reduce_window over {where}" [| x |] (fun xs -> [| for r in reductions -> r.Bind(p, xs[0]) |])
                      agreesBitForBit d $"select_and_gather_add and select_and_scatter_add over {where}" [| x; s; t |] (fun xs ->
                          [| for selectsMax in [ true; false ] do
                                 let q = SelectParams(p, selectsMax)
                                 yield SelectAndGatherAdd.Instance.Bind(q, xs[2], xs[0])
                                 yield SelectAndScatterAdd.Instance.Bind(q, xs[1], xs[0]) |]))
          for dtype in floats do
              onDevice $"{dtype}: the gradient and JVP of 3x3 max pooling with stride 2 and SAME padding, jitted on the device, are the CPU's" (fun d ->
                  skipWithoutFloat64 d dtype
                  let seed = 9800 + int dtype
                  printfn $"opencl max pooling gradient {dtype}: seed {seed}"
                  let x = deviceData seed dtype [| 2; 7; 6; 3 |]
                  let w = deviceData (seed + 1) dtype [| 2; 4; 3; 3 |]
                  let pool (a: Tensor) = Lax.ReduceWindow(a, "max", [| 1; 3; 3; 1 |], [| 1; 2; 2; 1 |], "SAME")
                  agreesBitForBit d $"grad of max pooling, {dtype} (seed {seed})" [| x; w |] (fun xs ->
                      let lossOf (a: Tensor) = Np.Sum(pool a * xs[1])
                      [| Jax.Grad(Func<Tensor, Tensor> lossOf).Invoke xs[0]
                         (let struct (_, t) = Jax.Jvp(Func<Tensor, Tensor> pool, xs[0], xs[0]) in t) |]))
          for dtype in floats do
              onDevice $"{dtype}: conv_general_dilated in any layout, with strides, padding, dilations and feature and batch groups, is the CPU's to rounding" (fun d ->
                  skipWithoutFloat64 d dtype
                  let seed = 9850 + 10 * int dtype
                  printfn $"opencl conv_general_dilated {dtype}: seeds from {seed}"
                  for k, (name, lhsShape, rhsShape, conv) in List.indexed convCases do
                      let x, w = smooth (seed + 2 * k) dtype lhsShape, smooth (seed + 2 * k + 1) dtype rhsShape
                      let where = $"{name}, {dtype} (seed {seed + 2 * k})"
                      let expected = conv x w
                      let actual = jit (fun (a: Tensor, b: Tensor) -> conv a b) (devicePut d x, devicePut d w)
                      Expect.equal actual.Device d $"{where}: ran on the device"
                      Expect.equal actual.Shape expected.Shape $"{where}: shape"
                      let magnitude = toFloats (conv (Np.Abs x) (Np.Abs w))
                      let bound = if dtype = DType.Float32 then 1e-5 else 1e-13
                      Array.iteri2 (fun i (e: float) (a: float) ->
                          if not (abs (a - e) <= bound * magnitude[i] + 1e-30) then
                              failtestf "%s: element %d is %.17g on %O, %.17g on the CPU (bound %g of %g)" where i a d e bound magnitude[i])
                          (toFloats expected) (toFloats actual))
          for dtype in floats do
              onDevice $"{dtype}: the gradients of a small conv net (NHWC conv, tanh, grouped strided conv, max pooling), jitted on the device, are the CPU's to rounding" (fun d ->
                  skipWithoutFloat64 d dtype
                  let seed = 9870 + int dtype
                  printfn $"opencl conv net gradient {dtype}: seed {seed}"
                  let inputs = [| smooth seed dtype [| 2; 6; 5; 2 |]; smooth (seed + 1) dtype [| 3; 3; 2; 4 |]; smooth (seed + 2) dtype [| 2; 2; 2; 4 |] |]
                  let loss (ps: Tensor[]) =
                      let nhwc = struct ("NHWC", "HWIO", "NHWC")
                      let h = Np.Tanh(Lax.ConvGeneralDilated(ps[0], ps[1], [| 1; 1 |], "SAME", dimensionNumbers = nhwc))
                      let y = Lax.ConvGeneralDilated(h, ps[2], [| 2; 1 |], [| struct (1, 0); struct (0, 1) |], rhsDilation = [| 1; 2 |], dimensionNumbers = nhwc, featureGroupCount = 2)
                      Np.Sum(Lax.ReduceWindow(y, "max", [| 1; 2; 2; 1 |], [| 1; 1; 1; 1 |], "SAME") * y)
                  let gradient = Jax.Grad(Func<Tensor[], Tensor> loss, 0, 1, 2)
                  let expected = gradient.Invoke inputs
                  let actual = Jax.Jit(fun (xs: Tensor[]) -> gradient.Invoke xs).Invoke [| for x in inputs -> devicePut d x |]
                  let bound = if dtype = DType.Float32 then 1e-4 else 1e-11
                  for k, (e, a) in Array.indexed (Array.zip expected actual) do
                      let where = $"gradient {k}, {dtype} (seed {seed})"
                      Expect.equal a.Device d $"{where}: ran on the device"
                      let ev, av = toFloats e, toFloats a
                      let scale = ev |> Array.map abs |> Array.max
                      Array.iteri2 (fun i (x: float) (y: float) ->
                          if not (abs (x - y) <= bound * scale) then
                              failtestf "%s: element %d is %.17g on %O, %.17g on the CPU (bound %g of %g)" where i y d x bound scale) ev av) ]
