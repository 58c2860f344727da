/// The op table of linear algebra: cholesky and triangular_solve eagerly against MathNet
/// (float64 references) over random shapes, batch axes, flags and dtypes, plus their
/// documented edge cases and shape errors.
module OpTable.LinalgOps

open System
open Expecto
open MathNet.Numerics.LinearAlgebra
open JaxSharp
open OpTable.Generators
open TestHelpers

/// The primitives this table checks against references.
let covered = [ "cholesky"; "triangular_solve" ]

let private config = { FsCheckConfig.defaultConfig with maxTest = 30 }

let private values (rng: Random) n = Array.init n (fun _ -> rng.NextDouble() * 2.0 - 1.0)

let private matrixOf rows cols (xs: float[]) (offset: int) =
    Matrix<float>.Build.Dense(rows, cols, fun i j -> xs[offset + i * cols + j])

let private flatOf (m: Matrix<float>) =
    Array.init (m.RowCount * m.ColumnCount) (fun k -> m[k / m.ColumnCount, k % m.ColumnCount])

/// count matrices of n x n that are A Aᵀ + n I for random A, flattened.
let private spdValues (rng: Random) count n =
    Array.init count (fun _ ->
        let a = matrixOf n n (values rng (n * n)) 0
        flatOf (a * a.Transpose() + Matrix<float>.Build.DenseIdentity(n) * float n))
    |> Array.concat

/// The matrix the solve applies: a's triangle (a unit diagonal when asked), transposed when asked.
let private effective (a: Matrix<float>) lower transpose unit =
    let t = if lower then a.LowerTriangle() else a.UpperTriangle()
    if unit then t.SetDiagonal(Array.create a.RowCount 1.0)
    if transpose then t.Transpose() else t

