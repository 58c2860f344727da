/// Keys, transformations and statistics of the PRNG: split streams are independent, jit gives
/// the eager numbers, samples have the moments of their distributions; errors name the fix.
module RandomTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators

/// Expects an ArgumentException whose message contains the text.
let expectArgumentError (f: unit -> 'a) (text: string) =
    let message =
        try
            f () |> ignore
            None
        with :? ArgumentException as e ->
            Some e.Message
    match message with
    | None -> failtest "expected an ArgumentException"
    | Some m -> Expect.stringContains m text "the message names the problem and the fix"

[<Tests>]
let tests =
    testList
        "random"
        [ test "the same key gives the same numbers" {
              let a = random.uniform (random.key 7) [| 100 |]
              let b = random.uniform (random.key 7) [| 100 |]
              Expect.equal (a.ToArray<float32>()) (b.ToArray<float32>()) "equal draws"
          }
          test "split keys give distinct streams" {
              let keys = random.split (random.key 0) 3
              Expect.equal keys.Shape (Shape [| 3; 2 |]) "shape"
              let words = keys.ToArray<uint32>()
              let pairs = [ for j in 0..2 -> words.[2 * j], words.[2 * j + 1] ]
              Expect.equal (List.distinct pairs |> List.length) 3 "distinct keys"
              let draws = [ for j in 0..2 -> (random.uniform (Rng.FoldIn(random.key 0, j)) [| 8 |]).ToArray<float32>() ]
              Expect.equal (List.distinct draws |> List.length) 3 "distinct draws"
          }
          test "split streams are uncorrelated" {
              let keys = Rng.Split(Rng.Key 3, 2).ToArray<uint32>()
              let x = (Rng.Uniform(Rng.WrapKeyData(keys.[0], keys.[1]), Shape [| 20000 |])).ToArray<float32>() |> Array.map float
              let y = (Rng.Uniform(Rng.WrapKeyData(keys.[2], keys.[3]), Shape [| 20000 |])).ToArray<float32>() |> Array.map float
              let r = MathNet.Numerics.Statistics.Correlation.Pearson(x, y)
              Expect.isLessThan (abs r) 0.03 "correlation near 0"
          }
          test "uniform float32 has the moments and distribution of U[0, 1)" {
              let x = (random.uniform (random.key 0) [| 20000 |]).ToArray<float32>() |> Array.map float
              Expect.isTrue (Array.forall (fun v -> v >= 0.0 && v < 1.0) x) "in [0, 1)"
              Expect.floatClose { absolute = 0.01; relative = 0.0 } (Array.average x) 0.5 "mean 1/2"
              let variance = MathNet.Numerics.Statistics.Statistics.Variance x
              Expect.floatClose { absolute = 0.005; relative = 0.0 } variance (1.0 / 12.0) "variance 1/12"
              // Kolmogorov-Smirnov: sup |F_n - F| below the 1% critical value 1.63 / sqrt n.
              let sorted = Array.sort x
              let n = float sorted.Length
              let d = sorted |> Array.mapi (fun i v -> max (abs (float (i + 1) / n - v)) (abs (v - float i / n))) |> Array.max
              Expect.isLessThan d (1.63 / sqrt n) "KS statistic"
          }
          test "uniform float64 lies in [minval, maxval) with mean at the centre" {
              let x = (Rng.Uniform(Rng.Key 1, Shape [| 20000 |], -2.0, 3.0, DType.Float64)).ToArray<float>()
              Expect.isTrue (Array.forall (fun v -> v >= -2.0 && v < 3.0) x) "in [-2, 3)"
              Expect.floatClose { absolute = 0.05; relative = 0.0 } (Array.average x) 0.5 "mean 1/2"
              Expect.isGreaterThan (Array.distinct x).Length 19990 "52 random mantissa bits rarely collide"
          }
          test "uniform float64 uses the 52 high bits of the 64-bit draw" {
              let key = Rng.Key 5
              let words = (Rng.Bits(key, Shape [| 4 |], 64)).ToArray<uint32>()
              let expected =
                  Array.init 4 (fun i ->
                      let bits = (uint64 words.[2 * i + 1] <<< 32) ||| uint64 words.[2 * i]
                      BitConverter.UInt64BitsToDouble((bits >>> 12) ||| 0x3FF0000000000000UL) - 1.0)
              Expect.equal ((Rng.Uniform(key, Shape [| 4 |], 0.0, 1.0, DType.Float64)).ToArray<float>()) expected "bits to floats"
          }
          test "bernoulli(0.3) is true about 30% of the time (chi-square)" {
              let x = (random.bernoulli (Tensor.op_Implicit 0.3) (random.key 11) [| 10000 |]).ToArray<bool>()
              let ones = x |> Array.filter id |> Array.length |> float
              let chi2 = (ones - 3000.0) ** 2.0 / 3000.0 + (10000.0 - ones - 7000.0) ** 2.0 / 7000.0
              Expect.isLessThan chi2 6.63 "chi-square with 1 dof below its 1% critical value"
          }
          test "bernoulli with an array of probabilities draws each with its own p" {
              let p = Tensor.FromArray([| 0.0f; 1.0f |])
              let x = Rng.Bernoulli(Rng.Key 2, p, Shape [| 50; 2 |]).ToArray2D<bool>()
              Expect.isTrue (Seq.forall (fun i -> not x.[i, 0] && x.[i, 1]) [ 0..49 ]) "p = 0 never, p = 1 always"
          }
          test "jit of a sampler gives the eager numbers" {
              let f = Jax.Jit(fun (k: Tensor) -> Rng.Uniform(k, Shape [| 6 |]))
              let g = Jax.Jit(fun (k: Tensor) -> Rng.Uniform(Rng.FoldIn(k, 3), Shape [| 2; 3 |], -1.0, 1.0))
              let key = Rng.Key 9
              Expect.equal ((f.Invoke key).ToArray<float32>()) ((Rng.Uniform(key, Shape [| 6 |])).ToArray<float32>()) "key argument"
              Expect.equal ((g.Invoke key).ToArray<float32>()) ((Rng.Uniform(Rng.FoldIn(key, 3), Shape [| 2; 3 |], -1.0, 1.0)).ToArray<float32>()) "traced key"
          }
          test "jit of split, bits and float64 uniform gives the eager numbers" {
              let f = Jax.Jit(fun (k: Tensor) -> Rng.Split(k, 5))
              let g = Jax.Jit(fun (k: Tensor) -> Rng.Uniform(k, Shape [| 7 |], 0.0, 1.0, DType.Float64))
              let h = Jax.Jit(fun (s: Tensor) -> Rng.Bits(Rng.Key s, Shape [| 4 |]))
              let key = Rng.Key 4
              Expect.equal ((f.Invoke key).ToArray<uint32>()) ((Rng.Split(key, 5)).ToArray<uint32>()) "split"
              Expect.equal ((g.Invoke key).ToArray<float>()) ((Rng.Uniform(key, Shape [| 7 |], 0.0, 1.0, DType.Float64)).ToArray<float>()) "uniform float64"
              Expect.equal ((h.Invoke(Tensor.Scalar 4)).ToArray<uint32>()) ((Rng.Bits(key, Shape [| 4 |])).ToArray<uint32>()) "traced seed"
          }
          test "keys round-trip through keyData and wrapKeyData" {
              let key = random.key 123
              Expect.equal ((random.wrapKeyData (random.keyData key)).ToArray<uint32>()) (key.ToArray<uint32>()) "same data"
          }
          test "a key of the wrong shape or dtype is an error that says how to make one" {
              expectArgumentError (fun () -> random.uniform (Tensor.FromArray [| 1.0f; 2.0f |]) [| 3 |]) "Rng.Key(seed)"
              expectArgumentError (fun () -> random.uniform (random.split (random.key 0) 2) [| 3 |]) "Vmap"
              expectArgumentError (fun () -> random.wrapKeyData (Tensor.FromArray [| 1u; 2u; 3u |])) "shape (..., 2)"
          }
          test "uniform refuses an integer dtype and bounds that do not fit the shape" {
              expectArgumentError (fun () -> Rng.Uniform(Rng.Key 0, Shape [| 3 |], 0.0, 1.0, DType.Int32)) "Randint"
              expectArgumentError
                  (fun () -> Rng.Uniform(Rng.Key 0, Shape [| 3 |], Tensor.FromArray [| 0.0f; 1.0f; 2.0f; 3.0f |], 5.0))
                  "do not broadcast"
              expectArgumentError
                  (fun () -> Rng.Uniform(Rng.Key 0, Shape [| 3 |], Tensor.FromArray(Array2D.zeroCreate<float32> 2 3), 5.0))
                  "broadcast with shape (3,)"
          } 
          test "normal float32 has mean 0 and variance 1, and jit gives the eager numbers" {
              let key = random.key 21
              let x = (random.normal key [| 20000 |]).ToArray<float32>() |> Array.map float
              Expect.floatClose { absolute = 0.03; relative = 0.0 } (Array.average x) 0.0 "mean 0"
              Expect.floatClose { absolute = 0.04; relative = 0.0 } (MathNet.Numerics.Statistics.Statistics.Variance x) 1.0 "variance 1"
              let jitted = Jax.Jit(fun (k: Tensor) -> Rng.Normal(k, Shape [| 20000 |]))
              Expect.equal ((jitted.Invoke key).ToArray<float32>() |> Array.map float) x "jit equals eager"
          }
          test "randint stays in [minval, maxval) and covers it evenly" {
              let x = (random.randint 5 10 (random.key 2) [| 10000 |]).ToArray<int>()
              Expect.isTrue (Array.forall (fun v -> v >= 5 && v < 10) x) "in [5, 10)"
              let chi2 = x |> Array.countBy id |> Array.sumBy (fun (_, c) -> (float c - 2000.0) ** 2.0 / 2000.0)
              Expect.isLessThan chi2 13.28 "chi-square with 4 dof below its 1% critical value"
              Expect.equal (Rng.Randint(Rng.Key 0, Shape [| 3 |], 4, 4).ToArray<int>()) [| 4; 4; 4 |] "maxval <= minval gives minval"
          }
          test "exponential, gumbel, laplace and logistic have their means" {
              let mean (t: Tensor) = t.ToArray<float32>() |> Array.averageBy float
              Expect.floatClose { absolute = 0.03; relative = 0.0 } (mean (random.exponential (random.key 1) [| 20000 |])) 1.0 "exponential: 1"
              Expect.floatClose { absolute = 0.03; relative = 0.0 } (mean (random.gumbel (random.key 1) [| 20000 |])) 0.5772156649 "gumbel: Euler's gamma"
              Expect.floatClose { absolute = 0.03; relative = 0.0 } (mean (random.laplace (random.key 1) [| 20000 |])) 0.0 "laplace: 0"
              Expect.floatClose { absolute = 0.04; relative = 0.0 } (mean (random.logistic (random.key 1) [| 20000 |])) 0.0 "logistic: 0"
          }
          test "truncated normal stays strictly inside its bounds" {
              let x = (random.truncatedNormal -0.3 0.3 (random.key 0) [| 10000 |]).ToArray<float32>()
              Expect.isTrue (Array.forall (fun v -> v > -0.3f && v < 0.3f) x) "in (-0.3, 0.3)"
          } 
          test "permutation holds every element once, moves whole slices, and jit gives the eager order" {
              let key = random.key 0
              let p = random.permutation key 100
              Expect.equal (Array.sort (p.ToArray<int>())) [| 0..99 |] "a permutation of 0..99"
              Expect.notEqual (p.ToArray<int>()) [| 0..99 |] "not the identity (seems unlikely!)"
              let jitted = Jax.Jit(fun (k: Tensor) -> Rng.Permutation(k, 100))
              Expect.equal ((jitted.Invoke key).ToArray<int>()) (p.ToArray<int>()) "jit equals eager"
              let x = Tensor.FromArray(Array2D.init 6 3 (fun i j -> float32 (10 * i + j)))
              let rows = (Rng.Permutation(key, x)).ToArray2D<float32>()
              let order = (Rng.Permutation(key, 6)).ToArray<int>()
              for i in 0..5 do
                  Expect.equal rows[i, *] [| for j in 0..2 -> float32 (10 * order[i] + j) |] $"row {i} is row {order[i]}"
              Expect.equal ((Rng.Permutation(key, Tensor.FromArray [| 0..5 |])).ToArray<int>()) order "a vector is shuffled as its range"
          }
          test "independent permutation shuffles each vector along the axis on its own" {
              let x = Tensor.FromArray(Array2D.init 5 8 (fun i j -> j))
              let p = (Rng.Permutation(random.key 1, x, 1, true)).ToArray2D<int>()
              let rows = [ for i in 0..4 -> p[i, *] ]
              for r in rows do Expect.equal (Array.sort r) [| 0..7 |] "each row a permutation"
              Expect.isGreaterThan (List.distinct rows |> List.length) 1 "rows shuffled differently"
          }
          test "permutation of more than 1625 elements takes two sorting rounds and stays a permutation" {
              let p = (random.permutation (random.key 2) 3000).ToArray<int>()
              Expect.equal (Array.sort p) [| 0..2999 |] "a permutation"
          }
          test "choice without replacement gives distinct draws, and p = 0 is never drawn" {
              let key = random.key 3
              let d = (Rng.Choice(key, 10, Shape [| 2; 5 |], false)).ToArray<int>()
              Expect.equal (Array.sort d) [| 0..9 |] "all 10 distinct"
              let p = Tensor.FromArray [| 0.0f; 0.5f; 0.0f; 0.5f |]
              let w = (Rng.Choice(key, 4, Shape [| 200 |], true, p)).ToArray<int>()
              Expect.isTrue (w |> Array.forall (fun i -> i = 1 || i = 3)) "only the weighted entries"
              let g = (Rng.Choice(key, 4, Shape [| 2 |], false, p)).ToArray<int>()
              Expect.equal (Array.sort g) [| 1; 3 |] "gumbel top-2 takes the two weighted entries"
          }
          test "choice of slices along an axis replaces the axis by the draw shape" {
              let a = Tensor.FromArray(Array2D.init 3 7 (fun i j -> 100 * i + j))
              let c = Rng.Choice(random.key 4, a, Shape [| 2; 2 |], true, null, 1)
              Expect.equal c.Shape (Shape [| 3; 2; 2 |]) "(3, 2, 2)"
              let v = c.ToArray<int>()
              for i in 0..2 do
                  for k in 0..3 do Expect.equal (v[4 * i + k] / 100) i "slices of row i"
              Expect.equal (Rng.Choice(random.key 4, 5, Shape [| 0 |])).Shape (Shape [| 0 |]) "no draws"
              expectArgumentError (fun () -> Rng.Choice(random.key 4, 3, Shape [| 4 |], false)) "larger sample"
              expectArgumentError (fun () -> Rng.Choice(random.key 4, 3, Shape [| 2 |], true, Tensor.FromArray [| 1.0f |])) "p must"
          }
          test "choice with p draws each entry with its probability (chi-square)" {
              let p = [| 0.1; 0.2; 0.3; 0.4 |]
              let x = (Rng.Choice(random.key 5, 4, Shape [| 8000 |], true, Tensor.FromArray(p |> Array.map float32))).ToArray<int>()
              let chi2 = Array.init 4 (fun i -> let c = x |> Array.filter ((=) i) |> Array.length |> float in (c - 8000.0 * p[i]) ** 2.0 / (8000.0 * p[i])) |> Array.sum
              Expect.isLessThan chi2 11.34 "chi-square with 3 dof below its 1% critical value"
          }
          test "categorical samples the softmax of the logits (chi-square), with sample axes and along axis 0" {
              let p = [| 0.1; 0.2; 0.3; 0.4 |]
              let logits = Tensor.FromArray(p |> Array.map (fun v -> float32 (log v - 42.0)))
              let x = (Rng.Categorical(random.key 6, logits, -1, Shape [| 8000 |])).ToArray<int>()
              let chi2 = Array.init 4 (fun i -> let c = x |> Array.filter ((=) i) |> Array.length |> float in (c - 8000.0 * p[i]) ** 2.0 / (8000.0 * p[i])) |> Array.sum
              Expect.isLessThan chi2 11.34 "chi-square with 3 dof below its 1% critical value"
              let columns = Tensor.FromArray(array2D [ [ 0.0f; -1000.0f ]; [ -1000.0f; 0.0f ] ])
              let c = Rng.Categorical(random.key 6, columns, 0, Shape [| 3; 2 |])
              Expect.equal (c.ToArray<int>()) [| 0; 1; 0; 1; 0; 1 |] "column j picks its dominant row"
          }
          test "gamma has mean and variance a, and equals exp of loggamma (JAX's testGammaVsLogGamma)" {
              for a in [ 0.5; 3.0 ] do
                  let x = (Rng.Gamma(random.key 7, a, Shape [| 5000 |], DType.Float64)).ToArray<float>()
                  Expect.floatClose { absolute = 0.06 * a; relative = 0.0 } (Array.average x) a $"mean {a}"
                  Expect.floatClose { absolute = 0.15 * a; relative = 0.0 } (MathNet.Numerics.Statistics.Statistics.Variance x) a $"variance {a}"
              for a in [ 0.1; 1.0; 10.0 ] do
                  let g = Rng.Gamma(random.key 8, a, Shape [| 50 |])
                  let lg = Rng.LogGamma(random.key 8, a, Shape [| 50 |])
                  expectClose 1e-5 (toFloats (np.exp lg)) g $"gamma = exp loggamma at a = {a}"
          }
          test "beta with tiny parameters gives 0 or 1, and dirichlet lies on the simplex (JAX's small-parameter tests)" {
              let b = (Rng.Beta(random.key 0, 0.0001, 0.0002, Shape [| 100 |])).ToArray<float32>()
              Expect.isTrue (b |> Array.forall (fun v -> v < 1e-3f || v > 1.0f - 1e-3f)) "all 0 or 1"
              let d = Rng.Dirichlet(random.key 0, Tensor.FromArray [| 0.0001f; 0.0001f; 0.0001f |], Shape [| 100 |])
              expectClose 1e-5 (Array.create 100 1.0) (np.sumAxis 1 d) "rows sum to 1"
              expectClose 1e-4 (Array.create 100 1.0) (np.maxAxis 1 d) "one entry is 1"
              let d2 = Rng.Dirichlet(random.key 1, Tensor.FromArray [| 0.2; 1.0; 5.0 |], Shape [| 4000 |], DType.Float64)
              expectClose 0.03 [| 0.2 / 6.2; 1.0 / 6.2; 5.0 / 6.2 |] (np.meanAxis 0 d2) "means alpha / sum alpha"
          }
          test "poisson: corner cases, zeros, and the moments of both algorithms" {
              // JAX's testPoissonCornerCases: lam -1, 0, nan give -1, 0, -1.
              Expect.equal ((Rng.Poisson(random.key 0, Tensor.FromArray [| -1.0f; 0.0f; nanf |])).ToArray<int>()) [| -1; 0; -1 |] "corner cases"
              let z = (Rng.Poisson(random.key 0, Tensor.FromArray(Array.append (Array.zeroCreate 10) (Array.create 10 20.0f)), Shape [| 2; 20 |])).ToArray2D<int>()
              Expect.isTrue (Seq.forall (fun i -> Seq.forall (fun j -> z[i, j] = 0) [ 0..9 ]) [ 0..1 ]) "lam = 0 gives 0"
              for lam in [ 3.0; 50.0 ] do
                  let x = (Rng.Poisson(random.key 9, lam, Shape [| 5000 |])).ToArray<int>() |> Array.map float
                  Expect.floatClose { absolute = 0.04 * lam; relative = 0.0 } (Array.average x) lam $"mean {lam}"
                  Expect.floatClose { absolute = 0.1 * lam; relative = 0.0 } (MathNet.Numerics.Statistics.Statistics.Variance x) lam $"variance {lam}"
              let jitted = Jax.Jit(fun (k: Tensor) -> Rng.Poisson(k, Tensor.FromArray [| 2.0f; 30.0f |], Shape [| 4; 2 |]))
              Expect.equal ((jitted.Invoke(random.key 1)).ToArray<int>()) ((Rng.Poisson(random.key 1, Tensor.FromArray [| 2.0f; 30.0f |], Shape [| 4; 2 |])).ToArray<int>()) "jit equals eager"
          }
          test "multivariate normal has the requested mean and covariance" {
              let cov = array2D [ [ 2.0; 0.6 ]; [ 0.6; 1.0 ] ]
              let x = (Rng.MultivariateNormal(random.key 10, Tensor.FromArray [| 1.0; -2.0 |], Tensor.FromArray cov, Shape [| 8000 |])).ToArray2D<float>()
              let col j = Array.init 8000 (fun i -> x[i, j])
              Expect.floatClose { absolute = 0.05; relative = 0.0 } (Array.average (col 0)) 1.0 "mean 0"
              Expect.floatClose { absolute = 0.05; relative = 0.0 } (Array.average (col 1)) -2.0 "mean 1"
              Expect.floatClose { absolute = 0.08; relative = 0.0 } (MathNet.Numerics.Statistics.Statistics.Covariance(col 0, col 1)) 0.6 "covariance"
              Expect.floatClose { absolute = 0.1; relative = 0.0 } (MathNet.Numerics.Statistics.Statistics.Variance(col 0)) 2.0 "variance"
              Expect.throwsT<NotSupportedException> (fun () -> Rng.MultivariateNormal(random.key 0, Tensor.FromArray [| 0.0 |], Tensor.FromArray(array2D [ [ 1.0 ] ]), method = "svd") |> ignore) "svd is not available"
          } ]
