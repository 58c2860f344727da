/// np.linalg and scipy.linalg's factor-and-solve functions: values against MathNet in float32
/// and float64, gradients against finite differences, vmap against loops, jit against eager,
/// and error messages that name the function, the shapes and the fix.
module NpLinalgTests

open System
open Expecto
open MathNet.Numerics.LinearAlgebra
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open OpTable.DecompositionOps
open Transforms.Checks
open TestHelpers

let private random (seed: int) (shape: int[]) =
    let rng = Random(seed)
    tensorOf DType.Float64 shape (Array.init (Array.fold (*) 1 shape) (fun _ -> rng.NextDouble() * 2.0 - 1.0))

/// Random matrices with 3 added to the diagonal: far from singular.
let private wellConditioned seed (shape: int[]) =
    Lax.Add(random seed shape, Np.Multiply(Np.Eye(shape[shape.Length - 1], dtype = DType.Float64), 3.0))

let private spd seed n =
    let a = random seed [| n; n |]
    Lax.Add(Np.Matmul(a, Np.Swapaxes(a, 0, 1)), Np.Multiply(Np.Eye(n, dtype = DType.Float64), float n))

let private flat (m: Matrix<float>) = Array.init (m.RowCount * m.ColumnCount) (fun k -> m[k / m.ColumnCount, k % m.ColumnCount])
let private asF32 (x: Tensor) = Np.AsType(x, DType.Float32)

let private stacked (seed: int) (axis: int) (size: int) (make: int -> Tensor) =
    Np.Stack([| for i in 0 .. size - 1 -> make (seed + i) |], axis)

