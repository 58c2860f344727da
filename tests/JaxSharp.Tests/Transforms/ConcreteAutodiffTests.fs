/// Autodiff on concrete values: outside jit, grad, vjp, linearize and jvp run the function on
/// values whose primal is concrete, so .NET `if`, loops, recursion, early returns and exceptions
/// on them work (as in Autograd and JAX); under jit and on vmap's per-example values, branching
/// stays an error that points to np.where.
module Transforms.ConcreteAutodiffTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open TestHelpers

let private scalar (x: float) = np.scalar x

/// The JAX docs' example ("Control flow"): 3 x^2 below 3, -4 x from 3 on.
let private piecewise (x: Tensor) = if (x .< 3.0).Item<bool>() then 3.0 * x ** 2.0 else -4.0 * x

/// e^x as its Taylor series, summed recursively until the term is below 1e-15 in value.
let rec private expSeries (x: Tensor) (term: Tensor) (n: float) (sum: Tensor) =
    if (np.abs term .< 1e-15).Item<bool>() then sum
    else expSeries x (term * x / (n + 1.0)) (n + 1.0) (sum + term)

/// The square root by Newton's iteration, stopping when y^2 is within 1e-14 of a.
let private newtonSqrt (a: Tensor) =
    let mutable y = a
    while (np.abs (y * y - a) .> 1e-14).Item<bool>() do
        y <- 0.5 * (y + a / y)
    y

/// x halved until it is at most 1.
let private halveDown (x: Tensor) =
    let mutable y = x
    while (y .> 1.0).Item<bool>() do
        y <- y / 2.0
    y

/// sqrt x, or -x where sqrt throws for a negative value (an exception on a primal value).
let private guardedSqrt (x: Tensor) =
    try
        if (x .< 0.0).Item<bool>() then invalidArg "x" "negative"
        np.sqrt x
    with :? ArgumentException ->
        -x

let private piecewiseVector (x: Tensor) = if (np.sum x .> 0.0).Item<bool>() then x * x else np.sin x
let private piecewiseScalar (x: Tensor) = if (np.sum x .> 0.0).Item<bool>() then np.sum (x ** 3.0) else np.sum (x * x)

