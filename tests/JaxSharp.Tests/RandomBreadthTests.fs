/// jax.random's binomial, multinomial, f, wald, triangular, generalized_normal, ball and
/// orthogonal (their known answers are in RandomKnownAnswers), tested by their distributions
/// (moments and Kolmogorov-Smirnov bounds, seeded, the seed in every message), shapes, dtypes,
/// errors, jit and vmap; and lax.top_k and lax.sort_key_val.
module RandomBreadthTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open Transforms.Checks
open RandomTests

type private Dist = MathNet.Numerics.Distributions.Normal

let private seed = 1515
let private draws = 20000
let private keys = Rng.Split(Rng.Key seed, 16)
let private key (i: int) = keys[Ix.op_Implicit i]

/// Fails unless the sample mean and variance are within relative tolerances of the expected ones.
let private expectMoments (meanTol: float) (varTol: float) (mean: float) (variance: float) (x: Tensor) what =
    let xs = toFloats x
    let m = Array.average xs
    let v = MathNet.Numerics.Statistics.Statistics.Variance xs
    Expect.isLessThanOrEqual (abs (m - mean)) (meanTol * abs mean) $"{what}: mean {m}, expected {mean} (seed {seed}, {xs.Length} draws)"
    Expect.isLessThanOrEqual (abs (v - variance)) (varTol * variance) $"{what}: variance {v}, expected {variance} (seed {seed}, {xs.Length} draws)"

/// Fails unless the Kolmogorov-Smirnov distance to the CDF is below the 1% critical value 1.63 / sqrt n.
let private expectKs (cdf: float -> float) (x: Tensor) what =
    let sorted = toFloats x |> Array.sort
    let n = float sorted.Length
    let d = sorted |> Array.mapi (fun i v -> max (abs (float (i + 1) / n - cdf v)) (abs (cdf v - float i / n))) |> Array.max
    Expect.isLessThan d (1.63 / sqrt n) $"{what}: KS distance {d} (seed {seed}, {sorted.Length} draws)"

let private expectEqualDraws (expected: Tensor) (actual: Tensor) what =
    Expect.equal actual.Shape expected.Shape $"{what}: shape"
    Expect.equal (toFloats actual) (toFloats expected) $"{what}: the same numbers"

