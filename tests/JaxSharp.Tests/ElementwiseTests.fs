/// Elementwise ops beyond the table: broadcasting, dtype errors, integer edge cases,
/// NaN and infinity, numpy's rounding and remainders, and jit against eager.
module ElementwiseTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open JaxSharp.Primitives.Elementwise
open OpTable.Generators

let private f32 (xs: float32[]) = Tensor.FromArray xs
let private f64 (xs: float[]) = Tensor.FromArray xs
let private i32 (xs: int[]) = Tensor.FromArray xs
let private u32 (xs: uint32[]) = Tensor.FromArray xs
let private bools (xs: bool[]) = Tensor.FromArray xs

let private throwsWith (text: string) (f: unit -> Tensor) =
    let e = Expect.throwsC (f >> ignore) id
    Expect.isTrue (e :? ArgumentException) $"expected an ArgumentException, got {e.GetType().Name}: {e.Message}"
    Expect.stringContains e.Message text "the message names the op and the problem"

let private same (expected: 'T[]) (t: Tensor) message = Expect.sequenceEqual (t.ToArray<'T>()) expected message

[<Tests>]
let broadcasting =
    testList
        "broadcasting"
        [ test "of (3, 1) with (4,) gives (3, 4)" {
              let a = Tensor.FromArray(array2D [ [ 1.0 ]; [ 2.0 ]; [ 3.0 ] ])
              let b = f64 [| 10.0; 20.0; 30.0; 40.0 |]
              let c = Np.Add(a, b)
              Expect.equal (c.Shape.ToArray()) [| 3; 4 |] "shape"
              same [| 11.0; 21.0; 31.0; 41.0; 12.0; 22.0; 32.0; 42.0; 13.0; 23.0; 33.0; 43.0 |] c "values"
          }
          test "of a rank-0 tensor with anything gives the other's shape" {
              let s = Tensor.Scalar 2.0f
              let m = Tensor.FromArray(array2D [ [ 1.0f; 2.0f ]; [ 3.0f; 4.0f ] ])
              same [| 2.0f; 4.0f; 6.0f; 8.0f |] (Np.Multiply(s, m)) "scalar times matrix"
              same [| 0.5f; 1.0f; 1.5f; 2.0f |] (Np.Divide(m, s)) "matrix over scalar"
              Expect.equal (Np.Multiply(s, s)).Shape Shape.Scalar "scalar with scalar stays rank 0"
          }
          test "with an empty axis gives an empty result" {
              let e = Tensor.FromArray((Array.empty<float32> :> System.Array), Shape [| 0; 3 |])
              Expect.equal (Np.Add(e, f32 [| 1.0f; 2.0f; 3.0f |])).Shape (Shape [| 0; 3 |]) "(0, 3) + (3,)"
          }
          test "of (3,) and (4,) fails and names both shapes" {
              throwsWith "add: shapes (3,) and (4,) do not broadcast" (fun () ->
                  Np.Add(f32 [| 1.0f; 2.0f; 3.0f |], f32 [| 1.0f; 2.0f; 3.0f; 4.0f |]))
          }
          test "of select's three arguments fails with select's name" {
              throwsWith "select: shapes" (fun () -> Lax.Select(bools [| true; false |], f32 [| 1.0f; 2.0f; 3.0f |], 0.0)) } ]

[<Tests>]
let dtypeErrors =
    testList
        "dtype errors"
        [ test "sin of int32 through Lax names the op and the accepted dtypes" {
              throwsWith "sin: expected float32 or float64, got int32(3,)" (fun () -> Lax.Sin(i32 [| 1; 2; 3 |]))
          }
          test "sin of int32 through Np promotes to float32 instead" {
              Expect.equal (Np.Sin(i32 [| 1; 2 |])).DType DType.Float32 "float32"
          }
          test "lax add of float32 and float64 says to convert" {
              throwsWith "lax.add requires arguments to have the same dtypes, got float32, float64; convert with Np.AsType" (fun () -> Lax.Add(f32 [| 1.0f |], f64 [| 1.0 |]))
          }
          test "lax ops take a .NET scalar in the other operand's dtype" {
              let y = Lax.Add(f32 [| 1.0f |], 2.0)
              Expect.equal y.DType DType.Float32 "float32"
          }
          test "bitwise and of floats is refused" {
              throwsWith "and: expected bool, int32 or uint32 arrays, got float32" (fun () ->
                  Np.BitwiseAnd(f32 [| 1.0f |], f32 [| 1.0f |]))
          }
          test "abs of uint32 through Lax is refused, through Np it is the identity" {
              throwsWith "abs: expected int32, float32 or float64" (fun () -> Lax.Abs(u32 [| 1u |]))
              same [| 5u |] (Np.Abs(u32 [| 5u |])) "np.abs"
          }
          test "subtracting bools is refused as numpy does" {
              throwsWith "subtract: numpy does not subtract bool arrays" (fun () ->
                  Np.Subtract(bools [| true |], bools [| false |]))
          }
          test "round without its parameters says how to call it" {
              throwsWith "round: expected RoundParams" (fun () ->
                  Round.Instance.Bind(Primitives.PrimitiveParams.None, f32 [| 1.0f |]))
          } ]

