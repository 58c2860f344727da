/// The OpenCL kernels of what is not per element (src/OpenCL/Kernels): index maps (transpose,
/// rev, strided slice, pad, concatenate, squeeze, expand_dims, iota, dynamic_slice,
/// dynamic_update_slice), argmax/argmin and reduce_and/reduce_or, gather and every scatter in
/// both modes, cumulative ops along each axis and reversed, and multi-operand sort. Each case
/// runs jitted on the first OpenCL device (PoCL in CI) for every dtype it takes and is compared
/// with the CPU's eager result bit for bit: all of these kernels move data or combine in the
/// CPU's order (float sums and products included), so there is no rounding bound to allow.
/// The float inputs hold NaN, ±0 and infinities. Every test skips, saying why, without a device.
module OpenCL.IndexKernelTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open OpenCL.Ulps

let private ints (shape: int[]) (values: int[]) = Tensor.FromArray(values, Shape shape)

let private all = [ DType.Float32; DType.Float64; DType.Int32; DType.UInt32; DType.Bool ]
let private numeric = [ DType.Float32; DType.Float64; DType.Int32; DType.UInt32 ]

/// One case: its name, the dtypes it runs in, its inputs from a seed, and the program.
type private Case = { Name: string; DTypes: DType list; Inputs: int -> DType -> Tensor[]; Run: Tensor[] -> Tensor[] }

let private case name dtypes (shapes: int[] list) (extra: Tensor list) run =
    { Name = name
      DTypes = dtypes
      Inputs = fun seed dtype -> [| for k, s in List.indexed shapes -> deviceData (seed + k) dtype s
                                    yield! extra |]
      Run = run }

let private one f = fun (xs: Tensor[]) -> [| f xs |]

let private takeRows = GatherDimensionNumbers(Ints [| 1 |], Ints [| 0 |], Ints [| 0 |])
let private rowUpdates = ScatterDimensionNumbers(Ints [| 1 |], Ints [| 0 |], Ints [| 0 |])
/// Row i of a [3; 5; 4] operand at index[i]: the operand's axis 0 is a batching axis.
let private batchedTake =
    GatherDimensionNumbers(Ints [| 1 |], Ints [| 1 |], Ints [| 1 |], Ints [| 0 |], Ints [| 0 |])
let private batchedUpdates =
    ScatterDimensionNumbers(Ints [| 1 |], Ints [| 1 |], Ints [| 1 |], Ints [| 0 |], Ints [| 0 |])
/// Row indices with a repeat, a negative one and one past the end (clamped, or filled or dropped).
let private rowIndices = ints [| 5; 1 |] [| 2; 0; 2; -1; 6 |]

/// Windows of 2 rows placed by the indices (so that two windows overlap): every operand element tests every update.
let private blockUpdates = ScatterDimensionNumbers(Ints [| 1; 2 |], Ints [||], Ints [| 0 |])
let private blockIndices = ints [| 3; 1 |] [| 1; 4; 5 |]

let private scatterCases =
    [ for mode in [ GatherScatterMode.Clip; GatherScatterMode.FillOrDrop ] do
          yield case $"scatter of 3 overlapping windows of 2 rows into [6; 5], {mode}" all [ [| 6; 5 |]; [| 3; 2; 5 |] ] [ blockIndices ]
                    (one (fun xs -> Lax.Scatter(xs[0], xs[2], xs[1], blockUpdates, mode)))
          yield case $"scatter_add of 3 overlapping windows of 2 rows into [6; 5], {mode}" numeric [ [| 6; 5 |]; [| 3; 2; 5 |] ] [ blockIndices ]
                    (one (fun xs -> Lax.ScatterAdd(xs[0], xs[2], xs[1], blockUpdates, mode)))
      for name, f, dtypes in
          [ "scatter", (fun (x, i, u, m) -> Lax.Scatter(x, i, u, rowUpdates, m)), all
            "scatter_add", (fun (x, i, u, m) -> Lax.ScatterAdd(x, i, u, rowUpdates, m)), numeric
            "scatter_mul", (fun (x, i, u, m) -> Lax.ScatterMul(x, i, u, rowUpdates, m)), numeric
            "scatter_min", (fun (x, i, u, m) -> Lax.ScatterMin(x, i, u, rowUpdates, m)), numeric
            "scatter_max", (fun (x, i, u, m) -> Lax.ScatterMax(x, i, u, rowUpdates, m)), numeric ] do
          for mode in [ GatherScatterMode.Clip; GatherScatterMode.FillOrDrop ] do
              yield case $"{name} of 5 rows (a repeat, -1, past the end) into [6; 3], {mode}" dtypes [ [| 6; 3 |]; [| 5; 3 |] ] [ rowIndices ]
                        (one (fun xs -> f (xs[0], xs[2], xs[1], mode))) ]

