/// Random convolutions for the op table and the rule tests: layouts, strides, padding,
/// dilations and groups drawn from a seed, and the naive reference loop they are checked against.
module OpTable.ConvCases

open System
open JaxSharp
open OpTable.Generators

/// One convolution: shapes in canonical order (batch, features, spatial), layout strings and parameters.
type ConvCase =
    { Batch: int
      Features: int
      OutFeatures: int
      Input: int[]
      Window: int[]
      Strides: int[]
      Padding: (int * int)[]
      LhsDilation: int[]
      RhsDilation: int[]
      FeatureGroups: int
      BatchGroups: int
      Layouts: string * string * string }

let private shuffle (rng: Random) (letters: string) =
    letters.ToCharArray() |> Array.sortBy (fun _ -> rng.Next()) |> String

/// A random case with 1 to maxSpatial spatial axes (strings of random layout, one group kind at most).
let randomCase (rng: Random) maxSpatial =
    let spatial = rng.Next(1, maxSpatial + 1)
    let letters = "HWD".Substring(0, spatial)
    let groups = rng.Next(1, 3)
    let featureGroups, batchGroups =
        match rng.Next 3 with
        | 0 -> groups, 1
        | 1 -> 1, groups
        | _ -> 1, 1
    let window = Array.init spatial (fun _ -> rng.Next(1, 4))
    let lhsDilation = Array.init spatial (fun _ -> if rng.Next 4 = 0 then 2 else 1)
    let rhsDilation = Array.init spatial (fun _ -> if rng.Next 4 = 0 then 2 else 1)
    let input = Array.init spatial (fun d -> rng.Next(window[d] * rhsDilation[d], window[d] * rhsDilation[d] + 4))
    { Batch = batchGroups * rng.Next(1, 3)
      Features = featureGroups * rng.Next(1, 3)
      OutFeatures = groups * rng.Next(1, 3)
      Input = input
      Window = window
      Strides = Array.init spatial (fun _ -> rng.Next(1, 3))
      Padding = Array.init spatial (fun _ -> rng.Next(-1, 3), rng.Next(-1, 3))
      LhsDilation = lhsDilation
      RhsDilation = rhsDilation
      FeatureGroups = featureGroups
      BatchGroups = batchGroups
      Layouts = shuffle rng ("NC" + letters), shuffle rng ("OI" + letters), shuffle rng ("NC" + letters) }

/// The spatial letters in the kernel's order: strides, padding and dilations follow it, as in JAX.
let private letters (c: ConvCase) =
    let _, rhs, _ = c.Layouts
    rhs.ToCharArray() |> Array.filter (fun ch -> ch <> 'O' && ch <> 'I') |> String

/// The shape of an operand of layout string `layout`, from its sizes by letter.
let private shapeFor (layout: string) (size: char -> int) = layout.ToCharArray() |> Array.map size

let private spatialSize (c: ConvCase) (sizes: int[]) (ch: char) = sizes[(letters c).IndexOf ch]

/// The input's and kernel's shapes in the case's layouts.
let shapes (c: ConvCase) =
    let lhsLayout, rhsLayout, _ = c.Layouts
    let lhs = shapeFor lhsLayout (function 'N' -> c.Batch | 'C' -> c.Features | ch -> spatialSize c c.Input ch)
    let rhs = shapeFor rhsLayout (function 'O' -> c.OutFeatures | 'I' -> c.Features / c.FeatureGroups | ch -> spatialSize c c.Window ch)
    lhs, rhs

/// The output's spatial sizes, as XLA defines them.
let outputSizes (c: ConvCase) =
    Array.init c.Input.Length (fun d ->
        let dilated n r = if n = 0 then 0 else 1 + r * (n - 1)
        let padded = dilated c.Input[d] c.LhsDilation[d] + fst c.Padding[d] + snd c.Padding[d]
        let window = dilated c.Window[d] c.RhsDilation[d]
        if padded < window then 0 else (padded - window) / c.Strides[d] + 1)