[<Tests>]
let samplerTests =
    testList
        "random breadth"
        [ test "binomial has the mean and variance of its distribution on both algorithms and for p above 1/2" {
              let s = [| draws |]
              // n p <= 10: inversion; n p > 10: BTRS; p > 1/2 draws n - Binomial(n, 1 - p).
              for n, p, i in [ 10.0, 0.3, 0; 500.0, 0.3, 1; 53.0, 0.9, 2; 21.0, 0.5, 3 ] do
                  let x = random.binomial (np.scalar (float32 n)) (np.scalar (float32 p)) (key i) s
                  Expect.equal x.DType DType.Float32 "float32 counts"
                  let xs = toFloats x
                  Expect.isTrue (xs |> Array.forall (fun v -> v >= 0.0 && v <= n && v = Math.Floor v)) $"integers in [0, {n}] (seed {seed})"
                  expectMoments 0.025 0.05 (n * p) (n * p * (1.0 - p)) x $"binomial({n}, {p})"
          }
          test "binomial takes arrays of n and p, float64, and floors a fractional n" {
              let x = Rng.Binomial(key 4, Tensor.FromArray [| 3.0; 1000.0 |], Tensor.FromArray [| 0.5; 0.2 |], Shape [| 4000; 2 |], DType.Float64)
              Expect.equal x.DType DType.Float64 "float64"
              let column j = toFloats x |> Array.indexed |> Array.filter (fun (i, _) -> i % 2 = j) |> Array.map snd |> Tensor.FromArray
              expectMoments 0.03 0.08 1.5 0.75 (column 0) "binomial(3, 0.5) float64"
              expectMoments 0.01 0.08 200.0 160.0 (column 1) "binomial(1000, 0.2) float64"
              // .NET numbers are float32, as JAX's Python scalars: the same draws as float32 tensors.
              expectEqualDraws (Rng.Binomial(key 5, np.scalar 40.0f, np.scalar 0.3f, Shape [| 50 |])) (Rng.Binomial(key 5, 40.0, 0.3, Shape [| 50 |])) "weak n and p"
              expectEqualDraws
                  (Rng.Multinomial(key 5, np.scalar 9.0f, Tensor.FromArray [| 0.5f; 0.5f |]))
                  (Rng.Multinomial(key 5, 9.0, Tensor.FromArray [| 0.5f; 0.5f |]))
                  "weak n in multinomial"
              let floored = toFloats (Rng.Binomial(key 5, 2.7, 0.999, Shape [| 200 |]))
              Expect.isTrue (floored |> Array.forall (fun v -> v <= 2.0)) $"n = 2.7 counts at most 2 (seed {seed})"
          }
          test "multinomial spreads n trials by p (JAX's testMultinomialExample) and its counts sum to n" {
              let probs = Tensor.FromArray(array2D [ [ 0.5f; 0.2f; 0.3f ]; [ 0.1f; 0.2f; 0.7f ]; [ 1.0f; 0.0f; 0.0f ]; [ 0.0f; 1.0f; 0.0f ]; [ 0.0f; 0.0f; 1.0f ]; [ 0.5f; 0.0f; 0.5f ] ])
              let counts = Rng.Multinomial(key 6, 1e5, probs)
              Expect.equal counts.Shape probs.Shape "p's shape"
              expectClose 1e-2 (toFloats probs) (np.divide counts (np.scalar 1e5f)) $"frequencies near p (seed {seed})"
              expectClose 0.0 (Array.create 6 1e5) (np.sumAxis 1 counts) "each row sums to n"
              let batched = Rng.Multinomial(key 7, Tensor.FromArray [| 5.0f; 9.0f |], Tensor.FromArray [| 0.25f; 0.75f |], Shape [| 3; 2; 2 |])
              Expect.equal batched.Shape (Shape [| 3; 2; 2 |]) "shape + outcomes"
              expectClose 0.0 [| 5.0; 9.0; 5.0; 9.0; 5.0; 9.0 |] (np.sumAxis -1 batched) "n broadcasts over the batch"
          }
          test "f follows the F distribution (Kolmogorov-Smirnov)" {
              let dist = MathNet.Numerics.Distributions.FisherSnedecor(3.0, 10.0)
              expectKs dist.CumulativeDistribution (random.f (np.scalar 3.0f) (np.scalar 10.0f) (key 8) [| draws |]) "f(3, 10)"
          }
          test "wald follows the inverse Gaussian distribution of its mean (Kolmogorov-Smirnov)" {
              for mu in [ 0.5; 2.0 ] do
                  // CDF with shape 1: Phi(sqrt(1/x) (x/mu - 1)) + exp(2/mu) Phi(-sqrt(1/x) (x/mu + 1)).
                  let cdf x = Dist.CDF(0.0, 1.0, sqrt (1.0 / x) * (x / mu - 1.0)) + exp (2.0 / mu) * Dist.CDF(0.0, 1.0, -sqrt (1.0 / x) * (x / mu + 1.0))
                  expectKs cdf (random.wald (np.scalar (float32 mu)) (key 9) [| draws |]) $"wald({mu})"
          }
          test "triangular follows its distribution and stays in [left, right] (Kolmogorov-Smirnov)" {
              let x = random.triangular (np.scalar 1.0f) (np.scalar 2.0f) (np.scalar 5.0f) (key 10) [| draws |]
              Expect.isTrue (toFloats x |> Array.forall (fun v -> v >= 1.0 && v <= 5.0)) $"in [1, 5] (seed {seed})"
              expectKs (MathNet.Numerics.Distributions.Triangular(1.0, 5.0, 2.0)).CumulativeDistribution x "triangular(1, 2, 5)"
          }
          test "generalized normal is Laplace for p = 1 and normal with variance 1/2 for p = 2" {
              let laplace x = if x < 0.0 then 0.5 * exp x else 1.0 - 0.5 * exp -x
              expectKs laplace (random.generalizedNormal 1.0 (key 11) [| draws |]) "generalized_normal(p=1)"
              expectKs (fun x -> Dist.CDF(0.0, sqrt 0.5, x)) (random.generalizedNormal 2.0 (key 12) [| draws |]) "generalized_normal(p=2)"
          }
          test "ball draws lie in the unit ball, uniformly (the radius^d is uniform)" {
              let points = random.ball 3 2.0 (key 13) [| draws |]
              Expect.equal points.Shape (Shape [| draws; 3 |]) "shape + (d,)"
              let radii = np.sqrt (np.sumAxis -1 (np.square points))
              expectKs (fun u -> min 1.0 (max 0.0 u)) (np.power radii (np.scalar 3.0f)) "|x|^3 in the 3-d L2 ball"
              let l1 = np.sumAxis -1 (np.abs (random.ball 2 1.0 (key 14) [| 1000 |]))
              Expect.isTrue (toFloats l1 |> Array.forall (fun r -> r <= 1.0)) $"L1 norms at most 1 (seed {seed})"
          }
          test "orthogonal gives orthogonal matrices, semi-orthogonal ones for n != m, with Haar's second moment" {
              let q = random.orthogonal 4 (key 15) [| 500 |]
              Expect.equal q.Shape (Shape [| 500; 4; 4 |]) "shape + (n, n)"
              let eye n = Array.init (n * n) (fun i -> if i / n = i % n then 1.0 else 0.0)
              let gram (x: Tensor) = Np.Matmul(Np.Swapaxes(x, -1, -2), x)
              expectClose 1e-5 (Array.concat (Array.create 500 (eye 4))) (gram q) "q^T q = I"
              // Under Haar measure each entry squared has mean 1/n.
              let meanSquare = (np.mean (np.square q)).Item<float32>() |> float
              Expect.isLessThan (abs (meanSquare - 0.25)) 1e-3 $"mean of q_ij^2 {meanSquare} (seed {seed})"
              let wide = Rng.Orthogonal(key 0, 2, dtype = DType.Float64, m = 5)
              Expect.equal wide.Shape (Shape [| 2; 5 |]) "n x m"
              expectClose 1e-12 (eye 2) (Np.Matmul(wide, Np.Swapaxes(wide, -1, -2))) "rows orthonormal for n < m"
              let tall = random.orthogonalRect 5 2 (key 1) [||]
              expectClose 1e-5 (eye 2) (gram tall) "columns orthonormal for n > m"
          }
          test "jit of each new sampler gives the eager numbers" {
              let k = key 2
              let cases: (string * (Tensor -> Tensor)) list =
                  [ "binomial", (fun k -> Rng.Binomial(k, Tensor.FromArray [| 4.0f; 60.0f; 30.0f |], 0.4))
                    "multinomial", (fun k -> Rng.Multinomial(k, 20.0, Tensor.FromArray [| 0.2f; 0.5f; 0.3f |]))
                    "f", (fun k -> Rng.F(k, 2.0, 7.0, Shape [| 4 |]))
                    "wald", (fun k -> Rng.Wald(k, 1.5, Shape [| 4 |]))
                    "triangular", (fun k -> Rng.Triangular(k, 0.0, 0.3, 1.0, Shape [| 4 |]))
                    "generalized_normal", (fun k -> Rng.GeneralizedNormal(k, 1.5, Shape [| 4 |]))
                    "ball", (fun k -> Rng.Ball(k, 3, 1.5, Shape [| 2 |]))
                    "orthogonal", (fun k -> Rng.Orthogonal(k, 3, Shape [| 2 |])) ]
              for name, sampler in cases do
                  let jitted = Jax.Jit(Func<Tensor, Tensor>(sampler))
                  expectEqualDraws (sampler k) (jitted.Invoke k) $"jit of {name}"
          }
          test "vmap of each new sampler over keys equals the loop" {
              let batch = Rng.Split(key 3, 3)
              checkVmap (fun a -> Rng.Binomial(a[0], Tensor.FromArray [| 4.0f; 60.0f |], 0.7)) [| Some 0 |] [| batch |]
              checkVmap (fun a -> Rng.Binomial(a[0], a[1], 0.3)) [| Some 0; Some 0 |] [| batch; Tensor.FromArray [| 2.0f; 40.0f; 100.0f |] |]
              checkVmap (fun a -> Rng.Multinomial(a[0], 12.0, Tensor.FromArray [| 0.2f; 0.5f; 0.3f |])) [| Some 0 |] [| batch |]
              checkVmap (fun a -> Rng.F(a[0], 2.0, 7.0, Shape [| 3 |])) [| Some 0 |] [| batch |]
              checkVmap (fun a -> Rng.Wald(a[0], 1.5, Shape [| 3 |])) [| Some 0 |] [| batch |]
              checkVmap (fun a -> Rng.Triangular(a[0], 0.0, 0.3, 1.0, Shape [| 3 |])) [| Some 0 |] [| batch |]
              checkVmap (fun a -> Rng.GeneralizedNormal(a[0], 0.7, Shape [| 3 |])) [| Some 0 |] [| batch |]
              checkVmap (fun a -> Rng.Ball(a[0], 2, 2.0, Shape [| 2 |])) [| Some 0 |] [| batch |]
              checkVmap (fun a -> Rng.Orthogonal(a[0], 3)) [| Some 0 |] [| batch |]
          }
          test "the new samplers' mistakes are errors that name the op and the fix" {
              let k = key 4
              expectArgumentError (fun () -> Rng.Binomial(k, 5, 0.5, Shape [| 2 |], DType.Int32)) "binomial: dtype must be a float dtype"
              expectArgumentError (fun () -> Rng.Binomial(Rng.Split(k, 2), 5, 0.5)) "use Jax.Vmap"
              expectArgumentError (fun () -> Rng.Binomial(k, Tensor.FromArray [| 1.0f; 2.0f |], 0.5, Shape [| 1 |])) "binomial: parameter shapes"
              expectArgumentError (fun () -> Rng.Multinomial(k, 5, 0.5)) "multinomial: p needs the outcomes on a last axis"
              expectArgumentError (fun () -> Rng.Multinomial(k, Tensor.FromArray [| 1.0f; 2.0f |], Tensor.FromArray [| 0.5f; 0.5f |], Shape [| 1; 2 |])) "multinomial: parameter shapes"
              expectArgumentError (fun () -> Rng.F(k, 1, 2, Shape [| 2 |], DType.Int32)) "f: dtype must be float32 or float64"
              expectArgumentError (fun () -> Rng.Wald(k, Tensor.FromArray [| 1.0f; 2.0f |], Shape [| 1 |])) "wald: parameter shapes"
              expectArgumentError (fun () -> Rng.Ball(k, -1)) "ball: d must be a nonnegative dimension"
              expectArgumentError (fun () -> Rng.Orthogonal(k, -2)) "orthogonal: n and m must be nonnegative"
              expectArgumentError (fun () -> Rng.Triangular(k, 0, 1, 2, Shape [| 2 |], DType.Int32)) "triangular: dtype must be float32 or float64"
          } ]

