namespace JaxSharp.FSharp

open JaxSharp

/// F# slicing syntax for tensors, ranks 1 to 4: `x[1..3]`, `x[*, 0]`, `x[2.., ..1]`.
/// As everywhere in F#, a slice includes its end: `x[1..3]` is numpy's `x[1:4]`. Ints follow
/// numpy: negative ones count from the end (`x[-1]`, and `x[0 .. -2]` drops the last element).
/// Plain ints need nothing here: `x[1]` and `x[0, -1]` go to the core indexer (`Tensor.Index`,
/// ints convert to `Ix`). For steps, new axes, ellipses and integer arrays, index with `Ix` items:
/// `x.Index [| Ix.Slice(System.Nullable(), System.Nullable(), -1) |]`.
[<AutoOpen>]
module Slicing =
    /// An F# slice (inclusive end) as an index item.
    let internal sliceIx (start: int option) (finish: int option) =
        let stop =
            match finish with
            | Some -1 -> None
            | Some e -> Some(e + 1)
            | None -> None
        Ix.Slice(Option.toNullable start, Option.toNullable stop)

    /// An int as an index item.
    let internal intIx (i: int) : Ix = Ix.op_Implicit i

    type Tensor with
        /// F# slicing (slice); slice ends are inclusive.
        member x.GetSlice(s0: int option, e0: int option) = x.Index [| sliceIx s0 e0 |]

        /// F# slicing (slice, slice); slice ends are inclusive.
        member x.GetSlice(s0: int option, e0: int option, s1: int option, e1: int option) = x.Index [| sliceIx s0 e0; sliceIx s1 e1 |]

        /// F# slicing (slice, int); slice ends are inclusive.
        member x.GetSlice(s0: int option, e0: int option, i1: int) = x.Index [| sliceIx s0 e0; intIx i1 |]

        /// F# slicing (int, slice); slice ends are inclusive.
        member x.GetSlice(i0: int, s1: int option, e1: int option) = x.Index [| intIx i0; sliceIx s1 e1 |]

        /// F# slicing (slice, slice, slice); slice ends are inclusive.
        member x.GetSlice(s0: int option, e0: int option, s1: int option, e1: int option, s2: int option, e2: int option) = x.Index [| sliceIx s0 e0; sliceIx s1 e1; sliceIx s2 e2 |]

        /// F# slicing (slice, slice, int); slice ends are inclusive.
        member x.GetSlice(s0: int option, e0: int option, s1: int option, e1: int option, i2: int) = x.Index [| sliceIx s0 e0; sliceIx s1 e1; intIx i2 |]

        /// F# slicing (slice, int, slice); slice ends are inclusive.
        member x.GetSlice(s0: int option, e0: int option, i1: int, s2: int option, e2: int option) = x.Index [| sliceIx s0 e0; intIx i1; sliceIx s2 e2 |]

        /// F# slicing (slice, int, int); slice ends are inclusive.
        member x.GetSlice(s0: int option, e0: int option, i1: int, i2: int) = x.Index [| sliceIx s0 e0; intIx i1; intIx i2 |]

        /// F# slicing (int, slice, slice); slice ends are inclusive.
        member x.GetSlice(i0: int, s1: int option, e1: int option, s2: int option, e2: int option) = x.Index [| intIx i0; sliceIx s1 e1; sliceIx s2 e2 |]

        /// F# slicing (int, slice, int); slice ends are inclusive.
        member x.GetSlice(i0: int, s1: int option, e1: int option, i2: int) = x.Index [| intIx i0; sliceIx s1 e1; intIx i2 |]

        /// F# slicing (int, int, slice); slice ends are inclusive.
        member x.GetSlice(i0: int, i1: int, s2: int option, e2: int option) = x.Index [| intIx i0; intIx i1; sliceIx s2 e2 |]

        /// F# slicing (slice, slice, slice, slice); slice ends are inclusive.
        member x.GetSlice(s0: int option, e0: int option, s1: int option, e1: int option, s2: int option, e2: int option, s3: int option, e3: int option) = x.Index [| sliceIx s0 e0; sliceIx s1 e1; sliceIx s2 e2; sliceIx s3 e3 |]

        /// F# slicing (slice, slice, slice, int); slice ends are inclusive.
        member x.GetSlice(s0: int option, e0: int option, s1: int option, e1: int option, s2: int option, e2: int option, i3: int) = x.Index [| sliceIx s0 e0; sliceIx s1 e1; sliceIx s2 e2; intIx i3 |]

        /// F# slicing (slice, slice, int, slice); slice ends are inclusive.
        member x.GetSlice(s0: int option, e0: int option, s1: int option, e1: int option, i2: int, s3: int option, e3: int option) = x.Index [| sliceIx s0 e0; sliceIx s1 e1; intIx i2; sliceIx s3 e3 |]

        /// F# slicing (slice, slice, int, int); slice ends are inclusive.
        member x.GetSlice(s0: int option, e0: int option, s1: int option, e1: int option, i2: int, i3: int) = x.Index [| sliceIx s0 e0; sliceIx s1 e1; intIx i2; intIx i3 |]

        /// F# slicing (slice, int, slice, slice); slice ends are inclusive.
        member x.GetSlice(s0: int option, e0: int option, i1: int, s2: int option, e2: int option, s3: int option, e3: int option) = x.Index [| sliceIx s0 e0; intIx i1; sliceIx s2 e2; sliceIx s3 e3 |]

        /// F# slicing (slice, int, slice, int); slice ends are inclusive.
        member x.GetSlice(s0: int option, e0: int option, i1: int, s2: int option, e2: int option, i3: int) = x.Index [| sliceIx s0 e0; intIx i1; sliceIx s2 e2; intIx i3 |]

        /// F# slicing (slice, int, int, slice); slice ends are inclusive.
        member x.GetSlice(s0: int option, e0: int option, i1: int, i2: int, s3: int option, e3: int option) = x.Index [| sliceIx s0 e0; intIx i1; intIx i2; sliceIx s3 e3 |]

        /// F# slicing (slice, int, int, int); slice ends are inclusive.
        member x.GetSlice(s0: int option, e0: int option, i1: int, i2: int, i3: int) = x.Index [| sliceIx s0 e0; intIx i1; intIx i2; intIx i3 |]

        /// F# slicing (int, slice, slice, slice); slice ends are inclusive.
        member x.GetSlice(i0: int, s1: int option, e1: int option, s2: int option, e2: int option, s3: int option, e3: int option) = x.Index [| intIx i0; sliceIx s1 e1; sliceIx s2 e2; sliceIx s3 e3 |]

        /// F# slicing (int, slice, slice, int); slice ends are inclusive.
        member x.GetSlice(i0: int, s1: int option, e1: int option, s2: int option, e2: int option, i3: int) = x.Index [| intIx i0; sliceIx s1 e1; sliceIx s2 e2; intIx i3 |]

        /// F# slicing (int, slice, int, slice); slice ends are inclusive.
        member x.GetSlice(i0: int, s1: int option, e1: int option, i2: int, s3: int option, e3: int option) = x.Index [| intIx i0; sliceIx s1 e1; intIx i2; sliceIx s3 e3 |]

        /// F# slicing (int, slice, int, int); slice ends are inclusive.
        member x.GetSlice(i0: int, s1: int option, e1: int option, i2: int, i3: int) = x.Index [| intIx i0; sliceIx s1 e1; intIx i2; intIx i3 |]

        /// F# slicing (int, int, slice, slice); slice ends are inclusive.
        member x.GetSlice(i0: int, i1: int, s2: int option, e2: int option, s3: int option, e3: int option) = x.Index [| intIx i0; intIx i1; sliceIx s2 e2; sliceIx s3 e3 |]

        /// F# slicing (int, int, slice, int); slice ends are inclusive.
        member x.GetSlice(i0: int, i1: int, s2: int option, e2: int option, i3: int) = x.Index [| intIx i0; intIx i1; sliceIx s2 e2; intIx i3 |]

        /// F# slicing (int, int, int, slice); slice ends are inclusive.
        member x.GetSlice(i0: int, i1: int, i2: int, s3: int option, e3: int option) = x.Index [| intIx i0; intIx i1; intIx i2; sliceIx s3 e3 |]