[<Tests>]
let valueTests =
    testList
        "np.linalg values"
        [ test "solve, inv, det and slogdet equal MathNet's in float64 and float32" {
              for dtype, tol in [ DType.Float64, 1e-12; DType.Float32, 1e-4 ] do
                  let a = Np.AsType(wellConditioned 1 [| 4; 4 |], dtype)
                  let b = Np.AsType(random 2 [| 4; 2 |], dtype)
                  let ma, mb = matrixAt a 0, matrixAt b 0
                  let x = Np.Linalg.Solve(a, b)
                  Expect.equal x.DType dtype "dtype"
                  expectClose tol (flat (ma.Solve mb)) x $"{dtype} solve"
                  expectClose tol (flat (ma.Inverse())) (Np.Linalg.Inv a) $"{dtype} inv"
                  expectClose tol [| ma.Determinant() |] (Np.Linalg.Det a) $"{dtype} det"
                  let struct (sg, logdet) = Np.Linalg.Slogdet(Np.Negative a)
                  let d = (-ma).Determinant()
                  expectClose tol [| float (Math.Sign d); log (abs d) |] (Np.Stack([| sg; logdet |])) $"{dtype} slogdet"
          }
          test "solve takes a vector b, broadcasts batch axes, and promotes integers to float32" {
              let a = wellConditioned 3 [| 2; 3; 3 |]
              let v = random 4 [| 3 |]
              let x = Np.Linalg.Solve(a, v)
              Expect.sequenceEqual x.Shape [ 2; 3 ] "one vector solved against each matrix"
              for k in 0..1 do
                  expectClose 1e-12 ((matrixAt a k).Solve(Vector<float>.Build.DenseOfArray(toFloats v)).ToArray()) (Lax.Squeeze(Lax.Slice(x, Ints [| k; 0 |], Ints [| k + 1; 3 |]), Ints [| 0 |])) $"matrix {k}"
              let ints = Np.Linalg.Solve(Tensor.FromArray(array2D [ [ 2; 0 ]; [ 0; 4 ] ]), Tensor.FromArray [| 2; 4 |])
              Expect.equal (ints.DType, ints.ToArray<float32>()) (DType.Float32, [| 1.0f; 1.0f |]) "integers solve in float32"
          }
          test "det of singular matrices is 0 and slogdet gives sign 0 and -inf" {
              let s = Tensor.FromArray(array2D [ [ 1.0; 2.0 ]; [ 2.0; 4.0 ] ])
              expectClose 0.0 [| 0.0 |] (Np.Linalg.Det s) "det"
              let struct (sign, logdet) = Np.Linalg.Slogdet s
              Expect.equal (sign.Item<float>(), logdet.Item<float>()) (0.0, Double.NegativeInfinity) "slogdet"
          }
          test "eigh and eigvalsh in numpy's order (w, v), reading the upper triangle with uplo U" {
              let a = Tensor.FromArray(array2D [ [ 2.0; 1.0 ]; [ 1.0; 2.0 ] ])
              let struct (w, v) = Np.Linalg.Eigh a
              expectClose 1e-14 [| 1.0; 3.0 |] w "eigenvalues"
              expectClose 1e-14 (toFloats a) (Np.Matmul(Np.Multiply(v, w), Np.Swapaxes(v, 0, 1))) "V diag(w) Vᵀ"
              let upperOnly = Tensor.FromArray(array2D [ [ 2.0; 1.0 ]; [ 7.0; 2.0 ] ])
              let struct (wu, _) = Np.Linalg.Eigh(upperOnly, "U", symmetrizeInput = false)
              expectClose 1e-14 [| 1.0; 3.0 |] wu "uplo U without symmetrizing ignores the lower triangle"
              expectClose 1e-14 [| -2.0; 6.0 |] (Np.Linalg.Eigvalsh(upperOnly, "U")) "eigvalsh symmetrizes first, as JAX's: [[2, 4], [4, 2]]"
              throwsWith<ArgumentException> [ "eigvalsh"; "uplo"; "\"L\""; "\"U\""; "\"X\"" ] (fun () -> Np.Linalg.Eigvalsh(a, "X") |> ignore)
          }
          test "svd, svdvals, pinv, lstsq, matrix_rank and cond equal MathNet's" {
              for dtype, tol in [ DType.Float64, 1e-12; DType.Float32, 1e-4 ] do
                  let a = Np.AsType(random 5 [| 5; 3 |], dtype)
                  let ma = matrixAt a 0
                  let struct (u, s, vh) = Np.Linalg.Svd a
                  Expect.equal (u.Shape, vh.Shape) (Shape [| 5; 5 |], Shape [| 3; 3 |]) "full matrices by default, as numpy"
                  expectClose tol (ma.Svd().S.ToArray()) s $"{dtype} s"
                  expectClose 0.0 (toFloats s) (Np.Linalg.Svdvals a) "svdvals"
                  expectClose tol (flat (ma.PseudoInverse())) (Np.Linalg.Pinv a) $"{dtype} pinv"
                  let b = Np.AsType(random 6 [| 5 |], dtype)
                  let struct (x, residuals, rank, sv) = Np.Linalg.Lstsq(a, b)
                  let expected = ma.Solve(Vector<float>.Build.DenseOfArray(toFloats b))
                  expectClose tol (expected.ToArray()) x $"{dtype} lstsq"
                  let r = Vector<float>.Build.DenseOfArray(toFloats b) - ma * expected
                  expectClose tol [| r * r |] residuals "residual"
                  Expect.equal (rank.Item<int>()) 3 "rank"
                  expectClose 0.0 (toFloats s) sv "singular values"
                  Expect.equal ((Np.Linalg.MatrixRank a).Item<int>()) 3 "matrix_rank"
                  expectClose tol [| ma.ConditionNumber() |] (Np.Linalg.Cond a) $"{dtype} cond"
              let rank1 = Np.Outer(Tensor.FromArray [| 1.0; 2.0; 3.0 |], Tensor.FromArray [| 1.0; -1.0 |])
              Expect.equal ((Np.Linalg.MatrixRank rank1).Item<int>()) 1 "rank of an outer product"
              Expect.equal ((Np.Linalg.Cond(Tensor.FromArray(array2D [ [ 1.0; 0.0 ]; [ 0.0; 0.0 ] ]))).Item<float>()) Double.PositiveInfinity "a singular matrix has cond inf"
          }
          test "norm: vector and matrix orders as MathNet's and numpy's definitions" {
              let v = Tensor.FromArray [| 3.0; -4.0; 0.0 |]
              let cases = [ None, 5.0; Some 2.0, 5.0; Some 1.0, 7.0; Some infinity, 4.0; Some -infinity, 0.0; Some 0.0, 2.0; Some 3.0, Math.Pow(91.0, 1.0 / 3.0) ]
              for ord, expected in cases do
                  expectClose 1e-15 [| expected |] (Np.Linalg.Norm(v, Option.toNullable ord)) $"vector ord {ord}"
              let m = random 7 [| 3; 4 |]
              let mm = matrixAt m 0
              let two = [| -2; -1 |]
              expectClose 1e-14 [| mm.FrobeniusNorm() |] (Np.Linalg.Norm m) "default: Frobenius"
              expectClose 1e-14 [| mm.FrobeniusNorm() |] (Np.Linalg.Norm(m, "fro")) "fro"
              expectClose 1e-14 [| mm.L1Norm() |] (Np.Linalg.Norm(m, 1.0, two)) "1: largest column sum"
              expectClose 1e-14 [| mm.InfinityNorm() |] (Np.Linalg.Norm(m, infinity, two)) "inf: largest row sum"
              expectClose 1e-14 [| mm.L2Norm() |] (Np.Linalg.Norm(m, 2.0, two)) "2: largest singular value"
              expectClose 1e-14 [| mm.Svd().S.Sum() |] (Np.Linalg.Norm(m, "nuc")) "nuc"
              expectClose 1e-14 [| mm.Svd().S[2] |] (Np.Linalg.Norm(m, -2.0, two)) "-2: smallest singular value"
              let columns = Np.Linalg.Norm(m, Nullable(), [| 0 |], keepdims = true)
              Expect.sequenceEqual columns.Shape [ 1; 4 ] "keepdims"
              expectClose 1e-14 (Array.init 4 (fun j -> mm.Column(j).L2Norm())) columns "column norms"
              throwsWith<ArgumentException> [ "norm"; "3 axes"; "(2, 2, 2)" ] (fun () -> Np.Linalg.Norm(random 8 [| 2; 2; 2 |], 2.0) |> ignore)
              throwsWith<ArgumentException> [ "norm"; "\"fro\" is a matrix norm"; "one axis" ] (fun () -> Np.Linalg.Norm(v, "fro", [| 0 |]) |> ignore)
              throwsWith<ArgumentException> [ "norm"; "ord 3 is not a matrix norm" ] (fun () -> Np.Linalg.Norm(m, 3.0, two) |> ignore)
          }
          test "matrix_power, multi_dot and expm" {
              let a = random 9 [| 3; 3 |]
              let ma = matrixAt a 0
              expectClose 1e-13 (flat (ma.Power 5)) (Np.Linalg.MatrixPower(a, 5)) "a^5"
              expectClose 1e-15 (flat (Matrix<float>.Build.DenseIdentity 3)) (Np.Linalg.MatrixPower(a, 0)) "a^0"
              let w = wellConditioned 10 [| 3; 3 |]
              expectClose 1e-12 (flat ((matrixAt w 0).Inverse().Power 2)) (Np.Linalg.MatrixPower(w, -2)) "a^-2"
              let b, c = random 11 [| 3; 5 |], random 12 [| 5; 2 |]
              let v = random 13 [| 3 |]
              expectClose 1e-13 (flat (ma * matrixAt b 0 * matrixAt c 0)) (Np.Linalg.MultiDot(a, b, c)) "a b c"
              let vm = Vector<float>.Build.DenseOfArray(toFloats v)
              expectClose 1e-13 ((vm * ma * matrixAt b 0).ToArray()) (Np.Linalg.MultiDot(v, a, b)) "a vector in front is a row"
              throwsWith<ArgumentException> [ "multi_dot"; "arrays 0 (3, 3) and 1 (5, 2)"; "not aligned" ] (fun () -> Np.Linalg.MultiDot(a, c) |> ignore)
              // expm of a symmetric matrix: V exp(W) Vᵀ; of a nilpotent one: I + N
              let s = Np.Multiply(Lax.Add(a, Np.Swapaxes(a, 0, 1)), Tensor.op_Implicit 3.0)
              let evd = (matrixAt s 0).Evd(Symmetricity.Symmetric)
              let expected = evd.EigenVectors * Matrix<float>.Build.DenseOfDiagonalArray(evd.EigenValues.Real().ToArray() |> Array.map exp) * evd.EigenVectors.Transpose()
              expectClose 1e-12 (flat expected) (Np.Linalg.Expm s) "expm of a symmetric matrix (norm large enough to square)"
              expectClose 1e-5 (flat expected) (Np.Linalg.Expm(asF32 s)) "float32"
              expectClose 1e-15 [| 1.0; 1.0; 0.0; 1.0 |] (Np.Linalg.Expm(Tensor.FromArray(array2D [ [ 0.0; 1.0 ]; [ 0.0; 0.0 ] ]))) "nilpotent"
          }
          test "cholesky upper, cho_factor/cho_solve, lu_factor/lu_solve and scipy's lu" {
              let a = spd 14 4
              let ma = matrixAt a 0
              let l = ma.Cholesky().Factor
              expectClose 1e-12 (flat (l.Transpose())) (Np.Linalg.Cholesky(a, upper = true)) "upper = Lᵀ"
              let b = random 15 [| 4; 2 |]
              let expected = flat (ma.Solve(matrixAt b 0))
              for lower in [ true; false ] do
                  // the unread triangle holds garbage, as scipy's cho_factor allows
                  let dirty = if lower then Np.Add(a, Np.Multiply(Tensor.FromArray(array2D [ for i in 0..3 -> [ for j in 0..3 -> if j > i then 9.0 else 0.0 ] ]), 1.0)) else a
                  let factor = Np.Linalg.ChoFactor(dirty, lower)
                  expectClose 1e-12 expected (Np.Linalg.ChoSolve(factor, b)) $"cho_solve lower={lower}"
              let g = wellConditioned 16 [| 4; 4 |]
              let mg = matrixAt g 0
              let factors = Np.Linalg.LuFactor g
              expectClose 1e-12 (flat (mg.Solve(matrixAt b 0))) (Np.Linalg.LuSolve(factors, b)) "lu_solve"
              expectClose 1e-12 (flat (mg.Transpose().Solve(matrixAt b 0))) (Np.Linalg.LuSolve(factors, b, trans = 1)) "lu_solve trans=1"
              let struct (p, lo, up) = Np.Linalg.Lu(random 17 [| 4; 3 |])
              expectClose 1e-14 (toFloats (random 17 [| 4; 3 |])) (Np.Matmul(Np.Matmul(p, lo), up)) "a = P L U"
              Expect.equal (lo.Shape, up.Shape) (Shape [| 4; 3 |], Shape [| 3; 3 |]) "L (m, k), U (k, n)"
          }
          test "the functions name themselves, the shapes and the fix for bad input" {
              let v = Tensor.FromArray [| 1.0; 2.0 |]
              let m23 = Tensor.FromArray(Array2D.zeroCreate<float> 2 3)
              let m22 = Tensor.FromArray(Array2D.zeroCreate<float> 2 2)
              throwsWith<ArgumentException> [ "solve: expected square matrices"; "(2, 3)"; "equal sizes" ] (fun () -> Np.Linalg.Solve(m23, v) |> ignore)
              throwsWith<ArgumentException> [ "solve"; "(2, 2)"; "(3,)"; "m = 2" ] (fun () -> Np.Linalg.Solve(m22, Tensor.FromArray [| 1.0; 2.0; 3.0 |]) |> ignore)
              throwsWith<ArgumentException> [ "inv: expected square matrices"; "(2,)"; "rank 1" ] (fun () -> Np.Linalg.Inv v |> ignore)
              throwsWith<ArgumentException> [ "det"; "(2, 3)" ] (fun () -> Np.Linalg.Det m23 |> ignore)
              throwsWith<ArgumentException> [ "slogdet"; "(2, 3)" ] (fun () -> Np.Linalg.Slogdet m23 |> ignore)
              throwsWith<ArgumentException> [ "eigh"; "(2, 3)" ] (fun () -> Np.Linalg.Eigh m23 |> ignore)
              throwsWith<ArgumentException> [ "svd: expected matrices"; "(2,)"; "reshape" ] (fun () -> Np.Linalg.Svd v |> ignore)
              throwsWith<ArgumentException> [ "qr"; "mode"; "\"raw\"" ] (fun () -> Np.Linalg.Qr(m23, "raw") |> ignore)
              throwsWith<ArgumentException> [ "cholesky"; "(2, 3)" ] (fun () -> Np.Linalg.Cholesky m23 |> ignore)
              throwsWith<ArgumentException> [ "matrix_power"; "(2, 3)" ] (fun () -> Np.Linalg.MatrixPower(m23, 2) |> ignore)
              throwsWith<ArgumentException> [ "expm"; "(2, 3)" ] (fun () -> Np.Linalg.Expm m23 |> ignore)
              throwsWith<ArgumentException> [ "cond"; "(2, 3)"; "p: null" ] (fun () -> Np.Linalg.Cond(m23, 1.0) |> ignore)
              throwsWith<ArgumentException> [ "lstsq"; "(2, 3)"; "(3,)"; "leading axes" ] (fun () -> Np.Linalg.Lstsq(m23, Tensor.FromArray [| 1.0; 2.0; 3.0 |]) |> ignore)
              throwsWith<ArgumentException> [ "lstsq"; "(2, 2, 2)"; "Jax.Vmap" ] (fun () -> Np.Linalg.Lstsq(random 1 [| 2; 2; 2 |], v) |> ignore)
              throwsWith<ArgumentException> [ "lu_solve"; "trans"; "3" ] (fun () -> Np.Linalg.LuSolve(Np.Linalg.LuFactor m22, v, trans = 3) |> ignore)
              throwsWith<ArgumentException> [ "multi_dot"; "at least 2" ] (fun () -> Np.Linalg.MultiDot(m22) |> ignore)
          }
          test "the F# np.linalg forwarders" {
              let a = wellConditioned 18 [| 3; 3 |]
              let b = random 19 [| 3 |]
              expectClose 1e-12 (toFloats (Np.Linalg.Solve(a, b))) (np.linalg.solve a b) "solve"
              let w, _ = np.linalg.eigh (np.linalg.matrixPower 2 a)
              expectClose 1e-12 (toFloats (Np.Linalg.Eigvalsh(Np.Linalg.MatrixPower(a, 2)))) w "eigh"
              let _, s, _ = np.linalg.svd false a
              expectClose 1e-12 (toFloats (Np.Linalg.Svdvals a)) s "svd"
              expectClose 1e-12 (toFloats (Np.Linalg.Solve(a, b))) (np.linalg.luSolve (np.linalg.luFactor a) b) "luFactor |> luSolve"
              let lu, _, _ = lax.lu a
              expectClose 0.0 (toFloats (let struct (x, _, _) = Lax.Lu a in x)) lu "lax.lu"
          } ]

