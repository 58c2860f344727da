/// The op table of the decompositions lu, eigh, svd and qr: eagerly, over random shapes,
/// batch axes and both float dtypes, against MathNet (float64 references) and the defining
/// identities (a = P L U, a = V diag(w) Vᵀ with V orthogonal, a = U diag(s) Vᵀ, a = Q R).
module OpTable.DecompositionOps

open System
open Expecto
open MathNet.Numerics.LinearAlgebra
open JaxSharp
open OpTable.Generators
open TestHelpers

/// The primitives this table checks against references.
let covered = [ "lu"; "eigh"; "svd"; "qr" ]

let private config = { FsCheckConfig.defaultConfig with maxTest = 25 }

/// The k-th matrix (rows x cols) of a batched tensor, as a MathNet matrix.
let matrixAt (t: Tensor) k =
    let rows, cols = t.Shape[t.Rank - 2], t.Shape[t.Rank - 1]
    let xs = toFloats t
    Matrix<float>.Build.Dense(rows, cols, fun i j -> xs[k * rows * cols + i * cols + j])

/// The k-th vector of a batched tensor.
let vectorAt (t: Tensor) k =
    let n = t.Shape[t.Rank - 1]
    let xs = toFloats t
    Array.init n (fun i -> xs[k * n + i])

/// Random matrices (batch..., rows, cols) in [-1, 1] of a dtype.
let randomMatrices (rng: Random) dtype (batch: int[]) rows cols =
    let count = Array.fold (*) 1 batch
    tensorOf dtype (Array.append batch [| rows; cols |]) (Array.init (count * rows * cols) (fun _ -> rng.NextDouble() * 2.0 - 1.0))

let private batchOf (rng: Random) = [| for _ in 1 .. rng.Next(0, 3) -> rng.Next(1, 3) |]
let private dtypeOf (rng: Random) = if rng.Next 2 = 0 then DType.Float32 else DType.Float64
let private count (batch: int[]) = Array.fold (*) 1 batch

/// The largest |entry| of a - b.
let maxDiff (a: Matrix<float>) (b: Matrix<float>) = if a.RowCount * a.ColumnCount = 0 then 0.0 else (a - b).Enumerate() |> Seq.map abs |> Seq.max

let expectSmall tol (value: float) what = if not (value <= tol) then failtestf "%s: %g exceeds %g" what value tol

/// Qᵀ Q = I for the columns of q.
let expectOrthonormalColumns tol (q: Matrix<float>) what =
    expectSmall tol (maxDiff (q.Transpose() * q) (Matrix<float>.Build.DenseIdentity(q.ColumnCount))) what

let private tolerance dtype = if dtype = DType.Float32 then 1e-5 else 1e-12

