namespace JaxSharp.FsCheck

open System
open FsCheck
open FsCheck.FSharp
open JaxSharp

/// A tensor's host data, as the generators build and shrink it.
module internal Samples =
    let values (t: Tensor) = Np.AsType(t, DType.Float64).ToArray<float>()

    let build (dtype: DType) (shape: int[]) (xs: float[]) = Np.AsType(Tensor.FromArray(xs, Shape shape), dtype)

    /// The leading `n` entries along `axis` of data shaped `shape`.
    let take (shape: int[]) (axis: int) (n: int) (xs: float[]) =
        let outer = Array.fold (*) 1 shape[.. axis - 1]
        let inner = Array.fold (*) 1 shape[axis + 1 ..]
        let shape' = Array.copy shape
        shape'[axis] <- n
        shape', [| for o in 0 .. outer - 1 do for a in 0 .. n - 1 do for i in 0 .. inner - 1 -> xs[(o * shape[axis] + a) * inner + i] |]

    let clamp lo hi (x: float) = max lo (min hi x)

    /// Simpler values: all at the simplest point of the range, all rounded, then one element at a time.
    let shrinkValues (lo: float) (hi: float) (xs: float[]) =
        let simplest = clamp lo hi 0.0
        seq {
            if xs |> Array.exists ((<>) simplest) then yield Array.create xs.Length simplest
            if xs |> Array.exists (fun x -> x <> Math.Round x) then yield xs |> Array.map (Math.Round >> clamp lo hi)
            for i in 0 .. xs.Length - 1 do
                let x = xs[i]
                for y in [ simplest; Math.Round x; Math.Truncate(x / 2.0) ] |> List.map (clamp lo hi) |> List.distinct do
                    if y <> x && abs (y - simplest) < abs (x - simplest) || (y <> x && y = Math.Round x && x <> Math.Round x) then
                        let ys = Array.copy xs
                        ys[i] <- y
                        yield ys
        }

    /// Smaller shapes: halve or decrement an axis, drop an axis of length one.
    let shrinkShape (minRank: int) (shape: int[]) (xs: float[]) =
        seq {
            for axis in 0 .. shape.Length - 1 do
                if shape[axis] > 1 then
                    yield take shape axis (shape[axis] / 2) xs
                    if shape[axis] / 2 <> shape[axis] - 1 then yield take shape axis (shape[axis] - 1) xs
            if shape.Length > minRank then
                for axis in 0 .. shape.Length - 1 do
                    if shape[axis] = 1 then yield Array.removeAt axis shape, xs
        }

    let shrinkTensor (lo: float) (hi: float) (minRank: int option) (t: Tensor) =
        let xs = values t
        let shape = t.Shape.ToArray()
        seq {
            match minRank with
            | Some rank -> for shape', xs' in shrinkShape rank shape xs -> build t.DType shape' xs'
            | None -> ()
            for xs' in shrinkValues lo hi xs -> build t.DType shape xs'
        }

    let valuesGen (lo: float) (hi: float) (n: int) =
        Gen.choose (0, 1_000_000) |> Gen.map (fun k -> lo + (hi - lo) * float k / 1e6) |> Gen.arrayOfLength n