[<Tests>]
let tests =
    testList
        "linear algebra ops"
        [ testPropertyWithConfig config "cholesky equals MathNet's factor, float32 and float64, batched" (fun (seed: int) ->
              let rng = Random seed
              let n = rng.Next(0, 5)
              let batch = [| for _ in 1 .. rng.Next(0, 3) -> rng.Next(1, 3) |]
              let count = Array.fold (*) 1 batch
              let dtype = if rng.Next 2 = 0 then DType.Float32 else DType.Float64
              let xs = spdValues rng count n
              let x = tensorOf dtype (Array.append batch [| n; n |]) xs
              let expected =
                  Array.init count (fun k -> if n = 0 then [||] else flatOf ((matrixOf n n (toFloats x) (k * n * n)).Cholesky().Factor))
                  |> Array.concat
              expectClose (100.0 * defaultTolerance dtype) expected (Lax.Cholesky x) $"{dtype} {x.Shape}")
          test "cholesky symmetrizes its input and gives NaNs for a matrix that is not positive definite" {
              let a = Tensor.FromArray(array2D [ [ 4.0; 1.0 ]; [ 3.0; 5.0 ] ])
              let sym = Tensor.FromArray(array2D [ [ 4.0; 2.0 ]; [ 2.0; 5.0 ] ])
              expectClose 1e-15 (toFloats (Lax.Cholesky sym)) (Lax.Cholesky a) "(a + aᵀ) / 2"
              expectClose 1e-15 [| 2.0; 0.0; 1.0; 2.0 |] (Lax.Cholesky sym) "known factor"
              let bad = tensorOf DType.Float64 [| 2; 2; 2 |] [| 1.0; 2.0; 2.0; 1.0; 4.0; 2.0; 2.0; 5.0 |]
              let l = toFloats (Lax.Cholesky bad)
              Expect.isTrue (l[0..3] |> Array.forall Double.IsNaN) "the indefinite matrix is all NaN"
              Expect.equal l[4..] [| 2.0; 0.0; 1.0; 2.0 |] "the other matrix of the batch is unaffected"
          }
          test "np.cholesky takes integers as float32" {
              let l = Np.Cholesky(Tensor.FromArray(array2D [ [ 4; 2 ]; [ 2; 5 ] ]))
              Expect.equal l.DType DType.Float32 "dtype"
              expectClose 1e-7 [| 2.0; 0.0; 1.0; 2.0 |] l "factor"
          }
          testPropertyWithConfig config "triangular_solve equals MathNet's solve for every flag, side, dtype and batch" (fun (seed: int) ->
              let rng = Random seed
              let left, lower, transpose, unit = rng.Next 2 = 0, rng.Next 2 = 0, rng.Next 2 = 0, rng.Next 2 = 0
              let m, n = rng.Next(0, 5), rng.Next(0, 4)
              let batch = [| for _ in 1 .. rng.Next(0, 3) -> rng.Next(1, 3) |]
              let count = Array.fold (*) 1 batch
              let dtype = if rng.Next 2 = 0 then DType.Float32 else DType.Float64
              // a well away from singular: random entries, 3 added on the diagonal
              let aValues = Array.init count (fun _ -> flatOf (matrixOf m m (values rng (m * m)) 0 + Matrix<float>.Build.DenseIdentity(m) * 3.0)) |> Array.concat
              let bRows, bCols = (if left then m, n else n, m)
              let a = tensorOf dtype (Array.append batch [| m; m |]) aValues
              let b = tensorOf dtype (Array.append batch [| bRows; bCols |]) (values rng (count * bRows * bCols))
              let x = Lax.TriangularSolve(a, b, leftSide = left, lower = lower, transposeA = transpose, unitDiagonal = unit)
              Expect.equal x.Shape b.Shape "shape"
              Expect.equal x.DType dtype "dtype"
              let expected =
                  Array.init count (fun k ->
                      if m = 0 || n = 0 then Array.zeroCreate (bRows * bCols)
                      else
                          let op = effective (matrixOf m m (toFloats a) (k * m * m)) lower transpose unit
                          let bk = matrixOf bRows bCols (toFloats b) (k * bRows * bCols)
                          // left: op x = b; right: x op = b, i.e. opᵀ xᵀ = bᵀ
                          flatOf (if left then op.Solve bk else op.Transpose().Solve(bk.Transpose()).Transpose()))
                  |> Array.concat
              expectClose (100.0 * defaultTolerance dtype) expected x $"{dtype} a {a.Shape} b {b.Shape} left={left} lower={lower} transpose={transpose} unit={unit}")
          test "triangular_solve never reads the other triangle, nor a unit diagonal" {
              let clean = Tensor.FromArray(array2D [ [ 2.0; 0.0 ]; [ 1.0; 4.0 ] ])
              let dirty = Tensor.FromArray(array2D [ [ 2.0; nan ]; [ 1.0; 4.0 ] ])
              let b = Tensor.FromArray(array2D [ [ 2.0 ]; [ 5.0 ] ])
              expectClose 1e-15 [| 1.0; 1.0 |] (Lax.TriangularSolve(dirty, b, leftSide = true, lower = true)) "lower solve"
              let unitDirty = Tensor.FromArray(array2D [ [ nan; 0.0 ]; [ 1.0; infinity ] ])
              expectClose 1e-15 [| 2.0; 3.0 |] (Lax.TriangularSolve(unitDirty, b, leftSide = true, lower = true, unitDiagonal = true)) "unit diagonal"
              expectClose 1e-15 (toFloats (Lax.TriangularSolve(clean, b, leftSide = true, lower = true))) (Lax.TriangularSolve(dirty, b, leftSide = true, lower = true)) "same as clean"
          }
          test "a zero on the diagonal gives infinities, not an error (as LAPACK's trsm)" {
              let a = Tensor.FromArray(array2D [ [ 0.0; 0.0 ]; [ 1.0; 1.0 ] ])
              let x = toFloats (Lax.TriangularSolve(a, Tensor.FromArray(array2D [ [ 1.0 ]; [ 1.0 ] ]), leftSide = true, lower = true))
              Expect.isTrue (Double.IsInfinity x[0]) $"x[0] = {x[0]}"
          }
          test "np.solve_triangular: vectors, broadcast batch axes, trans and promotion" {
              let l = Tensor.FromArray(array2D [ [ 2.0; 0.0 ]; [ 1.0; 4.0 ] ])
              expectClose 1e-15 [| 1.0; 1.0 |] (Np.SolveTriangular(l, Tensor.FromArray [| 2.0; 5.0 |], lower = true)) "vector"
              // lᵀ x = b: [[2, 1], [0, 4]] x = [3, 4] gives x = [1, 1]
              expectClose 1e-15 [| 1.0; 1.0 |] (Np.SolveTriangular(l, Tensor.FromArray [| 3.0; 4.0 |], lower = true, trans = 1)) "transposed"
              let bs = tensorOf DType.Float64 [| 2; 2; 1 |] [| 2.0; 5.0; 4.0; 10.0 |]
              expectClose 1e-15 [| 1.0; 1.0; 2.0; 2.0 |] (Np.SolveTriangular(l, bs, lower = true)) "a broadcast over b's batch"
              let ints = Np.SolveTriangular(Tensor.FromArray(array2D [ [ 2; 0 ]; [ 1; 4 ] ]), Tensor.FromArray [| 2; 5 |], lower = true)
              Expect.equal ints.DType DType.Float32 "integers solve in float32"
          }
          test "shape errors name the operation, the shapes and the rule" {
              let m23 = Tensor.FromArray(Array2D.zeroCreate<float> 2 3)
              let m33 = Tensor.FromArray(Array2D.zeroCreate<float> 3 3)
              throwsWith<ArgumentException> [ "triangular_solve: a must be square (..., n, n), got (2, 3)" ] (fun () -> Lax.TriangularSolve(m23, m33) |> ignore)
              throwsWith<ArgumentException> [ "triangular_solve"; "(3, 3)"; "(2, 3)"; "left_side=True" ] (fun () -> Lax.TriangularSolve(m33, m23, leftSide = true) |> ignore)
              throwsWith<ArgumentException> [ "triangular_solve"; "batch axes" ] (fun () -> Lax.TriangularSolve(Tensor.FromArray(Array3D.zeroCreate<float> 2 3 3), Tensor.FromArray(Array3D.zeroCreate<float> 1 3 3)) |> ignore)
              throwsWith<ArgumentException> [ "triangular_solve"; "float" ] (fun () -> Lax.TriangularSolve(m33, Tensor.FromArray(Array2D.zeroCreate<float32> 3 3)) |> ignore)
              throwsWith<ArgumentException> [ "cholesky"; "(2, 3)" ] (fun () -> Lax.Cholesky m23 |> ignore)
              throwsWith<ArgumentException> [ "solve_triangular"; "trans" ] (fun () -> Np.SolveTriangular(m33, m33, trans = 3) |> ignore)
          } ]