[<Tests>]
let ruleTests =
    testList
        "np.linalg rules"
        [ test "check_grads to second order of solve, inv, det, slogdet, pinv, lstsq, norms, expm and cho_solve" {
              let a, b = wellConditioned 20 [| 3; 3 |], random 21 [| 3; 2 |]
              checkGrads 1e-6 (fun x -> Np.Linalg.Solve(x[0], x[1])) [| a; b |]
              checkGrads 1e-6 (fun x -> Np.Linalg.Inv x[0]) [| a |]
              checkGrads 1e-6 (fun x -> Np.Linalg.Det x[0]) [| a |]
              checkGrads 1e-6 (fun x -> let struct (_, l) = Np.Linalg.Slogdet x[0] in l) [| a |]
              checkGrads 1e-6 (fun x -> Np.Linalg.Pinv x[0]) [| random 22 [| 4; 3 |] |]
              checkGrads 1e-6 (fun x -> let struct (s, _, _, _) = Np.Linalg.Lstsq(x[0], x[1]) in s) [| random 23 [| 4; 3 |]; random 24 [| 4 |] |]
              checkGrads 1e-6 (fun x -> Np.Linalg.Norm(x[0], "nuc")) [| random 25 [| 3; 2 |] |]
              checkGrads 1e-6 (fun x -> Np.Linalg.Norm(x[0], 3.0, [| 1 |])) [| random 26 [| 3; 2 |] |]
              checkGrads 1e-6 (fun x -> Np.Linalg.Expm x[0]) [| Np.Multiply(random 27 [| 3; 3 |], Tensor.op_Implicit 4.0) |]
              checkGrads 1e-6 (fun x -> Np.Linalg.ChoSolve(Np.Linalg.ChoFactor(x[0], true), x[1])) [| spd 28 3; b |]
          }
          test "det's derivative is the adjugate's transpose, finite at a singular matrix of rank n - 1, as JAX's cofactor rule" {
              let s = Tensor.FromArray(array2D [ [ 1.0; 2.0 ]; [ 2.0; 4.0 ] ])
              let grad = Jax.Grad(Func<Tensor, Tensor>(fun a -> Np.Linalg.Det a)).Invoke s
              expectClose 1e-14 [| 4.0; -2.0; -2.0; 1.0 |] grad "adj(a)ᵀ"
              let s3 = Tensor.FromArray(array2D [ [ 1.0; 2.0; 3.0 ]; [ 4.0; 5.0; 6.0 ]; [ 7.0; 8.0; 9.0 ] ])
              let g3 = Jax.Grad(Func<Tensor, Tensor>(fun a -> Np.Linalg.Det a)).Invoke s3
              // cofactors of [[1,2,3],[4,5,6],[7,8,9]]
              expectClose 1e-12 [| -3.0; 6.0; -3.0; 6.0; -12.0; 6.0; -3.0; 6.0; -3.0 |] g3 "cofactor matrix"
          }
          test "vmap of solve, det, slogdet, norm and expm equals a loop, with one operand unbatched" {
              let as' = stacked 30 0 3 (fun s -> wellConditioned s [| 3; 3 |])
              let b = random 31 [| 3 |]
              checkVmap (fun x -> Np.Linalg.Solve(x[0], x[1])) [| Some 0; None |] [| as'; b |]
              checkVmap (fun x -> Np.Linalg.Solve(x[0], x[1])) [| None; Some 1 |] [| wellConditioned 32 [| 3; 3 |]; random 33 [| 3; 4 |] |]
              checkVmap (fun x -> Np.Linalg.Det x[0]) [| Some 2 |] [| Np.Moveaxis(as', 0, 2) |]
              checkVmap (fun x -> let struct (_, l) = Np.Linalg.Slogdet x[0] in l) [| Some 1 |] [| Np.Moveaxis(as', 0, 1) |]
              checkVmap (fun x -> Np.Linalg.Norm(x[0], 2.0, [| 0; 1 |])) [| Some 0 |] [| as' |]
              checkVmap (fun x -> Np.Linalg.Expm x[0]) [| Some 0 |] [| as' |]
          }
          test "vmap of the gradient of solve equals a loop" {
              let g (x: Tensor[]) = Jax.Grad(Func<Tensor, Tensor>(fun a -> Np.Sum(Np.Linalg.Solve(a, x[1])))).Invoke x[0]
              checkVmap g [| Some 0; Some 0 |] [| stacked 40 0 3 (fun s -> wellConditioned s [| 3; 3 |]); random 41 [| 3; 3 |] |]
          }
          test "jit of np.linalg functions and their gradients equals eager" {
              let f (a: Tensor) =
                  Np.Sum(Np.Linalg.Solve(a, Np.Ones(Shape [| 3 |], DType.Float64))) + Np.Linalg.Det a + Np.Linalg.Norm(Np.Linalg.Pinv a, "fro") + Np.Sum(Np.Linalg.Expm a)
              let grad = Func<Tensor, Tensor>(fun a -> Jax.Grad(Func<Tensor, Tensor> f).Invoke a)
              let a = wellConditioned 50 [| 3; 3 |]
              expectClose 1e-12 [| (f a).Item<float>() |] (Jax.Jit(Func<Tensor, Tensor> f).Invoke a) "value"
              expectClose 1e-12 (toFloats (grad.Invoke a)) (Jax.Jit(grad).Invoke a) "gradient"
          } ]
