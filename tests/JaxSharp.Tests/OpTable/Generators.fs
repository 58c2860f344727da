/// Shared pieces of the op-table tests: random shapes and values (FsCheck generators),
/// tensors from float64 reference values, and comparison with a tolerance.
module OpTable.Generators

open System
open FsCheck
open FsCheck.FSharp
open JaxSharp

/// Where the inputs of an op are drawn from.
type Domain =
    /// Finite reals in [-3, 3].
    | Anywhere
    /// Reals in [lo, hi].
    | Interval of lo: float * hi: float
    /// Reals in [-3, 3] at least 0.1 away from zero.
    | NonZero
    /// True and false.
    | Booleans
    /// Whole numbers in [lo, hi].
    | Integers of lo: int * hi: int

/// Shapes of rank 0 to maxRank with dimensions 0 to maxDim.
let shapeGen maxRank maxDim =
    gen {
        let! rank = Gen.choose (0, maxRank)
        let! dims = Gen.arrayOfLength rank (Gen.choose (0, maxDim))
        return dims
    }

/// Non-empty shapes of rank 1 to maxRank with dimensions 1 to maxDim.
let nonEmptyShapeGen maxRank maxDim =
    gen {
        let! rank = Gen.choose (1, maxRank)
        let! dims = Gen.arrayOfLength rank (Gen.choose (1, maxDim))
        return dims
    }

/// One value of the domain, as a float64.
let valueGen domain =
    match domain with
    | Anywhere -> Gen.choose (-3000, 3000) |> Gen.map (fun i -> float i / 1000.0)
    | Interval(lo, hi) -> Gen.choose (0, 100000) |> Gen.map (fun i -> lo + (hi - lo) * float i / 100000.0)
    | NonZero ->
        gen {
            let! magnitude = Gen.choose (100, 3000)
            let! sign = Gen.elements [ -1.0; 1.0 ]
            return sign * float magnitude / 1000.0
        }
    | Booleans -> Gen.elements [ 0.0; 1.0 ]
    | Integers(lo, hi) -> Gen.choose (lo, hi) |> Gen.map float

/// n values of the domain.
let valuesGen domain n = Gen.arrayOfLength n (valueGen domain)

/// A tensor of the given dtype and shape holding the values (converted from float64).
let tensorOf (dtype: DType) (shape: int[]) (values: float[]) : Tensor =
    let flat: Array =
        match dtype with
        | DType.Float32 -> values |> Array.map float32 :> Array
        | DType.Float64 -> values :> Array
        | DType.Int32 -> values |> Array.map int :> Array
        | DType.UInt32 -> values |> Array.map (fun v -> uint32 (max v 0.0)) :> Array
        | DType.Bool -> values |> Array.map (fun v -> v <> 0.0) :> Array
        | _ -> failwithf "tensorOf: dtype %A" dtype
    Tensor.FromArray(flat, Shape(shape))

/// The elements of a tensor as float64 (bool as 0 or 1).
let toFloats (t: Tensor) : float[] =
    match t.DType with
    | DType.Float32 -> t.ToArray<float32>() |> Array.map float
    | DType.Float64 -> t.ToArray<float>()
    | DType.Int32 -> t.ToArray<int>() |> Array.map float
    | DType.UInt32 -> t.ToArray<uint32>() |> Array.map float
    | DType.Bool -> t.ToArray<bool>() |> Array.map (fun b -> if b then 1.0 else 0.0)
    | d -> failwithf "toFloats: dtype %A" d

/// The elements of a tensor as a list of float64, for readable comparisons.
let values (t: Tensor) = toFloats t |> List.ofArray

/// The dimensions of a tensor as an array.
let shapeOf (t: Tensor) = t.Shape.ToArray()

/// The relative tolerance that fits a dtype's precision when the reference is float64.
let defaultTolerance (dtype: DType) =
    match dtype with
    | DType.Float32 -> 2e-6
    | DType.Float64 -> 1e-13
    | _ -> 0.0

/// Whether actual is within tol of expected, relative to max(1, |expected|); NaNs and
/// infinities must match exactly.
let closeTo tol (expected: float) (actual: float) =
    if Double.IsNaN expected then Double.IsNaN actual
    elif Double.IsInfinity expected then expected = actual
    else abs (actual - expected) <= tol * max 1.0 (abs expected)

/// The first index where two arrays differ beyond tol, with both values, or None.
let firstMismatch tol (expected: float[]) (actual: float[]) =
    if expected.Length <> actual.Length then
        Some(-1, float expected.Length, float actual.Length)
    else
        Seq.zip expected actual
        |> Seq.indexed
        |> Seq.tryFind (fun (_, (e, a)) -> not (closeTo tol e a))
        |> Option.map (fun (i, (e, a)) -> (i, e, a))

/// Expecto-style assertion that a tensor's elements match the expected float64 values.
let expectClose tol (expected: float[]) (actual: Tensor) message =
    match firstMismatch tol expected (toFloats actual) with
    | None -> ()
    | Some(-1, e, a) -> failwithf "%s: expected %g elements, got %g" message e a
    | Some(i, e, a) -> failwithf "%s: element %d is %.17g, expected %.17g (tolerance %g)" message i a e tol
