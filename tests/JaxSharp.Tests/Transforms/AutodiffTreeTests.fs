/// Parameter trees through every differentiation form (jvp, vjp, linearize, the Jacobians and
/// the Hessian, in F# and C#), and linearTranspose and evalShape.
module Transforms.AutodiffTreeTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open TestHelpers

let private f64 (values: float[]) = Tensor.FromArray values

/// Parameters with a static field, which trees keep as they are.
type Affine = { Scale: Tensor; Shift: Tensor; Label: string }

[<Tests>]
let tests =
    testList
        "autodiff on trees"
        [ testList
              "jvp, vjp and linearize"
              [ test "jvp of a function of a pair returning a pair gives a pair of tangents" {
                    let a, b = f64 [| 1.0; 2.0 |], f64 [| 3.0; 4.0 |]
                    let (p, s), (dp, ds) = jvp (fun (a: Tensor, b: Tensor) -> a * b, a + b) (a, b) (f64 [| 1.0; 0.0 |], f64 [| 0.0; 1.0 |])
                    expectClose 0.0 [| 3.0; 8.0 |] p "a b"
                    expectClose 0.0 [| 4.0; 6.0 |] s "a + b"
                    expectClose 0.0 [| 3.0; 2.0 |] dp "da b + a db"
                    expectClose 0.0 [| 1.0; 1.0 |] ds "da + db"
                }
                test "jvp with tangents of another structure names both" {
                    throwsWith<ArgumentException> [ "jvp"; "the tangents are [f64[2]]"; "the primals are [f64[2]; f64[2]]" ] (fun () ->
                        jvp (fun (xs: Tensor list) -> xs[0] * xs[1]) [ f64 [| 1.0; 2.0 |]; f64 [| 3.0; 4.0 |] ] [ f64 [| 1.0; 0.0 |] ] |> ignore)
                }
                test "vjp of a function of a record pulls back to a record, keeping static fields" {
                    let p = { Scale = f64 [| 2.0 |]; Shift = f64 [| 1.0 |]; Label = "affine" }
                    let x = f64 [| 3.0; 4.0 |]
                    let y, pullback = vjp (fun (p: Affine) -> p.Scale * x + p.Shift) p
                    expectClose 0.0 [| 7.0; 9.0 |] y "the value"
                    let g = pullback (f64 [| 1.0; 1.0 |])
                    expectClose 0.0 [| 7.0 |] g.Scale "sum of x"
                    expectClose 0.0 [| 2.0 |] g.Shift "two outputs"
                    Expect.equal g.Label "affine" "the static field"
                }
                test "vjp's pullback takes cotangents in the output's structure" {
                    let _, pullback = vjp (fun (x: Tensor) -> [ x * 2.0; x * x ]) (f64 [| 3.0 |])
                    expectClose 0.0 [| 2.0 + 6.0 |] (pullback [ f64 [| 1.0 |]; f64 [| 1.0 |] ]) "2 + 2x"
                    throwsWith<ArgumentException> [ "vjp"; "cotangent"; "[f64[1]; f64[1]]" ] (fun () -> pullback [ f64 [| 1.0 |] ] |> ignore)
                }
                test "linearize of a tuple function maps tuple tangents" {
                    let (y: Tensor), linear = linearize (fun (a: Tensor, b: Tensor) -> np.sin a * b) (f64 [| 0.0 |], f64 [| 2.0 |])
                    expectClose 0.0 [| 0.0 |] y "sin 0 * 2"
                    expectClose 0.0 [| 2.0 |] (linear (f64 [| 1.0 |], f64 [| 0.0 |])) "cos a b da"
                    expectClose 0.0 [| 0.0 |] (linear (f64 [| 0.0 |], f64 [| 1.0 |])) "sin a db"
                }
                test "C#'s tree forms take value tuples" {
                    let f = Func<struct (Tensor * Tensor), Tensor>(fun struct (a, b) -> a * b)
                    let struct (y, dy) = Jax.JvpTree(f, struct (f64 [| 2.0 |], f64 [| 5.0 |]), struct (f64 [| 1.0 |], f64 [| 0.0 |]))
                    expectClose 0.0 [| 10.0 |] y "a b"
                    expectClose 0.0 [| 5.0 |] dy "b da"
                    let struct (_, pullback) = Jax.VjpTree(f, struct (f64 [| 2.0 |], f64 [| 5.0 |]))
                    let struct (ga, gb) = pullback.Invoke(f64 [| 1.0 |])
                    expectClose 0.0 [| 5.0 |] ga "b"
                    expectClose 0.0 [| 2.0 |] gb "a"
                    let struct (_, linear) = Jax.LinearizeTree(f, struct (f64 [| 2.0 |], f64 [| 5.0 |]))
                    expectClose 0.0 [| 7.0 |] (linear.Invoke(struct (f64 [| 1.0 |], f64 [| 1.0 |]))) "b + a"
                } ]

          testList
              "Jacobians and Hessians"
              [ test "the Jacobian of a function of a pair is a pair of blocks, by either mode" {
                    let f (w: Tensor, b: Tensor) = w * b
                    let w, b = f64 [| 1.0; 2.0 |], f64 [| 3.0; 4.0 |]
                    let (jw: Tensor), (jb: Tensor) = jacfwdTree f (w, b)
                    expectClose 0.0 (diagonal [| 3.0; 4.0 |]) jw "d/dw: diag b"
                    expectClose 0.0 (diagonal [| 1.0; 2.0 |]) jb "d/db: diag w"
                    let (rw: Tensor), (rb: Tensor) = jacrevTree f (w, b)
                    expectClose 0.0 (toFloats jw) rw "jacrev agrees on w"
                    expectClose 0.0 (toFloats jb) rb "jacrev agrees on b"
                }
                test "the Jacobian of a function returning a pair is a pair" {
                    let x = f64 [| 0.5; 1.5 |]
                    let (js: Tensor), (jq: Tensor) = jacfwdTree (fun (x: Tensor) -> np.sin x, np.sum (x * x)) x
                    expectClose 1e-15 (diagonal [| cos 0.5; cos 1.5 |]) js "diag cos x"
                    Expect.equal (jq.Shape.ToArray()) [| 2 |] "a scalar output's row has the input's shape"
                    expectClose 0.0 [| 1.0; 3.0 |] jq "2 x"
                    let (rs: Tensor), (rq: Tensor) = jacrevTree (fun (x: Tensor) -> np.sin x, np.sum (x * x)) x
                    expectClose 1e-15 (toFloats js) rs "jacrev agrees"
                    expectClose 0.0 (toFloats jq) rq "jacrev agrees"
                }
                test "the Jacobian between pairs nests the input's pair in the output's, as JAX" {
                    let f (a: Tensor, b: Tensor) = a * b, a + b
                    let ((pa: Tensor), (pb: Tensor)), ((sa: Tensor), (sb: Tensor)) = jacrevTree f (f64 [| 2.0 |], f64 [| 5.0 |])
                    expectClose 0.0 [| 5.0; 2.0; 1.0; 1.0 |] (np.concatenate 0 [ np.ravel pa; np.ravel pb; np.ravel sa; np.ravel sb ]) "[[b, a], [1, 1]]"
                }
                test "the Hessian of a function of a pair is a pair of pairs" {
                    let f (w: Tensor, b: Tensor) = np.sum (w * w * b)
                    let w, b = f64 [| 1.0; 2.0 |], np.scalar 3.0
                    let ((hww: Tensor), (hwb: Tensor)), ((hbw: Tensor), (hbb: Tensor)) = hessianTree f (w, b)
                    expectClose 0.0 (diagonal [| 6.0; 6.0 |]) hww "2 b I"
                    expectClose 0.0 [| 2.0; 4.0 |] hwb "2 w"
                    expectClose 0.0 [| 2.0; 4.0 |] hbw "2 w"
                    Expect.equal (hbb.Shape.ToArray()) [||] "a scalar by a scalar"
                    expectClose 0.0 [| 0.0 |] hbb "0"
                }
                test "asking for the wrong Jacobian type names the right one" {
                    throwsWith<ArgumentException> [ "jacfwd"; "Tuple<Tensor, Tensor>"; "Tensor" ] (fun () ->
                        let (_: Tensor) = jacfwdTree (fun (w: Tensor, b: Tensor) -> w * b) (f64 [| 1.0 |], f64 [| 2.0 |])
                        ())
                }
                test "a record cannot hold the blocks of a Jacobian with respect to a pair, and the error says so" {
                    throwsWith<ArgumentException> [ "Affine"; "holds tensors"; "tuple" ] (fun () ->
                        jacfwdTree (fun (a: Tensor, b: Tensor) -> { Scale = a * b; Shift = a; Label = "x" }) (f64 [| 1.0 |], f64 [| 2.0 |]) |> ignore)
                }
                test "C# names the Jacobian's type" {
                    let f = Func<struct (Tensor * Tensor), Tensor>(fun struct (w, b) -> np.sum (w * b))
                    let struct (gw, gb) = Jax.JacrevTree<struct (Tensor * Tensor), Tensor, struct (Tensor * Tensor)>(f).Invoke(struct (f64 [| 1.0; 2.0 |], f64 [| 3.0; 4.0 |]))
                    expectClose 0.0 [| 3.0; 4.0 |] gw "b"
                    expectClose 0.0 [| 1.0; 2.0 |] gb "w"
                } ]

          testList
              "linearTranspose"
              [ test "the transpose of a scaling scales" {
                    let t = linearTranspose (fun (x: Tensor) -> 2.0 * x) (f64 [| 0.0; 0.0 |])
                    expectClose 0.0 [| 6.0; -2.0 |] (t (f64 [| 3.0; -1.0 |])) "2 ct"
                }
                test "the transpose of a product with a constant matrix is the product with its transpose" {
                    let m = Tensor.FromArray(array2D [ [ 1.0; 2.0; 3.0 ]; [ 4.0; 5.0; 6.0 ] ])
                    let t = linearTranspose (fun (x: Tensor) -> np.dot m x) (shapeDtypeStruct [| 3 |] DType.Float64)
                    expectClose 0.0 [| 1.0 + 8.0; 2.0 + 10.0; 3.0 + 12.0 |] (t (f64 [| 1.0; 2.0 |])) "m^T ct"
                }
                test "the transpose of a function of a pair returns a pair" {
                    let t = linearTranspose (fun (a: Tensor, b: Tensor) -> a - 3.0 * b) (f64 [| 0.0 |], f64 [| 0.0 |])
                    let ca, cb = t (f64 [| 2.0 |])
                    expectClose 0.0 [| 2.0 |] ca "ct"
                    expectClose 0.0 [| -6.0 |] cb "-3 ct"
                }
                test "a nonlinear function is an error naming the primitive" {
                    throwsWith<ArgumentException> [ "linear_transpose"; "not linear"; "mul" ] (fun () ->
                        linearTranspose (fun (x: Tensor) -> x * x) (f64 [| 1.0 |]) (f64 [| 1.0 |]) |> ignore)
                    throwsWith<ArgumentException> [ "linear_transpose"; "not linear"; "sin" ] (fun () ->
                        linearTranspose (fun (x: Tensor) -> np.sin x) (f64 [| 1.0 |]) (f64 [| 1.0 |]) |> ignore)
                }
                test "an integer input is an error that says to convert it" {
                    throwsWith<ArgumentException> [ "linear_transpose"; "int32(2,)"; "Np.AsType(x, DType.Float32)" ] (fun () ->
                        linearTranspose (fun (x: Tensor) -> x) (Tensor.FromArray [| 1; 2 |]) |> ignore)
                }
                test "an output that does not depend on the inputs is an error" {
                    throwsWith<ArgumentException> [ "linear_transpose"; "output 0"; "does not depend on the inputs" ] (fun () ->
                        linearTranspose (fun (x: Tensor) -> np.ones [| 2 |]) (f64 [| 1.0 |]) |> ignore)
                }
                test "the transpose of the linear map of vjp's tangents is vjp" {
                    let f (x: Tensor) = np.sin x * x
                    let x = f64 [| 0.5; -1.0 |]
                    let _, linear = linearize f x
                    let _, pullback = vjp f x
                    let ct = f64 [| 1.5; 2.0 |]
                    expectClose 1e-15 (toFloats (pullback ct)) (linearTranspose linear x ct) "the same cotangent"
                } ]

          testList
              "evalShape"
              [ test "evalShape gives the output's shape and dtype from shapes alone" {
                    let w = np.ones [| 20; 10 |]
                    let y = evalShape (fun (x: Tensor) -> np.tanh (np.dot x w)) (shapeDtypeStruct [| 1000; 20 |] DType.Float32)
                    Expect.equal (y.Shape.ToArray()) [| 1000; 10 |] "the shape"
                    Expect.equal y.DType DType.Float32 "the dtype"
                    Expect.isTrue y.IsShapeOnly "no values"
                    Expect.equal (string y) "ShapeDtypeStruct(shape=(1000, 10), dtype=float32)" "prints as JAX's"
                }
                test "evalShape of a tree returns a tree" {
                    let s, t = evalShape (fun (a: Tensor, b: Tensor) -> a + b, np.sum a) (shapeDtypeStruct [| 3 |] DType.Float64, np.scalar 1.0)
                    Expect.equal (s.Shape.ToArray()) [| 3 |] "broadcast"
                    Expect.equal (t.Shape.ToArray()) [||] "a sum"
                }
                test "reading the values of a shape-only tensor says what it is" {
                    let s = shapeDtypeStruct [| 2 |] DType.Float32
                    throwsWith<InvalidOperationException> [ "shape-only"; "f32[2]"; "evalShape" ] (fun () -> s.ToArray<float32>() |> ignore)
                    throwsWith<InvalidOperationException> [ "shape-only"; "sin" ] (fun () -> np.sin s |> ignore)
                    throwsWith<InvalidOperationException> [ "shape-only"; "constant" ] (fun () -> jit (fun (x: Tensor) -> x + s) (np.ones [| 2 |]) |> ignore)
                } ] ]
