/// The decompositions on the OpenCL device against the CPU: cholesky, triangular_solve, lu, qr,
/// eigh and svd, unbatched and batched, float32 and float64, square and rectangular, with
/// empty, singular, rank-deficient, repeated-eigenvalue, not positive definite and NaN inputs (float32
/// runs a sample of the cases, to keep the kernel builds few). On a
/// device with cl_khr_fp64 the kernels compute in float64 as the CPU, in the same order with no
/// fused multiply-adds, so every output (pivots, signs, order included) matches bit for bit.
/// Computing in float32 (a device without cl_khr_fp64; forced here) the outputs stay within
/// the bound documented in docs/opencl.md, relative to the matrix's size and largest entry.
/// Their derivatives and vmap run on the device as well.
module OpenCL.LinalgKernelTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open JaxSharp.OpenCL.Runtime
open OpTable.Generators
open TestHelpers
open OpenCL.Ulps

let private seed = 1313

/// Seeded matrices (batch..., rows, cols) in [-1, 1].
let private matrices (rng: Random) (dtype: DType) (shape: int[]) =
    tensorOf dtype shape (Array.init (Array.fold (*) 1 shape) (fun _ -> rng.NextDouble() * 2.0 - 1.0))

/// x xᵀ + n I: symmetric positive definite.
let private spd (x: Tensor) =
    let n = x.Shape[x.Rank - 1]
    Np.Matmul(x, Np.Swapaxes(x, -1, -2)) + Np.AsType(Np.Eye(n) * float n, x.DType)

/// One case: a name, its arguments and the function of them.
type private Case = { Name: string; Args: Tensor[]; F: Tensor[] -> Tensor[] }

