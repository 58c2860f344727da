/// dot_general's kernel at sizes that use its SIMD blocks, and numpy's products (dot,
/// matmul, vdot, outer, inner, tensordot) against MathNet and loops.
module LinalgTests

open System
open Expecto
open MathNet.Numerics.LinearAlgebra
open JaxSharp
open JaxSharp.FSharp
open JaxSharp.Primitives.LinearAlgebra
open OpTable.Generators
open ReductionTests

/// Deterministic pseudo-random values in [-1, 1).
let values seed n =
    let r = Random(seed: int)
    Array.init n (fun _ -> Math.Round(r.NextDouble() * 2.0 - 1.0, 3))

let matrixOf (rows: int) (cols: int) (xs: float[]) = Matrix<float>.Build.Dense(rows, cols, fun i j -> xs.[i * cols + j])
let flatOf (m: Matrix<float>) = Array.init (m.RowCount * m.ColumnCount) (fun k -> m.[k / m.ColumnCount, k % m.ColumnCount])

let dims lc rc lb rb = DotDimensionNumbers(Ints(lc: int[]), Ints(rc: int[]), Ints(lb: int[]), Ints(rb: int[]))

[<Tests>]
let kernelTests =
    testList "dot_general kernel" [
        for dtype in [ DType.Float32; DType.Float64; DType.Int32 ] do
            for (m, k, n) in [ (37, 45, 70); (4, 1, 33); (9, 0, 5); (64, 128, 64) ] do
                test $"{dtype} ({m}, {k}) x ({k}, {n}) equals MathNet" {
                    let scale = if dtype = DType.Int32 then 10.0 else 1.0
                    let a = values 1 (m * k) |> Array.map (fun v -> Math.Round(v * scale))
                    let b = values 2 (k * n) |> Array.map (fun v -> Math.Round(v * scale))
                    let ta, tb = tensorOf dtype [| m; k |] a, tensorOf dtype [| k; n |] b
                    let expected = flatOf (matrixOf m k (toFloats ta) * matrixOf k n (toFloats tb))
                    expectClose (1000.0 * defaultTolerance dtype) expected (Lax.DotGeneral(ta, tb, dims [| 1 |] [| 0 |] [||] [||])) "product"
                }
        test "transposed operands and a batch axis in the middle give the same products" {
            let (bt, m, k, n) = (3, 6, 35, 40)
            let a = values 3 (bt * m * k)
            let b = values 4 (bt * k * n)
            // lhs laid out as [k, batch, m], rhs as [n, batch, k]
            let lhs = f64 [| k; bt; m |] (Array.init a.Length (fun q -> let kk, bb, i = q / (bt * m), q / m % bt, q % m in a.[(bb * m + i) * k + kk]))
            let rhs = f64 [| n; bt; k |] (Array.init b.Length (fun q -> let j, bb, kk = q / (bt * k), q / k % bt, q % k in b.[(bb * k + kk) * n + j]))
            let actual = Lax.DotGeneral(lhs, rhs, dims [| 0 |] [| 2 |] [| 1 |] [| 1 |])
            Expect.sequenceEqual actual.Shape [ bt; m; n ] "batch, lhs free, rhs free"
            let expected =
                [| for bb in 0 .. bt - 1 do
                       yield! flatOf (matrixOf m k a.[bb * m * k .. (bb + 1) * m * k - 1] * matrixOf k n b.[bb * k * n .. (bb + 1) * k * n - 1]) |]
            expectClose 1e-12 expected actual "products"
        }
        test "preferred_element_type float64 accumulates float32 operands in float64" {
            let a = f32 [| 1; 3 |] [| 1e8f; 1.0f; -1e8f |]
            let b = f32 [| 3; 1 |] [| 1.0f; 1.0f; 1.0f |]
            let r = Lax.DotGeneral(a, b, dims [| 1 |] [| 0 |] [||] [||], DType.Float64)
            Expect.equal (r.DType, r.ToArray<float>()) (DType.Float64, [| 1.0 |]) "exact in float64"
        }
        test "dot_general names contracting sizes that differ" {
            throwsWith [ "dot_general"; "contracting dimensions 3 and 4 differ"; "(2, 3)"; "(4, 5)" ]
                (fun () -> Lax.DotGeneral(f64 [| 2; 3 |] (Array.zeroCreate 6), f64 [| 4; 5 |] (Array.zeroCreate 20), dims [| 1 |] [| 0 |] [||] [||]))
        }
        test "dot_general names batch sizes, axis counts, ranges, repeats and dtypes" {
            let a, b = f64 [| 2; 3 |] (Array.zeroCreate 6), f64 [| 3; 3 |] (Array.zeroCreate 9)
            throwsWith [ "batch dimensions 2 and 3 differ" ] (fun () -> Lax.DotGeneral(a, b, dims [| 1 |] [| 1 |] [| 0 |] [| 0 |]))
            throwsWith [ "lhs has 2 contracting axes"; "rhs has 1" ] (fun () -> Lax.DotGeneral(a, b, dims [| 0; 1 |] [| 0 |] [||] [||]))
            throwsWith [ "lhs axis 2 is out of range"; "(2, 3)" ] (fun () -> Lax.DotGeneral(a, b, dims [| 2 |] [| 0 |] [||] [||]))
            throwsWith [ "repeat an axis" ] (fun () -> Lax.DotGeneral(a, b, dims [| 1 |] [| 0 |] [| 1 |] [| 0 |]))
            // Lax.DotGeneral computes two dtypes in the more precise one, as JAX; the primitive itself takes one dtype.
            throwsWith [ "dtypes float64"; "float32"; "differ" ] (fun () ->
                Primitives.LinearAlgebra.DotGeneral.Instance.Bind(
                    Primitives.LinearAlgebra.DotGeneralParams(dims [| 1 |] [| 0 |] [||] [||]),
                    a,
                    f32 [| 3 |] [| 1.0f; 2.0f; 3.0f |]
                ))
            throwsWith [ "preferred_element_type int32" ] (fun () -> Lax.DotGeneral(a, b, dims [| 1 |] [| 0 |] [||] [||], DType.Int32))
        }
        test "the F# dotGeneral forwards" {
            let a = f64 [| 2; 2 |] [| 1.0; 2.0; 3.0; 4.0 |]
            expectClose 0.0 [| 7.0; 10.0; 15.0; 22.0 |] (lax.dotGeneral (([| 1 |], [| 0 |]), ([||], [||])) a a) "a @ a"
        }
    ]

