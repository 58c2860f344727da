/// The op table of the shape and indexing primitives: each checked on random shapes,
/// parameters, dtypes and values against a reference written as plain loops over .NET arrays.
module OpTable.ShapeOps

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open JaxSharp
open OpTable.Generators

/// The primitives this table checks against references.
let covered =
    [ "broadcast_in_dim"; "reshape"; "transpose"; "squeeze"; "expand_dims"; "rev"; "slice"; "dynamic_slice"
      "dynamic_update_slice"; "gather"; "scatter"; "scatter_add"; "scatter_mul"; "scatter_min"; "scatter_max"
      "concatenate"; "pad"; "iota"; "sort" ]

// ---- reference helpers: row-major index arithmetic on flat arrays ----

let size (shape: int[]) = Array.fold (*) 1 shape

let stridesOf (shape: int[]) =
    Array.init shape.Length (fun d -> size shape[d + 1 ..])

/// The multi-index of flat position k.
let unravel (shape: int[]) (k: int) =
    let s = stridesOf shape
    Array.init shape.Length (fun d -> k / s[d] % shape[d])

/// The flat position of a multi-index.
let ravel (shape: int[]) (index: int[]) =
    Array.fold2 (fun acc i s -> acc + i * s) 0 index (stridesOf shape)

/// out[k] = f (multi-index of k) for every position of the shape.
let build (shape: int[]) (f: int[] -> float) = Array.init (size shape) (unravel shape >> f)

let config = { FsCheckConfig.defaultConfig with maxTest = 30 }

let dtypes = [ DType.Float32; DType.Float64; DType.Int32; DType.UInt32; DType.Bool ]

/// A tensor of a random dtype with small whole values (exact in every dtype).
let tensorGen (shape: int[]) =
    gen {
        let! dtype = Gen.elements dtypes
        let domain = if dtype = DType.Bool then Booleans else Integers(0, 9)
        let! values = valuesGen domain (size shape)
        return tensorOf dtype shape values, values
    }

let check name (expected: float[]) (actual: Tensor) = expectClose 0.0 expected actual name

let permutationGen n = Gen.shuffle [| 0 .. n - 1 |] |> Gen.map Array.ofSeq

let subsetGen n = Gen.subListOf [ 0 .. n - 1 ] |> Gen.map (Seq.sort >> Array.ofSeq)

let int32Tensor (shape: int[]) (values: int[]) = Tensor.FromArray(values, Shape shape)

let prop name (arb: Gen<'a>) (body: 'a -> unit) =
    testPropertyWithConfig config name (Prop.forAll (Arb.fromGen arb) body)

// ---- the layout primitives ----

