/// The table of elementwise primitives: each row's eager results on random shapes and
/// values against a float64 reference (System.Math, MathNet), and its shape rule.
module OpTable.ElementwiseOps

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open MathNet.Numerics
open JaxSharp
open JaxSharp.Primitives
open JaxSharp.Primitives.Elementwise
open OpTable.Generators

/// One primitive under test.
type Row =
    { Name: string
      Params: PrimitiveParams
      DTypes: DType list
      /// One input generator per argument, by dtype.
      Inputs: (DType -> Gen<float>) list
      /// The relative tolerance by dtype.
      Tolerance: DType -> float
      /// The expected element (float64, bools as 0 or 1) from the input dtype and the inputs' elements.
      Reference: DType -> float[] -> float
      /// Whether the output is bool (else the input dtype).
      GivesBool: bool }

let private floats = [ DType.Float32; DType.Float64 ]
let private numbers = [ DType.Int32; DType.UInt32; DType.Float32; DType.Float64 ]
let private signed = [ DType.Int32; DType.Float32; DType.Float64 ]
let private everything = DType.Bool :: numbers
let private boolOrInt = [ DType.Bool; DType.Int32; DType.UInt32 ]

let private on domain = fun (_: DType) -> valueGen domain
let private halves = fun (_: DType) -> Gen.choose (-9, 9) |> Gen.map (fun i -> float i / 2.0)

/// Divisors that are never zero in any dtype (uint32 clamps negatives to 0, so positive there).
let private divisors (dtype: DType) =
    match dtype with
    | DType.UInt32 -> Gen.choose (1, 9) |> Gen.map float
    | DType.Int32 -> Gen.oneof [ Gen.choose (1, 9); Gen.choose (-9, -1) ] |> Gen.map float
    | _ -> valueGen NonZero

let private ints (dtype: DType) =
    if dtype.IsFloat() then valueGen Anywhere else valueGen (Integers(-50, 50))

let private unary name dtypes input (reference: float -> float) =
    { Name = name
      Params = PrimitiveParams.None
      DTypes = dtypes
      Inputs = [ input ]
      Tolerance = defaultTolerance
      Reference = fun _ xs -> reference xs[0]
      GivesBool = false }

let private binary name dtypes a b (reference: DType -> float -> float -> float) =
    { Name = name
      Params = PrimitiveParams.None
      DTypes = dtypes
      Inputs = [ a; b ]
      Tolerance = defaultTolerance
      Reference = fun dt xs -> reference dt xs[0] xs[1]
      GivesBool = false }

let private comparison name (reference: float -> float -> bool) =
    { binary name everything (on (Integers(-3, 3))) (on (Integers(-3, 3))) (fun _ a b -> if reference a b then 1.0 else 0.0) with
        GivesBool = true }

let private bitwise name (onBool: bool -> bool -> bool) (onInt: int -> int -> int) (onUInt: uint32 -> uint32 -> uint32) =
    binary name boolOrInt (on (Integers(-9, 9))) (on (Integers(-9, 9))) (fun dt a b ->
        match dt with
        | DType.Bool -> if onBool (a <> 0.0) (b <> 0.0) then 1.0 else 0.0
        | DType.Int32 -> float (onInt (int a) (int b))
        | _ -> float (onUInt (uint32 a) (uint32 b)))

let private withTolerance f32 f64 row =
    { row with Tolerance = fun dt -> if dt = DType.Float32 then f32 else f64 }

let private truncatedDiv (dt: DType) (a: float) (b: float) = if dt.IsFloat() then a / b else Math.Truncate(a / b)