/// FsCheck generators of tensors, shapes and parameter trees, as Arbitrary values (generator
/// and shrinker): a failing case shrinks to smaller shapes (where the shape was generated) and
/// simpler values (zero, integers). Use them with Prop.forAll, in Expecto, xUnit or NUnit.
[<RequireQualifiedAccess>]
module JaxGen =
    /// The range of `tensor`'s values.
    let defaultRange = (-10.0, 10.0)

    let private checkDType (op: string) (dtype: DType) =
        if dtype <> DType.Float32 && dtype <> DType.Float64 then
            invalidArg (nameof dtype) $"JaxGen.{op}: the dtype is {dtype}; tensors are generated in DType.Float32 or DType.Float64"

    /// Tensors of a dtype and shape with values uniform in [lo, hi]; they shrink to simpler values.
    let tensorIn (lo: float, hi: float) (dtype: DType) (shape: int[]) : Arbitrary<Tensor> =
        checkDType "tensorIn" dtype
        if not (lo <= hi) then invalidArg (nameof lo) $"JaxGen.tensorIn: the range [{lo}, {hi}] is empty; pass lo <= hi"
        let size = Array.fold (*) 1 shape
        let gen = Samples.valuesGen lo hi size |> Gen.map (Samples.build dtype shape)
        Arb.fromGenShrink (gen, Samples.shrinkTensor lo hi None)

    /// Tensors of a dtype and shape with values in [-10, 10]: `JaxGen.tensor DType.Float64 [| 3; 2 |]`.
    let tensor (dtype: DType) (shape: int[]) : Arbitrary<Tensor> = tensorIn defaultRange dtype shape

    let private shapeGen (minRank: int) (maxRank: int) (maxDim: int) =
        gen {
            let! rank = Gen.choose (minRank, maxRank)
            return! Gen.choose (1, maxDim) |> Gen.arrayOfLength rank
        }

    /// Shapes of rank minRank..maxRank with axes of length 1..maxDim; they shrink to fewer, shorter axes.
    let shapes (minRank: int) (maxRank: int) (maxDim: int) : Arbitrary<int[]> =
        if minRank < 0 || maxRank < minRank || maxDim < 1 then
            invalidArg (nameof maxRank) $"JaxGen.shapes: ranks {minRank}..{maxRank} with axes up to {maxDim}; pass 0 <= minRank <= maxRank and maxDim >= 1"
        let shrink (shape: int[]) =
            Samples.shrinkShape minRank shape (Array.zeroCreate (Array.fold (*) 1 shape)) |> Seq.map fst
        Arb.fromGenShrink (shapeGen minRank maxRank maxDim, shrink)

    /// Tensors of any shape of rank minRank..maxRank (axes 1..maxDim), values in [lo, hi]; they
    /// shrink to smaller shapes and simpler values.
    let tensorOfShapes (minRank: int) (maxRank: int) (maxDim: int) (lo: float, hi: float) (dtype: DType) : Arbitrary<Tensor> =
        checkDType "tensorOfShapes" dtype
        let shape = (shapes minRank maxRank maxDim).Generator
        let gen = shape |> Gen.bind (fun s -> Samples.valuesGen lo hi (Array.fold (*) 1 s) |> Gen.map (Samples.build dtype s))
        Arb.fromGenShrink (gen, Samples.shrinkTensor lo hi (Some minRank))

    /// Tensors of rank 0 to 3, axes of 1 to 4, values in [-10, 10].
    let anyTensor (dtype: DType) : Arbitrary<Tensor> = tensorOfShapes 0 3 4 defaultRange dtype

    /// Pairs of tensors whose shapes broadcast together (numpy's rules: the second's shape is a
    /// suffix of the first's with some axes set to 1, or the other way round); values shrink.
    let broadcastPair (dtype: DType) : Arbitrary<Tensor * Tensor> =
        checkDType "broadcastPair" dtype
        let lo, hi = defaultRange
        let gen =
            gen {
                let! a = shapeGen 0 3 4
                let! keep = Gen.choose (0, a.Length)
                let! ones = Gen.elements [ true; false ] |> Gen.arrayOfLength keep
                let b = Array.map2 (fun d one -> if one then 1 else d) a[a.Length - keep ..] ones
                let! swap = Gen.elements [ true; false ]
                let first, second = if swap then b, a else a, b
                let! x = Samples.valuesGen lo hi (Array.fold (*) 1 first)
                let! y = Samples.valuesGen lo hi (Array.fold (*) 1 second)
                return Samples.build dtype first x, Samples.build dtype second y
            }
        let shrink (x: Tensor, y: Tensor) =
            Seq.append
                (Samples.shrinkTensor lo hi None x |> Seq.map (fun x' -> x', y))
                (Samples.shrinkTensor lo hi None y |> Seq.map (fun y' -> x, y'))
        Arb.fromGenShrink (gen, shrink)

    /// Parameter trees like `template` (a record, tuple, array or list of tensors, built and
    /// rebuilt by reflection): the same structure, shapes and dtypes, float leaves drawn in
    /// [lo, hi]; they shrink one leaf at a time to simpler values.
    let treeLikeIn (lo: float, hi: float) (template: 'p) : Arbitrary<'p> =
        let tree = ParameterTree.Flatten(box template)
        let leaves = Array.ofSeq tree.Leaves
        let isFloat (t: Tensor) = t.DType = DType.Float32 || t.DType = DType.Float64
        let gen =
            leaves
            |> Array.map (fun l ->
                if isFloat l then Samples.valuesGen lo hi l.Size |> Gen.map (Samples.build l.DType (l.Shape.ToArray()))
                else Gen.constant l)
            |> Array.toList
            |> Gen.sequenceToList
            |> Gen.map (fun ls -> tree.Rebuild<'p>(Array.ofList ls))
        let shrink (value: 'p) =
            let current = Array.ofSeq (ParameterTree.Flatten(box value).Leaves)
            seq {
                for i in 0 .. current.Length - 1 do
                    if isFloat current[i] then
                        for smaller in Samples.shrinkTensor lo hi None current[i] do
                            yield tree.Rebuild<'p>(Array.updateAt i smaller current)
            }
        Arb.fromGenShrink (gen, shrink)

    /// Parameter trees like `template`, values in [-10, 10]: `JaxGen.treeLike { W = np.zeros [| 3; 2 |]; B = np.zeros [| 2 |] }`.
    let treeLike (template: 'p) : Arbitrary<'p> = treeLikeIn defaultRange template