let layoutTests =
    testList "layout primitives" [
        prop "transpose permutes the axes" (gen {
            let! shape = shapeGen 4 3
            let! perm = permutationGen shape.Length
            let! x = tensorGen shape
            return shape, perm, x }) (fun (shape, perm, (x, values)) ->
            let outShape = perm |> Array.map (fun a -> shape[a])
            let expected = build outShape (fun o ->
                let i = Array.zeroCreate shape.Length
                perm |> Array.iteri (fun k a -> i[a] <- o[k])
                values[ravel shape i])
            check "transpose" expected (Lax.Transpose(x, Ints perm)))

        prop "broadcast_in_dim repeats along new axes and stretches size-1 axes" (gen {
            let! outShape = shapeGen 4 3
            let! dims = subsetGen outShape.Length
            let! ones = Gen.arrayOfLength dims.Length (Gen.elements [ true; false ])
            let shape = Array.map2 (fun d one -> if one then 1 else outShape[d]) dims ones
            let! x = tensorGen shape
            return outShape, dims, shape, x }) (fun (outShape, dims, shape, (x, values)) ->
            let expected = build outShape (fun o -> values[ravel shape (dims |> Array.mapi (fun k d -> if shape[k] = 1 then 0 else o[d]))])
            check "broadcast_in_dim" expected (Lax.BroadcastInDim(x, Shape outShape, Ints dims)))

        prop "reshape keeps the row-major order" (gen {
            let! shape = shapeGen 4 3
            let! x = tensorGen shape
            return shape, x }) (fun (shape, (x, values)) ->
            let target = [| size shape; 1 |]
            check "reshape" values (Lax.Reshape(x, Shape target)))

        prop "squeeze and expand_dims move no elements" (gen {
            let! shape = shapeGen 3 3
            let! at = Gen.choose (0, shape.Length)
            let! x = tensorGen shape
            return shape, at, x }) (fun (shape, at, (x, values)) ->
            let expanded = Lax.ExpandDims(x, Ints [| at |])
            Expect.equal (expanded.Shape.ToArray()) (Array.insertAt at 1 shape) "expand_dims shape"
            let squeezed = Lax.Squeeze(expanded, Ints [| at |])
            Expect.equal (squeezed.Shape.ToArray()) shape "squeeze shape"
            check "expand_dims" values expanded
            check "squeeze" values squeezed)

        prop "rev reverses the chosen axes" (gen {
            let! shape = shapeGen 4 3
            let! dims = subsetGen shape.Length
            let! x = tensorGen shape
            return shape, dims, x }) (fun (shape, dims, (x, values)) ->
            let expected = build shape (fun o -> values[ravel shape (o |> Array.mapi (fun d i -> if Array.contains d dims then shape[d] - 1 - i else i))])
            check "rev" expected (Lax.Rev(x, Ints dims)))

        prop "concatenate joins the operands along the axis" (gen {
            let! shape = nonEmptyShapeGen 3 3
            let! axis = Gen.choose (0, shape.Length - 1)
            let! sizes = Gen.listOfLength 3 (Gen.choose (0, 3))
            let! dtype = Gen.elements dtypes
            let shapes = sizes |> List.map (fun s -> Array.updateAt axis s shape)
            let! values = shapes |> List.map (fun s -> valuesGen (Integers(0, 1)) (size s)) |> Gen.sequenceToList
            return axis, dtype, shapes, values }) (fun (axis, dtype, shapes, values) ->
            let xs = List.map2 (tensorOf dtype) shapes values
            let outShape = Array.updateAt axis (shapes |> List.sumBy (fun s -> s[axis])) shapes[0]
            let expected = build outShape (fun o ->
                // find the operand that holds position o[axis]
                let rec pick k offset =
                    let n = shapes[k][axis]
                    if o[axis] < offset + n then values[k][ravel shapes[k] (Array.updateAt axis (o[axis] - offset) o)]
                    else pick (k + 1) (offset + n)
                pick 0 0)
            check "concatenate" expected (Lax.Concatenate(xs, axis)))

        prop "pad surrounds, interleaves and crops" (gen {
            let! shape = shapeGen 3 3
            let! cfg = Gen.arrayOfLength shape.Length (Gen.zip3 (Gen.choose (-2, 2)) (Gen.choose (-2, 2)) (Gen.choose (0, 2)))
            let! x = tensorGen shape
            return shape, cfg, x }) (fun (shape, cfg, (x, values)) ->
            let outDim d = let (l, h, i) = cfg[d] in l + h + shape[d] + max (shape[d] - 1) 0 * i
            if Array.forall (fun d -> outDim d >= 0) [| 0 .. shape.Length - 1 |] then
                let padValue = tensorOf x.DType [||] [| 7.0 |]
                let outShape = Array.init shape.Length outDim
                let expected = build outShape (fun o ->
                    // output position p comes from operand index (p - low) / (interior + 1) when that divides
                    let source = o |> Array.mapi (fun d p ->
                        let (l, _, i) = cfg[d]
                        let q = p - l
                        if q >= 0 && q % (i + 1) = 0 && q / (i + 1) < shape[d] then q / (i + 1) else -1)
                    if Array.contains -1 source then (if x.DType = DType.Bool then 1.0 else 7.0) else values[ravel shape source])
                let config = cfg |> Array.map (fun (l, h, i) -> struct (l, h, i))
                check "pad" expected (Lax.Pad(x, padValue, config)))

        prop "iota counts along its dimension" (gen {
            let! shape = nonEmptyShapeGen 3 4
            let! dim = Gen.choose (0, shape.Length - 1)
            let! dtype = Gen.elements [ DType.Float32; DType.Float64; DType.Int32; DType.UInt32 ]
            return shape, dim, dtype }) (fun (shape, dim, dtype) ->
            let t = Lax.BroadcastedIota(dtype, Shape shape, dim)
            Expect.equal t.DType dtype "dtype"
            check "iota" (build shape (fun o -> float o[dim])) t)
    ]

// ---- slicing primitives ----