/// Every elementwise primitive, one row each (round once per rounding method).
let rows: Row list =
    [ unary "neg" numbers ints (fun x -> -x)
      binary "add" numbers ints ints (fun _ a b -> a + b)
      binary "sub" numbers ints ints (fun _ a b -> a - b)
      binary "mul" numbers ints ints (fun _ a b -> a * b)
      binary "div" numbers ints divisors truncatedDiv
      binary "rem" numbers ints divisors (fun _ a b -> a % b)
      binary "pow" floats (on (Interval(0.1, 3.0))) (on (Interval(-2.0, 2.0))) (fun _ a b -> Math.Pow(a, b))
      |> withTolerance 1e-5 1e-13
      binary "max" everything ints ints (fun _ a b -> Math.Max(a, b))
      binary "min" everything ints ints (fun _ a b -> Math.Min(a, b))
      binary "atan2" floats (on Anywhere) (on Anywhere) (fun _ a b -> Math.Atan2(a, b))
      unary "exp" floats (on Anywhere) Math.Exp
      unary "log" floats (on (Interval(0.01, 5.0))) Math.Log
      unary "log1p" floats (on (Interval(-0.9, 3.0))) (fun x -> Math.Log(1.0 + x))
      |> withTolerance 2e-6 1e-12
      unary "expm1" floats (on Anywhere) (fun x -> Math.Exp x - 1.0) |> withTolerance 2e-6 1e-12
      unary "sin" floats (on Anywhere) Math.Sin
      unary "cos" floats (on Anywhere) Math.Cos
      unary "tan" floats (on (Interval(-1.2, 1.2))) Math.Tan
      unary "asin" floats (on (Interval(-1.0, 1.0))) Math.Asin
      unary "acos" floats (on (Interval(-1.0, 1.0))) Math.Acos
      unary "atan" floats (on Anywhere) Math.Atan
      unary "sinh" floats (on Anywhere) Math.Sinh
      unary "cosh" floats (on Anywhere) Math.Cosh
      unary "tanh" floats (on Anywhere) Math.Tanh
      unary "asinh" floats (on Anywhere) Math.Asinh
      unary "acosh" floats (on (Interval(1.0, 5.0))) Math.Acosh
      unary "atanh" floats (on (Interval(-0.99, 0.99))) Math.Atanh
      unary "logistic" floats (on Anywhere) (fun x -> 1.0 / (1.0 + Math.Exp -x))
      unary "sqrt" floats (on (Interval(0.0, 5.0))) Math.Sqrt
      unary "rsqrt" floats (on (Interval(0.1, 5.0))) (fun x -> 1.0 / Math.Sqrt x)
      unary "cbrt" floats (on Anywhere) Math.Cbrt
      unary "abs" signed ints Math.Abs
      unary "sign" numbers ints (fun x -> float (Math.Sign x))
      unary "floor" floats (on Anywhere) Math.Floor
      unary "ceil" floats (on Anywhere) Math.Ceiling
      { unary "round" floats halves (fun x -> Math.Round(x, MidpointRounding.AwayFromZero)) with
          Params = RoundParams(RoundingMethod.AwayFromZero) }
      { unary "round" floats halves (fun x -> Math.Round(x, MidpointRounding.ToEven)) with
          Params = RoundParams(RoundingMethod.ToNearestEven) }
      unary "erf" floats (on Anywhere) SpecialFunctions.Erf |> withTolerance 1e-6 1e-14
      unary "erf_inv" floats (on (Interval(-0.99, 0.99))) SpecialFunctions.ErfInv |> withTolerance 1e-5 1e-13
      { unary "is_finite" floats (on Anywhere) (fun _ -> 1.0) with GivesBool = true }
      comparison "eq" (=)
      comparison "ne" (<>)
      comparison "lt" (<)
      comparison "le" (<=)
      comparison "gt" (>)
      comparison "ge" (>=)
      bitwise "and" (&&) (&&&) (&&&)
      bitwise "or" (||) (|||) (|||)
      bitwise "xor" (<>) (^^^) (^^^)
      { unary "not" boolOrInt (on (Integers(-9, 9))) id with
          Reference =
            fun dt xs ->
                match dt with
                | DType.Bool -> if xs[0] <> 0.0 then 0.0 else 1.0
                | DType.Int32 -> float (~~~(int xs[0]))
                | _ -> float (~~~(uint32 xs[0])) }
      { binary "select" floats (on Booleans) (on Anywhere) (fun _ _ _ -> 0.0) with
          Inputs = [ on Booleans; on Anywhere; on Anywhere ]
          Reference = fun _ xs -> if xs[0] <> 0.0 then xs[1] else xs[2] }
      { unary "convert_element_type" numbers ints (fun x -> x) with
          Params = ConvertParams(DType.Float64) } ]

/// The names of the primitives this table checks against references.
let covered: string list = rows |> List.map _.Name |> List.distinct