let private cases =
    [ case "transpose [2; 3; 4] by (2, 0, 1)" all [ [| 2; 3; 4 |] ] [] (one (fun xs -> Lax.Transpose(xs[0], Ints [| 2; 0; 1 |])))
      case "rev [3; 4] along both axes" all [ [| 3; 4 |] ] [] (one (fun xs -> Lax.Rev(xs[0], Ints [| 0; 1 |])))
      case "slice [5; 7] from (1, 2) by (2, 3)" all [ [| 5; 7 |] ] [] (one (fun xs -> Lax.Slice(xs[0], Ints [| 1; 2 |], Ints [| 5; 7 |], Ints [| 2; 3 |])))
      case "pad [3; 4] by (1, 2, 1) and (-1, 0, 2)" all [ [| 3; 4 |]; [||] ] []
          (one (fun xs -> Lax.Pad(xs[0], xs[1], [| struct (1, 2, 1); struct (-1, 0, 2) |])))
      case "concatenate [2; 3], [2; 0], [2; 1] along axis 1" all [ [| 2; 3 |]; [| 2; 0 |]; [| 2; 1 |] ] []
          (one (fun xs -> Lax.Concatenate(xs, 1)))
      case "squeeze [3; 1; 4] then expand_dims at 0" all [ [| 3; 1; 4 |] ] [] (one (fun xs -> Lax.ExpandDims(Lax.Squeeze(xs[0], Ints [| 1 |]), Ints [| 0 |])))
      case "iota [3; 4] along axis 1, added to x" numeric [ [| 3; 4 |] ] [] (fun xs -> [| xs[0] + Lax.BroadcastedIota(xs[0].DType, Shape [| 3; 4 |], 1) |])
      case "dynamic_slice [5; 6] of size [3; 4] at (2, -2) (clamped)" all [ [| 5; 6 |] ] [ ints [||] [| 2 |]; ints [||] [| -2 |] ]
          (one (fun xs -> Lax.DynamicSlice(xs[0], [ xs[1]; xs[2] ], Ints [| 3; 4 |])))
      case "dynamic_update_slice [5; 6] with [2; 3] at (4, 1) (clamped)" all [ [| 5; 6 |]; [| 2; 3 |] ] [ ints [||] [| 4 |]; ints [||] [| 1 |] ]
          (one (fun xs -> Lax.DynamicUpdateSlice(xs[0], xs[1], [ xs[2]; xs[3] ])))
      case "argmax and argmin of [4; 6] along each axis" numeric [ [| 4; 6 |] ] []
          (fun xs -> [| Lax.Argmax(xs[0], 0); Lax.Argmax(xs[0], 1); Lax.Argmin(xs[0], 0); Lax.Argmin(xs[0], 1, DType.UInt32) |])
      case "reduce_and and reduce_or of [3; 4; 2] over axes (0, 2)" [ DType.Bool ] [ [| 3; 4; 2 |] ] []
          (fun xs -> [| Lax.ReduceAnd(xs[0], 0, 2); Lax.ReduceOr(xs[0], 0, 2); Lax.ReduceOr(xs[0], 1) |])
      for mode in [ GatherScatterMode.Clip; GatherScatterMode.FillOrDrop ] do
          case $"gather of 5 rows (a repeat, -1, past the end) of [6; 3], {mode}" all [ [| 6; 3 |] ] [ rowIndices ]
              (one (fun xs -> Lax.Gather(xs[0], xs[1], takeRows, Ints [| 1; 3 |], mode)))
      case "gather with fill value 7 in fill mode" numeric [ [| 6; 3 |] ] [ rowIndices ]
          (one (fun xs -> Lax.Gather(xs[0], xs[1], takeRows, Ints [| 1; 3 |], GatherScatterMode.FillOrDrop, 7.0)))
      case "gather with a batching axis: row index[b] of operand[b]" all [ [| 3; 5; 4 |] ] [ ints [| 3; 1 |] [| 4; 0; 9 |] ]
          (one (fun xs -> Lax.Gather(xs[0], xs[1], batchedTake, Ints [| 1; 1; 4 |])))
      yield! scatterCases
      case "scatter_add with a batching axis" numeric [ [| 3; 5; 4 |]; [| 3; 4 |] ] [ ints [| 3; 1 |] [| 4; 0; 2 |] ]
          (one (fun xs -> Lax.ScatterAdd(xs[0], xs[2], xs[1], batchedUpdates)))
      case "cumsum, cumprod, cummax, cummin of [4; 5] along each axis, forwards and reversed" numeric [ [| 4; 5 |] ] []
          (fun xs ->
              [| for axis in [ 0; 1 ] do
                     for reverse in [ false; true ] do
                         yield Lax.Cumsum(xs[0], axis, reverse)
                         yield Lax.Cumprod(xs[0], axis, reverse)
                         yield Lax.Cummax(xs[0], axis, reverse)
                         yield Lax.Cummin(xs[0], axis, reverse) |])
      case "sort [4; 9] along each axis (ties stable, NaN last)" all [ [| 4; 9 |] ] []
          (fun xs -> [| Lax.Sort(xs[0], 1); Lax.Sort(xs[0], 0) |])
      case "sort of three operands by two keys along axis 0, the third carried" all [ [| 7; 3 |]; [| 7; 3 |] ] []
          (fun xs -> Lax.Sort([| xs[0]; xs[1]; Lax.BroadcastedIota(DType.Int32, Shape [| 7; 3 |], 0) |], 0, 2)) ]