let sliceTests =
    testList "slicing primitives" [
        prop "slice takes the strided box" (gen {
            let! shape = shapeGen 3 5
            let! bounds = shape |> Array.map (fun n -> gen {
                                let! a = Gen.choose (0, n)
                                let! b = Gen.choose (a, n)
                                let! s = Gen.choose (1, 3)
                                return a, b, s }) |> Gen.sequenceToArray
            let! x = tensorGen shape
            return shape, bounds, x }) (fun (shape, bounds, (x, values)) ->
            let outShape = bounds |> Array.map (fun (a, b, s) -> (b - a + s - 1) / s)
            let expected = build outShape (fun o -> values[ravel shape (o |> Array.mapi (fun d i -> let (a, _, s) = bounds[d] in a + i * s))])
            let starts, limits, strides = Array.unzip3 bounds
            check "slice" expected (Lax.Slice(x, Ints starts, Ints limits, Ints strides)))

        prop "dynamic_slice clamps its starts into range" (gen {
            let! shape = shapeGen 3 4
            let! sizes = shape |> Array.map (fun n -> Gen.choose (0, n)) |> Gen.sequenceToArray
            let! starts = Gen.arrayOfLength shape.Length (Gen.choose (-3, 6))
            let! x = tensorGen shape
            return shape, sizes, starts, x }) (fun (shape, sizes, starts, (x, values)) ->
            let clamped = starts |> Array.mapi (fun d s -> min (max s 0) (shape[d] - sizes[d]))
            let expected = build sizes (fun o -> values[ravel shape (Array.map2 (+) clamped o)])
            let startTensors = starts |> Array.map (fun s -> Tensor.Scalar s)
            check "dynamic_slice" expected (Lax.DynamicSlice(x, startTensors, Ints sizes)))

        prop "dynamic_update_slice writes the update at clamped starts and leaves the operand alone" (gen {
            let! shape = shapeGen 3 4
            let! sizes = shape |> Array.map (fun n -> Gen.choose (0, n)) |> Gen.sequenceToArray
            let! starts = Gen.arrayOfLength shape.Length (Gen.choose (-3, 6))
            let! x = tensorGen shape
            let! updateValues = valuesGen (Integers(0, 1)) (size sizes)
            return shape, sizes, starts, x, updateValues }) (fun (shape, sizes, starts, (x, values), updateValues) ->
            let update = tensorOf x.DType sizes updateValues
            let clamped = starts |> Array.mapi (fun d s -> min (max s 0) (shape[d] - sizes[d]))
            let expected = build shape (fun i ->
                let u = Array.map2 (-) i clamped
                if Array.forall2 (fun k n -> k >= 0 && k < n) u sizes then updateValues[ravel sizes u] else values[ravel shape i])
            let before = toFloats x
            check "dynamic_update_slice" expected (Lax.DynamicUpdateSlice(x, update, starts |> Array.map (fun s -> Tensor.Scalar s)))
            Expect.equal (toFloats x) before "the operand is unchanged")
    ]

// ---- gather and scatter, against XLA's definitions written as loops ----

/// One layout of gather/scatter: operand shape, batch shape of the indices, the axis
/// roles, and the window sizes (per operand axis).
type IndexingCase =
    { Operand: int[]
      Batch: int[]
      Offset: int[]          // gather offset_dims / scatter update_window_dims
      Removed: int[]         // collapsed_slice_dims / inserted_window_dims
      StartMap: int[]
      OperandBatching: int[]
      IndicesBatching: int[]
      Window: int[] }

    member c.WindowDims =
        [| 0 .. c.Operand.Length - 1 |] |> Array.filter (fun d -> not (Array.contains d c.Removed || Array.contains d c.OperandBatching))

    /// The shape of gather's output, which is also scatter's updates.
    member c.OtherShape =
        let rank = c.Batch.Length + c.Offset.Length
        let windows = c.WindowDims |> Array.map (fun d -> c.Window[d])
        let mutable b, w = 0, 0
        Array.init rank (fun d ->
            if Array.contains d c.Offset then (w <- w + 1; windows[w - 1]) else (b <- b + 1; c.Batch[b - 1]))

let indexingCaseGen =
    gen {
        let! n = Gen.choose (1, 4)
        let! c = Gen.choose (1, 3)
        let! m = Gen.choose (0, 3)
        let! w = Gen.choose (0, n)
        let! which = Gen.choose (0, 3)
        return
            match which with
            | 0 -> // rows of a matrix
                { Operand = [| n; c |]; Batch = [| m |]; Offset = [| 1 |]; Removed = [| 0 |]; StartMap = [| 0 |]
                  OperandBatching = [||]; IndicesBatching = [||]; Window = [| 1; c |] }
            | 1 -> // points of a matrix
                { Operand = [| n; c |]; Batch = [| m; 2 |]; Offset = [||]; Removed = [| 0; 1 |]; StartMap = [| 1; 0 |]
                  OperandBatching = [||]; IndicesBatching = [||]; Window = [| 1; 1 |] }
            | 2 -> // windows of w columns, all rows
                { Operand = [| c; n |]; Batch = [| m |]; Offset = [| 1; 2 |]; Removed = [||]; StartMap = [| 1 |]
                  OperandBatching = [||]; IndicesBatching = [||]; Window = [| c; w |] }
            | _ -> // one index per row: batching
                { Operand = [| c; n |]; Batch = [| c; m |]; Offset = [||]; Removed = [| 1 |]; StartMap = [| 1 |]
                  OperandBatching = [| 0 |]; IndicesBatching = [| 0 |]; Window = [| 1; 1 |] }
    }