[<Tests>]
let tests =
    testList
        "autodiff on concrete values"
        [ testList
              "host control flow under grad"
              [ test "grad through an if gives each branch's derivative, as JAX's docs show" {
                    Expect.equal ((grad piecewise (np.scalar 2.0f)).Item<float32>()) 12.0f "6 x at 2"
                    Expect.equal ((grad piecewise (np.scalar 4.0f)).Item<float32>()) -4.0f "-4 at 4"
                }
                test "grad of a series summed recursively until its term is small is the series' derivative" {
                    let myExp x = expSeries x (np.onesLike x) 0.0 (np.zerosLike x)
                    for x in [ -1.5; 0.3; 2.0 ] do
                        expectClose 1e-13 [| exp x |] (grad myExp (scalar x)) $"d/dx e^x at {x}"
                }
                test "grad of Newton's square root with a value-dependent stopping test is 1 / (2 sqrt a)" {
                    for a in [ 0.5; 2.0; 9.0 ] do
                        expectClose 1e-10 [| 0.5 / sqrt a |] (grad newtonSqrt (scalar a)) $"at a = {a}"
                }
                test "grad through a while loop on the value counts the halvings" {
                    expectClose 0.0 [| 0.125 |] (grad halveDown (scalar 5.0)) "three halvings of 5"
                    expectClose 0.0 [| 1.0 |] (grad halveDown (scalar 0.5)) "none"
                }
                test "grad through an exception thrown and caught on a value" {
                    expectClose 0.0 [| 0.25 |] (grad guardedSqrt (scalar 4.0)) "1 / (2 sqrt 4)"
                    expectClose 0.0 [| -1.0 |] (grad guardedSqrt (scalar -1.0)) "the handler's -x"
                }
                test "the function runs once per gradient: primal values are computed as it runs" {
                    let mutable calls = 0
                    let counted (x: Tensor) =
                        calls <- calls + 1
                        piecewise x
                    grad counted (scalar 2.0) |> ignore
                    Expect.equal calls 1 "one run"
                }
                test "valueAndGrad, gradWithAux and C#'s argnums form branch on values too" {
                    let v, g = valueAndGrad piecewise (scalar 4.0)
                    expectClose 0.0 [| -16.0 |] v "the value"
                    expectClose 0.0 [| -4.0 |] g "the gradient"
                    let g2, aux = gradWithAux (fun x -> piecewise x, x * 10.0) (scalar 2.0)
                    expectClose 0.0 [| 12.0 |] g2 "the gradient"
                    expectClose 0.0 [| 20.0 |] aux "the auxiliary output, a plain value"
                    Expect.isFalse aux.IsTracer "aux is returned as computed"
                    let scaled = Func<Tensor[], Tensor>(fun a -> if (a[1] .> 0.0).Item<bool>() then a[0] * a[1] else a[0])
                    let grads = Jax.Grad(scaled, 0).Invoke [| scalar 1.0; scalar 3.0 |]
                    expectClose 0.0 [| 3.0 |] grads[0] "branch on the other argument"
                }
                test "a value under grad prints its primal" {
                    let mutable seen = ""
                    grad (fun x -> seen <- string x; x * x) (np.scalar 2.0f) |> ignore
                    Expect.equal seen "Tensor(2., float32) (with a tangent)" "the primal value"
                } ]

          testList
              "forward mode"
              [ test "jvp runs op by op on concrete values and branches" {
                    let y, dy = jvp piecewise (scalar 2.0) (scalar 1.0)
                    expectClose 0.0 [| 12.0 |] y "the value"
                    expectClose 0.0 [| 12.0 |] dy "6 x"
                    let y4, dy4 = jvp piecewise (scalar 4.0) (scalar 0.5)
                    expectClose 0.0 [| -16.0 |] y4 "the value"
                    expectClose 0.0 [| -2.0 |] dy4 "-4 times the tangent"
                }
                test "linearize records the branch taken; its map is linear in the tangent" {
                    let y, linear = linearize piecewise (scalar 2.0)
                    expectClose 0.0 [| 12.0 |] y "the value"
                    expectClose 0.0 [| 24.0 |] (linear (scalar 2.0)) "12 t"
                    let _, other = linearize piecewise (scalar 5.0)
                    expectClose 0.0 [| -8.0 |] (other (scalar 2.0)) "-4 t"
                } ]

          testList
              "nesting"
              [ test "grad of grad with a branch" {
                    expectClose 0.0 [| 6.0 |] (grad (grad piecewise) (scalar 2.0)) "6 below 3"
                    expectClose 0.0 [| 0.0 |] (grad (grad piecewise) (scalar 4.0)) "0 from 3 on"
                }
                test "jacfwd and jacrev of a piecewise function agree with each branch" {
                    expectClose 0.0 (diagonal [| 2.0; 4.0 |]) (jacfwd piecewiseVector (np.array [| 1.0; 2.0 |])) "jacfwd: diag 2x"
                    expectClose 0.0 (diagonal [| 2.0; 4.0 |]) (jacrev piecewiseVector (np.array [| 1.0; 2.0 |])) "jacrev: diag 2x"
                    expectClose 1e-15 (diagonal [| cos -1.0; cos -2.0 |]) (jacfwd piecewiseVector (np.array [| -1.0; -2.0 |])) "jacfwd: diag cos x"
                    expectClose 1e-15 (diagonal [| cos -1.0; cos -2.0 |]) (jacrev piecewiseVector (np.array [| -1.0; -2.0 |])) "jacrev: diag cos x"
                }
                test "hessian of a piecewise function is each branch's Hessian" {
                    expectClose 0.0 (diagonal [| 6.0; 12.0 |]) (hessian piecewiseScalar (np.array [| 1.0; 2.0 |])) "diag 6x"
                    expectClose 0.0 (diagonal [| 2.0; 2.0 |]) (hessian piecewiseScalar (np.array [| -1.0; -2.0 |])) "2 I"
                }
                test "jit of the pullback of a branch taken at x = 4 is pi, as in JAX's Autodiff Cookbook" {
                    let f (x: Tensor) = if (x .< 3.0).Item<bool>() then x ** 2.0 else Math.PI * x
                    let y, pullback = vjp f (scalar 4.0)
                    expectClose 0.0 [| 4.0 * Math.PI |] y "the value"
                    expectClose 0.0 [| Math.PI |] (jit pullback (scalar 1.0)) "pi"
                    expectClose 0.0 [| 2.0 * Math.PI |] (grad (fun c -> np.sum (pullback c * c)) (scalar 1.0)) "the pullback differentiates too"
                }
                test "nested derivatives do not confuse their perturbations (Siskind and Pearlmutter's example)" {
                    let d (f: Tensor -> Tensor) (x: Tensor) = snd (jvp f x (np.onesLike x))
                    let one = scalar 1.0
                    expectClose 0.0 [| 1.0 |] (d (fun x -> x * d (fun y -> x + y) one) one) "d/dx (x * 1) = 1, not 2"
                    expectClose 0.0 [| 1.0 |] (grad (fun x -> x * grad (fun y -> x + y) one) one) "the same in reverse mode"
                }
                test "vmap of grad branches on an unmapped argument, which stays concrete" {
                    let f = Func<Tensor, Tensor, Tensor>(fun x c -> grad (fun x -> if (c .> 0.0).Item<bool>() then x * x else -x) x)
                    let xs = np.array [| 1.0; 2.0; 3.0 |]
                    expectClose 0.0 [| 2.0; 4.0; 6.0 |] (Jax.Vmap(f, 0, Nullable()).Invoke(xs, scalar 1.0)) "2 x"
                    expectClose 0.0 [| -1.0; -1.0; -1.0 |] (Jax.Vmap(f, 0, Nullable()).Invoke(xs, scalar -1.0)) "-1"
                } ]

          testList
              "where values stay abstract"
              [ test "branching under jit is the error that points to np.where" {
                    let run () = jit (grad piecewise) (np.scalar 2.0f) |> ignore
                    throwsWith<IR.TracerConcretizationException> [ "bool[]"; "Item()"; "np.where"; "Np.Where" ] run
                    Expect.stringContains (throws<IR.TracerConcretizationException> run).Message "lax.cond" "and to lax.cond, which branches under jit"
                }
                test "branching on vmap's per-example values is the error that points to np.where" {
                    throwsWith<IR.TracerConcretizationException> [ "np.where" ] (fun () ->
                        vmap (grad piecewise) (np.array [| 1.0f; 4.0f |]) |> ignore)
                }
                test "np.where is the branch that works everywhere" {
                    let viaWhere (x: Tensor) = np.where (x .< 3.0) (3.0 * x ** 2.0) (-4.0 * x)
                    expectClose 0.0 [| 12.0; -4.0 |] (jit (vmap (grad viaWhere)) (np.array [| 2.0; 4.0 |])) "both branches"
                } ]

          testList
              "errors"
              [ test "an exception escaping grad leaves no transformation behind" {
                    throwsWith<Exception> [ "boom" ] (fun () -> grad (fun (x: Tensor) -> if (x .> 0.0).Item<bool>() then failwith "boom" else x) (scalar 1.0) |> ignore)
                    let y = np.sin (scalar 0.0)
                    Expect.isFalse y.IsTracer "eager again"
                    expectClose 0.0 [| 12.0 |] (grad piecewise (scalar 2.0)) "grad works again"
                }
                test "a tangent of the wrong shape for linearize's map names both" {
                    let _, linear = linearize np.sin (np.array [| 1.0; 2.0 |])
                    throwsWith<ArgumentException> [ "linearize"; "tangent 0 is f64[3]"; "primal 0 is f64[2]" ] (fun () -> linear (np.array [| 1.0; 2.0; 3.0 |]) |> ignore)
                }
                test "jacfwd and jacrev of an integer input say to convert it" {
                    for jacobian in [ jacfwd; jacrev ] do
                        throwsWith<ArgumentException> [ "int32(2,)"; "float input"; "Np.AsType(x, DType.Float32)" ] (fun () ->
                            jacobian (fun x -> x) (Tensor.FromArray [| 1; 2 |]) |> ignore)
                }
                test "a value kept from inside grad and used after it is a leaked tracer" {
                    let mutable kept = None
                    grad (fun x -> kept <- Some x; x * x) (scalar 1.0) |> ignore
                    throwsWith<InvalidOperationException> [ "leaked tracer"; "f64[]" ] (fun () -> np.sin kept.Value |> ignore)
                } ] ]