[<Tests>]
let integers =
    testList
        "integer arithmetic"
        [ test "div truncates toward zero and rem has the dividend's sign" {
              same [| 3; -3; -3; 3 |] (Lax.Div(i32 [| 7; -7; 7; -7 |], i32 [| 2; 2; -2; -2 |])) "div"
              same [| 1; -1; 1; -1 |] (Lax.Rem(i32 [| 7; -7; 7; -7 |], i32 [| 2; 2; -2; -2 |])) "rem"
          }
          test "division by zero does not throw: x / 0 = -1, x % 0 = x (XLA)" {
              same [| -1; -1; -1 |] (Lax.Div(i32 [| 5; -5; 0 |], i32 [| 0; 0; 0 |])) "signed div"
              same [| 5; -5; 0 |] (Lax.Rem(i32 [| 5; -5; 0 |], i32 [| 0; 0; 0 |])) "signed rem"
              same [| UInt32.MaxValue |] (Lax.Div(u32 [| 5u |], u32 [| 0u |])) "unsigned div"
              same [| 5u |] (Lax.Rem(u32 [| 5u |], u32 [| 0u |])) "unsigned rem"
          }
          test "int.MinValue / -1 = int.MinValue and int.MinValue % -1 = 0" {
              same [| Int32.MinValue |] (Lax.Div(i32 [| Int32.MinValue |], i32 [| -1 |])) "div"
              same [| 0 |] (Lax.Rem(i32 [| Int32.MinValue |], i32 [| -1 |])) "rem"
          }
          test "neg and abs of int.MinValue wrap" {
              same [| Int32.MinValue |] (Lax.Neg(i32 [| Int32.MinValue |])) "neg"
              same [| Int32.MinValue |] (Lax.Abs(i32 [| Int32.MinValue |])) "abs"
          }
          test "add and mul wrap around" {
              same [| Int32.MinValue |] (Lax.Add(i32 [| Int32.MaxValue |], i32 [| 1 |])) "int32"
              same [| 0u |] (Lax.Add(u32 [| UInt32.MaxValue |], u32 [| 1u |])) "uint32"
              same [| UInt32.MaxValue |] (Lax.Neg(u32 [| 1u |])) "neg of uint32"
          }
          test "np floor_divide and remainder follow Python's signs" {
              same [| 3; -4; -4; 3 |] (Np.FloorDivide(i32 [| 7; -7; 7; -7 |], i32 [| 2; 2; -2; -2 |])) "floor_divide"
              same [| 1; 1; -1; -1 |] (Np.Remainder(i32 [| 7; -7; 7; -7 |], i32 [| 2; 2; -2; -2 |])) "remainder"
              same [| 0 |] (Np.Remainder(i32 [| 7 |], i32 [| 0 |])) "remainder by 0 is 0 (JAX)"
          }
          test "np floor_divide and remainder of floats" {
              same [| 3.0; -4.0; -4.0; 3.0 |] (Np.FloorDivide(f64 [| 7.5; -7.5; 7.5; -7.5 |], f64 [| 2.0; 2.0; -2.0; -2.0 |])) "floor_divide"
              same [| 1.5; 0.5; -0.5; -1.5 |] (Np.Remainder(f64 [| 7.5; -7.5; 7.5; -7.5 |], f64 [| 2.0; 2.0; -2.0; -2.0 |])) "mod"
          }
          test "np power of integers by squaring" {
              same [| 1024; -8; 1; 0; 1 |] (Np.Power(i32 [| 2; -2; 0; 0; 7 |], i32 [| 10; 3; 0; 3; 0 |])) "int32"
              Expect.equal (Np.Power(i32 [| 2 |], 2.5)).DType DType.Float32 "int ** float is float32"
          }
          test "bitwise ops on int32 and logical ops on anything" {
              same [| 4 |] (Np.BitwiseAnd(i32 [| 6 |], 5)) "and"
              same [| 7 |] (Np.BitwiseOr(i32 [| 6 |], 5)) "or"
              same [| 3 |] (Np.BitwiseXor(i32 [| 6 |], 5)) "xor"
              same [| -6 |] (Np.Invert(i32 [| 5 |])) "invert"
              same [| false; true; false |] (Np.LogicalAnd(f32 [| 0.0f; 2.0f; 3.0f |], i32 [| 1; 1; 0 |])) "logical and reads x != 0"
              same [| true; false |] (Np.LogicalNot(i32 [| 0; 4 |])) "logical not"
          } ]