/// The operand position of window element `offsets` for batch index `batch`, or None when
/// (in fill-or-drop mode) the window leaves the operand.
let windowPosition (c: IndexingCase) (indices: int[]) clip (batch: int[]) (offsets: int[]) =
    let k = c.StartMap.Length
    let ishape = Array.append c.Batch [| k |]
    let start = Array.zeroCreate c.Operand.Length
    let mutable inside = true
    for j in 0 .. k - 1 do
        let d = c.StartMap[j]
        let s = indices[ravel ishape (Array.append batch [| j |])]
        let limit = c.Operand[d] - c.Window[d]
        if clip then start[d] <- min (max s 0) limit
        else
            if s < 0 || s > limit then inside <- false
            start[d] <- s
    c.OperandBatching |> Array.iteri (fun i d -> start[d] <- batch[c.IndicesBatching[i]])
    c.WindowDims |> Array.iteri (fun i d -> start[d] <- start[d] + offsets[i])
    if inside then Some(ravel c.Operand start) else None

/// Splits a position of gather's output (scatter's updates) into batch and window indices.
let splitIndex (c: IndexingCase) (o: int[]) =
    let batch = o |> Array.indexed |> Array.filter (fun (d, _) -> not (Array.contains d c.Offset)) |> Array.map snd
    let offsets = c.Offset |> Array.map (fun d -> o[d])
    batch, offsets

let caseWithData =
    gen {
        let! c = indexingCaseGen
        let! clip = Gen.elements [ true; false ]
        let k = c.StartMap.Length
        let! indices = Gen.arrayOfLength (size c.Batch * k) (Gen.choose (-2, 5))
        return c, clip, indices
    }

let gatherScatterTests =
    testList "gather and scatter" [
        prop "gather reads windows at the indices, clamping or filling" (gen {
            let! c, clip, indices = caseWithData
            let! x = tensorGen c.Operand
            return c, clip, indices, x }) (fun (c, clip, indices, (x, values)) ->
            let fill = if x.DType = DType.Bool then 1.0 else 5.0
            let expected = build c.OtherShape (fun o ->
                let batch, offsets = splitIndex c o
                match windowPosition c indices clip batch offsets with
                | Some p -> values[p]
                | None -> fill)
            let dn = GatherDimensionNumbers(Ints c.Offset, Ints c.Removed, Ints c.StartMap, Ints c.OperandBatching, Ints c.IndicesBatching)
            let mode = if clip then GatherScatterMode.Clip else GatherScatterMode.FillOrDrop
            let ind = int32Tensor (Array.append c.Batch [| c.StartMap.Length |]) indices
            check "gather" expected (Lax.Gather(x, ind, dn, Ints c.Window, mode, Nullable 5.0)))

        prop "the scatters combine updates into the operand, in order" (gen {
            let! c, clip, indices = caseWithData
            let! op = Gen.elements [ "scatter"; "scatter_add"; "scatter_mul"; "scatter_min"; "scatter_max" ]
            let! dtype = Gen.elements (if op = "scatter" then dtypes else List.filter ((<>) DType.Bool) dtypes)
            let domain = if dtype = DType.Bool then Booleans else Integers(0, 5)
            let! values = valuesGen domain (size c.Operand)
            let! updates = valuesGen domain (size c.OtherShape)
            return c, clip, indices, op, dtype, values, updates }) (fun (c, clip, indices, op, dtype, values, updates) ->
            let combine: float -> float -> float =
                match op with
                | "scatter" -> fun _ u -> u
                | "scatter_add" -> (+)
                | "scatter_mul" -> (*)
                | "scatter_min" -> min
                | _ -> max
            let expected = Array.copy values
            let other = c.OtherShape
            for k in 0 .. size other - 1 do
                let batch, offsets = splitIndex c (unravel other k)
                match windowPosition c indices clip batch offsets with
                | Some p -> expected[p] <- combine expected[p] updates[k]
                | None -> ()
            let dn = ScatterDimensionNumbers(Ints c.Offset, Ints c.Removed, Ints c.StartMap, Ints c.OperandBatching, Ints c.IndicesBatching)
            let mode = if clip then GatherScatterMode.Clip else GatherScatterMode.FillOrDrop
            let ind = int32Tensor (Array.append c.Batch [| c.StartMap.Length |]) indices
            let x = tensorOf dtype c.Operand values
            let u = tensorOf dtype other updates
            let result = Primitives.PrimitiveRegistry.Get(op).Bind(Primitives.Indexing.ScatterParams(dn, mode), x, ind, u)
            check op expected result
            check "the operand is unchanged" values x)
    ]