[<Tests>]
let npTests =
    let a23 = f64 [| 2; 3 |] [| 1.0; 2.0; 3.0; 4.0; 5.0; 6.0 |]
    let v3 = f64 [| 3 |] [| 1.0; -1.0; 2.0 |]
    testList "np products" [
        test "dot follows numpy's rules by rank" {
            expectClose 0.0 [| 6.0 |] (np.dot v3 v3) "vector . vector"
            expectClose 0.0 [| 5.0; 11.0 |] (np.dot a23 v3) "matrix . vector"
            expectClose 0.0 [| -3.0; -3.0; -3.0 |] (np.dot (f64 [| 2 |] [| 1.0; -1.0 |]) a23) "vector . matrix"
            expectClose 0.0 (toFloats a23 |> Array.map ((*) 2.0)) (np.dot a23 (Tensor.op_Implicit 2.0)) "scalar"
            let x = f64 [| 2; 2; 3 |] (Array.init 12 float)
            let y = f64 [| 4; 3; 2 |] (Array.init 24 float)
            let d = np.dot x y
            Expect.sequenceEqual d.Shape [ 2; 2; 4; 2 ] "a.shape[:-1] + b.shape[:-2] + b.shape[-1:]"
            let expected =
                [| for i in 0 .. 1 do
                       for j in 0 .. 1 do
                           for p in 0 .. 3 do
                               for q in 0 .. 1 -> Seq.sum (seq { for k in 0 .. 2 -> float ((i * 2 + j) * 3 + k) * float ((p * 3 + k) * 2 + q) }) |]
            expectClose 0.0 expected d "values"
        }
        test "dot promotes int32 with float32 to float32 and float32 with a weak scalar stays float32" {
            let r = Np.Dot(i32 [| 2 |] [| 1; 2 |], f32 [| 2 |] [| 0.5f; 0.25f |])
            Expect.equal (r.DType, r.Item<float32>()) (DType.Float32, 1.0f) "promoted"
            Expect.equal (Np.Dot(f32 [| 1 |] [| 1.0f |], Tensor.op_Implicit 2.0).DType) DType.Float32 "weak"
        }
        test "dot of bools is a logical or of ands" {
            let a = Tensor.FromArray(array2D [ [ true; false ]; [ false; false ] ])
            let r = Np.Dot(a, Tensor.FromArray([| true; true |]))
            Expect.equal (r.DType, r.ToArray<bool>()) (DType.Bool, [| true; false |]) "bool"
        }
        test "matmul broadcasts batch axes" {
            let x = f64 [| 2; 1; 3; 4 |] (values 5 24)
            let y = f64 [| 5; 4; 2 |] (values 6 40)
            let r = np.matmul x y
            Expect.sequenceEqual r.Shape [ 2; 5; 3; 2 ] "shape"
            let xs, ys = toFloats x, toFloats y
            let expected =
                [| for b0 in 0 .. 1 do
                       for b1 in 0 .. 4 do
                           yield! flatOf (matrixOf 3 4 xs.[b0 * 12 .. b0 * 12 + 11] * matrixOf 4 2 ys.[b1 * 8 .. b1 * 8 + 7]) |]
            expectClose 1e-12 expected r "values"
        }
        test "matmul with vectors drops their axis" {
            Expect.sequenceEqual (np.matmul a23 v3).Shape [ 2 ] "matrix @ vector"
            Expect.sequenceEqual (np.matmul (f64 [| 2 |] [| 1.0; 1.0 |]) a23).Shape [ 3 ] "vector @ matrix"
            Expect.sequenceEqual (np.matmul v3 v3).Shape [] "vector @ vector"
            expectClose 0.0 [| 6.0 |] (np.matmul v3 v3) "value"
        }
        test "matmul with a vector and a batch of matrices is one dot_general, as a loop computes it" {
            let v = f64 [| 4 |] [| 1.0; -2.0; 0.5; 3.0 |]
            let batchOf = f64 [| 2; 3; 4 |] (values 12 24)
            let bs = toFloats batchOf
            let rowTimes (r: int) = Seq.sum (seq { for k in 0 .. 3 -> bs.[r * 4 + k] * (toFloats v).[k] })
            let mv = np.matmul batchOf v
            Expect.sequenceEqual mv.Shape [ 2; 3 ] "batch @ vector shape"
            expectClose 1e-12 [| for r in 0 .. 5 -> rowTimes r |] mv "batch @ vector"
            let columnsOf = f64 [| 2; 4; 3 |] (values 13 24)
            let cs = toFloats columnsOf
            let vm = np.matmul v columnsOf
            Expect.sequenceEqual vm.Shape [ 2; 3 ] "vector @ batch shape"
            expectClose 1e-12 [| for b in 0 .. 1 do for j in 0 .. 2 -> Seq.sum (seq { for k in 0 .. 3 -> (toFloats v).[k] * cs.[(b * 4 + k) * 3 + j] }) |] vm "vector @ batch"
            for x, y in [ a23, v3; f64 [| 2 |] [| 1.0; 1.0 |], a23; v3, v3; batchOf, v; v, columnsOf ] do
                let program = Jax.MakeJaxpr(Func<Tensor[], Tensor[]>(fun t -> [| Np.Matmul(t.[0], t.[1]) |]), x, y)
                Expect.sequenceEqual [ for e in program.Equations -> e.Application.Primitive.Name ] [ "dot_general" ] $"{x.Shape} @ {y.Shape}: no reshape around the product"
        }
        test "matmul names scalars and misaligned shapes" {
            throwsWith [ "matmul"; "scalar"; "Multiply" ] (fun () -> Np.Matmul(a23, Tensor.op_Implicit 2.0))
            throwsWith [ "matmul"; "(2, 3)"; "(2, 3)"; "not aligned"; "size 3"; "size 2" ] (fun () -> Np.Matmul(a23, a23))
            throwsWith [ "matmul"; "do not broadcast" ] (fun () -> Np.Matmul(f64 [| 2; 1; 1 |] [| 1.0; 1.0 |], f64 [| 3; 1; 1 |] [| 1.0; 1.0; 1.0 |]))
        }
        test "dot names misaligned shapes" {
            throwsWith [ "dot"; "(2, 3)"; "not aligned"; "size 3"; "size 2" ] (fun () -> Np.Dot(a23, a23))
        }
        test "vdot, outer and inner flatten or contract last axes" {
            expectClose 0.0 [| 91.0 |] (np.vdot a23 a23) "vdot"
            throwsWith [ "vdot"; "(2, 3)"; "(3,)"; "sizes" ] (fun () -> Np.Vdot(a23, v3))
            let o = np.outer v3 (f64 [| 2 |] [| 1.0; 10.0 |])
            Expect.sequenceEqual o.Shape [ 3; 2 ] "outer shape"
            expectClose 0.0 [| 1.0; 10.0; -1.0; -10.0; 2.0; 20.0 |] o "outer"
            let i = np.inner a23 a23
            expectClose 0.0 [| 14.0; 32.0; 32.0; 77.0 |] i "inner = a a^T"
        }
        test "tensordot contracts counted or paired axes" {
            let x = f64 [| 2; 3; 4 |] (values 7 24)
            let y = f64 [| 3; 4; 5 |] (values 8 60)
            let r = np.tensordot 2 x y
            Expect.sequenceEqual r.Shape [ 2; 5 ] "shape"
            expectClose 1e-12 (flatOf (matrixOf 2 12 (toFloats x) * matrixOf 12 5 (toFloats y))) r "values"
            let p = np.tensordotAxes ([| 0 |], [| -1 |]) a23 (f64 [| 4; 2 |] (values 9 8))
            Expect.sequenceEqual p.Shape [ 3; 4 ] "pairs shape"
            throwsWith [ "tensordot"; "3 axes" ] (fun () -> Np.Tensordot(a23, v3, 3))
            throwsWith [ "tensordot"; "not aligned" ] (fun () -> Np.Tensordot(a23, v3, [| 0 |], [| 0 |]))
        }
        test "jit of a matmul chain equals eager" {
            let f (x: Tensor) (w: Tensor) = Np.Sum(Np.Matmul(Np.Matmul(x, w), w), 0)
            let x, w = f32 [| 5; 33 |] (values 10 165 |> Array.map float32), f32 [| 33; 33 |] (values 11 1089 |> Array.map float32)
            expectClose 0.0 (toFloats (f x w)) (Jax.Jit(Func<Tensor, Tensor, Tensor> f).Invoke(x, w)) "jit = eager"
        }
    ]
