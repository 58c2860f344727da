/// jax.nn functions against float64 formulas, stability at extremes, softmax, one_hot; and
/// the statistics of np (mean, var, std, logsumexp).
module NnTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open ReductionTests

let sigmoid x = 1.0 / (1.0 + exp -x)
let softplus x = Math.Log(1.0 + exp x)
let seluRef x = 1.0507009873554805 * (if x > 0.0 then x else 1.6732632423543772 * (exp x - 1.0))
let geluTanh x = 0.5 * x * (1.0 + tanh (sqrt (2.0 / Math.PI) * (x + 0.044715 * x ** 3.0)))
let geluExact x = 0.5 * x * (1.0 + MathNet.Numerics.SpecialFunctions.Erf(x / sqrt 2.0))

let activations: (string * (Tensor -> Tensor) * (float -> float)) list =
    [ ("relu", nn.relu, (fun x -> max x 0.0))
      ("relu6", nn.relu6, (fun x -> min (max x 0.0) 6.0))
      ("sigmoid", nn.sigmoid, sigmoid)
      ("softplus", nn.softplus, softplus)
      ("log_sigmoid", nn.logSigmoid, (fun x -> Math.Log(sigmoid x)))
      ("silu", nn.silu, (fun x -> x * sigmoid x))
      ("selu", nn.selu, seluRef)
      ("elu", nn.elu, (fun x -> if x > 0.0 then x else exp x - 1.0))
      ("gelu", nn.gelu, geluTanh)
      ("gelu exact", nn.geluExact, geluExact)
      ("leaky_relu", nn.leakyRelu, (fun x -> if x >= 0.0 then x else 0.01 * x)) ]

let config = { FsCheckConfig.defaultConfig with maxTest = 30 }

[<Tests>]
let nnTests =
    testList "nn" [
        for name, f, reference in activations do
            testPropertyWithConfig config $"{name} matches its float64 formula" (Prop.forAll (Arb.fromGen (Gen.zip (Gen.elements [ DType.Float32; DType.Float64 ]) (valuesGen (Interval(-8.0, 8.0)) 7))) (fun (dtype, xs) ->
                let x = tensorOf dtype [| 7 |] xs
                let actual = f x
                Expect.equal actual.DType dtype "keeps the float dtype"
                expectClose (10.0 * defaultTolerance dtype) (toFloats x |> Array.map reference) actual name))
        test "softplus and log_sigmoid are stable at extremes" {
            let x = f32 [| 4 |] [| -1000.0f; 1000.0f; Single.NegativeInfinity; Single.PositiveInfinity |]
            expectClose 0.0 [| 0.0; 1000.0; 0.0; infinity |] (nn.softplus x) "softplus"
            expectClose 0.0 [| -1000.0; 0.0; -infinity; 0.0 |] (nn.logSigmoid x) "log_sigmoid"
            expectClose 0.0 [| -1.0 * Nn.SeluScale * Nn.SeluAlpha; 1000.0 * Nn.SeluScale |] (Nn.Selu(f64 [| 2 |] [| -1000.0; 1000.0 |])) "selu"
        }
        test "relu keeps int32 and nn functions convert ints to float32" {
            Expect.equal (nn.relu (i32 [| 2 |] [| -1; 2 |])).DType DType.Int32 "relu of ints"
            Expect.equal (nn.sigmoid (i32 [| 1 |] [| 0 |])).DType DType.Float32 "sigmoid of ints"
        }
        testPropertyWithConfig config "softmax rows sum to 1 and match the formula" (Prop.forAll (Arb.fromGen (valuesGen (Interval(-50.0, 50.0)) 12)) (fun xs ->
            let x = f64 [| 3; 4 |] xs
            let s = nn.softmax x
            let rows = Array.chunkBySize 4 xs
            let expected = rows |> Array.collect (fun r -> let m = Array.max r in let e = r |> Array.map (fun v -> exp (v - m)) in e |> Array.map (fun v -> v / Array.sum e))
            expectClose 1e-13 expected s "softmax"
            expectClose 1e-13 [| 1.0; 1.0; 1.0 |] (np.sumAxis -1 s) "row sums"
            expectClose 1e-12 (expected |> Array.map Math.Log) (nn.logSoftmax x) "log_softmax"
            expectClose 1e-13 [| 1.0; 1.0; 1.0; 1.0 |] (np.sumAxis 0 (nn.softmaxAxis 0 x)) "axis 0"))
        test "softmax of huge logits does not overflow" {
            let s = nn.softmax (f32 [| 3 |] [| 1e30f; 1e30f; 0.0f |])
            expectClose 1e-6 [| 0.5; 0.5; 0.0 |] s "shifted by the max"
            expectClose 1e-6 [| Math.Log 0.5; Math.Log 0.5; -infinity |] (Nn.LogSoftmax(f32 [| 3 |] [| 1e30f; 1e30f; Single.NegativeInfinity |])) "log_softmax"
        }
        test "one_hot puts a 1 at each index and zeros for out-of-range indices" {
            let r = nn.oneHot 3 (i32 [| 2; 2 |] [| 0; 2; -1; 3 |])
            Expect.equal (r.DType, List.ofSeq r.Shape) (DType.Float32, [ 2; 2; 3 ]) "float32 (2, 2, 3)"
            expectClose 0.0 [| 1.0; 0.0; 0.0; 0.0; 0.0; 1.0; 0.0; 0.0; 0.0; 0.0; 0.0; 0.0 |] r "rows"
            Expect.equal ((nn.oneHotAs DType.Int32 2 (i32 [| 1 |] [| 1 |])).ToArray<int>()) [| 0; 1 |] "int32"
            throwsWith [ "one_hot"; "-1" ] (fun () -> Nn.OneHot(i32 [| 1 |] [| 0 |], -1))
        }
        test "jit of an mlp layer equals eager" {
            let f (x: Tensor) (w: Tensor) = Nn.LogSoftmax(Nn.Gelu(Np.Matmul(x, w)))
            let x, w = f32 [| 4; 3 |] (Array.init 12 (fun i -> float32 i / 10.0f)), f32 [| 3; 5 |] (Array.init 15 (fun i -> float32 (i % 4) - 1.5f))
            // A few float32 ulps: fused loops evaluate tanh with the SIMD polynomial, and XLA's
            // jit differs from op-by-op execution the same way.
            expectClose 1e-6 (toFloats (f x w)) (Jax.Jit(Func<Tensor, Tensor, Tensor> f).Invoke(x, w)) "jit = eager"
        }
    ]