// ---- sorting ----

/// Ascending with NaN last; equal elements keep their order (List.sortWith is stable).
let refSortLane (lane: float[]) =
    let key v = if Double.IsNaN v then (1, 0.0) else (0, v)
    lane |> Array.indexed |> List.ofArray |> List.sortWith (fun (_, a) (_, b) -> compare (key a) (key b)) |> Array.ofList

let sortTests =
    testList "sorting" [
        prop "sort and argsort order each lane stably with NaNs last" (gen {
            let! shape = nonEmptyShapeGen 3 4
            let! dim = Gen.choose (0, shape.Length - 1)
            let! dtype = Gen.elements dtypes
            let! raw = valuesGen (Integers(0, 3)) (size shape)
            // floats get NaNs (from 3) and signed zeros; the rest small duplicates
            let values =
                match dtype with
                | DType.Float32 | DType.Float64 -> raw |> Array.map (fun v -> if v = 3.0 then nan elif v = 0.0 then -0.0 else v)
                | DType.Bool -> raw |> Array.map (fun v -> if v > 1.0 then 1.0 else v)
                | _ -> raw
            return shape, dim, dtype, values }) (fun (shape, dim, dtype, values) ->
            let x = tensorOf dtype shape values
            let sorted = Array.zeroCreate (size shape)
            let order = Array.zeroCreate (size shape)
            for k in 0 .. size shape - 1 do
                let o = unravel shape k
                if o[dim] = 0 then
                    let positions = Array.init shape[dim] (fun j -> ravel shape (Array.updateAt dim j o))
                    refSortLane (positions |> Array.map (fun p -> values[p]))
                    |> Array.iteri (fun j (src, v) -> sorted[positions[j]] <- v; order[positions[j]] <- float src)
            check "sort" sorted (Lax.Sort(x, dim))
            check "argsort" order (Lax.Argsort(x, dim)))
        prop "sort of three operands orders each lane by two keys in turn and carries the third along" (gen {
            let! shape = nonEmptyShapeGen 3 4
            let! dim = Gen.choose (0, shape.Length - 1)
            let! dtypes = Gen.two (Gen.elements [ DType.Float32; DType.Float64; DType.Int32 ])
            let! first = valuesGen (Integers(0, 2)) (size shape)
            let! second = valuesGen (Integers(0, 3)) (size shape)
            // floats get NaNs (from 3), which sort last
            let withNaNs dtype (vs: float[]) = if dtype = DType.Int32 then vs else vs |> Array.map (fun v -> if v = 3.0 then nan else v)
            return shape, dim, dtypes, withNaNs (fst dtypes) first, withNaNs (snd dtypes) second }) (fun (shape, dim, (d1, d2), first, second) ->
            let carried = Array.init (size shape) float
            let expected = Array.init 3 (fun _ -> Array.zeroCreate (size shape))
            let key v = if Double.IsNaN v then (1, 0.0) else (0, v)
            for k in 0 .. size shape - 1 do
                let o = unravel shape k
                if o[dim] = 0 then
                    let positions = Array.init shape[dim] (fun j -> ravel shape (Array.updateAt dim j o))
                    // List.sortWith is stable: ties in both keys keep their order
                    let order = positions |> List.ofArray |> List.sortWith (fun p q -> compare (key first[p], key second[p]) (key first[q], key second[q])) |> Array.ofList
                    order |> Array.iteri (fun j src -> expected[0][positions[j]] <- first[src]; expected[1][positions[j]] <- second[src]; expected[2][positions[j]] <- carried[src])
            let sorted = Lax.Sort([| tensorOf d1 shape first; tensorOf d2 shape second; int32Tensor shape (Array.init (size shape) id) |], dim, 2)
            check "first key" expected[0] sorted[0]
            check "second key" expected[1] sorted[1]
            check "carried" expected[2] sorted[2])
    ]

[<Tests>]
let tests = testList "shape op table" [ layoutTests; sliceTests; gatherScatterTests; sortTests ]