/// The value a float64 reference has in an integer dtype (wrapping as XLA does).
let private inDType (dtype: DType) (v: float) =
    match dtype with
    | DType.Int32 -> float (int (int64 v))
    | DType.UInt32 -> float (uint32 (int64 v))
    | _ -> v

/// The shape that broadcasting gives, computed here independently: right-aligned, the size other than 1 per axis.
let broadcastShape (shapes: int[] list) =
    let rank = shapes |> List.map Array.length |> List.max
    Array.init rank (fun d ->
        shapes
        |> List.map (fun s -> let k = d - (rank - s.Length) in if k < 0 then 1 else s[k])
        |> List.tryFind (fun n -> n <> 1)
        |> Option.defaultValue 1)

/// The flat index into an input of inShape that output element `flat` of outShape reads.
let broadcastIndex (inShape: int[]) (outShape: int[]) (flat: int) =
    let mutable rest = flat
    let mutable index = 0
    let mutable stride = 1
    for d in outShape.Length - 1 .. -1 .. 0 do
        let i = rest % outShape[d]
        rest <- rest / outShape[d]
        let k = d - (outShape.Length - inShape.Length)
        if k >= 0 then
            if inShape[k] <> 1 then index <- index + i * stride
            stride <- stride * inShape[k]
    index

/// The shape itself, or (for later arguments) a broadcastable variant: some axes set to 1, leading ones dropped.
let private argShapeGen (shape: int[]) =
    gen {
        let! ones = Gen.arrayOfLength shape.Length (Gen.elements [ false; false; true ])
        let! drop = Gen.choose (0, shape.Length)
        return shape |> Array.mapi (fun i d -> if ones[i] then 1 else d) |> Array.skip drop
    }

let private caseGen (row: Row) (dtype: DType) =
    gen {
        let! shape = shapeGen 3 4
        let! shapes =
            row.Inputs
            |> List.mapi (fun i _ -> if i = 0 then Gen.constant shape else argShapeGen shape)
            |> Gen.sequenceToList
        let! values =
            List.zip row.Inputs shapes
            |> List.map (fun (input, s) -> Gen.arrayOfLength (Array.fold (*) 1 s) (input dtype))
            |> Gen.sequenceToList
        return List.zip shapes values
    }

let private inputDType (row: Row) (dtype: DType) (argument: int) =
    if row.Name = "select" && argument = 0 then DType.Bool else dtype

let private check (row: Row) (dtype: DType) (args: (int[] * float[]) list) =
    let primitive = PrimitiveRegistry.Get row.Name
    let tensors = args |> List.mapi (fun i (s, v) -> tensorOf (inputDType row dtype i) s v) |> Array.ofList
    let output = primitive.Bind(row.Params, tensors)
    let shapes = args |> List.map fst
    let outShape = broadcastShape shapes
    let expectedDType =
        match row.Params with
        | :? ConvertParams as p -> p.NewDType
        | _ -> if row.GivesBool then DType.Bool else dtype
    Expect.equal (output.Shape.ToArray()) outShape $"{row.Name} {dtype}: output shape"
    Expect.equal output.DType expectedDType $"{row.Name} {dtype}: output dtype"
    let inferred = primitive.InferShape(tensors |> Array.map _.Aval, row.Params)
    Expect.equal inferred output.Aval $"{row.Name} {dtype}: the shape rule's aval is the output's"
    let inputs = Array.map toFloats tensors
    let expected =
        Array.init (Array.fold (*) 1 outShape) (fun flat ->
            let xs = Array.init inputs.Length (fun k -> inputs[k][broadcastIndex (List.item k shapes) outShape flat])
            row.Reference dtype xs |> inDType expectedDType)
    expectClose (row.Tolerance expectedDType) expected output $"{row.Name} {dtype} on {shapes}"

let private config = { FsCheckConfig.defaultConfig with maxTest = 30 }

let private rowName (row: Row) =
    match row.Params with
    | :? RoundParams as p -> $"{row.Name} ({p.RoundingMethod})"
    | _ -> row.Name

[<Tests>]
let tests =
    testList
        "elementwise op table"
        [ for row in rows do
              testList
                  (rowName row)
                  [ for dtype in row.DTypes ->
                        testPropertyWithConfig config $"on {dtype.Name()} matches the float64 reference on random shapes"
                        <| Prop.forAll (Arb.fromGen (caseGen row dtype)) (check row dtype) ] ]