[<Tests>]
let specialValues =
    testList
        "NaN and infinity"
        [ test "max and min propagate NaN from either side" {
              let v = f64 [| nan; 1.0; nan |]
              let w = f64 [| 1.0; nan; nan |]
              Expect.isTrue (Np.Maximum(v, w).ToArray<float>() |> Array.forall Double.IsNaN) "max"
              Expect.isTrue (Np.Minimum(v, w).ToArray<float>() |> Array.forall Double.IsNaN) "min"
              same [| 0.0 |] (Np.Maximum(f64 [| -0.0 |], 0.0)) "max(-0, 0) = 0"
          }
          test "comparisons with NaN are false except ne" {
              let n = f32 [| nanf |]
              for name, f in [ "gt", Lax.Gt; "ge", Lax.Ge; "lt", Lax.Lt; "le", Lax.Le; "eq", Lax.Eq ] do
                  same [| false |] (f (n, n)) name
              same [| true |] (Lax.Ne(n, n)) "ne"
          }
          test "is_finite, isnan and isinf tell infinities and NaN apart" {
              let v = f32 [| infinityf; -infinityf; nanf; 1.0f |]
              same [| false; false; false; true |] (Np.IsFinite v) "isfinite"
              same [| false; false; true; false |] (Np.IsNan v) "isnan"
              same [| true; true; false; false |] (Np.IsInf v) "isinf"
              same [| true; true |] (Np.IsFinite(i32 [| 1; 2 |])) "integers are finite"
          }
          test "sign keeps signed zeros and NaN" {
              let s = Lax.Sign(f64 [| -0.0; 0.0; nan; -3.0; 2.0 |]).ToArray<float>()
              Expect.isTrue (Double.IsNegative s[0] && s[0] = 0.0) "-0"
              Expect.isTrue (Double.IsNaN s[2]) "NaN"
              Expect.sequenceEqual s[3..] [| -1.0; 1.0 |] "signs"
          }
          test "log1p, expm1, erf and erf_inv at the ends of their domains" {
              expectClose 0.0 [| -infinity; infinity; nan |] (Lax.Log1p(f32 [| -1.0f; infinityf; -2.0f |])) "log1p"
              same [| infinity; -1.0 |] (Lax.Expm1(f64 [| infinity; -infinity |])) "expm1"
              same [| 1.0f; -1.0f |] (Lax.Erf(f32 [| infinityf; -infinityf |])) "erf float32"
              same [| 1.0; -1.0 |] (Lax.Erf(f64 [| infinity; -infinity |])) "erf float64"
              same [| infinityf; -infinityf; 0.0f |] (Lax.Erfinv(f32 [| 1.0f; -1.0f; 0.0f |])) "erf_inv float32"
              same [| infinity; -infinity |] (Lax.Erfinv(f64 [| 1.0; -1.0 |])) "erf_inv float64"
              Expect.isTrue (Double.IsNaN(Lax.Erfinv(f64 [| 1.5 |]).ToArray<float>()[0])) "erf_inv outside [-1, 1] is NaN"
          }
          test "erf_inv float32 at 0.5 is the float32 nearest erfinv(0.5)" {
              same [| 0.47693628f |] (Lax.Erfinv(f32 [| 0.5f |])) "0.47693628"
          }
          test "float to int conversion truncates and saturates, NaN gives 0" {
              same [| 2; -2; Int32.MaxValue; Int32.MinValue; 0 |]
                  (Lax.ConvertElementType(f32 [| 2.7f; -2.7f; 1e20f; -1e20f; nanf |], DType.Int32)) "int32"
          } ]

