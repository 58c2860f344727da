/// random_gamma and random_poisson on the OpenCL device against the CPU: Gamma draws for alphas
/// below 1, tiny, huge, NaN and 0, in log space too, Poisson draws for small and large rates and
/// the 0, negative, NaN and infinite corners, both Threefry schemes, both float dtypes, batched
/// keys, vmap and jit, and the samplers built on them (gamma, loggamma, beta, dirichlet, poisson).
/// Poisson draws are compared bit for bit; Gamma draws within a few ulp (PoCL's log and pow round
/// differently from glibc's now and then); a 1e5-sample run counts every draw that differs and
/// bounds the largest difference, so a rejection decided the other way cannot go unnoticed.
module OpenCL.RandomSamplerTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open JaxSharp.Primitives.Random
open OpTable.Generators
open OpenCL.Ulps

let private seed = 1717

let private schemes = [ Random.ThreefryScheme.Partitionable; Random.ThreefryScheme.Original ]

/// Alphas of every regime: below 1 (boosted), at 1, moderate, tiny, huge, and the NaN and 0 corners.
let private alphas (rng: Random) (dtype: DType) (shape: int[]) =
    let corners = [| 0.01; 0.3; 0.999; 1.0; 1.5; 3.0; 1e-30; 1e4; 1e30; nan; 0.0 |]
    let n = Array.fold (*) 1 shape
    tensorOf dtype shape (Array.init n (fun i -> if i < corners.Length then corners[i] else rng.NextDouble() * 5.0))

/// Rates of every regime: Knuth's (below 10), rejection's (10 and above), and the 0, negative, NaN and infinite corners.
let private rates (rng: Random) (shape: int[]) =
    let corners = [| 0.0; -1.0; nan; 0.5; 3.0; 9.99; 10.0; 25.0; 1e3; 1e6; infinity |]
    let n = Array.fold (*) 1 shape
    tensorOf DType.Float32 shape (Array.init n (fun i -> if i < corners.Length then corners[i] else rng.NextDouble() * 30.0))

let private gamma logSpace scheme (keys: Tensor) (alpha: Tensor) =
    RandomGamma.Instance.Bind(RandomGammaParams(logSpace, scheme), keys, alpha)

let private poisson scheme (keys: Tensor) (lam: Tensor) =
    RandomPoisson.Instance.Bind(RandomPoissonParams scheme, keys, lam)

/// The bound on a Gamma draw's difference from the CPU's, in ulp (a log-space draw: in epsilons
/// times max(1, |draw|), as its terms log d + log v^3 cancel near 0): PoCL's log and pow (float64,
/// and the float32 log inside erf_inv) round differently from glibc's in the last bit now and then.
/// A rejection decided the other way gives another draw altogether, millions of ulp away.
let gammaUlpBound = 16L

/// The distance of a device draw from the CPU's, as gammaUlpBound measures it.
let private distance (dtype: DType) (logSpace: bool) (e: float) (a: float) =
    if not logSpace || sameBits e a || not (Double.IsFinite e && Double.IsFinite a) then ulps dtype e a
    else
        let epsilon = if dtype = DType.Float32 then 1.1920928955078125e-7 else 2.220446049250313e-16
        int64 (Math.Ceiling(abs (e - a) / (epsilon * max 1.0 (abs e))))

/// How many draws of a program differ between the CPU and the device (jitted there), and the largest difference in ulp.
let private differing (d: Device) (logSpace: bool) (inputs: Tensor[]) (run: Tensor[] -> Tensor) =
    let expected = run inputs
    let actual = Jax.Jit(fun (xs: Tensor[]) -> [| run xs |]).Invoke([| for x in inputs -> devicePut d x |])[0]
    Expect.equal actual.Device d "ran on the device"
    let distances = Array.map2 (distance expected.DType logSpace) (toFloats expected) (toFloats actual)
    distances |> Array.filter (fun u -> u <> 0L) |> Array.length, Array.max distances

/// Every draw within gammaUlpBound of the CPU's.
let private agreesWithinBound (d: Device) (where: string) (logSpace: bool) (inputs: Tensor[]) (run: Tensor[] -> Tensor) =
    let count, worst = differing d logSpace inputs run
    if worst > gammaUlpBound then
        failtestf "%s: %d draws differ from the CPU's, the worst by %d ulp (bound %d): a rejection decided the other way" where count worst gammaUlpBound