/// The offset of an element of a row-major array of `shape` whose layout is `layout`, from its index by letter.
let private offsetOf (layout: string) (shape: int[]) (index: char -> int) =
    let mutable offset = 0
    for k in 0 .. layout.Length - 1 do
        offset <- offset * shape[k] + index layout[k]
    offset

/// The convolution by its definition: six and more nested loops over the case's layouts.
let reference (c: ConvCase) (lhs: float[]) (rhs: float[]) =
    let lhsLayout, rhsLayout, outLayout = c.Layouts
    let lhsShape, rhsShape = shapes c
    let outSizes = outputSizes c
    let outN = c.Batch / c.BatchGroups
    let outShape = shapeFor outLayout (function 'N' -> outN | 'C' -> c.OutFeatures | ch -> spatialSize c outSizes ch)
    let result = Array.zeroCreate (Array.fold (*) 1 outShape)
    let groups = c.FeatureGroups * c.BatchGroups
    let perGroup = c.OutFeatures / groups
    let inPerGroup = c.Features / c.FeatureGroups
    let spatial = c.Input.Length
    let rec positions (sizes: int[]) d : int list list =
        if d = sizes.Length then [ [] ] else [ for i in 0 .. sizes[d] - 1 do for rest in positions sizes (d + 1) -> i :: rest ]
    for n in 0 .. outN - 1 do
        for o in 0 .. c.OutFeatures - 1 do
            let g = o / perGroup
            let batch = if c.BatchGroups > 1 then g * outN + n else n
            for p in positions outSizes 0 do
                let p = Array.ofList p
                let mutable sum = 0.0
                for i in 0 .. inPerGroup - 1 do
                    let feature = (if c.FeatureGroups > 1 then g * inPerGroup else 0) + i
                    for k in positions c.Window 0 do
                        let k = Array.ofList k
                        let at = Array.init spatial (fun d -> p[d] * c.Strides[d] + k[d] * c.RhsDilation[d] - fst c.Padding[d])
                        let inside = at |> Array.mapi (fun d q -> q >= 0 && q % c.LhsDilation[d] = 0 && q / c.LhsDilation[d] < c.Input[d]) |> Array.forall id
                        if inside then
                            let x = Array.init spatial (fun d -> at[d] / c.LhsDilation[d])
                            let xv = lhs[offsetOf lhsLayout lhsShape (function 'N' -> batch | 'C' -> feature | ch -> spatialSize c x ch)]
                            let wv = rhs[offsetOf rhsLayout rhsShape (function 'O' -> o | 'I' -> i | ch -> spatialSize c k ch)]
                            sum <- sum + xv * wv
                result[offsetOf outLayout outShape (function 'N' -> n | 'C' -> o | ch -> spatialSize c p ch)] <- sum
    outShape, result

/// Random operands of the case in `dtype`, values in [-1, 1].
let operands (rng: Random) dtype (c: ConvCase) =
    let lhsShape, rhsShape = shapes c
    let values (shape: int[]) = Array.init (Array.fold (*) 1 shape) (fun _ -> rng.NextDouble() * 2.0 - 1.0)
    tensorOf dtype lhsShape (values lhsShape), tensorOf dtype rhsShape (values rhsShape)

/// JAX's dimension_numbers strings, as Lax's optional argument takes them.
let layouts (lhs: string) (rhs: string) (out: string) : Nullable<struct (string * string * string)> = Nullable(struct (lhs, rhs, out))

/// The case applied with Lax.ConvGeneralDilated.
let apply (c: ConvCase) (lhs: Tensor) (rhs: Tensor) =
    let l, r, o = c.Layouts
    Lax.ConvGeneralDilated(lhs, rhs, c.Strides, c.Padding |> Array.map (fun (a, b) -> struct (a, b)), c.LhsDilation, c.RhsDilation, layouts l r o, c.FeatureGroups, c.BatchGroups)

/// A short description for failure messages.
let describe (c: ConvCase) = sprintf "%A" c
