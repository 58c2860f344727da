/// MathNet.Numerics interop: matrices and vectors to tensors and back, copying, with shape checks.
module Training.MathNetTests

open System
open Expecto
open MathNet.Numerics.LinearAlgebra
open JaxSharp
open JaxSharp.FSharp
open JaxSharp.MathNet
open OpTable.Generators
open TestHelpers

let matrix (rows: float list list) = Matrix<float>.Build.DenseOfArray(array2D rows)
let vector (xs: float list) = Vector<float>.Build.DenseOfArray(Array.ofList xs)

[<Tests>]
let tests =
    testList
        "MathNet interop"
        [ test "a double matrix becomes a float64 tensor of its shape and comes back equal" {
              let m = matrix [ [ 1.0; 2.0; 3.0 ]; [ 4.0; 5.0; 6.0 ] ]
              let t = Tensor.ofMatrix m
              Expect.equal (t.Shape.ToArray()) [| 2; 3 |] "rows, columns"
              Expect.equal t.DType DType.Float64 "float64"
              expectClose 0.0 [| 1.0; 2.0; 3.0; 4.0; 5.0; 6.0 |] t "row-major values"
              Expect.equal (Tensor.toMatrix t) m "back"
              Expect.equal (Tensor.toMatrix (np.matmul t (np.transpose t))) (m * m.Transpose()) "jax's product is MathNet's"
          }

          test "float32 matrices and vectors of both kinds round-trip" {
              let m32 = Matrix<float32>.Build.DenseOfArray(array2D [ [ 1.5f; -2.0f ] ])
              Expect.equal (Tensor.toMatrix32 (Tensor.ofMatrix32 m32)) m32 "float32 matrix"
              Expect.equal ((Tensor.ofMatrix32 m32).DType) DType.Float32 "float32 tensor"
              let v = vector [ 1.0; -1.0; 0.25 ]
              Expect.equal (Tensor.toVector (Tensor.ofVector v)) v "double vector"
              let v32 = Vector<float32>.Build.DenseOfArray [| 3.0f; 4.0f |]
              Expect.equal (Tensor.toVector32 (Tensor.ofVector32 v32)) v32 "float vector"
          }

          test "conversions copy: changing the matrix afterwards leaves the tensor alone" {
              let m = matrix [ [ 1.0 ] ]
              let t = Tensor.ofMatrix m
              m[0, 0] <- 9.0
              expectClose 0.0 [| 1.0 |] t "still 1"
          }

          test "C# extension methods convert the same way" {
              let m = matrix [ [ 1.0; 2.0 ] ]
              Expect.equal (m.ToTensor().ToMatrix()) m "ToTensor then ToMatrix"
              Expect.equal ((np.arange 3.0f).ToVectorSingle()) (Vector<float32>.Build.DenseOfArray [| 0.0f; 1.0f; 2.0f |]) "ToVectorSingle"
          }

          test "a tensor of the wrong rank is refused with its shape and the fix" {
              throwsWith<ArgumentException> [ "Tensor.toMatrix"; "float32(3,)"; "needs rank 2"; "np.reshape" ] (fun () -> Tensor.toMatrix (np.zeros [| 3 |]) |> ignore)
              throwsWith<ArgumentException> [ "Tensor.toVector"; "float32(2, 2)"; "needs rank 1"; "np.ravel" ] (fun () -> Tensor.toVector (np.zeros [| 2; 2 |]) |> ignore)
          } ]
