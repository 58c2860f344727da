/// The op table of convolutions: conv_general_dilated over random layouts, strides, padding,
/// dilations and groups against the naive loop of its definition, the convenience forms
/// (conv, conv_transpose, np.convolve and np.correlate) against their definitions, and the
/// error messages for bad shapes and dimension numbers.
module OpTable.ConvOps

open System
open Expecto
open JaxSharp
open OpTable.Generators
open OpTable.ConvCases
open TestHelpers

/// The primitives this table checks against references.
let covered = [ "conv_general_dilated" ]

let private config = { FsCheckConfig.defaultConfig with maxTest = 60 }

let private vector (xs: float list) = Tensor.FromArray(Array.ofList xs)

/// numpy's convolve and correlate by their definitions (full mode), for checking every mode.
let private fullConvolve (a: float[]) (v: float[]) =
    Array.init (a.Length + v.Length - 1) (fun n -> Seq.sum (seq { for m in 0 .. a.Length - 1 do if n - m >= 0 && n - m < v.Length then a[m] * v[n - m] }))

let private fullCorrelate (a: float[]) (v: float[]) =
    // c[k] = sum_n a[n + k] v[n] for k from -(|v| - 1) to |a| - 1
    Array.init (a.Length + v.Length - 1) (fun j ->
        let k = j - (v.Length - 1)
        Seq.sum (seq { for n in 0 .. v.Length - 1 do if n + k >= 0 && n + k < a.Length then a[n + k] * v[n] }))

/// numpy's rule for the modes: full, the centred slice of the longer length, or the full overlaps.
let private cut (mode: string) (full: float[]) (la: int) (lv: int) =
    let longer, shorter = max la lv, min la lv
    match mode with
    | "full" -> full
    | "same" -> Array.sub full ((shorter - 1) / 2) longer
    | _ -> Array.sub full (shorter - 1) (longer - shorter + 1)