[<Tests>]
let numpyFunctions =
    testList
        "np elementwise"
        [ test "round rounds halves to even" {
              same [| 0.0; 2.0; 2.0; -0.0; -2.0 |] (Np.Round(f64 [| 0.5; 1.5; 2.5; -0.5; -2.5 |])) "half to even"
              expectClose 1e-12 [| 1.2; 1.4 |] (Np.Round(f64 [| 1.25; 1.35 |], 1)) "to one decimal"
              same [| 3 |] (Np.Round(i32 [| 3 |])) "integers stay"
          }
          test "lax round breaks ties away from zero by default" {
              same [| 1.0f; 2.0f; 3.0f; -3.0f |] (Lax.Round(f32 [| 0.5f; 1.5f; 2.5f; -2.5f |])) "away from zero"
          }
          test "floor and ceil keep integers" {
              same [| -2.0f; 1.0f |] (Np.Floor(f32 [| -1.5f; 1.5f |])) "floor"
              same [| -1.0f; 2.0f |] (Np.Ceil(f32 [| -1.5f; 1.5f |])) "ceil"
              same [| 4 |] (Np.Floor(i32 [| 4 |])) "int floor"
          }
          test "clip limits from both sides or one" {
              let x = f32 [| -2.0f; 0.5f; 3.0f |]
              same [| 0.0f; 0.5f; 1.0f |] (Np.Clip(x, 0.0, 1.0)) "both"
              same [| 0.0f; 0.5f; 3.0f |] (x |> np.clipMin 0.0) "below"
              same [| -2.0f; 0.5f; 1.0f |] (x |> np.clipMax 1.0) "above"
          }
          test "square, reciprocal, cbrt and arctan2" {
              same [| 9 |] (Np.Square(i32 [| -3 |])) "square keeps int"
              same [| 0.5f |] (Np.Reciprocal(i32 [| 2 |])) "reciprocal of int is float32"
              expectClose 1e-6 [| -2.0 |] (Np.Cbrt(f32 [| -8.0f |])) "cbrt"
              expectClose 1e-12 [| Math.Atan2(1.0, -1.0) |] (Np.Arctan2(f64 [| 1.0 |], -1.0)) "arctan2"
          }
          test "adding bools is or, multiplying them is and" {
              same [| true; true; false |] (Np.Add(bools [| true; false; false |], bools [| true; true; false |])) "add"
              same [| true; false; false |] (Np.Multiply(bools [| true; false; false |], bools [| true; true; false |])) "multiply"
          } ]

[<Tests>]
let jitEqualsEager =
    let x = f32 [| -2.0f; -0.5f; 0.0f; 0.3f; 1.5f; 4.0f |]
    let compositions: (string * (Tensor -> Tensor)) list =
        [ "selu", fun x -> 1.05 * np.where (x .> 0.0) x (1.67 * np.exp x - 1.67)
          "softplus-ish", fun x -> np.log1p (np.exp (-(np.abs x))) + np.maximum x 0.0
          "integer arithmetic", fun x -> Np.Remainder(Np.FloorDivide(Np.AsType(x * 10.0, DType.Int32), 3), 4)
          "erf and erf_inv", fun x -> Lax.Erfinv(Lax.Erf(x) * 0.5) + Np.Arctan2(x, 1.0)
          "comparisons and logic", fun x -> Np.Where(Np.LogicalAnd(x .>= -0.5, x .< 2.0), Np.Round x, Np.Sign x) ]
    testList
        "jit of elementwise compositions"
        [ for name, f in compositions ->
              test $"{name} equals eager" {
                  let jitted = Jax.Jit(Func<Tensor, Tensor> f)
                  let expected = f x
                  let actual = jitted.Invoke x
                  Expect.equal actual.Aval expected.Aval "same aval"
                  expectClose 0.0 (toFloats expected) actual "same values"
              } ]
