/// The op table of reductions, cumulative ops and dot_general: every primitive against
/// plain loops in float64 over random shapes, axes, values and dtypes.
module OpTable.ReductionOps

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open JaxSharp
open JaxSharp.Primitives.LinearAlgebra
open OpTable.Generators

/// The primitives this table checks against references.
let covered =
    [ "reduce_sum"; "reduce_max"; "reduce_min"; "reduce_prod"; "reduce_and"; "reduce_or"
      "argmax"; "argmin"; "cumsum"; "cumprod"; "cummax"; "cummin"; "dot_general" ]

let config = { FsCheckConfig.defaultConfig with maxTest = 30 }

/// A random array and a random subset of its axes.
type ReduceCase =
    { Shape: int[]; Axes: int[]; DType: DType; Values: float[] }
    override c.ToString() = sprintf "%A %A axes %A %A" c.DType c.Shape c.Axes c.Values

let size (shape: int[]) = Array.fold (*) 1 shape

let caseGen (dtypes: (DType * Domain) list) (shapes: Gen<int[]>) =
    gen {
        let! shape = shapes
        let! keep = Gen.arrayOfLength shape.Length (Gen.elements [ true; false ])
        let! dtype, domain = Gen.elements dtypes
        let! values = valuesGen domain (size shape)
        return { Shape = shape; Axes = [| for d in 0 .. shape.Length - 1 do if keep.[d] then d |]; DType = dtype; Values = values }
    }

/// The row-major strides of a shape.
let strides (shape: int[]) =
    Array.init shape.Length (fun d -> Array.fold (*) 1 shape.[d + 1 ..])

/// The index of flat position k of shape.
let unravel (shape: int[]) k = Array.init shape.Length (fun d -> k / (strides shape).[d] % shape.[d])

/// Reference reduction: fold every element into its output group, in row-major order.
let refReduce (shape: int[]) (axes: int[]) (init: float) (f: float -> float -> float) (xs: float[]) =
    let kept = [| for d in 0 .. shape.Length - 1 do if not (Array.contains d axes) then d |]
    let outShape = kept |> Array.map (fun d -> shape.[d])
    let out = Array.create (size outShape) init
    let outStrides = strides outShape
    xs |> Array.iteri (fun k v ->
        let idx = unravel shape k
        let o = Array.fold2 (fun acc d s -> acc + idx.[d] * s) 0 kept outStrides
        out.[o] <- f out.[o] v)
    out

let nanMax a b = if Double.IsNaN a || Double.IsNaN b then nan else Math.Max(a, b)
let nanMin a b = if Double.IsNaN a || Double.IsNaN b then nan else Math.Min(a, b)

let floatsAndInts = [ (DType.Float32, Anywhere); (DType.Float64, Anywhere); (DType.Int32, Integers(-9, 9)) ]

let reductionProperty name (lax: Tensor -> int[] -> Tensor) init f tolScale domains =
    testPropertyWithConfig config name (Prop.forAll (Arb.fromGen (caseGen domains (shapeGen 3 4))) (fun c ->
        let x = tensorOf c.DType c.Shape c.Values
        let expected = refReduce c.Shape c.Axes (init c.DType) f (toFloats x)
        expectClose (tolScale * defaultTolerance c.DType) expected (lax x c.Axes) (string c)))

let lowest dtype = if dtype = DType.Int32 then float Int32.MinValue else -infinity
let highest dtype = if dtype = DType.Int32 then float Int32.MaxValue else infinity

/// A random argmax/argmin or scan case: one axis of a non-empty array, values with ties.
let axisCaseGen dtypes =
    gen {
        let! c = caseGen dtypes (nonEmptyShapeGen 3 4)
        let! axis = Gen.choose (0, c.Shape.Length - 1)
        return { c with Axes = [| axis |] }
    }

/// Reference argmax/argmin: the first index whose element beats all before it; the first NaN wins.
let refArg (beats: float -> float -> bool) (c: ReduceCase) (xs: float[]) =
    let axis = c.Axes.[0]
    let n = c.Shape.[axis]
    let st = (strides c.Shape).[axis]
    let outShape = c.Shape |> Array.removeAt axis
    Array.init (size outShape) (fun o ->
        let idx = unravel outShape o |> Array.insertAt axis 0
        let start = Array.fold2 (fun acc i s -> acc + i * s) 0 idx (strides c.Shape)
        let mutable best = 0
        for k in 1 .. n - 1 do
            let b = xs.[start + best * st]
            let v = xs.[start + k * st]
            if not (Double.IsNaN b) && (Double.IsNaN v || beats v b) then best <- k
        float best)