[<Tests>]
let sortingTests =
    testList
        "lax top_k and sort_key_val"
        [ test "top_k gives the k largest along the last axis, largest first, equal values in index order" {
              let x = Tensor.FromArray(array2D [ [ 1.0f; 3.0f; 2.0f; 3.0f; 0.0f ]; [ 5.0f; 5.0f; 5.0f; -1.0f; 7.0f ] ])
              let values, indices = lax.topK 3 x
              expectClose 0.0 [| 3.0; 3.0; 2.0; 7.0; 5.0; 5.0 |] values "values"
              Expect.equal (indices.ToArray<int>()) [| 1; 3; 2; 4; 0; 1 |] "indices: ties in index order"
              Expect.equal indices.DType DType.Int32 "int32 indices"
              let none, noIndices = lax.topK 0 x
              Expect.equal (none.Shape, noIndices.Shape) (Shape [| 2; 0 |], Shape [| 2; 0 |]) "k = 0"
          }
          test "top_k orders unsigned, extreme integers and NaN (as the largest) correctly" {
              let unsigned = Tensor.FromArray [| 1u; 4000000000u; 0u; 7u |]
              Expect.equal ((Lax.Sort unsigned).ToArray<uint32>()) [| 0u; 1u; 7u; 4000000000u |] "sort compares uint32 unsigned"
              let struct (u, ui) = Lax.TopK(unsigned, 2)
              Expect.equal (u.ToArray<uint32>(), ui.ToArray<int>()) ([| 4000000000u; 7u |], [| 1; 3 |]) "uint32"
              let struct (i, ii) = Lax.TopK(Tensor.FromArray [| Int32.MinValue; 0; Int32.MaxValue; -5 |], 4)
              Expect.equal (i.ToArray<int>(), ii.ToArray<int>()) ([| Int32.MaxValue; 0; -5; Int32.MinValue |], [| 2; 1; 3; 0 |]) "int32 extremes"
              let struct (f, fi) = Lax.TopK(Tensor.FromArray [| 1.0f; nanf; 2.0f |], 2)
              Expect.isTrue (Single.IsNaN(f.ToArray<float32>()[0]) && fi.ToArray<int>() = [| 1; 2 |]) "NaN first, as XLA's total order"
          }
          test "top_k under jit and vmap equals eager, and np.topK agrees" {
              let x = Tensor.FromArray(array2D [ [ 0.5f; -1.0f; 2.0f; 2.0f ]; [ 3.0f; 1.0f; 1.0f; 0.0f ]; [ 9.0f; 8.0f; 7.0f; 6.0f ] ])
              let eager = fst (lax.topK 2 x)
              expectEqualDraws eager ((Jax.Jit(Func<Tensor, Tensor>(fun t -> fst (lax.topK 2 t)))).Invoke x) "jit"
              checkVmap (fun a -> snd (lax.topK 2 a[0])) [| Some 1 |] [| Np.Swapaxes(x, 0, 1) |]
              expectEqualDraws eager (fst (np.topK 2 x)) "np.topK"
          }
          test "top_k and sort_key_val refuse a scalar, a k out of range and keys and values of different shapes" {
              expectArgumentError (fun () -> Lax.TopK(Tensor.Scalar 1.0f, 1)) "top_k: the operand is a scalar"
              expectArgumentError (fun () -> Lax.TopK(Tensor.FromArray [| 1.0f; 2.0f |], 3)) "k must be in [0, 2]"
              expectArgumentError (fun () -> Lax.SortKeyVal(Tensor.FromArray [| 1.0f; 2.0f |], Tensor.FromArray [| 1; 2; 3 |])) "sort_key_val: keys of shape"
          }
          test "sort_key_val sorts the keys stably along a dimension and permutes the values alike" {
              let keys = Tensor.FromArray(array2D [ [ 3.0f; 1.0f ]; [ 1.0f; 1.0f ]; [ 2.0f; 0.0f ]; [ 1.0f; nanf ] ])
              let values = Tensor.FromArray(array2D [ [ 0; 10 ]; [ 1; 11 ]; [ 2; 12 ]; [ 3; 13 ] ])
              let sortedKeys, sortedValues = lax.sortKeyVal 0 keys values
              Expect.equal (sortedValues.ToArray<int>()) [| 1; 12; 3; 10; 2; 11; 0; 13 |] "values follow their keys, ties stable, NaN last"
              Expect.equal (toFloats sortedKeys).[0..5] [| 1.0; 0.0; 1.0; 1.0; 2.0; 1.0 |] "keys ascending"
              let lastKeys, lastValues = lax.sortKeyVal -1 keys values
              Expect.equal (lastValues.ToArray<int>()) [| 10; 0; 1; 11; 12; 2; 3; 13 |] "along the last axis"
              Expect.equal (toFloats lastKeys).[0..1] [| 1.0; 3.0 |] "first row sorted"
          } ]
