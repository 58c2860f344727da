/// Special values, dtype rules, keepdims and error messages of the reductions, lax and np.
module ReductionTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators

let f64 (shape: int[]) (values: float[]) = Tensor.FromArray(values, Shape(shape))
let f32 (shape: int[]) (values: float32[]) = Tensor.FromArray(values, Shape(shape))
let i32 (shape: int[]) (values: int[]) = Tensor.FromArray(values, Shape(shape))

/// Expects an ArgumentException whose message contains every fragment.
let throwsWith (fragments: string list) (f: unit -> Tensor) =
    let e = Expect.throwsC (f >> ignore) id
    Expect.isTrue (e :? ArgumentException) $"expected an ArgumentException, got {e.GetType().Name}: {e.Message}"
    for s in fragments do Expect.stringContains e.Message s "the message names the problem"

let m23 = f64 [| 2; 3 |] [| 1.0; 5.0; 3.0; 4.0; 2.0; 6.0 |]

[<Tests>]
let laxTests =
    testList "lax reductions" [
        test "reduce_max of nothing is -inf, of no int32 is the least int32" {
            expectClose 0.0 [| -infinity; -infinity |] (Lax.ReduceMax(f64 [| 2; 0 |] [||], 1)) "float"
            Expect.equal (Lax.ReduceMax(i32 [| 0 |] [||], 0).Item<int>()) Int32.MinValue "int"
            Expect.equal (Lax.ReduceMin(i32 [| 0 |] [||], 0).Item<int>()) Int32.MaxValue "int min"
        }
        test "reduce_sum of nothing is 0 and of no axes is the array" {
            expectClose 0.0 [| 0.0; 0.0 |] (Lax.ReduceSum(f64 [| 0; 2 |] [||], 0)) "size-0 axis"
            expectClose 0.0 [| 1.0; 5.0; 3.0; 4.0; 2.0; 6.0 |] (Lax.ReduceSum(m23)) "no axes"
        }
        test "reduce_max and reduce_min propagate NaN" {
            let x = f32 [| 3 |] [| 1.0f; nanf; 3.0f |]
            Expect.isTrue (Single.IsNaN(Lax.ReduceMax(x, 0).Item<float32>())) "max"
            Expect.isTrue (Single.IsNaN(Lax.ReduceMin(x, 0).Item<float32>())) "min"
        }
        test "argmax takes the first of ties and the first NaN" {
            Expect.equal (Lax.Argmax(f64 [| 4 |] [| 1.0; 3.0; 3.0; 0.0 |], 0).Item<int>()) 1 "ties"
            Expect.equal (Lax.Argmax(f64 [| 4 |] [| 1.0; nan; 9.0; nan |], 0).Item<int>()) 1 "NaN"
            Expect.equal (Lax.Argmin(f64 [| 4 |] [| 1.0; -2.0; nan; -2.0 |], 0).Item<int>()) 2 "NaN in argmin"
            Expect.equal (Lax.Argmax(m23, 1, DType.UInt32).ToArray<uint32>()) [| 1u; 2u |] "uint32 indices"
        }
        test "cumsum reversed runs from the end" {
            expectClose 0.0 [| 6.0; 5.0; 3.0 |] (Lax.Cumsum(f64 [| 3 |] [| 1.0; 2.0; 3.0 |], 0, true)) "reverse"
            expectClose 0.0 [| 1.0; 5.0; 3.0; 5.0; 7.0; 9.0 |] (Lax.Cumsum(m23, -2)) "axis -2"
        }
        test "reduce_sum names an out-of-range axis" {
            throwsWith [ "reduce_sum"; "axis 2"; "rank 2" ] (fun () -> Lax.ReduceSum(m23, 2))
        }
        test "reduce_sum names a repeated axis" {
            throwsWith [ "reduce_sum"; "(1, 1)"; "repeat" ] (fun () -> Lax.ReduceSum(m23, 1, -1))
        }
        test "reduce_max rejects bool and reduce_and rejects floats" {
            throwsWith [ "reduce_max"; "bool"; "AsType" ] (fun () -> Lax.ReduceMax(Tensor.FromArray([| true |]), 0))
            throwsWith [ "reduce_and"; "bool array"; "float64" ] (fun () -> Lax.ReduceAnd(m23, 0))
        }
        test "argmax names an empty axis and a wrong index dtype" {
            throwsWith [ "argmax"; "axis 1"; "(2, 0)"; "empty" ] (fun () -> Lax.Argmax(f64 [| 2; 0 |] [||], 1))
            throwsWith [ "argmin"; "index_dtype"; "float32" ] (fun () -> Lax.Argmin(m23, 0, DType.Float32))
        }
        test "argmax reduces exactly one axis" {
            let p = JaxSharp.Primitives.Reductions.ArgReduceParams(Ints [| 0; 1 |])
            throwsWith [ "argmax"; "exactly one axis"; "(0, 1)" ] (fun () -> JaxSharp.Primitives.Reductions.Argmax.Instance.Bind(p, m23))
        }
        test "cumsum names a bad axis and a bool array" {
            throwsWith [ "cumsum"; "axis 2"; "rank 2" ] (fun () -> Lax.Cumsum(m23, 2))
            throwsWith [ "cumprod"; "bool"; "AsType" ] (fun () -> Lax.Cumprod(Tensor.FromArray([| true |]), 0))
        }
        test "the F# lax functions forward" {
            expectClose 0.0 [| 5.0; 6.0 |] (m23 |> lax.reduceMax [| 1 |]) "reduceMax"
            expectClose 0.0 [| 1.0; 2.0 |] (m23 |> lax.argmax 1 DType.Int32) "argmax"
            expectClose 0.0 [| 1.0; 5.0; 15.0; 4.0; 8.0; 48.0 |] (m23 |> lax.cumprod 1 false) "cumprod"
        }
    ]

