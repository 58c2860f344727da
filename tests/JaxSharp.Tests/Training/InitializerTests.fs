/// jax.nn.initializers: bounds, variances from the fans, orthogonality, keys.
module Training.InitializerTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open TestHelpers

let variance (xs: float[]) =
    let mean = Array.average xs
    xs |> Array.averageBy (fun x -> (x - mean) ** 2.0)

let expectVariance (expected: float) (t: Tensor) message =
    let v = variance (toFloats t)
    Expect.isLessThan (abs (v / expected - 1.0)) 0.05 $"{message}: variance {v}, expected {expected}"

[<Tests>]
let tests =
    let seed = 7
    let key = random.key seed
    testList
        $"initializers (key {seed})"
        [ test "Glorot uniform stays within sqrt(6 / (fan_in + fan_out)) with variance 2 / (fan_in + fan_out)" {
              let w = initializers.glorotUniform key [| 200; 300 |]
              let limit = sqrt (6.0 / 500.0)
              Expect.isTrue (toFloats w |> Array.forall (fun x -> abs x <= limit)) "bounded"
              expectVariance (2.0 / 500.0) w "glorot uniform"
          }

          test "He normal has variance 2 / fan_in, LeCun normal 1 / fan_in, Glorot normal 2 / (fan_in + fan_out)" {
              expectVariance (2.0 / 200.0) (initializers.heNormal key [| 200; 300 |]) "he normal"
              expectVariance (1.0 / 200.0) (initializers.lecunNormal key [| 200; 300 |]) "lecun normal"
              expectVariance (2.0 / 500.0) (initializers.glorotNormal key [| 200; 300 |]) "glorot normal"
              expectVariance (2.0 / 200.0) (initializers.kaimingUniform key [| 200; 300 |]) "kaiming uniform"
          }

          test "convolution kernels count the receptive field in their fans" {
              // (3, 3, 16, 32): fan_in = 3 * 3 * 16
              expectVariance (2.0 / 144.0) (initializers.heUniform key [| 3; 3; 16; 32 |]) "he uniform on a kernel"
          }

          test "a truncated normal stays within two standard deviations" {
              let w = initializers.truncatedNormal 0.5 key [| 10000 |]
              Expect.isTrue (toFloats w |> Array.forall (fun x -> abs x <= 1.0)) "within 2 * 0.5"
          }

          test "orthogonal gives orthonormal columns for tall shapes and rows for wide ones" {
              let tall = initializers.orthogonal 1.0 key [| 50; 20 |]
              let eye20 = Array.init 400 (fun k -> if k / 20 = k % 20 then 1.0 else 0.0)
              expectClose 1e-5 eye20 (np.matmul (np.transpose tall) tall) "QᵀQ = I"
              let wide = initializers.orthogonal 2.0 key [| 20; 50 |]
              expectClose 1e-4 (eye20 |> Array.map ((*) 4.0)) (np.matmul wide (np.transpose wide)) "W Wᵀ = 4 I (scale 2)"
              Expect.equal (tall.DType) DType.Float32 "float32"
          }

          test "the same key gives the same parameters, another key others" {
              let a = initializers.heNormal key [| 4; 4 |]
              Expect.equal (toFloats a) (toFloats (initializers.heNormal key [| 4; 4 |])) "same key"
              Expect.notEqual (toFloats a) (toFloats (initializers.heNormal (random.key (seed + 1)) [| 4; 4 |])) "another key"
          }

          test "C# initializers take a dtype and refuse integers" {
              let w = Initializers.GlorotUniform().Invoke(key, Shape [| 3; 4 |], DType.Float64)
              Expect.equal w.DType DType.Float64 "float64"
              throwsWith<ArgumentException> [ "int32"; "float parameters" ] (fun () ->
                  Initializers.HeNormal().Invoke(key, Shape [| 3 |], DType.Int32) |> ignore)
              throwsWith<ArgumentException> [ "rank 1"; "at least two axes" ] (fun () -> initializers.orthogonal 1.0 key [| 3 |] |> ignore)
          } ]