let private check (d: Device) (c: Case) (dtype: DType) (seed: int) =
    agreesBitForBit d $"{c.Name}, {dtype} (seed {seed})" (c.Inputs seed dtype) c.Run

[<Tests>]
let tests =
    testList
        "opencl index kernels"
        [ for dtype in all do
              onDevice $"{dtype}: index maps, gather and scatter, cumulative ops and sort are the CPU's bit for bit" (fun d ->
                  if dtype = DType.Float64 && not ((d :?> JaxSharp.OpenCL.Runtime.OpenCLDevice).HasFloat64) then
                      skiptest $"{d} has no cl_khr_fp64"
                  let seed = 9100 + 100 * int dtype
                  printfn $"opencl index kernels {dtype}: seeds from {seed}"
                  for k, c in List.indexed cases do
                      if List.contains dtype c.DTypes then check d c dtype (seed + 10 * k))
          test "on the CPU, uint32 above 2^31 sorts, accumulates, reduces and scatters in unsigned order; gather fills with the largest uint32" {
              let big = 3000000000u
              let x = Tensor.FromArray [| big; 1u; 5u |]
              Expect.equal (Lax.Sort(x, 0).ToArray<uint32>()) [| 1u; 5u; big |] "sort"
              Expect.equal (Lax.Cummax(x, 0).ToArray<uint32>()) [| big; big; big |] "cummax"
              Expect.equal (Lax.Argmax(x, 0).ToArray<int>()) [| 0 |] "argmax"
              let updates = Tensor.FromArray [| 2u; big |]
              let dn = ScatterDimensionNumbers(Ints [||], Ints [| 0 |], Ints [| 0 |])
              Expect.equal (Lax.ScatterMax(x, ints [| 2; 1 |] [| 1; 1 |], updates, dn).ToArray<uint32>()) [| big; big; 5u |] "scatter_max"
              let element = GatherDimensionNumbers(Ints [||], Ints [| 0 |], Ints [| 0 |])
              let filled = Lax.Gather(x, ints [| 1; 1 |] [| 7 |], element, Ints [| 1 |], GatherScatterMode.FillOrDrop)
              Expect.equal (filled.ToArray<uint32>()) [| UInt32.MaxValue |] "gather's default fill"
              let signed = Tensor.FromArray [| 3; -1; 5 |]
              Expect.equal (Lax.Sort(signed, 0).ToArray<int>()) [| -1; 3; 5 |] "int32 still sorts signed"
          }
          onDevice "sort of two lines of 3000 floats is the CPU's" (fun d ->
              let seed = 9900
              printfn $"opencl long sort: seed {seed}"
              let x = deviceData seed DType.Float32 [| 2; 3000 |]
              let expected = Lax.Sort(x, 1)
              let actual = jit (fun (a: Tensor) -> Lax.Sort(a, 1)) (devicePut d x)
              Expect.isTrue (Array.forall2 sameBits (toFloats expected) (toFloats actual)) $"sorted as the CPU (seed {seed})") ]