[<Tests>]
let npTests =
    testList "np reductions" [
        test "np.sum of a float64 matrix gives Tensor(10., float64)" {
            let s = np.sum (Tensor.FromArray(array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ]))
            Expect.equal (string s) "Tensor(10., float64)" "printed"
        }
        test "sum keeps int32, counts bool as int32 and keeps uint32" {
            let s = Np.Sum(i32 [| 3 |] [| 1; 2; 3 |])
            Expect.equal (s.DType, s.Item<int>()) (DType.Int32, 6) "int32"
            let b = Np.Sum(Tensor.FromArray([| true; false; true |]))
            Expect.equal (b.DType, b.Item<int>()) (DType.Int32, 2) "bool"
            Expect.equal (Np.Sum(Tensor.FromArray([| 1u; 2u |])).DType) DType.UInt32 "uint32"
        }
        test "sum with negative axes and keepdims" {
            let x = f64 [| 2; 3; 2 |] (Array.init 12 float)
            let s = Np.Sum(x, [| -1; 0 |], true)
            Expect.sequenceEqual s.Shape [ 1; 3; 1 ] "keepdims shape"
            expectClose 0.0 [| 14.0; 22.0; 30.0 |] s "values"
            Expect.sequenceEqual (np.sumAxes [| 1 |] false x).Shape [ 2; 2 ] "F# sumAxes"
            expectClose 0.0 [| 15.0; 51.0 |] (np.sumAxis -1 (np.sumAxis 2 x)) "F# sumAxis"
        }
        test "max, min and prod along axes" {
            expectClose 0.0 [| 4.0; 5.0; 6.0 |] (np.maxAxis 0 m23) "max"
            expectClose 0.0 [| 1.0; 2.0 |] (np.minAxis 1 m23) "min"
            expectClose 0.0 [| 15.0; 48.0 |] (np.prodAxis 1 m23) "prod"
            Expect.equal (Np.Amax(m23).Item<float>()) 6.0 "amax"
            Expect.equal (Np.Prod(Tensor.FromArray([| true; true |])).DType) DType.Int32 "bool prod"
        }
        test "max of bool is any and min of bool is all" {
            let b = Tensor.FromArray([| true; false |])
            Expect.equal (Np.Max(b).Item<bool>(), Np.Min(b).Item<bool>()) (true, false) "or, and"
        }
        test "max over an empty axis is an error, as in numpy" {
            throwsWith [ "max"; "axis 0"; "(0, 3)"; "empty" ] (fun () -> Np.Max(f64 [| 0; 3 |] [||], 0))
            throwsWith [ "min"; "empty" ] (fun () -> Np.Min(f64 [| 0 |] [||]))
        }
        test "all and any treat nonzero as true, NaN included" {
            let x = f64 [| 2; 2 |] [| 1.0; 0.0; nan; 2.0 |]
            expectClose 0.0 [| 0.0; 1.0 |] (np.allAxis 1 x) "all"
            expectClose 0.0 [| 1.0; 1.0 |] (np.anyAxis 1 x) "any"
            Expect.isTrue (Np.All(f64 [| 0 |] [||]).Item<bool>()) "all of nothing"
            Expect.isFalse (Np.Any(f64 [| 0 |] [||]).Item<bool>()) "any of nothing"
        }
        test "argmax flattens without an axis and keeps dims on request" {
            Expect.equal (np.argmax m23 |> fun t -> t.Item<int>()) 5 "flat"
            Expect.equal (Np.Argmin(m23).Item<int>()) 0 "flat argmin"
            let k = Np.Argmax(m23, -1, true)
            Expect.sequenceEqual k.Shape [ 2; 1 ] "keepdims"
            expectClose 0.0 [| 1.0; 2.0 |] k "values"
            expectClose 0.0 [| 0.0; 1.0 |] (Np.Argmax(Tensor.FromArray(array2D [ [ true; false ]; [ false; true ] ]), 1)) "bool"
        }
        test "argmax of an empty array is an error" {
            throwsWith [ "argmax"; "(0,)"; "empty" ] (fun () -> Np.Argmax(f64 [| 0 |] [||]))
        }
        test "cumsum flattens without an axis; bool counts as int32" {
            expectClose 0.0 [| 1.0; 6.0; 9.0; 13.0; 15.0; 21.0 |] (Np.Cumsum(m23)) "flat"
            expectClose 0.0 [| 1.0; 5.0; 3.0; 5.0; 7.0; 9.0 |] (np.cumsum 0 m23) "axis 0"
            let c = Np.Cumsum(Tensor.FromArray([| true; true; false |]))
            Expect.equal c.DType DType.Int32 "int32"
            expectClose 0.0 [| 1.0; 2.0; 2.0 |] c "counts"
            expectClose 0.0 [| 1.0; 5.0; 15.0; 4.0; 8.0; 48.0 |] (np.cumprod -1 m23) "cumprod"
        }
        test "np reductions name bad and repeated axes" {
            throwsWith [ "sum"; "axis 2"; "rank 2" ] (fun () -> Np.Sum(m23, 2))
            throwsWith [ "sum"; "(1, -1)"; "twice" ] (fun () -> Np.Sum(m23, [| 1; -1 |]))
            throwsWith [ "cumsum"; "axis -3" ] (fun () -> Np.Cumsum(m23, -3))
        }
        test "jit of a reduction pipeline equals eager" {
            let f (x: Tensor) = Np.Sum(Np.Cumsum(x, 1), [| 0 |], true) * Np.Max(x, 0)
            let x = f32 [| 3; 4 |] (Array.init 12 (fun i -> float32 (i % 5) - 2.0f))
            expectClose 0.0 (toFloats (f x)) (Jax.Jit(Func<Tensor, Tensor> f).Invoke x) "jit = eager"
        }
    ]
