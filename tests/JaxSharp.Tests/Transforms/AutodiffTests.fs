module Transforms.AutodiffTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open TestHelpers
open Transforms.Checks

let private f32 (values: float32[]) = Tensor.FromArray values
let private f64 (values: float[]) = Tensor.FromArray values
let private sumLogistic (x: Tensor) = np.sum (1.0 / (1.0 + np.exp (-x)))

let private countPrimitive name (jaxpr: IR.Jaxpr) =
    jaxpr.Equations |> Seq.filter (fun e -> e.Application.Primitive.Name = name) |> Seq.length

/// A class with a tensor property but no constructor that rebuilds it from its properties.
type Holder(value: Tensor) =
    member _.Value = value
    member val Scale = 1.0 with get, set

/// A layer's parameters: grad of a function of a record returns a record.
type Layer = { W: Tensor; B: Tensor; Name: string }

let private repeatedSquare n (x: Tensor) =
    let mutable y = x
    for _ in 1..n do
        y <- y * y
    np.sum y

[<Tests>]
let tests =
    testList
        "autodiff"
        [ testList
              "JAX's documented results"
              [ test "grad of sum of logistic at arange 3" {
                    expectClose 1e-6 [| 0.25; 0.19661194; 0.10499357 |] (grad sumLogistic (f32 [| 0.0f; 1.0f; 2.0f |])) "gradient"
                }
                test "the third derivative through jit and grad nested" {
                    let third = grad (jit (grad (jit (grad sumLogistic))))
                    let value = third (Tensor.Scalar 1.0f)
                    Expect.equal value.DType DType.Float32 "float32 stays float32"
                    expectClose 1e-5 [| -0.0353256 |] value "third derivative"
                }
                test "hessian of sum of squared relu splits ties at 0 as JAX" {
                    let h = hessian (fun x -> np.sum (np.maximum x 0.0 ** 2.0)) (f64 [| -1.0; -0.5; 0.0; 0.5; 1.0 |])
                    let expected = Array2D.init 5 5 (fun i j -> if i <> j then 0.0 else [| 0.0; 0.0; 0.5; 2.0; 2.0 |][i])
                    Expect.equal (h.ToArray2D<float>()) expected "diag [0; 0; 0.5; 2; 2]"
                }
                test "grad of a cubic" {
                    let g = grad (fun x -> x ** 3.0 + 2.0 * x ** 2.0 - 3.0 * x + 1.0) (Tensor.Scalar 1.0f)
                    Expect.equal (g.Item<float32>()) 4.0f "3 + 4 - 3"
                }
                test "grad of relu at 0 is 0, as JAX's custom rule" {
                    Expect.equal ((grad (fun x -> nn.relu x) (Tensor.Scalar 0.0f)).Item<float32>()) 0.0f "relu'(0)"
                    Expect.equal ((grad (fun x -> nn.relu x) (Tensor.Scalar 2.0f)).Item<float32>()) 1.0f "relu'(2)"
                }
                test "grad of abs at 0 is 1" {
                    Expect.equal ((grad np.abs (Tensor.Scalar 0.0)).Item<float>()) 1.0 "abs'(0)"
                }
                test "where passes NaN from the branch not taken, as the JAX FAQ shows" {
                    let myLog x = np.where (x .> 0.0) (np.log x) 0.0
                    Expect.isTrue (Double.IsNaN((grad myLog (Tensor.Scalar 0.0)).Item<float>())) "0 * inf = nan"
                }
                test "the where trick keeps gradients finite" {
                    let safeLog x =
                        let safe = np.where (x .> 0.0) x 1.0
                        np.where (x .> 0.0) (np.log safe) 0.0
                    Expect.equal ((grad safeLog (Tensor.Scalar 0.0)).Item<float>()) 0.0 "no nan"
                }
                test "logsumexp and softplus have finite gradients at large inputs" {
                    let g = grad (fun x -> np.logsumexp x) (f64 [| 1000.0; 0.0; -1000.0 |])
                    expectClose 1e-12 [| 1.0; 0.0; 0.0 |] g "softmax weights"
                    let s = grad (fun x -> np.sum (nn.softplus x)) (f64 [| 1000.0; -1000.0 |])
                    expectClose 1e-12 [| 1.0; 0.0 |] s "logistic"
                } ]

          testList
              "forms"
              [ test "jvp gives the directional derivative" {
                    let y, dy = jvp np.sin (f64 [| 0.0; 1.0 |]) (f64 [| 1.0; 2.0 |])
                    expectClose 1e-15 [| 0.0; sin 1.0 |] y "sin"
                    expectClose 1e-15 [| 1.0; 2.0 * cos 1.0 |] dy "cos times the tangent"
                }
                test "vjp pulls a cotangent back" {
                    let y, pullback = vjp (fun x -> x * x) (f64 [| 3.0 |])
                    expectClose 0.0 [| 9.0 |] y "value"
                    expectClose 0.0 [| 12.0 |] (pullback (f64 [| 2.0 |])) "2 * 2x"
                }
                test "linearize evaluates the linear part only" {
                    let y, linear = linearize np.exp (f64 [| 0.0; 1.0 |])
                    expectClose 1e-15 [| 1.0; Math.E |] y "value"
                    expectClose 1e-15 [| 2.0; 2.0 * Math.E |] (linear (f64 [| 2.0; 2.0 |])) "e^x t"
                }
                test "grad of a tuple returns a tuple" {
                    let gw, gb = grad (fun (w: Tensor, b: Tensor) -> np.sum (w * b + np.sin w)) (f64 [| 0.0; 1.0 |], f64 [| 2.0; 3.0 |])
                    expectClose 1e-15 [| 3.0; 3.0 + cos 1.0 |] gw "b + cos w"
                    expectClose 1e-15 [| 0.0; 1.0 |] gb "w"
                }
                test "grad of a record returns a record, keeping its static fields" {
                    let layer = { W = f64 [| 1.0; 2.0 |]; B = f64 [| 0.5 |]; Name = "dense" }
                    let g = grad (fun (p: Layer) -> np.sum (p.W * p.W) + np.sum (p.B * 3.0)) layer
                    expectClose 0.0 [| 2.0; 4.0 |] g.W "2 w"
                    expectClose 0.0 [| 3.0 |] g.B "3"
                    Expect.equal g.Name "dense" "static fields are kept"
                }
                test "grad of a list and of an array of tensors" {
                    let gl = grad (fun (ps: Tensor list) -> np.sum (ps[0] * ps[1])) [ f64 [| 2.0 |]; f64 [| 5.0 |] ]
                    expectClose 0.0 [| 5.0 |] gl[0] "the other factor"
                    let ga = grad (fun (ps: Tensor[]) -> np.sum (ps[0] * ps[1])) [| f64 [| 2.0 |]; f64 [| 5.0 |] |]
                    expectClose 0.0 [| 2.0 |] ga[1] "the other factor"
                }
                test "a class holding tensors that cannot be rebuilt is an error, not a silent constant" {
                    throwsWith<ArgumentException> [ "parameter tree"; "cannot be rebuilt" ] (fun () ->
                        grad (fun (h: Holder) -> np.sum h.Value) (Holder(f64 [| 1.0 |])) |> ignore)
                }
                test "valueAndGrad returns both" {
                    let v, g = valueAndGrad (fun x -> np.sum (x * x)) (f64 [| 1.0; 2.0 |])
                    expectClose 0.0 [| 5.0 |] v "value"
                    expectClose 0.0 [| 2.0; 4.0 |] g "2x"
                }
                test "gradWithAux returns the auxiliary output as computed" {
                    let g, aux = gradWithAux (fun x -> np.sum (x * x), x * 10.0) (f64 [| 1.0; 2.0 |])
                    expectClose 0.0 [| 2.0; 4.0 |] g "2x"
                    expectClose 0.0 [| 10.0; 20.0 |] aux "aux"
                }
                test "C# argnums selects the arguments" {
                    let f = Func<Tensor[], Tensor>(fun a -> np.sum (a[0] * a[1] * a[1]))
                    let grads = Jax.Grad(f, 1).Invoke [| f64 [| 2.0 |]; f64 [| 3.0 |] |]
                    Expect.equal grads.Length 1 "one gradient"
                    expectClose 0.0 [| 12.0 |] grads[0] "2 x y"
                }
                test "jacfwd equals jacrev" {
                    let f (x: Tensor) = np.sin x * np.sum (x * x)
                    let x = f64 [| 0.3; -1.2; 2.0 |]
                    expectClose 1e-14 (toFloats (jacrev f x)) (jacfwd f x) "the same Jacobian"
                }
                test "grad of jit equals jit of grad" {
                    let x = f64 [| 0.3; -1.2; 2.0 |]
                    expectClose 1e-15 (toFloats (jit (grad sumLogistic) x)) (grad (jit sumLogistic) x) "same gradient"
                } ]

          testList
              "rewrites"
              [ test "grad of x <- x * x repeated n times has O(n) equations" {
                    let count n = (makeJaxpr (grad (repeatedSquare n)) (f64 [| 1.0 |])).Equations.Count
                    let c1000, c10000 = count 1000, count 10000
                    Expect.isLessThanOrEqual c1000 4010 "about four equations per step"
                    Expect.isLessThanOrEqual c10000 (10 * c1000 + 10) "linear in n"
                    expectClose 0.0 [| 0.0 |] (grad (repeatedSquare 10000) (f64 [| 0.0 |])) "runs"
                }
                test "an unused input costs nothing and gets a zero gradient" {
                    let f = Func<Tensor[], Tensor>(fun a -> np.sum (np.sin a[0]))
                    let both = Jax.MakeJaxpr((fun (a: Tensor[]) -> Jax.Grad(f, 0, 1).Invoke a), f64 [| 1.0 |], f64 [| 2.0 |])
                    let one = Jax.MakeJaxpr((fun (a: Tensor[]) -> Jax.Grad(f, 0).Invoke a), f64 [| 1.0 |], f64 [| 2.0 |])
                    Expect.equal both.Equations.Count (one.Equations.Count + 1) "only the zeros of the second gradient"
                    let grads = Jax.Grad(f, 0, 1).Invoke [| f64 [| 1.0 |]; f64 [| 2.0 |] |]
                    expectClose 0.0 [| 0.0 |] grads[1] "zero"
                }
                test "the program of a gradient prints" {
                    let text = (makeJaxpr (grad (fun x -> np.sum (np.sin x))) (f64 [| 1.0; 2.0 |])).ToString()
                    Expect.stringContains text "cos a" "the derivative of sin"
                } ]

          testList
              "custom rules"
              [ test "custom_jvp makes log1pexp stable, as in JAX's docs" {
                    let naive (x: Tensor) = np.log (1.0 + np.exp x)
                    let stable = customJvp naive (fun x t -> naive x, t * (1.0 - 1.0 / (1.0 + np.exp x)))
                    Expect.isTrue (Single.IsNaN((grad naive (Tensor.Scalar 100.0f)).Item<float32>())) "naive gives nan in float32 (inf / inf)"
                    Expect.equal ((grad stable (Tensor.Scalar 100.0f)).Item<float32>()) 1.0f "custom rule gives 1"
                    Expect.equal ((stable (Tensor.Scalar 0.0)).Item<float>()) (log 2.0) "the value is the function's"
                }
                test "custom_vjp uses the user's backward pass" {
                    let clipGradient = customVjp id (fun x -> x, [||]) (fun _ g -> np.clip -0.5 0.5 g)
                    let g = grad (fun x -> np.sum (clipGradient x * 3.0)) (f64 [| 1.0; 2.0 |])
                    expectClose 0.0 [| 0.5; 0.5 |] g "3 clipped to 0.5"
                }
                test "custom_vjp refuses forward mode, as JAX" {
                    let f = customVjp np.sin (fun x -> np.sin x, [| x |]) (fun r g -> g * np.cos r[0])
                    throwsWith<NotSupportedException> [ "custom_vjp"; "forward-mode" ] (fun () -> jvp f (f64 [| 1.0 |]) (f64 [| 1.0 |]) |> ignore)
                    expectClose 1e-15 [| cos 1.0 |] (grad (fun x -> np.sum (f x)) (f64 [| 1.0 |])) "reverse mode works"
                }
                test "custom rules survive vmap: grad of a sum over vmap uses them, as JAX" {
                    let naive (x: Tensor) = np.log (1.0 + np.exp x)
                    let stable = customJvp naive (fun x t -> naive x, t * (1.0 - 1.0 / (1.0 + np.exp x)))
                    let xs = np.array [| 100.0f; 0.0f |]
                    expectClose 1e-7 [| 1.0; 0.5 |] (grad (fun xs -> np.sum (vmap stable xs)) xs) "the custom rule, batched"
                    expectClose 1e-7 [| 1.0; 0.5 |] (vmap (grad stable) xs) "vmap of grad"
                    let clip = customVjp id (fun x -> x, [||]) (fun _ g -> np.clip -0.5 0.5 g)
                    let w = f64 [| 2.0 |]
                    let g = grad (fun w -> np.sum (vmap (fun x -> clip (x * w) * 3.0) (f64 [| 1.0; 2.0; 4.0 |]))) w
                    expectClose 1e-12 [| 0.5 * (1.0 + 2.0 + 4.0) |] g "clipped per example, then summed over the batch"
                }
                test "checkpoint gives the same gradient and recomputes in the backward pass" {
                    let inner (x: Tensor) = np.sin (np.sin x)
                    let x = f64 [| 0.5; 1.5 |]
                    let plain = grad (fun x -> np.sum (inner x)) x
                    let remat = grad (fun x -> np.sum (checkpoint inner x)) x
                    expectClose 1e-15 (toFloats plain) remat "same gradient"
                    let program = makeJaxpr (grad (fun x -> np.sum (checkpoint inner x))) x
                    Expect.isGreaterThanOrEqual (countPrimitive "sin" program) 1 "sin is recomputed in the backward pass"
                }
                test "stopGradient makes a constant" {
                    expectClose 0.0 [| 3.0 |] (grad (fun x -> np.sum (x * stopGradient x)) (f64 [| 3.0 |])) "d/dx x * c = c"
                } ]

          testList
              "errors"
              [ test "grad of a non-scalar output says to use vjp or jacrev" {
                    throwsWith<ArgumentException> [ "grad requires a scalar output, got shape (3,)"; "vjp or jacrev" ] (fun () ->
                        grad np.sin (f64 [| 1.0; 2.0; 3.0 |]) |> ignore)
                }
                test "grad with respect to an integer input is an error" {
                    throwsWith<ArgumentException> [ "int32"; "float"; "AsType" ] (fun () ->
                        grad (fun x -> np.sum x) (Tensor.FromArray [| 1; 2 |]) |> ignore)
                }
                test "jvp with a tangent of the wrong shape names both" {
                    throwsWith<ArgumentException> [ "jvp"; "f64[2]"; "f64[3]" ] (fun () -> jvp np.sin (f64 [| 1.0; 2.0; 3.0 |]) (f64 [| 1.0; 2.0 |]) |> ignore)
                } ]

          testList
              "elementwise rules"
              [ for name, f, domain in
                    [ "sin", np.sin, Anywhere; "cos", np.cos, Anywhere; "tan", np.tan, Interval(-1.2, 1.2)
                      "exp", np.exp, Anywhere; "log", np.log, Interval(0.2, 5.0); "log1p", np.log1p, Interval(-0.5, 3.0)
                      "expm1", np.expm1, Anywhere; "sqrt", np.sqrt, Interval(0.2, 5.0); "cbrt", np.cbrt, Interval(0.2, 5.0)
                      "rsqrt", (fun x -> lax.rsqrt x), Interval(0.2, 5.0); "tanh", np.tanh, Anywhere
                      "logistic", (fun x -> lax.logistic x), Anywhere; "asin", np.arcsin, Interval(-0.8, 0.8)
                      "acos", np.arccos, Interval(-0.8, 0.8); "atan", np.arctan, Anywhere; "sinh", np.sinh, Anywhere
                      "cosh", np.cosh, Anywhere; "asinh", np.arcsinh, Anywhere; "acosh", np.arccosh, Interval(1.2, 5.0)
                      "atanh", np.arctanh, Interval(-0.8, 0.8); "erf", (fun x -> lax.erf x), Anywhere
                      "erf_inv", (fun x -> lax.erfinv x), Interval(-0.8, 0.8); "abs", np.abs, NonZero; "neg", np.negative, Anywhere ] do
                    test $"{name}: check_grads to second order and vmap" {
                        let rng = Random(name.GetHashCode())
                        let values = Array.init 6 (fun _ -> FsCheck.FSharp.Gen.sample 1 (valueGen domain) |> Seq.head)
                        let x = tensorOf DType.Float64 [| 2; 3 |] values
                        checkGrads 1e-6 (fun a -> f a[0]) [| x |]
                        checkVmap (fun a -> f a[0]) [| Some 1 |] [| x |]
                        ignore rng
                    }
                for name, f, domain in
                    [ "add", (fun (a: Tensor) b -> a + b), Anywhere; "sub", (fun a b -> a - b), Anywhere
                      "mul", (fun a b -> a * b), Anywhere; "div", (fun a b -> a / b), NonZero
                      "pow", (fun a b -> lax.pow a b), Interval(0.5, 2.0); "max", (fun a b -> np.maximum a b), Anywhere
                      "min", (fun a b -> np.minimum a b), Anywhere; "atan2", (fun a b -> np.arctan2 a b), NonZero
                      "rem", (fun a b -> lax.rem a b), Interval(0.5, 3.0) ] do
                    test $"{name}: check_grads with broadcasting and vmap of either argument" {
                        let a = tensorOf DType.Float64 [| 2; 3 |] (Array.init 6 (fun i -> FsCheck.FSharp.Gen.sample 1 (valueGen domain) |> Seq.head))
                        let b = tensorOf DType.Float64 [| 3 |] (Array.init 3 (fun i -> FsCheck.FSharp.Gen.sample 1 (valueGen domain) |> Seq.head))
                        checkGrads 1e-6 (fun x -> f x[0] x[1]) [| a; b |]
                        checkVmap (fun x -> f x[0] x[1]) [| Some 0; None |] [| a; b |]
                        checkVmap (fun x -> f x[0] x[1]) [| Some 1; Some 0 |] [| a; b |]
                    }
                test "select: check_grads through both cases and vmap of the predicate" {
                    let a, b = f64 [| 1.0; -2.0; 3.0 |], f64 [| 0.5; 0.25; -1.0 |]
                    checkGrads 1e-6 (fun x -> np.where (x[0] .> 0.0) (x[0] * x[1]) (np.sin x[1])) [| a; b |]
                    checkVmap (fun x -> np.where (x[0] .> 0.0) x[0] x[1]) [| Some 0; None |] [| Tensor.FromArray(array2D [ [ 1.0; -1.0; 2.0 ]; [ -3.0; 4.0; 0.0 ] ]); b |]
                }
                test "piecewise-constant ops have zero gradients and batch elementwise" {
                    let x = Tensor.FromArray(array2D [ [ 1.5; -2.5; 0.5 ]; [ 3.2; -0.7; 2.0 ] ])
                    for f in [ np.floor; np.ceil; np.sign; (fun x -> lax.round RoundingMethod.AwayFromZero x) ] do
                        expectClose 0.0 (Array.zeroCreate 6) (grad (fun x -> np.sum (f x)) x) "zero gradient"
                        checkVmap (fun a -> f a[0]) [| Some 1 |] [| x |]
                }
                test "comparisons and logical ops batch elementwise" {
                    let a = Tensor.FromArray(array2D [ [ 1.0; -2.0; 0.5 ]; [ 3.0; 0.0; 2.0 ] ])
                    let b = f64 [| 1.0; 0.0; -1.0 |]
                    for cmp in [ np.equal; np.notEqual; np.less; np.lessEqual; np.greater; np.greaterEqual ] do
                        checkVmap (fun x -> lax.convertElementType DType.Float64 (cmp x[0] x[1])) [| Some 0; None |] [| a; b |]
                    let p, q = a .> 0.0, a .< 1.0
                    for op in [ np.logicalAnd; np.logicalOr; np.logicalXor ] do
                        checkVmap (fun x -> lax.convertElementType DType.Float64 (op (x[0] .> 0.0) (x[1] .> 0.0))) [| Some 1; Some 1 |] [| a; a - 1.0 |]
                    checkVmap (fun x -> lax.convertElementType DType.Float64 (np.logicalNot (x[0] .> 0.0))) [| Some 0 |] [| a |]
                    checkVmap (fun x -> lax.convertElementType DType.Float64 (np.isFinite (np.log x[0]))) [| Some 0 |] [| a |]
                    ignore (p, q)
                }
                test "broadcast_in_dim, reshape and transpose: check_grads and vmap" {
                    let x = Tensor.FromArray(array2D [ [ 1.0; -2.0; 0.5 ]; [ 3.0; 0.25; 2.0 ] ])
                    let broadcast (a: Tensor) = lax.broadcastInDim [| 4; 2; 3 |] [| 1; 2 |] a
                    let stretch (a: Tensor) = lax.broadcastInDim [| 2; 5; 3 |] [| 0; 2 |] (np.sumAxes [| 1 |] true a)
                    let reshape (a: Tensor) = lax.reshape [| 3; 2 |] a
                    let transpose (a: Tensor) = lax.transpose [| 1; 0 |] a
                    for f in [ broadcast; stretch; reshape; transpose ] do
                        checkGrads 1e-6 (fun a -> np.sin (f a[0])) [| x |]
                        checkVmap (fun a -> f a[0]) [| Some 1 |] [| np.stack 1 [ x; x * 2.0 ] |]
                }
                test "convert_element_type: check_grads between float64 and float32" {
                    checkJvp 1e-3 (fun x -> lax.convertElementType DType.Float32 x[0] * 2.0 |> lax.convertElementType DType.Float64) [| f64 [| 1.0; 2.0 |] |]
                } ] ]

/// The primitives whose Jvp, Transpose and Batch rules these tests check.
let covered =
    [ "sin"; "cos"; "tan"; "exp"; "log"; "log1p"; "expm1"; "sqrt"; "cbrt"; "rsqrt"; "tanh"; "logistic"; "asin"; "acos"
      "atan"; "sinh"; "cosh"; "asinh"; "acosh"; "atanh"; "erf"; "erf_inv"; "abs"; "neg"; "add"; "sub"; "mul"; "div"
      "pow"; "max"; "min"; "atan2"; "rem"; "select"; "convert_element_type"; "stop_gradient"; "custom_jvp_call"
      "custom_vjp_call"; "custom_vjp_linear"; "checkpoint"; "checkpoint_linear"; "floor"; "ceil"; "sign"; "round"; "eq"; "ne"
      "lt"; "le"; "gt"; "ge"; "and"; "or"; "xor"; "not"; "is_finite"; "broadcast_in_dim"; "reshape"; "transpose" ]