[<Tests>]
let statisticsTests =
    let x = f64 [| 2; 3 |] [| 1.0; 2.0; 4.0; -1.0; 0.0; 7.0 |]
    testList "np statistics" [
        test "mean of ints is float32 and of float64 stays float64" {
            let m = Np.Mean(i32 [| 4 |] [| 1; 2; 3; 4 |])
            Expect.equal (m.DType, m.Item<float32>()) (DType.Float32, 2.5f) "int mean"
            expectClose 1e-15 [| 7.0 / 3.0; 2.0 |] (np.meanAxis 1 x) "rows"
            Expect.sequenceEqual (np.meanAxes [| 0 |] true x).Shape [ 1; 3 ] "keepdims"
            Expect.equal (Np.Mean(f32 [| 2 |] [| 1.0f; 2.0f |]).DType) DType.Float32 "float32"
        }
        test "var and std with ddof match MathNet" {
            let row = [| 1.0; 2.0; 4.0 |]
            let s = MathNet.Numerics.Statistics.Statistics.PopulationVariance row
            expectClose 1e-14 [| s; MathNet.Numerics.Statistics.Statistics.PopulationVariance [| -1.0; 0.0; 7.0 |] |] (np.varAxis -1 x) "population"
            expectClose 1e-14 [| MathNet.Numerics.Statistics.Statistics.Variance row |] (np.varAxesDdof 1 [| 0 |] false (f64 [| 3 |] row)) "sample"
            expectClose 1e-14 [| MathNet.Numerics.Statistics.Statistics.StandardDeviation row |] (Np.Std(f64 [| 3 |] row, ddof = 1)) "sample std"
            expectClose 1e-14 [| MathNet.Numerics.Statistics.Statistics.PopulationStandardDeviation (toFloats x) |] (np.std x) "std of all"
        }
        test "logsumexp is stable at +-inf and 1e30" {
            expectClose 1e-14 [| Math.Log(exp 1.0 + exp 2.0 + exp 3.0) |] (np.logsumexp (f64 [| 3 |] [| 1.0; 2.0; 3.0 |])) "plain"
            expectClose 1e-6 [| 1e30 + Math.Log 2.0 |] (np.logsumexp (f32 [| 2 |] [| 1e30f; 1e30f |])) "1e30"
            expectClose 0.0 [| -infinity |] (np.logsumexp (f64 [| 2 |] [| -infinity; -infinity |])) "all -inf"
            expectClose 0.0 [| infinity |] (np.logsumexp (f64 [| 2 |] [| infinity; 1.0 |])) "+inf"
            expectClose 0.0 [| infinity |] (np.logsumexp (f64 [| 2 |] [| infinity; -infinity |])) "+inf and -inf"
            expectClose 0.0 [| -infinity |] (np.logsumexp (f64 [| 0 |] [||])) "of nothing"
            let k = np.logsumexpAxes [| 1 |] true x
            Expect.sequenceEqual k.Shape [ 2; 1 ] "keepdims"
            expectClose 1e-14 (x |> toFloats |> Array.chunkBySize 3 |> Array.map (fun r -> Math.Log(Array.sumBy exp r))) k "rows"
        }
        test "jit of statistics equals eager" {
            let f (t: Tensor) = Np.Std(t, 0) + Np.Logsumexp(t, 0) + Np.Mean(t, 0)
            expectClose 0.0 (toFloats (f x)) (Jax.Jit(Func<Tensor, Tensor> f).Invoke x) "jit = eager"
        }
    ]