[<Tests>]
let tests =
    testList
        "decomposition ops"
        [ testPropertyWithConfig config "lu: a[permutation] = L U with |L| ≤ 1, and a determinant as MathNet's, float32 and float64, batched" (fun (seed: int) ->
              let rng = Random seed
              let dtype, batch = dtypeOf rng, batchOf rng
              let m, n = rng.Next(0, 5), rng.Next(0, 5)
              let a = randomMatrices rng dtype batch m n
              let struct (lu, pivots, permutation) = Lax.Lu a
              let k = min m n
              Expect.equal (lu.Shape, pivots.Shape, permutation.Shape) (a.Shape, Shape(Array.append batch [| k |]), Shape(Array.append batch [| m |])) "shapes"
              Expect.equal (lu.DType, pivots.DType) (dtype, DType.Int32) "dtypes"
              for b in 0 .. count batch - 1 do
                  let f = matrixAt lu b
                  let l = Matrix<float>.Build.Dense(m, k, fun i j -> if i = j then 1.0 elif i > j then f[i, j] else 0.0)
                  let u = Matrix<float>.Build.Dense(k, n, fun i j -> if j >= i then f[i, j] else 0.0)
                  let perm = vectorAt permutation b |> Array.map int
                  let ab = matrixAt a b
                  let permuted = Matrix<float>.Build.Dense(m, n, fun i j -> ab[perm[i], j])
                  expectSmall (10.0 * tolerance dtype) (maxDiff permuted (l * u)) $"{dtype} {a.Shape} a[perm] = L U"
                  expectSmall 1.0 (if m * k = 0 then 0.0 else l.Enumerate() |> Seq.map abs |> Seq.max) "partial pivoting keeps |L| ≤ 1"
                  if m = n && m > 0 then
                      let swaps = vectorAt pivots b |> Array.mapi (fun i p -> int p <> i) |> Array.filter id |> Array.length
                      let det = (Array.init m (fun i -> u[i, i]) |> Array.fold (*) 1.0) * (if swaps % 2 = 0 then 1.0 else -1.0)
                      Expect.floatClose { absolute = 10.0 * tolerance dtype; relative = 10.0 * tolerance dtype } det (ab.Determinant()) "the pivots' sign times U's diagonal is MathNet's determinant")
          test "lu of a singular matrix factors without error, with a zero pivot in U" {
              let a = Tensor.FromArray(array2D [ [ 1.0; 2.0 ]; [ 2.0; 4.0 ] ])
              let struct (lu, pivots, permutation) = Lax.Lu a
              expectClose 1e-15 [| 2.0; 4.0; 0.5; 0.0 |] lu "lu"
              Expect.equal (pivots.ToArray<int>(), permutation.ToArray<int>()) ([| 1; 1 |], [| 1; 0 |]) "pivots and permutation"
          }
          test "lu_pivots_to_permutation applies the swaps in order" {
              let p = Lax.LuPivotsToPermutation(Tensor.FromArray [| 2; 2 |], 3)
              Expect.equal (p.ToArray<int>()) [| 2; 0; 1 |] "swap 0<->2, then 1<->2"
              throwsWith<ArgumentException> [ "lu_pivots_to_permutation"; "3 pivots"; "2 rows" ] (fun () -> Lax.LuPivotsToPermutation(Tensor.FromArray [| 0; 1; 2 |], 2) |> ignore)
          }
          testPropertyWithConfig config "eigh: eigenvalues as MathNet's, ascending, V orthogonal with a V = V diag(w), float32 and float64, batched" (fun (seed: int) ->
              let rng = Random seed
              let dtype, batch = dtypeOf rng, batchOf rng
              let n = rng.Next(0, 6)
              let x = randomMatrices rng dtype batch n n
              let a = Lax.Add(x, Np.Swapaxes(x, -1, -2))
              let struct (v, w) = Lax.Eigh a
              Expect.equal (v.Shape, w.Shape) (a.Shape, Shape(Array.append batch [| n |])) "shapes"
              for b in 0 .. count batch - 1 do
                  let ab, vb, wb = matrixAt a b, matrixAt v b, vectorAt w b
                  let expected = if n = 0 then [||] else ab.Evd(Symmetricity.Symmetric).EigenValues.Real().ToArray() |> Array.sort
                  expectClose (10.0 * tolerance dtype) expected (Tensor.FromArray wb) $"{dtype} {a.Shape} eigenvalues"
                  expectOrthonormalColumns (10.0 * tolerance dtype) vb "Vᵀ V = I"
                  expectSmall (20.0 * tolerance dtype) (maxDiff (ab * vb) (vb * Matrix<float>.Build.DenseOfDiagonalArray wb)) "a V = V diag(w)")
          test "eigh reads only the triangle it is told to" {
              let a = Tensor.FromArray(array2D [ [ 2.0; nan ]; [ 1.0; 2.0 ] ])
              let struct (_, w) = Lax.Eigh(a, lower = true, symmetrizeInput = false)
              expectClose 1e-14 [| 1.0; 3.0 |] w "lower triangle of [[2, 1], [1, 2]]"
              let b = Tensor.FromArray(array2D [ [ 2.0; 1.0 ]; [ nan; 2.0 ] ])
              let struct (_, wu) = Lax.Eigh(b, lower = false, symmetrizeInput = false)
              expectClose 1e-14 [| 1.0; 3.0 |] wu "upper triangle"
          }
          testPropertyWithConfig config "svd: singular values as MathNet's, descending, orthonormal U and V, a = U diag(s) Vᵀ, full or thin, float32 and float64, batched" (fun (seed: int) ->
              let rng = Random seed
              let dtype, batch = dtypeOf rng, batchOf rng
              let m, n = rng.Next(0, 6), rng.Next(0, 6)
              let full = rng.Next 2 = 0
              let a = randomMatrices rng dtype batch m n
              let struct (u, s, vt) = Lax.Svd(a, fullMatrices = full)
              let k = min m n
              let uc, vr = (if full then m else k), (if full then n else k)
              Expect.equal (u.Shape, s.Shape, vt.Shape) (Shape(Array.append batch [| m; uc |]), Shape(Array.append batch [| k |]), Shape(Array.append batch [| vr; n |])) "shapes"
              expectClose 0.0 (toFloats s) (Lax.SingularValues a) "compute_uv=False gives the same values"
              for b in 0 .. count batch - 1 do
                  let ab, ub, sb, vtb = matrixAt a b, matrixAt u b, vectorAt s b, matrixAt vt b
                  let expected = if k = 0 then [||] else ab.Svd(false).S.ToArray()
                  expectClose (10.0 * tolerance dtype) expected (Tensor.FromArray sb) $"{dtype} {a.Shape} singular values"
                  expectOrthonormalColumns (10.0 * tolerance dtype) ub "Uᵀ U = I"
                  expectOrthonormalColumns (10.0 * tolerance dtype) (vtb.Transpose()) "V Vᵀ = I"
                  let sigma = Matrix<float>.Build.Dense(uc, vr, fun i j -> if i = j && i < k then sb[i] else 0.0)
                  expectSmall (20.0 * tolerance dtype) (maxDiff ab (ub * sigma * vtb)) "a = U diag(s) Vᵀ")
          test "svd of a rank-deficient matrix completes U and V to orthonormal bases" {
              let a = Tensor.FromArray(array2D [ [ 1.0; 2.0 ]; [ 2.0; 4.0 ]; [ 3.0; 6.0 ] ])
              let struct (u, s, vt) = Lax.Svd(a, fullMatrices = true)
              expectClose 1e-14 [| sqrt 70.0; 0.0 |] s "one non-zero singular value"
              expectOrthonormalColumns 1e-14 (matrixAt u 0) "U is 3 x 3 orthogonal"
              expectOrthonormalColumns 1e-14 (matrixAt vt 0) "Vᵀ is orthogonal"
          }
          testPropertyWithConfig config "qr: Q orthonormal, R upper triangular, a = Q R, R as MathNet's up to row signs, full or reduced, float32 and float64, batched" (fun (seed: int) ->
              let rng = Random seed
              let dtype, batch = dtypeOf rng, batchOf rng
              let m, n = rng.Next(0, 6), rng.Next(0, 6)
              let full = rng.Next 2 = 0
              let a = randomMatrices rng dtype batch m n
              let struct (q, r) = Lax.Qr(a, fullMatrices = full)
              let k = if full then m else min m n
              Expect.equal (q.Shape, r.Shape) (Shape(Array.append batch [| m; k |]), Shape(Array.append batch [| k; n |])) "shapes"
              for b in 0 .. count batch - 1 do
                  let ab, qb, rb = matrixAt a b, matrixAt q b, matrixAt r b
                  expectOrthonormalColumns (10.0 * tolerance dtype) qb "Qᵀ Q = I"
                  expectSmall 0.0 (if k * n = 0 then 0.0 else rb.Enumerate(Zeros.Include) |> Seq.mapi (fun idx x -> if idx % k > idx / k then abs x else 0.0) |> Seq.max) "R is upper triangular (column-major enumeration)"
                  expectSmall (20.0 * tolerance dtype) (maxDiff ab (qb * rb)) $"{dtype} {a.Shape} a = Q R"
                  if m >= n && n > 0 then
                      let mr = ab.QR().R
                      let absDiff = Matrix<float>.Build.Dense(n, n, fun i j -> abs rb[i, j] - abs mr[i, j])
                      expectSmall (20.0 * tolerance dtype) (absDiff.Enumerate() |> Seq.map abs |> Seq.max) "|R| as MathNet's")
          test "eigh and svd of a matrix with a NaN or an infinity are all NaN, as LAPACK's" {
              for bad in [ nan; infinity ] do
                  let a = Tensor.FromArray(array2D [ [ 1.0; bad ]; [ bad; 2.0 ] ])
                  let struct (v, w) = Lax.Eigh a
                  let struct (u, s, vt) = Lax.Svd a
                  for name, t in [ "v", v; "w", w; "u", u; "s", s; "vt", vt ] do
                      Expect.isTrue (toFloats t |> Array.forall Double.IsNaN) $"{name} of a matrix with {bad}"
          }
          test "the decompositions name the primitive, the shape and the fix for bad input" {
              let v = Tensor.FromArray [| 1.0; 2.0 |]
              let m23 = Tensor.FromArray(Array2D.zeroCreate<float> 2 3)
              let ints = Tensor.FromArray(array2D [ [ 1; 2 ]; [ 3; 4 ] ])
              throwsWith<ArgumentException> [ "lu: expected matrices"; "(2,)"; "rank 1" ] (fun () -> Lax.Lu v |> ignore)
              throwsWith<ArgumentException> [ "lu"; "int32"; "convert integers first" ] (fun () -> Lax.Lu ints |> ignore)
              throwsWith<ArgumentException> [ "eigh: expected square matrices"; "(2, 3)" ] (fun () -> Lax.Eigh m23 |> ignore)
              throwsWith<ArgumentException> [ "svd: expected matrices"; "(2,)" ] (fun () -> Lax.Svd v |> ignore)
              throwsWith<ArgumentException> [ "qr"; "int32" ] (fun () -> Lax.Qr ints |> ignore)
          } ]