/// Reference scan along one axis, from the end when reverse.
let refScan (f: float -> float -> float) reverse (c: ReduceCase) (xs: float[]) =
    let axis = c.Axes.[0]
    let n = c.Shape.[axis]
    let st = (strides c.Shape).[axis]
    let out = Array.copy xs
    let order = if reverse then [ n - 2 .. -1 .. 0 ] else [ 1 .. n - 1 ]
    for k in 0 .. xs.Length - 1 do
        if (unravel c.Shape k).[axis] = 0 then
            let line i = k + i * st
            for i in order do
                let prev = if reverse then i + 1 else i - 1
                out.[line i] <- f out.[line prev] xs.[line i]
    out

/// A random dot_general: labelled batch, contracting and free axes of sizes 0 to 3, placed
/// in random order in each operand.
type DotCase =
    { LhsLabels: char[]; RhsLabels: char[]; Sizes: Map<char, int>; DType: DType; Lhs: float[]; Rhs: float[] }
    override c.ToString() = sprintf "%A lhs %A rhs %A sizes %A" c.DType c.LhsLabels c.RhsLabels c.Sizes

let dotCaseGen =
    gen {
        let! nb = Gen.choose (0, 2)
        let! nc = Gen.choose (0, 2)
        let! nl = Gen.choose (0, 2)
        let! nr = Gen.choose (0, 2)
        let batch = [| 'a' .. 'z' |].[0 .. nb - 1]
        let contract = [| 'i' .. 'z' |].[0 .. nc - 1]
        let lfree = [| 'p' .. 'z' |].[0 .. nl - 1]
        let rfree = [| 'u' .. 'z' |].[0 .. nr - 1]
        let labels = Array.concat [ batch; contract; lfree; rfree ]
        let! sizes = Gen.arrayOfLength labels.Length (Gen.frequency [ (1, Gen.constant 0); (8, Gen.choose (1, 3)) ])
        let! lhs = Gen.shuffle (Array.concat [ batch; contract; lfree ])
        let! rhs = Gen.shuffle (Array.concat [ batch; contract; rfree ])
        let! dtype, domain = Gen.elements floatsAndInts
        let sizeOf = Map.ofArray (Array.zip labels sizes)
        let count (ls: char[]) = ls |> Array.fold (fun n l -> n * sizeOf.[l]) 1
        let! lv = valuesGen domain (count lhs)
        let! rv = valuesGen domain (count rhs)
        return { LhsLabels = lhs; RhsLabels = rhs; Sizes = sizeOf; DType = dtype; Lhs = lv; Rhs = rv }
    }

/// Reference dot_general by labels: out[batch, lfree, rfree] = sum over contracting labels.
let refDot (c: DotCase) (lhs: float[]) (rhs: float[]) =
    let shared = c.LhsLabels |> Array.filter (fun l -> Array.contains l c.RhsLabels)
    let batch = shared |> Array.filter (fun l -> l < 'i')
    let lfree = c.LhsLabels |> Array.filter (fun l -> not (Array.contains l c.RhsLabels))
    let rfree = c.RhsLabels |> Array.filter (fun l -> not (Array.contains l c.LhsLabels))
    let outLabels = Array.concat [ batch; lfree; rfree ]
    let all = Array.append outLabels (shared |> Array.filter (fun l -> l >= 'i'))
    let dims (ls: char[]) = ls |> Array.map (fun l -> c.Sizes.[l])
    let out = Array.zeroCreate (size (dims outLabels))
    let flat (ls: char[]) (value: char -> int) = Array.fold2 (fun acc l s -> acc + value l * s) 0 ls (strides (dims ls))
    for k in 0 .. size (dims all) - 1 do
        let idx = unravel (dims all) k
        let value l = idx.[Array.findIndex ((=) l) all]
        out.[flat outLabels value] <- out.[flat outLabels value] + lhs.[flat c.LhsLabels value] * rhs.[flat c.RhsLabels value]
    out, dims outLabels

let dotNumbers (c: DotCase) =
    let axesOf (ls: char[]) pick = pick |> Array.map (fun l -> Array.findIndex ((=) l) ls)
    let shared = c.LhsLabels |> Array.filter (fun l -> Array.contains l c.RhsLabels)
    let batch = shared |> Array.filter (fun l -> l < 'i')
    let contract = shared |> Array.filter (fun l -> l >= 'i')
    DotDimensionNumbers(Ints(axesOf c.LhsLabels contract), Ints(axesOf c.RhsLabels contract), Ints(axesOf c.LhsLabels batch), Ints(axesOf c.RhsLabels batch))