let private cases (dtype: DType) =
    let rng = Random(seed + int dtype)
    let m = matrices rng dtype
    let fixedMatrix (rows: float list list) = Np.AsType(Tensor.FromArray(array2D rows), dtype)
    let case name args f = { Name = $"{name}, {dtype}"; Args = args; F = f }
    // float64 runs every case; float32, whose kernels differ in their loads and stores only, a sample
    let wide = dtype = DType.Float64
    let lu (t: Tensor) = let struct (a, b, c) = Lax.Lu t in [| a; b; c |]
    let qr full (t: Tensor) = let struct (q, r) = Lax.Qr(t, fullMatrices = full) in [| q; r |]
    let eigh lower (t: Tensor) = let struct (v, w) = Lax.Eigh(t, lower = lower, symmetrizeInput = false) in [| v; w |]
    let svd full (t: Tensor) = let struct (u, s, vt) = Lax.Svd(t, fullMatrices = full) in [| u; s; vt |]
    let triangular = m [| 2; 5; 5 |] + Np.AsType(Np.Eye(5) * 4.0, dtype)
    [ if wide then
          case "cholesky of a 5 x 5" [| spd (m [| 5; 5 |]) |] (fun a -> [| Lax.Cholesky a[0] |])
      case "cholesky of a batch of 2 x 3 6 x 6" [| spd (m [| 2; 3; 6; 6 |]) |] (fun a -> [| Lax.Cholesky a[0] |])
      case "cholesky of a matrix that is not positive definite (NaNs)" [| fixedMatrix [ [ 1.0; 2.0 ]; [ 2.0; 1.0 ] ] |] (fun a -> [| Lax.Cholesky a[0] |])
      for left in [ true; false ] do
          for lower in [ true; false ] do
              for transpose in [ true; false ] do
                  let b = if left then m [| 2; 5; 3 |] else m [| 2; 3; 5 |]
                  // float32 differs in its loads and stores only: two of the eight forms
                  if wide || (left = lower && lower = transpose) then
                      case $"triangular_solve left={left} lower={lower} transpose={transpose}" [| triangular; b |] (fun a ->
                          [| Lax.TriangularSolve(a[0], a[1], leftSide = left, lower = lower, transposeA = transpose) |])
      if wide then
          case "triangular_solve with a unit diagonal" [| triangular; m [| 2; 5; 4 |] |] (fun a -> [| Lax.TriangularSolve(a[0], a[1], leftSide = true, lower = true, unitDiagonal = true) |])
      case "triangular_solve with a zero on the diagonal (infinities)" [| fixedMatrix [ [ 1.0; 0.0 ]; [ 2.0; 0.0 ] ]; fixedMatrix [ [ 1.0 ]; [ 1.0 ] ] |] (fun a ->
          [| Lax.TriangularSolve(a[0], a[1], leftSide = true, lower = true) |])
      if wide then
          case "lu of a 6 x 6" [| m [| 6; 6 |] |] (fun a -> lu a[0])
      case "lu of a batch of 3 4 x 6" [| m [| 3; 4; 6 |] |] (fun a -> lu a[0])
      if wide then
          case "lu of a 6 x 3" [| m [| 6; 3 |] |] (fun a -> lu a[0])
      case "lu of a singular matrix (a zero pivot)" [| fixedMatrix [ [ 1.0; 2.0; 3.0 ]; [ 2.0; 4.0; 6.0 ]; [ 1.0; 1.0; 1.0 ] ] |] (fun a -> lu a[0])
      case "lu of a matrix with a NaN" [| fixedMatrix [ [ 1.0; nan ]; [ 2.0; 1.0 ] ] |] (fun a -> lu a[0])
      if wide then
          case "qr, full, of a 5 x 3" [| m [| 5; 3 |] |] (fun a -> qr true a[0])
      case "qr, reduced, of a batch of 2 5 x 3" [| m [| 2; 5; 3 |] |] (fun a -> qr false a[0])
      case "qr, full, of a batch of 2 3 x 5" [| m [| 2; 3; 5 |] |] (fun a -> qr true a[0])
      case "qr of a matrix with a zero column" [| fixedMatrix [ [ 0.0; 1.0 ]; [ 0.0; 2.0 ]; [ 0.0; 3.0 ] ] |] (fun a -> qr true a[0])
      if wide then
          case "eigh (lower) of a 6 x 6" [| m [| 6; 6 |] |] (fun a -> eigh true a[0])
      case "eigh (upper) of a batch of 2 x 2 5 x 5" [| m [| 2; 2; 5; 5 |] |] (fun a -> eigh false a[0])
      case "eigh of a matrix with a repeated eigenvalue" [| fixedMatrix [ [ 2.0; 0.0; 0.0 ]; [ 0.0; 1.0; 0.0 ]; [ 0.0; 0.0; 2.0 ] ] |] (fun a -> eigh true a[0])
      case "eigh of a matrix with a NaN" [| fixedMatrix [ [ 1.0; nan ]; [ nan; 1.0 ] ] |] (fun a -> eigh true a[0])
      case "svd, thin, of a 6 x 4" [| m [| 6; 4 |] |] (fun a -> svd false a[0])
      case "svd, full, of a batch of 2 4 x 6" [| m [| 2; 4; 6 |] |] (fun a -> svd true a[0])
      if wide then
          case "svd, full, of a 5 x 3" [| m [| 5; 3 |] |] (fun a -> svd true a[0])
      case "singular values of a batch of 3 4 x 4" [| m [| 3; 4; 4 |] |] (fun a -> [| Lax.SingularValues a[0] |])
      case "svd of a rank-deficient matrix (completed bases)" [| fixedMatrix [ [ 1.0; 2.0 ]; [ 2.0; 4.0 ]; [ 3.0; 6.0 ] ] |] (fun a -> svd true a[0])
      if wide then
          case "lu of a batch of 2 3 x 0 (the identity permutation)" [| m [| 2; 3; 0 |] |] (fun a -> lu a[0])
      if wide then
          case "qr, full, of a 3 x 0" [| m [| 3; 0 |] |] (fun a -> qr true a[0])
      if wide then
          case "svd, full, of a 0 x 3 (a completed basis)" [| m [| 0; 3 |] |] (fun a -> svd true a[0])
      case "svd of a matrix with an infinity" [| fixedMatrix [ [ 1.0; infinity ]; [ 2.0; 1.0 ] ] |] (fun a -> svd false a[0]) ]