[<Tests>]
let tests =
    testList
        "opencl random samplers"
        [ onDevice $"random_gamma matches the CPU within {gammaUlpBound} ulp: both schemes, float32 and float64, log space, batched keys (seed {seed})" (fun d ->
              printfn $"opencl random samplers: seed {seed}"
              let rng = Random seed
              for dtype in [ DType.Float32; DType.Float64 ] do
                  if dtype = DType.Float32 || hasFloat64 d then
                      let alpha = alphas rng dtype [| 3; 17 |]
                      for scheme in schemes do
                          let keys = Rng.Split(Rng.Key(int64 (rng.Next())), 3)
                          for logSpace in [ false; true ] do
                              agreesWithinBound d $"random_gamma {dtype} {scheme} logSpace={logSpace}" logSpace [| keys; alpha |] (fun a -> gamma logSpace scheme a[0] a[1]))
          onDevice $"random_poisson matches the CPU bit for bit: small and large rates, 0, negative, NaN and infinity, both schemes, batched keys (seed {seed})" (fun d ->
              let rng = Random(seed + 1)
              let lam = rates rng [| 2; 150 |]
              for scheme in schemes do
                  let keys = Rng.Split(Rng.Key(int64 (rng.Next())), 2)
                  agreesBitForBit d $"random_poisson {scheme}" [| keys; lam |] (fun a -> [| poisson scheme a[0] a[1] |])
                  // one key drawing a block with only Knuth's rates: the rejection loop does not decide anything
                  agreesBitForBit d $"random_poisson {scheme}, Knuth only" [| Rng.Key 5; rates rng [| 6 |] |] (fun a -> [| poisson scheme a[0] a[1] |]))
          onDevice $"1e5 draws: poisson's all equal the CPU's; gamma's and loggamma's (float32 and float64) are within {gammaUlpBound} ulp, no rejection decided the other way (seed {seed})" (fun d ->
              let rng = Random(seed + 2)
              let n = 100000
              let key = Rng.Key(int64 (rng.Next()))
              let counts =
                  [ for dtype in [ DType.Float32; DType.Float64 ] do
                        if dtype = DType.Float32 || hasFloat64 d then
                            let alpha = tensorOf dtype [| n |] (Array.init n (fun _ -> Math.Pow(10.0, rng.NextDouble() * 4.0 - 2.0)))
                            for logSpace in [ false; true ] do
                                let name = if logSpace then "loggamma" else "gamma"
                                $"{name} {dtype}",
                                differing d logSpace [| key; alpha |] (fun a -> gamma logSpace Random.ThreefryScheme.Partitionable a[0] a[1])
                    let lam = tensorOf DType.Float32 [| n |] (Array.init n (fun _ -> Math.Pow(10.0, rng.NextDouble() * 4.0 - 1.0)))
                    "poisson", differing d false [| key; lam |] (fun a -> poisson Random.ThreefryScheme.Partitionable a[0] a[1]) ]
              for name, (count, worst) in counts do
                  printfn $"opencl random samplers: {name}: {count} of {n} draws differ from the CPU's, by {worst} ulp at most"
              for name, (count, worst) in counts do
                  if name = "poisson" then Expect.equal count 0 "poisson: every draw is the CPU's"
                  else Expect.isLessThanOrEqual worst gammaUlpBound $"{name}: the largest difference in ulp ({count} draws differ; more than the bound is a rejection decided the other way)")
          onDevice "vmap of gamma and poisson over keys runs on the device, as the CPU" (fun d ->
              let keys = Rng.Split(Rng.Key 11, 4)
              let alpha = Tensor.FromArray [| 0.5f; 2.0f; 7.0f |]
              let lam = Tensor.FromArray [| 2.0f; 40.0f; 0.0f |]
              agreesWithinBound d "vmap of gamma" false [| keys; alpha |] (fun a ->
                  Jax.Vmap(Func<Tensor[], Tensor[]>(fun k -> [| Rng.Gamma(k[0], a[1]) |])).Invoke([| a[0] |])[0])
              agreesBitForBit d "vmap of poisson" [| keys; lam |] (fun a ->
                  [| Jax.Vmap(Func<Tensor[], Tensor[]>(fun k -> [| Rng.Poisson(k[0], a[1]) |])).Invoke([| a[0] |])[0] |]))
          onDevice "gamma, loggamma, beta, dirichlet and poisson draw the CPU's numbers on the device" (fun d ->
              let key = Rng.Key 23
              let a = Tensor.FromArray [| 0.2f; 1.0f; 4.5f |]
              let b = Tensor.FromArray [| 3.0f; 0.7f; 2.0f |]
              agreesWithinBound d "gamma" false [| key; a |] (fun x -> random.gamma x[1] x[0] [| 5; 3 |])
              agreesWithinBound d "loggamma" true [| key; a |] (fun x -> random.loggamma x[1] x[0] [| 5; 3 |])
              agreesBitForBit d "poisson" [| key; Tensor.FromArray [| 30.0f; 7.0f; 20.0f |] |] (fun x -> [| random.poisson x[1] x[0] [| 4; 3 |] |])
              for name, draw in
                  [ "beta", (fun (x: Tensor[]) -> random.beta x[1] x[2] x[0] [| 5; 3 |])
                    "dirichlet", (fun (x: Tensor[]) -> random.dirichlet x[1] x[0] [| 5 |]) ] do
                  // the composition divides and takes logs and exponentials on the device: 1e-6 of the CPU
                  let expected = draw [| key; a; b |]
                  let actual = Jax.Jit(fun (x: Tensor[]) -> [| draw x |]).Invoke([| devicePut d key; devicePut d a; devicePut d b |])[0]
                  Expect.equal actual.Device d $"{name}: ran on the device"
                  expectClose 1e-6 (toFloats expected) actual name) ]
