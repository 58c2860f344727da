/// The error messages of the shape rules and of the numpy-level shape functions: each names
/// the op, the shapes or axes, and what to do.
module ShapeErrors

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp

let f32 (shape: int[]) = np.zerosOf DType.Float32 shape

/// Expects an ArgumentException whose message contains every fragment.
let throwsWith (fragments: string list) (f: unit -> Tensor) =
    Expect.throwsT<ArgumentException> (f >> ignore) "throws ArgumentException"
    let message =
        try
            f () |> ignore
            ""
        with :? ArgumentException as e -> e.Message
    for fragment in fragments do
        Expect.stringContains message fragment $"the message names {fragment}"

[<Tests>]
let tests =
    testList "shape errors" [
        test "reshape names both shapes and their sizes" {
            throwsWith [ "reshape: cannot reshape (2, 3) (6 elements) to (4,)" ] (fun () -> Lax.Reshape(f32 [| 2; 3 |], Shape [| 4 |]))
        }
        test "np.reshape allows only one unknown size" {
            throwsWith [ "reshape"; "(-1, -1)"; "at most one -1" ] (fun () -> f32 [| 2; 3 |] |> np.reshape [| -1; -1 |])
            throwsWith [ "cannot reshape (2, 3)"; "(4, -1)" ] (fun () -> f32 [| 2; 3 |] |> np.reshape [| 4; -1 |])
        }
        test "transpose rejects a non-permutation" {
            throwsWith [ "transpose: permutation (0, 0)"; "(2, 3)"; "exactly once" ] (fun () -> Lax.Transpose(f32 [| 2; 3 |], Ints [| 0; 0 |]))
        }
        test "an out-of-range axis names the axis and the valid range" {
            throwsWith [ "swapaxes: axis 2"; "rank 2"; "[-2, 2)" ] (fun () -> f32 [| 2; 3 |] |> np.swapaxes 0 2)
            throwsWith [ "rev"; "axis 3"; "(2, 3)" ] (fun () -> Lax.Rev(f32 [| 2; 3 |], Ints [| 3 |]))
        }
        test "squeeze refuses an axis whose size is not 1" {
            throwsWith [ "squeeze: axis 0 of shape (2, 1) has size 2" ] (fun () -> f32 [| 2; 1 |] |> np.squeezeAxes [| 0 |])
        }
        test "slice names the bounds that do not fit" {
            throwsWith [ "slice"; "(0, 4)"; "(2, 5)"; "axis 1"; "<= 3" ] (fun () -> Lax.Slice(f32 [| 2; 3 |], Ints [| 0; 4 |], Ints [| 2; 5 |]))
            throwsWith [ "slice"; "strides must be >= 1" ] (fun () -> Lax.Slice(f32 [| 3 |], Ints [| 0 |], Ints [| 3 |], Ints [| 0 |]))
        }
        test "concatenate names the shapes that differ" {
            throwsWith [ "concatenate: shapes (2, 3), (2, 4) differ outside axis 0" ] (fun () -> np.concatenate 0 [ f32 [| 2; 3 |]; f32 [| 2; 4 |] ])
            throwsWith [ "concatenate"; "float32"; "int32" ] (fun () -> Lax.Concatenate([ f32 [| 2 |]; np.zerosOf DType.Int32 [| 2 |] ], 0))
        }
        test "stack needs equal shapes" {
            throwsWith [ "stack: all arrays must have the same shape, got (2,), (3,)" ] (fun () -> np.stack 0 [ f32 [| 2 |]; f32 [| 3 |] ])
        }
        test "broadcast_to names both shapes" {
            throwsWith [ "broadcast_to: cannot broadcast shape (3,) to (2, 4)" ] (fun () -> f32 [| 3 |] |> np.broadcastTo [| 2; 4 |])
        }
        test "split needs a divisible axis" {
            Expect.throwsT<ArgumentException> (fun () -> f32 [| 5 |] |> np.split 2 |> ignore) "5 into 2"
        }
        test "pad rejects a size that cropping makes negative" {
            throwsWith [ "pad"; "negative size" ] (fun () -> Lax.Pad(f32 [| 2 |], np.scalar 0.0f, [| struct (-2, -1, 0) |]))
            throwsWith [ "lax.pad requires the operand and the paddingValue to have the same dtype, got float32 and float64" ] (fun () -> Lax.Pad(f32 [| 2 |], np.scalar 0.0, [| struct (1, 1, 0) |]))
        }
        test "dynamic_slice needs one int32 scalar start per axis" {
            throwsWith [ "dynamic_slice: operand of shape (2, 3) needs 2 start indices, got 1" ] (fun () ->
                Lax.DynamicSlice(f32 [| 2; 3 |], [| np.scalar 0 |], Ints [| 1; 1 |]))
            throwsWith [ "dynamic_slice: start index 0 must be an int32 scalar"; "float32" ] (fun () ->
                Lax.DynamicSlice(f32 [| 2 |], [| np.scalar 0.0f |], Ints [| 1 |]))
            throwsWith [ "slice_sizes (3,)"; "(2,)" ] (fun () -> Lax.DynamicSlice(f32 [| 2 |], [| np.scalar 0 |], Ints [| 3 |]))
        }
        test "gather checks its indices and dimension numbers" {
            let dn = GatherDimensionNumbers(Ints [| 1 |], Ints [| 0 |], Ints [| 0 |])
            throwsWith [ "gather: indices must be int32"; "float32" ] (fun () ->
                Lax.Gather(f32 [| 3; 2 |], f32 [| 2; 1 |], dn, Ints [| 1; 2 |]))
            throwsWith [ "gather: indices of shape (2, 2)"; "index vector of length 1" ] (fun () ->
                Lax.Gather(f32 [| 3; 2 |], np.zerosOf DType.Int32 [| 2; 2 |], dn, Ints [| 1; 2 |]))
            throwsWith [ "gather: slice_sizes (2, 2)"; "collapsed" ] (fun () ->
                Lax.Gather(f32 [| 3; 2 |], np.zerosOf DType.Int32 [| 2; 1 |], dn, Ints [| 2; 2 |]))
        }
        test "scatter checks the updates' shape" {
            let dn = ScatterDimensionNumbers(Ints [| 1 |], Ints [| 0 |], Ints [| 0 |])
            throwsWith [ "scatter_add: updates of shape (2, 5) do not fit" ] (fun () ->
                Lax.ScatterAdd(f32 [| 3; 2 |], np.zerosOf DType.Int32 [| 2; 1 |], f32 [| 2; 5 |], dn))
        }
        test "iota refuses bool and an out-of-range dimension" {
            throwsWith [ "iota: dtype bool" ] (fun () -> Lax.Iota(DType.Bool, 3))
            throwsWith [ "iota: dimension 1"; "(3,)" ] (fun () -> Lax.BroadcastedIota(DType.Int32, Shape [| 3 |], 1))
        }
        test "sort of a scalar names the axis" {
            throwsWith [ "sort: axis -1"; "rank 0" ] (fun () -> np.sort (np.scalar 1.0f))
        }
        test "arange refuses a zero step" {
            throwsWith [ "arange: step 0" ] (fun () -> np.arangeStep 0 5 0)
        }
        test "take refuses float indices" {
            throwsWith [ "take: indices must be integers"; "float32" ] (fun () -> f32 [| 3 |] |> np.take (f32 [| 2 |]))
        }
    ]
