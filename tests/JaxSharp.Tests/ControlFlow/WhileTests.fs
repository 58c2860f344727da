/// lax.while_loop and lax.fori_loop (issue 12, WHILE part): results against plain .NET loops,
/// jit against eager, the JVP against finite differences and reverse mode refused with JAX's
/// advice, vmap against a loop over examples (a batched predicate too), nestings with the other
/// transformations, the two CPU loops (scalar locals, and compiled programs over carry buffers),
/// a program whose size does not depend on the trip count, and the messages for bad loops.
module ControlFlow.WhileTests

open System
open System.IO
open Expecto
open JaxSharp
open JaxSharp.FSharp
open JaxSharp.Primitives.Control
open OpTable.Generators
open Transforms.Checks
open TestHelpers

/// The primitives these tests cover, for the coverage test.
let covered = [ "while" ]

let private f64 (values: float list) = Tensor.FromArray(Array.ofList values)
let private scalarOf (dtype: DType) (v: float) = tensorOf dtype [||] [| v |]
let private int32 (v: int) = Tensor.Scalar v
let private jitted (f: Tensor[] -> Tensor[]) = Jax.Jit(Func<Tensor[], Tensor[]>(f)).Invoke

/// Pseudo-random values in [lo, hi] of the dtype, from a printed seed.
let private rand (dtype: DType) (seed: int) (shape: int list) (lo: float) (hi: float) =
    let rng = Random(seed)
    let n = List.fold (*) 1 shape
    tensorOf dtype (Array.ofList shape) (Array.init n (fun _ -> lo + rng.NextDouble() * (hi - lo)))

/// The number of Collatz steps from n down to 1, and the steps' count as a loop carry.
let private collatz (n: Tensor) =
    lax.whileLoop
        (fun (n: Tensor, _: Tensor) -> Np.NotEqual(n, Tensor.Scalar 1))
        (fun (n: Tensor, steps: Tensor) -> Np.Where(Np.Equal(n % 2, Tensor.Scalar 0), Np.FloorDivide(n, Tensor.Scalar 2), n * 3 + 1), steps + 1)
        (n, Tensor.Scalar 0)
    |> snd

let rec private collatzSteps (n: int) = if n = 1 then 0 else 1 + collatzSteps (if n % 2 = 0 then n / 2 else 3 * n + 1)

/// Newton's iteration for sqrt a from a, until the step is below a tolerance: a trip count that depends on a.
let private newtonSqrt (a: Tensor) =
    lax.whileLoop
        (fun (_: Tensor, step: Tensor) -> Np.Any(Np.Greater(Np.Abs step, Tensor.Scalar 1e-12)))
        (fun (x: Tensor, _: Tensor) -> let next = (x + a / x) * 0.5 in next, next - x)
        (a, Np.OnesLike a)
    |> fst

/// x <- sin x * w + x / 2, n times, as a fori_loop: a smooth function of x and w.
let private steps (n: int) (x: Tensor) (w: Tensor) = lax.foriLoop 0 n (fun _ c -> Lax.Sin c * w + c * 0.5) x

/// The same as a while loop over (i, x).
let private whileSteps (n: int) (x: Tensor) (w: Tensor) =
    lax.whileLoop (fun (i: Tensor, _: Tensor) -> Np.Less(i, Tensor.Scalar n)) (fun (i: Tensor, c: Tensor) -> i + 1, Lax.Sin c * w + c * 0.5) (Tensor.Scalar 0, x)
    |> snd

let private equationCount (jaxpr: JaxSharp.IR.Jaxpr) =
    JaxSharp.IR.SubPrograms.SelfAndNested jaxpr |> Seq.sumBy (fun p -> p.Equations.Count)