[<Tests>]
let tests =
    testList "reduction op table" [
        reductionProperty "reduce_sum equals a loop over random axes" (fun x a -> Lax.ReduceSum(x, a)) (fun _ -> 0.0) (+) 100.0 floatsAndInts
        reductionProperty "reduce_max equals a loop, with -inf or the least int over no elements" (fun x a -> Lax.ReduceMax(x, a)) lowest nanMax 0.0 floatsAndInts
        reductionProperty "reduce_min equals a loop, with +inf or the greatest int over no elements" (fun x a -> Lax.ReduceMin(x, a)) highest nanMin 0.0 floatsAndInts
        reductionProperty "reduce_prod equals a loop" (fun x a -> Lax.ReduceProd(x, a)) (fun _ -> 1.0) (*) 100.0
            [ (DType.Float32, Interval(0.5, 1.5)); (DType.Float64, Anywhere); (DType.Int32, Integers(-1, 1)) ]
        reductionProperty "reduce_and equals a loop" (fun x a -> Lax.ReduceAnd(x, a)) (fun _ -> 1.0) (fun a b -> if a <> 0.0 && b <> 0.0 then 1.0 else 0.0) 0.0 [ (DType.Bool, Booleans) ]
        reductionProperty "reduce_or equals a loop" (fun x a -> Lax.ReduceOr(x, a)) (fun _ -> 0.0) (fun a b -> if a <> 0.0 || b <> 0.0 then 1.0 else 0.0) 0.0 [ (DType.Bool, Booleans) ]

        for name, lax, beats in [ ("argmax", (fun (x: Tensor) a -> Lax.Argmax(x, a)), (>)); ("argmin", (fun x a -> Lax.Argmin(x, a)), (<)) ] do
            testPropertyWithConfig config $"{name} gives the first extreme index, ties and NaN included"
                (Prop.forAll (Arb.fromGen (axisCaseGen [ (DType.Float32, Integers(-2, 2)); (DType.Float64, Anywhere); (DType.Int32, Integers(-2, 2)) ])) (fun c ->
                    let values = c.Values |> Array.mapi (fun i v -> if c.DType = DType.Float64 && i % 7 = 3 then nan else v)
                    let x = tensorOf c.DType c.Shape values
                    let actual = lax x c.Axes.[0]
                    Expect.equal actual.DType DType.Int32 "indices are int32"
                    expectClose 0.0 (refArg beats c (toFloats x)) actual (string c)))

        for name, lax, f, tol in
            [ ("cumsum", (fun (x: Tensor) a r -> Lax.Cumsum(x, a, r)), (+), 100.0)
              ("cumprod", (fun x a r -> Lax.Cumprod(x, a, r)), (*), 100.0)
              ("cummax", (fun x a r -> Lax.Cummax(x, a, r)), nanMax, 0.0)
              ("cummin", (fun x a r -> Lax.Cummin(x, a, r)), nanMin, 0.0) ] do
            testPropertyWithConfig config $"{name} equals a running loop, forward and reversed"
                (Prop.forAll (Arb.fromGen (Gen.zip (axisCaseGen floatsAndInts) (Gen.elements [ false; true ]))) (fun (c, reverse) ->
                    let values = c.Values |> Array.mapi (fun i v -> if c.DType = DType.Float64 && i = 2 then nan else v)
                    let x = tensorOf c.DType c.Shape values
                    expectClose (tol * defaultTolerance c.DType) (refScan f reverse c (toFloats x)) (lax x c.Axes.[0] reverse) (string c)))

        testPropertyWithConfig config "dot_general equals a loop for random dimension numbers" (Prop.forAll (Arb.fromGen dotCaseGen) (fun c ->
            let dims (ls: char[]) = ls |> Array.map (fun l -> c.Sizes.[l])
            let lhs = tensorOf c.DType (dims c.LhsLabels) c.Lhs
            let rhs = tensorOf c.DType (dims c.RhsLabels) c.Rhs
            let expected, shape = refDot c (toFloats lhs) (toFloats rhs)
            let actual = Lax.DotGeneral(lhs, rhs, dotNumbers c)
            Expect.sequenceEqual actual.Shape shape "output axes: batch, lhs free, rhs free"
            expectClose (100.0 * defaultTolerance c.DType) expected actual (string c)))
    ]
