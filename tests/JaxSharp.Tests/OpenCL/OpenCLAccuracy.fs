/// The accuracy of each transcendental function on the OpenCL device against the CPU's: the
/// worst distance in ulp over a dense grid of its domain (16385 evenly spaced points, and for
/// the binary functions a second argument spread over its domain by the golden ratio), in
/// float32 and float64. The measured table is the one in docs/opencl.md (the test rewrites the
/// page when it is stale and fails, as docs/api-coverage.md's test does), and the op table's
/// per-function bound (OpenCL.Ulps.ulpBound) is read from it.
module OpenCL.OpenCLAccuracy

open System
open System.IO
open Expecto
open JaxSharp
open JaxSharp.FSharp
open JaxSharp.Primitives
open OpTable.Generators
open TestHelpers
open OpenCL.Ulps

/// Points on each grid.
let private points = 16385

/// Each transcendental function: its grid for the first argument, and for a binary function the second's.
let private grids =
    [ "sin", (-10.0, 10.0), None
      "cos", (-10.0, 10.0), None
      "tan", (-1.5, 1.5), None
      "asin", (-0.999, 0.999), None
      "acos", (-0.999, 0.999), None
      "atan", (-10.0, 10.0), None
      "atan2", (-3.0, 3.0), Some(-3.0, 3.0)
      "sinh", (-10.0, 10.0), None
      "cosh", (-10.0, 10.0), None
      "tanh", (-10.0, 10.0), None
      "asinh", (-10.0, 10.0), None
      "acosh", (1.0, 10.0), None
      "atanh", (-0.999, 0.999), None
      "exp", (-10.0, 10.0), None
      "log", (0.001, 10.0), None
      "log1p", (-0.999, 10.0), None
      "expm1", (-10.0, 10.0), None
      "pow", (0.1, 3.0), Some(-2.0, 2.0)
      "cbrt", (-10.0, 10.0), None
      "logistic", (-10.0, 10.0), None
      "erf", (-5.0, 5.0), None
      "erf_inv", (-0.999, 0.999), None ]

let private grid (lo, hi) = Array.init points (fun i -> lo + (hi - lo) * float i / float (points - 1))

/// The second argument: its interval visited in the golden ratio's order, so that the pairs cover the square.
let private spread (lo, hi) = Array.init points (fun i -> lo + (hi - lo) * ((float i * 0.6180339887498949) % 1.0))

/// The worst ulp of every function in a dtype: all of them in one jitted program on the device, against the CPU.
let private measure (d: Device) (dtype: DType) =
    let cases =
        [ for name, first, second in grids ->
              let args = [ yield grid first; match second with Some s -> yield spread s | None -> () ]
              name, PrimitiveRegistry.Get name, [| for a in args -> tensorOf dtype [| points |] a |] ]
    let all = Jax.Jit(fun (args: Tensor[]) ->
        let mutable k = 0
        [| for _, primitive, arguments in cases do
               let these = args[k .. k + arguments.Length - 1]
               k <- k + arguments.Length
               primitive.Bind(PrimitiveParams.None, these) |])
    let onDevice = all.Invoke [| for _, _, arguments in cases do for a in arguments -> devicePut d a |]
    [ for (name, primitive, arguments), actual in List.zip cases (List.ofArray onDevice) ->
          let expected = primitive.Bind(PrimitiveParams.None, arguments)
          name, Seq.zip (toFloats expected) (toFloats actual) |> Seq.map (fun (e, a) -> ulps dtype e a) |> Seq.max ]

/// The generated table, between its markers.
let private table (f32: (string * int64) list) (f64: (string * int64) list) =
    let rows =
        [ for (name, (lo, hi), second), (_, a), (_, b) in List.zip3 grids f32 f64 ->
              let domain = match second with Some(l2, h2) -> $"[{lo}, {hi}] x [{l2}, {h2}]" | None -> $"[{lo}, {hi}]"
              $"| `{name}` | {domain} | {a} | {b} |" ]
    String.concat "\n" [ tableStart; "| function | grid | float32 worst ulp | float64 worst ulp |"; "| --- | --- | ---: | ---: |"; yield! rows; tableEnd ]

[<Tests>]
let tests =
    testList
        "opencl"
        [ testList
              "accuracy"
              [ onDevice "docs/opencl.md's ulp table is each transcendental's worst distance from the CPU over its grid, float32 and float64" (fun d ->
                    if not (hasFloat64 d) then skiptest $"{d} has no cl_khr_fp64"
                    let page = table (measure d DType.Float32) (measure d DType.Float64)
                    let path = repoFile "docs/opencl.md"
                    let doc = File.ReadAllText path
                    let start, stop = doc.IndexOf tableStart, doc.IndexOf tableEnd
                    if start < 0 || stop < start then failtest $"docs/opencl.md has no ulp table between {tableStart} and {tableEnd}"
                    let current = doc.Substring(start, stop + tableEnd.Length - start)
                    if current <> page then
                        File.WriteAllText(path, doc.Substring(0, start) + page + doc.Substring(stop + tableEnd.Length))
                        failtest $"docs/opencl.md's ulp table was stale and has been rewritten from the measurement on {d}; review and commit it")
                onDevice "every function of the table has a bound, and erf and erf_inv are within 2 ulp of the CPU" (fun _ ->
                    for name, _, _ in grids do
                        Expect.isTrue (documented.Value.ContainsKey name) $"{name} is in docs/opencl.md's ulp table"
                    for name in [ "erf"; "erf_inv" ] do
                        let f32, f64 = documented.Value[name]
                        Expect.isLessThanOrEqual (max f32 f64) 2L $"{name}: printed from the CPU's polynomials, so only exp and log may round differently") ] ]