[<Tests>]
let tests =
    testList
        "while loops"
        [ testList
              "results"
              [ test "a while loop doubles until the predicate fails" {
                    let r = lax.whileLoop (fun (x: Tensor) -> Np.Less(x, Tensor.Scalar 100.0)) (fun x -> x * 2.0) (Tensor.Scalar 1.0)
                    expectClose 0.0 [| 128.0 |] r "1 doubled 7 times"
                }
                test "a loop whose predicate is false at once returns its initial carry" {
                    let r = lax.whileLoop (fun (x: Tensor) -> Np.Less(x, Tensor.Scalar 0.0)) (fun x -> x * 2.0) (f64 [ 3.0; 4.0 ] |> Np.Sum)
                    expectClose 0.0 [| 7.0 |] r "unchanged"
                }
                test "fori_loop sums its int32 index" {
                    let r = lax.foriLoop 0 10 (fun i (acc: Tensor) -> Expect.equal i.DType DType.Int32 "the index is int32"; acc + i) (Tensor.Scalar 0)
                    expectClose 0.0 [| 45.0 |] r "0 + 1 + ... + 9"
                }
                test "fori_loop carries a tuple of a vector and a count, and C# Lax.ForiLoop agrees" {
                    let body (i: Tensor) (v: Tensor, count: Tensor) = v * 2.0 + Np.AsType(i, DType.Float64), count + 1
                    let v, count = lax.foriLoop 2 5 body (f64 [ 1.0; -1.0 ], Tensor.Scalar 0)
                    // 2v+2, then 2(2v+2)+3, then 2(4v+7)+4 = 8v + 18
                    expectClose 0.0 [| 26.0; 10.0 |] v "8 v + 18"
                    expectClose 0.0 [| 3.0 |] count "three steps"
                    let fromCSharp = Lax.ForiLoop(2, 5, Func<Tensor, Tensor, Tensor>(fun i v -> v * 2.0 + Np.AsType(i, DType.Float64)), f64 [ 1.0; -1.0 ])
                    expectClose 0.0 [| 26.0; 10.0 |] fromCSharp "the same"
                }
                test "a while loop over an array of tensors (C#)" {
                    let r = Lax.WhileLoop(Func<Tensor[], Tensor>(fun c -> Np.Less(c[0], Tensor.Scalar 5)), Func<Tensor[], Tensor[]>(fun c -> [| c[0] + 1; c[1] * c[1] |]), [| Tensor.Scalar 2; Tensor.Scalar 2.0 |])
                    expectClose 0.0 [| 5.0 |] r[0] "the counter"
                    expectClose 0.0 [| 256.0 |] r[1] "2 squared three times"
                }
                test "a fori_loop with upper <= lower runs no step" {
                    expectClose 0.0 [| 1.5 |] (lax.foriLoop 3 3 (fun _ c -> c * 2.0) (Tensor.Scalar 1.5)) "no step"
                    expectClose 0.0 [| 1.5 |] (lax.foriLoop 5 1 (fun _ c -> c * 2.0) (Tensor.Scalar 1.5)) "no step either"
                }
                test "a weakly typed initial carry takes the dtype the body returns" {
                    let w = Tensor.Scalar 0.5f
                    let r = lax.foriLoop 0 3 (fun _ c -> c * w) (Tensor.WeakScalar 8.0)
                    Expect.equal r.DType DType.Float32 "promoted to float32, as JAX"
                    expectClose 0.0 [| 1.0 |] r "8 halved 3 times"
                }
                test "nested loops: a fori_loop inside a while loop's body" {
                    let inner (x: Tensor) = lax.foriLoop 0 3 (fun _ c -> c + 1.0) x
                    let r = lax.whileLoop (fun (x: Tensor) -> Np.Less(x, Tensor.Scalar 10.0)) inner (Tensor.Scalar 0.0)
                    expectClose 0.0 [| 12.0 |] r "0, 3, 6, 9, 12"
                } ]
          testList
              "under jit"
              [ test "a data-dependent trip count: Collatz steps under jit, one compiled program for every input" {
                    let f = jitted (fun a -> [| collatz a[0] |])
                    for n in [ 1; 6; 27; 97 ] do
                        expectClose 0.0 [| float (collatzSteps n) |] (f [| int32 n |]).[0] $"steps from {n}"
                }
                for dtype in [ DType.Float32; DType.Float64 ] do
                    test $"Newton's sqrt stops when its step is small, under jit and eagerly ({dtype.Name()})" {
                        let a = tensorOf dtype [| 4 |] [| 2.0; 9.0; 0.25; 1e4 |]
                        if dtype = DType.Float64 then
                            let eager = newtonSqrt a
                            expectClose 1e-12 [| sqrt 2.0; 3.0; 0.5; 100.0 |] eager "sqrt"
                            expectClose 0.0 (toFloats eager) (jitted (fun x -> [| newtonSqrt x[0] |]) [| a |]).[0] "jit = eager"
                        else
                            // float32 steps never get below 1e-12: stop on a relative step instead
                            let f (a: Tensor) =
                                lax.foriLoop 0 30 (fun _ (x: Tensor) -> (x + a / x) * 0.5) a
                            let eager = f a
                            expectClose 1e-6 [| sqrt 2.0; 3.0; 0.5; 100.0 |] eager "sqrt"
                            expectClose 0.0 (toFloats eager) (jitted (fun x -> [| f x[0] |]) [| a |]).[0] "jit = eager"
                    }
                    test $"jit equals eager for a loop of vectors and scalars ({dtype.Name()})" {
                        let x, w = rand dtype 1 [ 5 ] -1.0 1.0, rand dtype 2 [ 5 ] -1.0 1.0
                        let eager = steps 7 x w
                        expectClose 0.0 (toFloats eager) (jitted (fun a -> [| steps 7 a[0] a[1] |]) [| x; w |]).[0] "jit = eager"
                        let xs, ws = scalarOf dtype 0.3, scalarOf dtype -0.7
                        expectClose 0.0 (toFloats (steps 7 xs ws)) (jitted (fun a -> [| steps 7 a[0] a[1] |]) [| xs; ws |]).[0] "scalar loop: jit = eager"
                    }
                test "fori_loop with traced bounds under jit" {
                    let f = jitted (fun a -> [| lax.foriLoopDynamic a[0] a[1] (fun i (acc: Tensor) -> acc + i) (Tensor.Scalar 0) |])
                    expectClose 0.0 [| 45.0 |] (f [| int32 0; int32 10 |]).[0] "0..9"
                    expectClose 0.0 [| 18.0 |] (f [| int32 3; int32 7 |]).[0] "3..6"
                }
                test "a 1000-step fori_loop under jit is a program the size of a 10-step one" {
                    let program n = Jax.MakeJaxpr(Func<Tensor, Tensor>(fun x -> lax.foriLoop 0 n (fun _ c -> Lax.Sin c + c) x), Tensor.Scalar 0.5)
                    let ten, thousand = program 10, program 1000
                    Expect.equal (equationCount thousand) (equationCount ten) "equations, nested programs included"
                    Expect.isLessThan (equationCount thousand) 12 "a handful, not a thousand"
                    Expect.stringContains (string thousand) "scan[" "one scan equation (static bounds, as JAX)"
                }
                test "the loop of scalars compiles to one expression loop; a loop of vectors to compiled programs" {
                    let program (x: Tensor) = Jax.MakeJaxpr(Func<Tensor, Tensor>(fun x -> whileSteps 3 x (Tensor.WeakScalar 0.5)), x)
                    let parametersOf (x: Tensor) = (program x).Equations |> Seq.pick (fun e -> match e.Application.Params with :? WhileParams as p -> Some p | _ -> None)
                    Expect.isSome (ScalarWhileKernel.TryCompile(parametersOf (Tensor.Scalar 1.0f)) |> Option.ofObj) "scalar carries: one expression"
                    Expect.isNone (ScalarWhileKernel.TryCompile(parametersOf (f64 [ 1.0; 2.0 ])) |> Option.ofObj) "vector carries: the general loop"
                    // a fori_loop with static bounds is a scan with no sequences: the same expression loop, counted
                    let scanOf (x: Tensor) =
                        Jax.MakeJaxpr(Func<Tensor, Tensor>(fun x -> steps 3 x (Tensor.WeakScalar 0.5)), x).Equations
                        |> Seq.pick (fun e -> match e.Application.Params with :? ScanParams as p -> Some p | _ -> None)
                    let counted (p: ScanParams) = ScalarWhileKernel.TryCompileCounted(p.Body, p.ConstCount, p.CarryCount, p.Length) |> Option.ofObj
                    Expect.isSome (counted (scanOf (Tensor.Scalar 1.0f))) "static fori_loop of scalars: one expression"
                    Expect.isNone (counted (scanOf (f64 [ 1.0; 2.0 ]))) "of vectors: the scan loop"
                }
                test "a loop of scalars whose body holds a cond takes the general loop and is right" {
                    // found by the random programs: a one-output cond is still a several-output primitive
                    let body (c: Tensor) = lax.cond (c .> 0.0) np.sin np.cos c
                    let viaWhile (x: Tensor) = lax.whileLoop (fun (i: Tensor, _: Tensor) -> Np.Less(i, Tensor.Scalar 3)) (fun (i: Tensor, c: Tensor) -> i + 1, body c) (Tensor.Scalar 0, x) |> snd
                    let viaFori (x: Tensor) = lax.foriLoop 0 3 (fun _ c -> body c) x
                    let expected = body (body (body (Tensor.Scalar 0.3)))
                    expectClose 1e-12 (toFloats expected) (jit viaWhile (Tensor.Scalar 0.3)) "while under jit"
                    expectClose 1e-12 (toFloats expected) (viaFori (Tensor.Scalar 0.3)) "fori_loop (a scan) eagerly"
                }
                test "the general loop swaps its carries correctly when the body permutes them" {
                    // (a, b, n) -> (b, a + b, n - 1): Fibonacci with vector carries, an odd and an even step count
                    let fib k =
                        let a, b, _ =
                            lax.whileLoop
                                (fun (_: Tensor, _: Tensor, n: Tensor) -> Np.Greater(n, Tensor.Scalar 0))
                                (fun (a: Tensor, b: Tensor, n: Tensor) -> b, a + b, n - 1)
                                (f64 [ 0.0; 1.0 ], f64 [ 1.0; 1.0 ], Tensor.Scalar k)
                        a, b
                    let a, b = fib 5
                    expectClose 0.0 [| 5.0; 8.0 |] a "fib 5 and 6 from (0, 1) and (1, 1)"
                    expectClose 0.0 [| 8.0; 13.0 |] b "the next"
                    let a, _ = fib 6
                    expectClose 0.0 [| 8.0; 13.0 |] a "an even count"
                } ]
          testList
              "differentiation"
              [ for dtype in [ DType.Float32; DType.Float64 ] do
                    let tol = if dtype = DType.Float32 then 2e-2 else 1e-6
                    test $"the JVP of a fori_loop equals finite differences ({dtype.Name()})" {
                        checkJvp tol (fun a -> whileSteps 6 a[0] a[1]) [| rand dtype 3 [ 4 ] -1.0 1.0; rand dtype 4 [ 4 ] -1.0 1.0 |]
                        checkJvp tol (fun a -> whileSteps 6 a[0] a[1]) [| rand dtype 5 [] -1.0 1.0; rand dtype 6 [] -1.0 1.0 |]
                    }
                    test $"the JVP of a while loop with a data-dependent trip count equals finite differences ({dtype.Name()})" {
                        // x <- x * w until x > 10: piecewise smooth; the points are away from the jumps
                        let f (a: Tensor[]) = lax.whileLoop (fun (x: Tensor) -> Np.Less(Np.Max x, Tensor.Scalar 10.0)) (fun x -> x * a[1]) a[0]
                        checkJvp tol f [| tensorOf dtype [| 2 |] [| 1.3; 0.7 |]; scalarOf dtype 1.7 |]
                    }
                    test $"jacfwd and linearize of a while loop work ({dtype.Name()})" {
                        let x = rand dtype 7 [ 3 ] -1.0 1.0
                        let w = scalarOf dtype 0.9
                        let f (x: Tensor) = whileSteps 4 x w
                        let jac = Jax.Jacfwd(Func<Tensor, Tensor>(f)).Invoke x
                        Expect.equal (jac.Shape.ToArray()) [| 3; 3 |] "a 3x3 Jacobian"
                        let v = randomLike 8 x
                        let struct (_, tangent) = Jax.Jvp(Func<Tensor, Tensor>(f), x, v)
                        expectClose 1e-5 (toFloats tangent) (Np.Matmul(jac, v)) "J v"
                        let struct (out, linear) = Jax.Linearize(Func<Tensor, Tensor>(f), x)
                        expectClose 0.0 (toFloats (f x)) out "linearize's output"
                        expectClose 1e-5 (toFloats tangent) (linear.Invoke v) "linearize's linear function is the JVP"
                    }
                test "grad of a while loop is refused with JAX's advice" {
                    let f (x: Tensor) = lax.whileLoop (fun (c: Tensor) -> Np.Less(c, Tensor.Scalar 10.0)) (fun c -> c * 2.0) x
                    throwsWith<NotSupportedException>
                        [ "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values"
                          "Try using lax.scan, or lax.fori_loop with constant start/stop values" ]
                        (fun () -> grad f (Tensor.Scalar 1.0) |> ignore)
                }
                test "grad of a fori_loop with static bounds works, as JAX's: it is a scan" {
                    let unrolled (x: Tensor) =
                        let mutable c = x
                        for _ in 1..4 do
                            c <- Lax.Sin c * 0.5 + c * 0.5
                        Np.Sum c
                    let viaFori (x: Tensor) = Np.Sum(steps 4 x (Tensor.Scalar 0.5))
                    let x = f64 [ 0.3; -1.2 ]
                    expectClose 1e-12 (toFloats (grad unrolled x)) (grad viaFori x) "grad"
                    expectClose 1e-12 (toFloats (grad unrolled x)) (jit (grad viaFori) x) "jit of grad"
                }
                test "the JVP is one loop over primals and tangents" {
                    let text =
                        string (Jax.MakeJaxpr(Func<Tensor, Tensor>(fun x ->
                            let struct (_, t) = Jax.Jvp(Func<Tensor, Tensor>(fun x -> whileSteps 3 x (Tensor.Scalar 0.5)), x, Np.OnesLike x)
                            t), Tensor.Scalar 1.0))
                    Expect.equal ((text.Split "while[").Length - 1) 1 "one while"
                }
                test "jvp of a while loop whose carry starts with no tangent but gets one from a const" {
                    // c <- c + w: the carry's tangent is zero at first and w's afterwards
                    let f (a: Tensor[]) = lax.foriLoop 0 3 (fun _ c -> c + a[1]) (Tensor.Scalar 0.0)
                    let struct (_, t) = Jax.Jvp(Func<Tensor[], Tensor[]>(fun a -> [| f a |]), [| Tensor.Scalar 0.0; Tensor.Scalar 2.0 |], [| Tensor.Scalar 0.0; Tensor.Scalar 1.0 |])
                    expectClose 0.0 [| 3.0 |] t[0] "three steps of dw"
                } ]
          testList
              "batching"
              [ for dtype in [ DType.Float32; DType.Float64 ] do
                    test $"vmap of a fori_loop with a batched carry and a batched const equals a loop over examples ({dtype.Name()})" {
                        let x, w = rand dtype 9 [ 4; 3 ] -1.0 1.0, rand dtype 10 [ 4 ] -1.0 1.0
                        checkVmap (fun a -> whileSteps 5 a[0] a[1]) [| Some 0; Some 0 |] [| x; w |]
                        checkVmap (fun a -> whileSteps 5 a[0] a[1]) [| Some 1; None |] [| x; scalarOf dtype 0.3 |]
                        checkVmap (fun a -> whileSteps 5 a[0] a[1]) [| None; Some 0 |] [| exampleAt 0 0 x; w |]
                    }
                    test $"vmap of a while loop with a batched predicate runs each example its own number of steps ({dtype.Name()})" {
                        let f (a: Tensor[]) = lax.whileLoop (fun (x: Tensor) -> Np.Less(x, Tensor.Scalar 10.0)) (fun x -> x * a[1] + 1.0) a[0]
                        checkVmap f [| Some 0; None |] [| tensorOf dtype [| 5 |] [| 0.1; 3.0; 9.5; 20.0; -1.0 |]; scalarOf dtype 1.5 |]
                        checkVmap f [| Some 0; Some 0 |] [| tensorOf dtype [| 3 |] [| 0.1; 3.0; 9.5 |]; tensorOf dtype [| 3 |] [| 1.1; 2.0; 3.0 |] |]
                    }
                test "vmap of Collatz: a batched predicate over int carries, under jit too" {
                    let ns = [ 6; 27; 1; 7; 97 ]
                    let batched = Jax.Vmap(Func<Tensor[], Tensor[]>(fun a -> [| collatz a[0] |]), [| Nullable 0 |])
                    let input = tensorOf DType.Int32 [| ns.Length |] (ns |> List.map float |> Array.ofList)
                    let expected = ns |> List.map (collatzSteps >> float) |> Array.ofList
                    expectClose 0.0 expected (batched.Invoke [| input |]).[0] "each example's steps"
                    expectClose 0.0 expected (Jax.Jit(batched).Invoke [| input |]).[0] "jit of vmap"
                }
                test "vmap of fori_loop with batched traced bounds" {
                    let f (a: Tensor[]) = lax.foriLoopDynamic (Tensor.Scalar 0) a[0] (fun i (acc: Tensor) -> acc + i) (Tensor.Scalar 0)
                    checkVmap f [| Some 0 |] [| tensorOf DType.Int32 [| 4 |] [| 0.0; 1.0; 5.0; 10.0 |] |]
                } ]
          testList
              "nestings"
              [ test "jit of jvp, jvp of jit, vmap of jvp and jacfwd of jit agree" {
                    let w = Tensor.Scalar 0.8
                    let f (x: Tensor) = whileSteps 5 x w
                    let x = f64 [ 0.2; -0.4; 0.9 ]
                    let v = f64 [ 1.0; 0.5; -1.0 ]
                    let jvpOf (g: Tensor -> Tensor) (x: Tensor) (v: Tensor) =
                        let struct (_, t) = Jax.Jvp(Func<Tensor, Tensor>(g), x, v)
                        t
                    let expected = jvpOf f x v
                    expectClose 1e-12 (toFloats expected) (jitted (fun a -> [| jvpOf f a[0] a[1] |]) [| x; v |]).[0] "jit of jvp"
                    expectClose 1e-12 (toFloats expected) (jvpOf (fun x -> (jitted (fun a -> [| f a[0] |]) [| x |])[0]) x v) "jvp of jit"
                    let perExample = Jax.Vmap(Func<Tensor[], Tensor[]>(fun a -> [| jvpOf f a[0] a[1] |]), [| Nullable 0; Nullable 0 |])
                    let xs, vs = Np.Stack([| x; x * 2.0 |]), Np.Stack([| v; v |])
                    let batched = (perExample.Invoke [| xs; vs |])[0]
                    expectClose 1e-12 (toFloats expected) (exampleAt 0 0 batched) "vmap of jvp, example 0"
                    expectClose 1e-12 (toFloats (jvpOf f (x * 2.0) v)) (exampleAt 0 1 batched) "vmap of jvp, example 1"
                    let jac = Jax.Jacfwd(Func<Tensor, Tensor>(fun x -> (jitted (fun a -> [| f a[0] |]) [| x |])[0])).Invoke x
                    expectClose 1e-12 (toFloats expected) (Np.Matmul(jac, v)) "jacfwd of jit"
                }
                test "a while loop closing over a value of an enclosing jit" {
                    let f = jitted (fun a -> [| lax.whileLoop (fun (c: Tensor) -> Np.Less(c, a[1])) (fun c -> c + a[0]) (Tensor.Scalar 0.0) |])
                    expectClose 0.0 [| 12.0 |] (f [| Tensor.Scalar 3.0; Tensor.Scalar 10.0 |]).[0] "steps of 3 past 10"
                } ]
          test "docs/control-flow.md: the listing of a while loop is what makeJaxpr prints" {
              let lines = File.ReadAllLines(repoFile "docs/control-flow.md")
              let at = lines |> Array.findIndex (fun l -> l = "makeJaxpr decay (np.scalar 0.5f)")
              // the F# block closes on the next line, and the listing's block opens after it
              let listing = lines[at + 3 ..] |> Array.takeWhile (fun l -> l <> "```") |> String.concat "\n"
              let decay (v: Tensor) = lax.whileLoop (fun (c: Tensor) -> c .< 900.0f) (fun c -> c * 0.999 + 1.0) v
              Expect.equal (string (makeJaxpr decay (np.scalar 0.5f))) listing "the listing"
          }
          testList
              "messages"
              [ test "a body that changes a carry's dtype names the leaf and both types" {
                    throwsWith<ArgumentException> [ "lax.while_loop"; "body function's output"; "Item1"; "f32[]"; "f64[]"; "np.astype" ] (fun () ->
                        lax.whileLoop (fun (c: Tensor, _: Tensor) -> Np.Less(c, Tensor.Scalar 3.0)) (fun (c: Tensor, n: Tensor) -> Np.AsType(c, DType.Float32), n) (Tensor.Scalar 1.0, Tensor.Scalar 0)
                        |> ignore)
                }
                test "a body that changes a carry's shape names both shapes" {
                    throwsWith<ArgumentException> [ "lax.while_loop"; "f64[2]"; "f64[]" ] (fun () ->
                        lax.whileLoop (fun (c: Tensor) -> Np.Less(Np.Sum c, Tensor.Scalar 3.0)) (fun c -> Np.Stack([| c; c |])) (Tensor.Scalar 1.0) |> ignore)
                }
                test "a predicate that is not a bool scalar says what it returned and how to get one" {
                    throwsWith<ArgumentException> [ "lax.while_loop"; "cond function must return a bool scalar"; "f64[]"; "np.all" ] (fun () ->
                        lax.whileLoop (fun (c: Tensor) -> c) (fun c -> c * 2.0) (Tensor.Scalar 1.0) |> ignore)
                    throwsWith<ArgumentException> [ "lax.while_loop"; "bool[2]"; "np.any" ] (fun () ->
                        lax.whileLoop (fun (c: Tensor) -> Np.Less(c, Tensor.Scalar 3.0)) (fun c -> c * 2.0) (f64 [ 1.0; 2.0 ]) |> ignore)
                }
                test "fori_loop bounds must be integer scalars" {
                    throwsWith<ArgumentException> [ "lax.fori_loop"; "upper must be an integer scalar"; "f64[]" ] (fun () ->
                        lax.foriLoopDynamic (Tensor.Scalar 0) (Tensor.Scalar 3.0) (fun _ c -> c) (Tensor.Scalar 1.0) |> ignore)
                } ] ]