[<Tests>]
let tests =
    testList
        "convolution ops"
        [ testPropertyWithConfig config "conv_general_dilated equals its definition for random layouts, strides, padding, dilations and groups" (fun (seed: int) ->
              let rng = Random seed
              let case = randomCase rng 3
              let dtype = if rng.Next 2 = 0 then DType.Float32 else DType.Float64
              let lhs, rhs = operands rng dtype case
              let shape, expected = reference case (toFloats lhs) (toFloats rhs)
              let actual = apply case lhs rhs
              Expect.equal (actual.Shape.ToArray()) shape $"shape, seed {seed}: {describe case}"
              Expect.equal actual.DType dtype "dtype"
              expectClose (20.0 * defaultTolerance dtype) expected actual $"seed {seed}: {describe case}")
          test "a 3x3 SAME convolution NCHW equals the loop, and NHWC/HWIO gives the same numbers transposed" {
              let rng = Random 7
              let x = tensorOf DType.Float32 [| 2; 3; 6; 5 |] (Array.init 180 (fun _ -> rng.NextDouble()))
              let w = tensorOf DType.Float32 [| 4; 3; 3; 3 |] (Array.init 108 (fun _ -> rng.NextDouble()))
              let nchw = Lax.Conv(x, w, [| 1; 1 |], "SAME")
              Expect.equal (nchw.Shape.ToArray()) [| 2; 4; 6; 5 |] "SAME keeps the spatial sizes"
              let nhwc = Lax.ConvGeneralDilated(Np.Transpose(x, [| 0; 2; 3; 1 |]), Np.Transpose(w, [| 2; 3; 1; 0 |]), [| 1; 1 |], "SAME", dimensionNumbers = layouts "NHWC" "HWIO" "NHWC")
              expectClose 1e-5 (toFloats (Np.Transpose(nchw, [| 0; 2; 3; 1 |]))) nhwc "NHWC"
          }
          test "SAME pads the odd element at the end, SAME_LOWER at the start, and strides give ceil(n / s)" {
              let x = Np.Reshape(Np.Arange(1.0, 7.0), 1, 1, 6)
              let w = Np.Reshape(vector [ 1.0; 10.0 ], 1, 1, 2)
              expectClose 0.0 [| 21.0; 32.0; 43.0; 54.0; 65.0; 6.0 |] (Lax.ConvGeneralDilated(x, w, [| 1 |], "SAME")) "SAME"
              expectClose 0.0 [| 10.0; 21.0; 32.0; 43.0; 54.0; 65.0 |] (Lax.ConvGeneralDilated(x, w, [| 1 |], "SAME_LOWER")) "SAME_LOWER"
              expectClose 0.0 [| 21.0; 43.0; 65.0 |] (Lax.ConvGeneralDilated(x, w, [| 2 |], "same")) "strided, lower-case mode"
          }
          test "conv_transpose doubles the size with stride 2 SAME and, with transpose_kernel, is the gradient of conv" {
              let rng = Random 11
              let x = tensorOf DType.Float64 [| 1; 4; 4; 2 |] (Array.init 32 (fun _ -> rng.NextDouble()))
              let w = tensorOf DType.Float64 [| 3; 3; 2; 3 |] (Array.init 54 (fun _ -> rng.NextDouble()))
              let y = Lax.ConvTranspose(x, w, [| 2; 2 |], "SAME")
              Expect.equal (y.Shape.ToArray()) [| 1; 8; 8; 3 |] "NHWC output, twice the size, w's output features"
              // a stride-2 SAME conv from 2 to 3 features, and the pullback of a cotangent u
              let forward (z: Tensor) = Lax.ConvGeneralDilated(z, w, [| 2; 2 |], "SAME", dimensionNumbers = layouts "NHWC" "HWIO" "NHWC")
              let z = tensorOf DType.Float64 [| 1; 8; 8; 2 |] (Array.zeroCreate 128)
              let u = tensorOf DType.Float64 [| 1; 4; 4; 3 |] (Array.init 48 (fun _ -> rng.NextDouble()))
              let struct (_, pullback) = Jax.Vjp(Func<Tensor[], Tensor[]>(fun a -> [| forward a[0] |]), [| z |])
              let gradient = (pullback.Invoke [| u |])[0]
              let transposed = Lax.ConvTranspose(u, w, [| 2; 2 |], "SAME", transposeKernel = true)
              Expect.equal (transposed.Shape.ToArray()) [| 1; 8; 8; 2 |] "shape"
              expectClose 1e-12 (toFloats gradient) transposed "transpose_kernel gives the gradient"
          }
          test "np.convolve and np.correlate equal numpy's definitions in every mode, either input longer" {
              let rng = Random 13
              for la, lv in [ 5, 3; 3, 5; 4, 4; 1, 3; 6, 1 ] do
                  let a = Array.init la (fun _ -> rng.NextDouble())
                  let v = Array.init lv (fun _ -> rng.NextDouble())
                  for mode in [ "full"; "same"; "valid" ] do
                      let what = $"|a| = {la}, |v| = {lv}, mode {mode}"
                      expectClose 1e-12 (cut mode (fullConvolve a v) la lv) (Np.Convolve(Tensor.FromArray a, Tensor.FromArray v, mode)) $"convolve {what}"
                      expectClose 1e-12 (cut mode (fullCorrelate a v) la lv) (Np.Correlate(Tensor.FromArray a, Tensor.FromArray v, mode)) $"correlate {what}"
          }
          test "np.convolve's default is full, np.correlate's valid, and integers convolve in float32" {
              let c = Np.Convolve(vector [ 1.0; 2.0; 3.0 ], vector [ 0.0; 1.0; 0.5 ])
              expectClose 1e-12 [| 0.0; 1.0; 2.5; 4.0; 1.5 |] c "convolve"
              expectClose 1e-12 [| 3.5 |] (Np.Correlate(vector [ 1.0; 2.0; 3.0 ], vector [ 0.0; 1.0; 0.5 ])) "correlate"
              let ints = Np.Convolve(Tensor.FromArray [| 1; 2 |], Tensor.FromArray [| 1; 1 |])
              Expect.equal ints.DType DType.Float32 "dtype"
              expectClose 0.0 [| 1.0; 3.0; 2.0 |] ints "values"
          }
          test "bad shapes, dimension numbers and parameters are errors that name the op, the shapes and the fix" {
              let x = Tensor.FromArray(Array.zeroCreate<float32> (2 * 4 * 5 * 5), Shape(2, 4, 5, 5))
              let w = Tensor.FromArray(Array.zeroCreate<float32> (3 * 4 * 3 * 3), Shape(3, 4, 3, 3))
              let conv (f: unit -> Tensor) = fun () -> f () |> ignore
              throwsWith<ArgumentException> [ "conv_general_dilated"; "(2, 4, 5, 5)"; "same rank" ] (conv (fun () -> Lax.Conv(x, Np.Reshape(w, 3, 4, 9), [| 1; 1 |], "SAME")))
              throwsWith<ArgumentException> [ "conv_general_dilated"; "\"NCHWX\""; "5 letters"; "4 axes" ] (conv (fun () -> Lax.ConvGeneralDilated(x, w, [| 1; 1 |], "SAME", dimensionNumbers = layouts "NCHWX" "OIHW" "NCHW")))
              throwsWith<ArgumentException> [ "conv_general_dilated"; "\"NCHH\""; "repeats" ] (conv (fun () -> Lax.ConvGeneralDilated(x, w, [| 1; 1 |], "SAME", dimensionNumbers = layouts "NCHH" "OIHW" "NCHW")))
              throwsWith<ArgumentException> [ "conv_general_dilated"; "\"XIHW\""; "'O' and 'I'" ] (conv (fun () -> Lax.ConvGeneralDilated(x, w, [| 1; 1 |], "SAME", dimensionNumbers = layouts "NCHW" "XIHW" "NCHW")))
              throwsWith<ArgumentException> [ "conv_general_dilated"; "same spatial letters" ] (conv (fun () -> Lax.ConvGeneralDilated(x, w, [| 1; 1 |], "SAME", dimensionNumbers = layouts "NCHW" "OIHX" "NCHX")))
              throwsWith<ArgumentException> [ "conv_general_dilated"; "feature size 5"; "input feature size 4"; "layout" ] (conv (fun () -> Lax.ConvGeneralDilated(x, w, [| 1; 1 |], "SAME", dimensionNumbers = layouts "NHWC" "OIHW" "NHWC")))
              throwsWith<ArgumentException> [ "conv_general_dilated"; "feature_group_count 3"; "divide"; "4" ] (conv (fun () -> Lax.ConvGeneralDilated(x, w, [| 1; 1 |], "SAME", featureGroupCount = 3)))
              throwsWith<ArgumentException> [ "conv_general_dilated"; "window_strides"; "one entry per spatial axis" ] (conv (fun () -> Lax.Conv(x, w, [| 1 |], "SAME")))
              throwsWith<ArgumentException> [ "conv_general_dilated"; "\"FULL\""; "\"SAME\""; "\"VALID\"" ] (conv (fun () -> Lax.Conv(x, w, [| 1; 1 |], "FULL")))
              throwsWith<ArgumentException> [ "conv_general_dilated"; "lhs_dilation"; "explicit"; "ConvTranspose" ] (conv (fun () -> Lax.ConvGeneralDilated(x, w, [| 1; 1 |], "SAME", lhsDilation = [| 2; 2 |])))
              throwsWith<ArgumentException> [ "conv_general_dilated"; "padding (-4, -3)"; "crop less" ] (conv (fun () -> Lax.ConvGeneralDilated(x, w, [| 1; 1 |], [| struct (-4, -3); struct (0, 0) |])))
              throwsWith<ArgumentException> [ "conv_general_dilated"; "float32 or float64"; "AsType" ] (conv (fun () -> Lax.Conv(Np.AsType(x, DType.Int32), Np.AsType(w, DType.Int32), [| 1; 1 |], "SAME")))
              throwsWith<ArgumentException> [ "conv_general_dilated"; "dtypes"; "differ"; "AsType" ] (conv (fun () -> Lax.Conv(x, Np.AsType(w, DType.Float64), [| 1; 1 |], "SAME")))
              throwsWith<ArgumentException> [ "convolve"; "1-d"; "(2, 4, 5, 5)" ] (conv (fun () -> Np.Convolve(x, vector [ 1.0 ])))
              throwsWith<ArgumentException> [ "correlate"; "mode \"wide\"" ] (conv (fun () -> Np.Correlate(vector [ 1.0 ], vector [ 1.0 ], "wide")))
          } ]