/// The documented bound, in float32 epsilons times the matrix's size, on |device - CPU| relative
/// to the largest magnitude of the output (at least 1) when the kernels compute in float32. The
/// vectors of eigh and svd come closest (their error grows as the gaps between the values shrink).
let float32Bound = 16.0

/// float32's machine epsilon, 2^-23.
let private epsilon32 = 1.1920928955078125e-7

[<Tests>]
let tests =
    testList
        "opencl linalg"
        [ onDevice $"every decomposition matches the CPU bit for bit when the device computes in float64 (seed {seed})" (fun d ->
              if not (hasFloat64 d) then skiptest $"{d} has no cl_khr_fp64"
              printfn $"opencl linalg: seed {seed}"
              for dtype in [ DType.Float32; DType.Float64 ] do
                  for c in cases dtype do
                      agreesBitForBit d c.Name c.Args c.F)
          onDevice $"computing in float32 (as on a device without cl_khr_fp64) every decomposition stays within {float32Bound} n epsilon of the CPU (seed {seed})" (fun d ->
              printfn $"opencl linalg float32: seed {seed}"
              let mutable worst = 0.0
              let mutable worstCase = "none"
              for c in cases DType.Float32 do
                  let program = OpenCLProgram(d :?> OpenCLDevice, JaxSharp.Transforms.Simplifier.Simplify(Jax.MakeJaxpr(Func<Tensor[], Tensor[]>(c.F), c.Args)), decompositionsInFloat64 = false)
                  let actual = program.Run(c.Args, false)
                  let expected = c.F c.Args
                  let size = c.Args[0].Shape |> Seq.skip (c.Args[0].Rank - 2) |> Seq.max |> float
                  for k, (e, a) in Array.indexed (Array.zip expected actual) do
                      let ev, av = toFloats e, toFloats a
                      let scale = ev |> Array.filter Double.IsFinite |> Array.fold (fun s x -> max s (abs x)) 1.0
                      for i in 0 .. ev.Length - 1 do
                          if not (sameBits ev[i] av[i]) then
                              let error = abs (ev[i] - av[i]) / (scale * size * epsilon32)
                              if error > worst then
                                  worst <- error
                                  worstCase <- $"{c.Name}, output {k}"
                              if not (error <= float32Bound) then
                                  failtestf "%s, output %d: element %d is %.9g computed in float32 on %O, %.9g on the CPU (%.2f n epsilon)" c.Name k i av[i] d ev[i] error
              printfn $"opencl linalg float32: the worst error is {worst:F2} n epsilon ({worstCase})")
          onDevice $"grad of a cholesky-based loss, grad of eigh and vmap of lu run on the device and match the CPU (seed {seed})" (fun d ->
              let rng = Random seed
              let x = matrices rng DType.Float64 [| 4; 4 |]
              let batch = matrices rng DType.Float64 [| 3; 4; 4 |]
              let target = matrices rng DType.Float64 [| 4; 2 |]
              let choleskyLoss (x: Tensor) =
                  let l = Lax.Cholesky(spd x)
                  np.sum (np.square (Lax.TriangularSolve(l, target, leftSide = true, lower = true)))
              let eighLoss (x: Tensor) =
                  let struct (v, w) = Lax.Eigh(x + Np.Swapaxes(x, -1, -2))
                  np.sum (w * np.arange 4.0) + np.sum (np.square (v * v))
              let lus (x: Tensor) = let struct (a, _, c) = Lax.Lu x in [| a; Np.AsType(c, DType.Float64) |]
              for name, f, arg in
                  [ "grad of a cholesky-based loss", (fun (a: Tensor[]) -> [| grad choleskyLoss a[0] |]), x
                    "grad of an eigh-based loss", (fun a -> [| grad eighLoss a[0] |]), x
                    "vmap of lu", (fun a -> Jax.Vmap(Func<Tensor[], Tensor[]>(fun t -> lus t[0])).Invoke [| a[0] |]), batch ] do
                  let expected = f [| arg |]
                  let actual = Jax.Jit(Func<Tensor[], Tensor[]>(f)).Invoke [| devicePut d arg |]
                  for e, a in Array.zip expected actual do
                      Expect.equal a.Device d $"{name}: ran on the device"
                      expectClose 1e-12 (toFloats e) a name) ]
