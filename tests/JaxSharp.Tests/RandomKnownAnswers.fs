/// Known-answer tests of the PRNG: the Random123 vectors of Threefry-2x32-20, and values JAX
/// documents or holds in its tests, for both counter schemes.
module RandomKnownAnswers

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open JaxSharp.Random
open OpTable.Generators

let private u32s (t: Tensor) = t.ToArray<uint32>()

let private f32s (t: Tensor) = t.ToArray<float32>()

/// JAX's tests seed each case with zlib.adler32(name + prng_impl).
let adler32 (text: string) =
    let mutable a = 1u
    let mutable b = 0u
    for c in Text.Encoding.ASCII.GetBytes text do
        a <- (a + uint32 c) % 65521u
        b <- (b + a) % 65521u
    (b <<< 16) ||| a

/// The key of a case of JAX's testRandomDistributionValues (tests/random_test.py).
let caseKey name =
    Rng.Key(int64 (adler32 (name + "threefry2x32")))

[<Tests>]
let tests =
    testList
        "random known answers"
        [ test "threefry2x32 matches the Random123 vectors" {
              // Random123-Boost libs/random/test/test_threefry.cpp, as in JAX's testThreefry2x32.
              Expect.equal (Rng.Threefry2x32(0u, 0u, 0u, 0u)) (0x6b200159u, 0x99ba4efeu) "zeros"
              Expect.equal
                  (Rng.Threefry2x32(UInt32.MaxValue, UInt32.MaxValue, UInt32.MaxValue, UInt32.MaxValue))
                  (0x1cb996fcu, 0xbb002be7u)
                  "ones"
              Expect.equal
                  (Rng.Threefry2x32(0x13198a2eu, 0x03707344u, 0x243f6a88u, 0x85a308d3u))
                  (0xc4923a9cu, 0x483df7a0u)
                  "pi digits"
          }
          test "fold_in of 0 into the zero key is the hash of the zero counter" {
              Expect.equal (u32s (Rng.FoldIn(Rng.WrapKeyData(0u, 0u), 0))) [| 0x6b200159u; 0x99ba4efeu |] "fold_in"
          }
          test "seeds become keys as in JAX's test_prng_seeds_and_keys" {
              // tests/random_test.py: int32 seeds give [0, seed]; int64 seeds their two words (x64).
              Expect.equal (u32s (Rng.Key 0)) [| 0u; 0u |] "0"
              Expect.equal (u32s (Rng.Key 1)) [| 0u; 1u |] "1"
              Expect.equal (u32s (Rng.Key -1)) [| 0u; 4294967295u |] "-1 (int32)"
              Expect.equal (u32s (Rng.Key -2)) [| 0u; 4294967294u |] "-2 (int32)"
              Expect.equal (u32s (Rng.Key -1L)) [| 4294967295u; 4294967295u |] "-1 (int64)"
              Expect.equal (u32s (Rng.Key -3L)) [| 4294967295u; 4294967293u |] "-3 (int64)"
              Expect.equal (u32s (Rng.Key(int64 Int32.MaxValue + 100L))) [| 0u; 2147483747u |] "int32 max + 100"
              Expect.equal (u32s (Rng.Key(int64 Int32.MinValue - 100L))) [| 4294967295u; 2147483548u |] "int32 min - 100"
          }
          test "uniform of key(0) is JAX's documented [0.947667, 0.9785799, 0.33229148]" {
              // The issue text, from JAX's documentation (partitionable scheme, jax >= 0.5).
              Expect.equal (f32s (random.uniform (random.key 0) [| 3 |])) [| 0.947667f; 0.9785799f; 0.33229148f |] "(3,)"
              Expect.equal ((Rng.Uniform(Rng.Key 0, Shape.Scalar)).Item<float32>()) 0.947667f "()"
          }
          test "uniform of shape (3, 3) continues the same counters" {
              let x = random.uniform (random.key 0) [| 3; 3 |]
              Expect.equal x.Shape (Shape [| 3; 3 |]) "shape"
              Expect.equal (f32s x).[0..2] [| 0.947667f; 0.9785799f; 0.33229148f |] "first row"
          }
          test "split keys are fold_in of their index in the partitionable scheme" {
              let key = Rng.Key 42
              let keys = u32s (Rng.Split(key, 4))
              for j in 0..3 do
                  Expect.equal keys.[2 * j .. 2 * j + 1] (u32s (Rng.FoldIn(key, j))) $"key {j}"
          }
          test "random_bits of key(1701) match JAX's testRngRandomBits in the original scheme" {
              // tests/random_test.py, testRngRandomBits (skipped there when partitionable).
              use _ = Rng.UseScheme ThreefryScheme.Original
              let key = Rng.Key 1701
              Expect.equal (u32s (Rng.Bits(key, Shape [| 3 |], 8))) [| 216u; 115u; 43u |] "8 bits"
              Expect.equal (u32s (Rng.Bits(key, Shape [| 3 |], 16))) [| 41682u; 1300u; 55017u |] "16 bits"
              Expect.equal (u32s (Rng.Bits(key, Shape [| 3 |]))) [| 56197195u; 4200222568u; 961309823u |] "32 bits"
              let words = u32s (Rng.Bits(key, Shape [| 3 |], 64))
              let values = Array.init 3 (fun i -> (uint64 words.[2 * i + 1] <<< 32) ||| uint64 words.[2 * i])
              Expect.equal values [| 3982329540505020460UL; 16822122385914693683UL; 7882654074788531506UL |] "64 bits"
          }
          test "bits, uniform and bernoulli match JAX's testRandomDistributionValues in the original scheme" {
              // tests/random_test.py, _RANDOM_VALUES_CASES (threefry2x32, shape (5,)), run with
              // jax_threefry_partitionable = False.
              use _ = Rng.UseScheme ThreefryScheme.Original
              let five = Shape [| 5 |]
              Expect.equal (u32s (Rng.Bits(caseKey "bits", five, 8))) [| 10u; 158u; 82u; 54u; 158u |] "uint8"
              Expect.equal (u32s (Rng.Bits(caseKey "bits", five, 16))) [| 6738u; 38161u; 50695u; 57337u; 61600u |] "uint16"
              Expect.equal
                  (u32s (Rng.Bits(caseKey "bits", five)))
                  [| 1978747883u; 4134381225u; 3628107870u; 689687174u; 2788938207u |]
                  "uint32"
              let words = u32s (Rng.Bits(caseKey "bits", five, 64))
              let values = Array.init 5 (fun i -> (uint64 words.[2 * i + 1] <<< 32) ||| uint64 words.[2 * i])
              Expect.equal
                  values
                  [| 17649965731882839947UL; 1415307058040849897UL; 8282622628079774249UL; 14024425113645909402UL; 2012979996110532418UL |]
                  "uint64"
              expectClose 1e-6 [| 0.298671; 0.073213; 0.873356; 0.260549; 0.412797 |] (Rng.Uniform(caseKey "uniform", five)) "uniform"
              Expect.equal
                  (Rng.Bernoulli(caseKey "bernoulli", five).ToArray<bool>())
                  [| false; true; true; true; false |]
                  "bernoulli"
          } 
          test "normal-based and log-based samplers match JAX's testRandomDistributionValues in the original scheme" {
              // tests/random_test.py, _RANDOM_VALUES_CASES (threefry2x32, float32, shape (5,)),
              // jax_threefry_partitionable = False; JAX prints 6 decimals, hence the tolerance.
              use _ = Rng.UseScheme ThreefryScheme.Original
              let five = Shape [| 5 |]
              let close expected actual name = expectClose 2e-6 expected actual name
              close [| -1.173234; -1.511662; 0.070593; -0.099764; 1.052845 |] (Rng.Normal(caseKey "normal", five)) "normal"
              close [| 0.526067; 0.043046; 0.039932; 0.46427; 0.123886 |] (Rng.Exponential(caseKey "exponential", five)) "exponential"
              close [| 2.06701; 0.911726; 0.145736; 0.185427; -0.00711 |] (Rng.Gumbel(caseKey "gumbel", five)) "gumbel"
              close [| 0.578939; -0.204902; 0.555733; 0.911053; -0.96456 |] (Rng.Laplace(caseKey "laplace", five)) "laplace"
              close [| 0.19611; -1.709053; -0.274093; -0.208322; -1.675489 |] (Rng.Logistic(caseKey "logistic", five)) "logistic"
              close
                  [| 0.582807; 1.709771; 0.159513; 0.861376; 0.36148 |]
                  (Rng.TruncatedNormal(caseKey "truncated_normal", 0.0, 2.0, five))
                  "truncated_normal"
              Expect.equal (Rng.Randint(caseKey "randint", five, 0, 10).ToArray<int>()) [| 0; 5; 7; 7; 5 |] "randint"
          } 
          test "gamma, loggamma, beta, dirichlet, poisson and multivariate_normal match JAX's testRandomDistributionValues in the original scheme" {
              // tests/random_test.py, _RANDOM_VALUES_CASES (threefry2x32, float32), jax_threefry_partitionable = False;
              // gamma, loggamma, beta and dirichlet as since JAX's re-parameterised gamma boost (commit 7205160, July 2023).
              use _ = Rng.UseScheme ThreefryScheme.Original
              let five = Shape [| 5 |]
              let close expected actual name = expectClose 2e-6 expected actual name
              close [| 0.824221; 1.724476; 0.502882; 5.386132; 0.685543 |] (Rng.Gamma(caseKey "gamma", 0.8, five)) "gamma a=0.8"
              close [| 0.240559; -3.575443; -0.450946; -2.161372; -2.943277 |] (Rng.LogGamma(caseKey "loggamma", 0.8, five)) "loggamma a=0.8"
              close [| 0.13259; 0.824893; 0.948363; 0.964155; 0.235448 |] (Rng.Beta(caseKey "beta", 0.8, 0.9, five)) "beta a=0.8 b=0.9"
              close
                  [| 0.003128; 0.009694; 0.987178; 0.025938; 0.479091; 0.494971 |]
                  (Rng.Dirichlet(caseKey "dirichlet", Tensor.FromArray [| 0.5f; 0.6f; 0.7f |], Shape [| 2 |]))
                  "dirichlet alpha=[0.5, 0.6, 0.7], shape (2,)"
              Expect.equal (Rng.Poisson(caseKey "poisson", 5, five).ToArray<int>()) [| 7; 3; 6; 11; 6 |] "poisson lam=5"
              let mean = Tensor.FromArray(Array2D.create 1 3 1.0f)
              let cov = Tensor.FromArray(Array2D.init 3 3 (fun i j -> if i = j then 1.0f else 0.0f))
              close
                  [| 1.067826; 1.215599; 0.234166; -0.237534; 1.32591; 1.413987 |]
                  (Rng.MultivariateNormal(caseKey "multivariate_normal", mean, cov, Shape [| 2 |]))
                  "multivariate_normal mean=ones((1, 3)), cov=eye(3), shape (2,)"
          }
          test "cauchy, maxwell, double_sided_maxwell, pareto, rademacher and weibull_min match JAX's testRandomDistributionValues in the original scheme" {
              // tests/random_test.py, _RANDOM_VALUES_CASES (threefry2x32, float32, shape (5,)), jax_threefry_partitionable = False.
              use _ = Rng.UseScheme ThreefryScheme.Original
              let five = Shape [| 5 |]
              // JAX prints 6 significant decimals and checks cauchy with rtol 1e-5.
              let closeRelative expected (actual: Tensor) name =
                  let got = toFloats actual
                  Array.iteri2
                      (fun i e g -> Expect.isLessThanOrEqual (abs (g - e)) (1e-5 * abs e + 2e-6) $"{name} [{i}]: {g} vs JAX's {e}")
                      expected
                      got
              closeRelative [| -0.088416; -10.169713; 3.49677; -1.18056; 0.34556 |] (Rng.Cauchy(caseKey "cauchy", five)) "cauchy"
              closeRelative [| 3.070779; 0.908479; 1.521317; 0.875551; 1.306137 |] (Rng.Maxwell(caseKey "maxwell", five)) "maxwell"
              closeRelative
                  [| -2.408914; -3.370437; 3.235352; -0.907734; -1.708732 |]
                  (Rng.DoubleSidedMaxwell(caseKey "double_sided_maxwell", 1, 2, five))
                  "double_sided_maxwell loc=1 scale=2"
              closeRelative [| 2.751398; 1.281863; 87.85448; 1.254542; 2.824487 |] (Rng.Pareto(caseKey "pareto", 0.5, five)) "pareto b=0.5"
              Expect.equal (Rng.Rademacher(caseKey "rademacher", five).ToArray<int>()) [| -1; -1; -1; -1; 1 |] "rademacher"
              closeRelative
                  [| 1.605863; 0.841809; 0.224218; 0.4826; 0.027901 |]
                  (Rng.WeibullMin(caseKey "weibull_min", 1, 1, five))
                  "weibull_min scale=1 concentration=1"
          }
          test "binomial's corner cases are JAX's testBinomialCornerCases" {
              // tests/random_lax_test.py: NaN or negative n, NaN p and p outside [0, 1] give NaN; n = inf gives inf; p = 0 gives 0.
              let key = Rng.Key 0
              let f32 (xs: float32[]) = Tensor.FromArray xs
              let same (expected: float[]) (actual: Tensor) name =
                  let got = toFloats actual
                  Expect.equal got.Length expected.Length $"{name}: length"
                  Array.iteri2 (fun i e g -> Expect.isTrue ((Double.IsNaN e && Double.IsNaN g) || e = g) $"{name} [{i}]: {g}, expected {e}") expected got
              same [| nan; 0.0; nan; infinity |] (Rng.Binomial(key, f32 [| -1.0f; 0.0f; nanf; infinityf |], 0.5, Shape [| 4 |])) "corner n"
              same [| nan; 0.0; nan; nan |] (Rng.Binomial(key, 5, f32 [| nanf; 0.0f; -0.1f; 1.1f |], Shape [| 4 |])) "corner p"
              same [| nan; nan; nan |] (Rng.Binomial(key, f32 [| infinityf; -1.0f; infinityf |], f32 [| nanf; nanf; -0.1f |], Shape [| 3 |])) "corner n and p"
          }
          test "randint, split and fold_in of key(0) match JAX's testPRNGValues in the original scheme" {
              use _ = Rng.UseScheme ThreefryScheme.Original
              let k = Rng.Key 0
              Expect.equal (Rng.Randint(k, Shape [| 3; 3 |], 0, 8).ToArray<int>()) [| 2; 1; 3; 6; 1; 5; 6; 3; 4 |] "randint (3, 3) in [0, 8)"
              Expect.equal
                  (u32s (Rng.Split(k, 4)))
                  [| 2285895361u; 1501764800u; 1518642379u; 4090693311u; 433833334u; 4221794875u; 839183663u; 3740430601u |]
                  "split 4"
              Expect.equal (u32s (Rng.FoldIn(k, 4))) [| 2285895361u; 433833334u |] "fold_in 4"
          }
          test "split2 unpacks the two keys of split" {
              let k1, k2 = random.split2 (random.key 5)
              Expect.equal (Array.append (u32s k1) (u32s k2)) (u32s (Rng.Split(Rng.Key 5, 2))) "rows of split(key, 2)"
          } ]
