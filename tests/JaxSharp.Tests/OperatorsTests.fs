/// Operators on Tensor (the C# ones, called from F#) and the F# operators and conversions.
module OperatorsTests

open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators

let private x = Tensor.FromArray [| -1.0f; 0.0f; 2.0f |]

let selu (x: Tensor) =
    1.05 * np.where (x .> 0.0) x (1.67 * np.exp x - 1.67)

/// The body of sumLogistic without the sum (np.sum belongs to the reductions).
let logisticTerms x = 1.0 / (1.0 + np.exp (-x))

let cubic (x: Tensor) = x ** 3.0 + 2.0 * x ** 2.0 - 3.0 * x + 1.0

[<Tests>]
let tests =
    testList
        "operators"
        [ test "selu written with np and .> gives JAX's values in float32" {
              let y = selu x
              Expect.equal y.DType DType.Float32 "float32"
              expectClose 1e-6 [| -1.1084234; 0.0; 2.1 |] y "selu"
          }
          test "the logistic terms type-check without annotations and compute 1 / (1 + e^-x)" {
              expectClose 1e-6 (x |> toFloats |> Array.map (fun v -> 1.0 / (1.0 + exp -v))) (logisticTerms x) "logistic"
          }
          test "a cubic written with ** and scalars stays float32" {
              let y = cubic x
              Expect.equal y.DType DType.Float32 "float32"
              expectClose 1e-6 (x |> toFloats |> Array.map (fun v -> v ** 3.0 + 2.0 * v ** 2.0 - 3.0 * v + 1.0)) y "cubic"
          }
          test "arithmetic mixes tensors, floats and ints on either side" {
              let i = Tensor.FromArray [| 7; -7 |]
              expectClose 0.0 [| 1.0; 2.0; 4.0 |] (x + 2.0 - 1.0 * (x - x) + x * 0) "float32 mixes"
              Expect.sequenceEqual ((i + 2).ToArray<int>()) [| 9; -5 |] "int32 + 2 stays int32"
              Expect.sequenceEqual ((2 * i).ToArray<int>()) [| 14; -14 |] "2 * int32"
              Expect.sequenceEqual ((i % 3).ToArray<int>()) [| 1; 2 |] "% has the divisor's sign"
              Expect.sequenceEqual ((10 - i).ToArray<int>()) [| 3; 17 |] "int - tensor"
              let h = i / 2
              Expect.equal h.DType DType.Float32 "int32 / 2 is float32"
              expectClose 0.0 [| 3.5; -3.5 |] h "true division"
              let f = i * 2.5
              Expect.equal f.DType DType.Float32 "int32 * 2.5 is float32"
              Expect.equal (x * 2.0).DType DType.Float32 "float32 * 2.0 stays float32"
              expectClose 0.0 [| 1.0; -0.0; -2.0 |] (-x) "negation"
              expectClose 0.0 [| 0.5; 1.0; 2.0 |] (1.0 + x * 0.75 - 0.25 * x) "scalars on both sides"
          }
          test "C# comparison operators give bool tensors with scalars on either side" {
              // F#'s > is structural comparison, so the C# operators are called by name here.
              Expect.sequenceEqual (Tensor.op_GreaterThan(x, 0.0).ToArray<bool>()) [| false; false; true |] "x > 0.0"
              Expect.sequenceEqual (Tensor.op_LessThan(0.0, x).ToArray<bool>()) [| false; false; true |] "0.0 < x"
              Expect.sequenceEqual (Tensor.op_GreaterThanOrEqual(x, 0).ToArray<bool>()) [| false; true; true |] "x >= 0"
              Expect.sequenceEqual (Tensor.op_LessThanOrEqual(x, x).ToArray<bool>()) [| true; true; true |] "x <= x"
          }
          test "F# elementwise comparisons take tensors or scalars on either side" {
              Expect.sequenceEqual ((x .> 0.0).ToArray<bool>()) [| false; false; true |] ".>"
              Expect.sequenceEqual ((0 .< x).ToArray<bool>()) [| false; false; true |] ".<"
              Expect.sequenceEqual ((x .>= 0.0f).ToArray<bool>()) [| false; true; true |] ".>="
              Expect.sequenceEqual ((x .<= -1.0).ToArray<bool>()) [| true; false; false |] ".<="
              Expect.sequenceEqual ((x .= x).ToArray<bool>()) [| true; true; true |] ".="
              Expect.sequenceEqual ((2.0 .<> x).ToArray<bool>()) [| true; true; false |] ".<>"
          }
          test "& | ^ ~ are logical on bools and bitwise on ints" {
              let a = Tensor.FromArray [| true; true; false |]
              let b = Tensor.FromArray [| true; false; false |]
              Expect.sequenceEqual ((a &&& b).ToArray<bool>()) [| true; false; false |] "&"
              Expect.sequenceEqual ((a ||| b).ToArray<bool>()) [| true; true; false |] "|"
              Expect.sequenceEqual ((a ^^^ b).ToArray<bool>()) [| false; true; false |] "^"
              Expect.sequenceEqual (Tensor.op_OnesComplement(a).ToArray<bool>()) [| false; false; true |] "~ (C#; F# uses np.invert)"
              let i = Tensor.FromArray [| 6 |]
              Expect.sequenceEqual ((i &&& Tensor.FromArray [| 5 |]).ToArray<int>()) [| 4 |] "& on ints"
          }
          test "tensor converts scalars weakly and tensors as themselves" {
              Expect.isTrue (tensor 2.0).IsWeaklyTyped "float"
              Expect.isTrue (tensor 2.0f).IsWeaklyTyped "float32"
              Expect.equal (tensor 3).DType DType.Int32 "int"
              Expect.equal (tensor true).DType DType.Bool "bool"
              Expect.isTrue (obj.ReferenceEquals(tensor x, x)) "a tensor is itself"
          }
          test "np binary functions take scalars on either side" {
              expectClose 0.0 [| 0.0; 0.0; 2.0 |] (np.maximum x 0.0) "maximum x 0.0"
              expectClose 0.0 [| -1.0; 0.0; 1.0 |] (np.minimum 1 x) "minimum 1 x"
              expectClose 0.0 [| 0.0; 0.0; 1.0 |] (x |> np.clip 0.0 1.0) "clip"
          } ]
