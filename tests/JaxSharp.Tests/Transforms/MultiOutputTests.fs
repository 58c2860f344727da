/// Equations with several outputs (JAX's multiple_results), shown on sort of several operands:
/// its rules (JVP against finite differences, vmap against a loop, jit against eager, in
/// float32 and float64), how such an equation prints, how the simplifier shares and drops it,
/// how it lowers, and jit's cache key; and custom_jvp / custom_vjp of functions of trees
/// returning trees, one call equation with an output per leaf.
module Transforms.MultiOutputTests

open System
open Expecto
open JaxSharp
open JaxSharp.IR
open JaxSharp.Cpu
open JaxSharp.Primitives
open JaxSharp.Transforms
open OpTable.Generators
open Transforms.Checks
open TestHelpers

/// Distinct pseudo-random values in [-1, 1] of the dtype (no ties, so sorts are smooth).
let private rand (dtype: DType) (seed: int) (shape: int list) =
    let rng = Random(seed)
    let n = List.fold (*) 1 shape
    tensorOf dtype (Array.ofList shape) (Array.init n (fun _ -> rng.NextDouble() * 2.0 - 1.0))

let private ints (shape: int list) (values: int list) = tensorOf DType.Int32 (Array.ofList shape) (values |> List.map float |> Array.ofList)

let private sortTwo: Fn = fun a -> let r = Lax.Sort([| a[0]; a[1] |], 1) in r[0] + r[1] * Tensor.Scalar 3.0

/// Three operands, two keys: an int key full of ties, broken by the second operand.
let private sortThree (key: Tensor) : Fn = fun a -> let r = Lax.Sort([| key; a[0]; a[1] |], 0, 2) in r[1] * Tensor.Scalar 2.0 - r[2]

let private jaxpr (f: Tensor[] -> Tensor[]) (xs: Tensor[]) = Jax.MakeJaxpr(Func<Tensor[], Tensor[]>(f), xs)

let private count (text: string) (what: string) = (text.Split what).Length - 1

/// (x * y, sin x) of a pair, with its JVP rule written by hand.
let private productAndSine =
    JaxSharp.FSharp.Transformations.customJvpTree
        (fun (x: Tensor, y: Tensor) -> x * y, Lax.Sin x)
        (fun (x, y) (dx, dy) -> (x * y, Lax.Sin x), (dx * y + x * dy, dx * Lax.Cos x))

/// (x * y, x + y) of a pair, with its reverse-mode rule written by hand (residuals: the pair).
let private productAndSum =
    JaxSharp.FSharp.Transformations.customVjpTree
        (fun (x: Tensor, y: Tensor) -> x * y, x + y)
        (fun (x, y) -> (x * y, x + y), (x, y))
        (fun (x, y) (cp: Tensor, cs: Tensor) -> cp * y + cs, cp * x + cs)

/// A scalar loss of the two outputs of a pair function: sum (p * 3 + q * q).
let private loss (g: Tensor * Tensor -> Tensor * Tensor) (x: Tensor, y: Tensor) =
    let p, q = g (x, y)
    Np.Sum(p * Tensor.Scalar 3.0 + q * q)

/// The gradient of a scalar function of a pair of float64 vectors by central differences.
let private finiteDifferences (f: Tensor * Tensor -> Tensor) (x: Tensor, y: Tensor) =
    let h = 1e-6
    let at (which: int) (i: int) (delta: float) =
        let shift (t: Tensor) k = if k = which then t + Tensor.FromArray(Array.init t.Shape[0] (fun j -> if j = i then delta else 0.0), t.Shape) else t
        (f (shift x 0, shift y 1)).Item<float>()
    [| for which in 0..1 -> [| for i in 0 .. x.Shape[0] - 1 -> (at which i h - at which i -h) / (2.0 * h) |] |]

[<Tests>]
let tests =
    testList
        "equations with several outputs"
        [ testList
              "sort of several operands"
              [ test "sorts every operand by the keys, stable, ties broken by the next key" {
                    let key = ints [ 5 ] [ 2; 1; 2; 1; 0 ]
                    let second = tensorOf DType.Float64 [| 5 |] [| 0.5; 0.7; 0.1; 0.7; 9.0 |]
                    let carried = ints [ 5 ] [ 10; 11; 12; 13; 14 ]
                    let r = Lax.Sort([| key; second; carried |], 0, 2)
                    expectClose 0.0 [| 0.0; 1.0; 1.0; 2.0; 2.0 |] r[0] "keys"
                    expectClose 0.0 [| 9.0; 0.7; 0.7; 0.1; 0.5 |] r[1] "second key"
                    expectClose 0.0 [| 14.0; 11.0; 13.0; 12.0; 10.0 |] r[2] "carried along, ties in stable order"
                }
                test "lax.sortMany in F# returns every operand sorted" {
                    let sorted = JaxSharp.FSharp.lax.sortMany 0 1 [ tensorOf DType.Float32 [| 3 |] [| 3.0; 1.0; 2.0 |]; ints [ 3 ] [ 0; 1; 2 ] ]
                    expectClose 0.0 [| 1.0; 2.0; 3.0 |] sorted[0] "values"
                    expectClose 0.0 [| 1.0; 2.0; 0.0 |] sorted[1] "where they came from"
                }
                test "evalShape gives every output's shape and dtype without computing" {
                    let shapes =
                        Jax.EvalShape(Func<Tensor[], Tensor[]>(fun a -> Lax.Sort([| a[0]; a[1] |], 1)),
                                      Tensor.ShapeDtypeStruct(Shape [| 2; 5 |], DType.Float64), Tensor.ShapeDtypeStruct(Shape [| 2; 5 |], DType.Int32))
                    Expect.equal (shapes |> Array.map (fun t -> string t.Aval)) [| "f64[2,5]"; "i32[2,5]" |] "both outputs"
                }
                test "the compiled argsort returns its unread sorted values to the pool right after the sort" {
                    let program = CpuProgram(jaxpr (fun a -> [| Lax.Argsort(a[0]) |]) [| rand DType.Float32 3 [ 8 ] |])
                    let sort = program.Steps |> Seq.pick (function :? CpuProgram.MultiKernelRun as m -> Some m | _ -> None)
                    Expect.equal sort.AreOutputs [| false; true |] "the positions are the program's output"
                    Expect.contains sort.Releases sort.OutSlots[0] "the sorted values go back at once"
                }
                test "argsort is one sort equation with two outputs" {
                    let text = (jaxpr (fun a -> [| Lax.Argsort(a[0]) |]) [| rand DType.Float32 1 [ 3 ] |]).ToString()
                    Expect.stringContains text "c:f32[3] d:i32[3] = sort[dimension=0 num_keys=1] a b" "both outputs on one line"
                    Expect.equal (count text "sort[") 1 "one sort"
                }
                for dtype in [ DType.Float32; DType.Float64 ] do
                    let tol = if dtype = DType.Float32 then 2e-2 else 1e-6
                    test $"two operands: grads against finite differences ({dtype.Name()})" {
                        checkGrads tol sortTwo [| rand dtype 3 [ 3; 4 ]; rand dtype 4 [ 3; 4 ] |]
                    }
                    test $"three operands, two keys: grads against finite differences ({dtype.Name()})" {
                        checkGrads tol (sortThree (ints [ 6 ] [ 1; 0; 1; 0; 2; 0 ])) [| rand dtype 5 [ 6 ]; rand dtype 6 [ 6 ] |]
                    }
                    test $"two operands: vmap equals a loop over examples ({dtype.Name()})" {
                        let x, y = rand dtype 7 [ 4; 4 ], rand dtype 8 [ 4; 4 ]
                        let perExample: Fn = fun a -> let r = Lax.Sort([| a[0]; a[1] |], 0) in r[0] - r[1]
                        for axes in [ [| Some 0; Some 0 |]; [| Some 1; Some 0 |]; [| Some 0; None |]; [| None; Some 1 |] ] do
                            let y' = if axes[1] = None then exampleAt 0 0 y else y
                            let x' = if axes[0] = None then exampleAt 0 0 x else x
                            checkVmap perExample axes [| x'; y' |]
                    }
                    test $"three operands: jit equals eager for every output ({dtype.Name()})" {
                        let key = ints [ 2; 5 ] [ 1; 0; 1; 0; 1; 2; 2; 0; 0; 1 ]
                        let f (a: Tensor[]) = Lax.Sort([| key; a[0]; a[1] |], 1, 2)
                        let xs = [| rand dtype 9 [ 2; 5 ]; rand dtype 10 [ 2; 5 ] |]
                        let eager = f xs
                        let jitted = Jax.Jit(Func<Tensor[], Tensor[]>(f)).Invoke(xs)
                        Expect.equal jitted.Length 3 "three outputs"
                        for k in 0..2 do
                            Expect.equal jitted[k].DType eager[k].DType $"output {k}: dtype"
                            expectClose 0.0 (toFloats eager[k]) jitted[k] $"output {k}"
                    } ]
          testList
              "errors"
              [ test "operands of different shapes are named with the fix" {
                    throwsWith<ArgumentException> [ "sort"; "operand 1"; "(3,)"; "(2,)"; "one shape" ] (fun () ->
                        Lax.Sort([| rand DType.Float32 1 [ 2 ]; rand DType.Float32 2 [ 3 ] |]) |> ignore)
                }
                test "numKeys out of range says what it counts" {
                    throwsWith<ArgumentException> [ "sort"; "numKeys 3"; "2 operand" ] (fun () ->
                        Lax.Sort([| rand DType.Float32 1 [ 2 ]; rand DType.Float32 2 [ 2 ] |], 0, 3) |> ignore)
                }
                test "Bind on a primitive with several outputs points to BindMany" {
                    throwsWith<InvalidOperationException> [ "sort"; "BindMany" ] (fun () ->
                        Shapes.Sort.Instance.Bind(Shapes.SortParams(0), rand DType.Float32 1 [ 2 ]) |> ignore)
                } ]
          testList
              "the simplifier"
              [ test "shares two equal sorts whole: each output stands for the first's" {
                    let program =
                        jaxpr (fun a ->
                            let r = Lax.Sort([| a[0]; a[1] |], 0)
                            let s = Lax.Sort([| a[0]; a[1] |], 0)
                            [| r[0] + s[0]; r[1] * s[1] |]) [| rand DType.Float64 1 [ 4 ]; rand DType.Float64 2 [ 4 ] |]
                    Expect.equal (count (program.ToString()) "sort[") 2 "traced twice"
                    let simplified = Simplifier.Simplify program
                    Expect.equal (count (simplified.ToString()) "sort[") 1 "shared"
                    let xs = [| rand DType.Float64 1 [ 4 ]; rand DType.Float64 2 [ 4 ] |]
                    let before, after = program.Evaluate xs, simplified.Evaluate xs
                    for k in 0..1 do expectClose 0.0 (toFloats before[k]) after[k] $"output {k}"
                }
                test "keeps a sort while any output is read, and drops it when none is" {
                    let xs = [| rand DType.Float64 1 [ 4 ]; rand DType.Float64 2 [ 4 ] |]
                    let onlySecond = jaxpr (fun a -> [| Lax.Sort([| a[0]; a[1] |], 0)[1] |]) xs
                    Expect.equal (count ((Simplifier.Simplify onlySecond).ToString()) "sort[") 1 "the second output is read"
                    let none = jaxpr (fun a -> Lax.Sort([| a[0]; a[1] |], 0) |> ignore; [| a[0] |]) xs
                    Expect.equal (count ((Simplifier.Simplify none).ToString()) "sort[") 0 "no output is read"
                } ]
          testList
              "lowering and the jit cache"
              [ test "lowers to one kernel step writing both outputs" {
                    let text = Jax.Lower(Func<Tensor[], Tensor[]>(fun a -> Lax.Sort([| a[0]; a[1] |], 0)), rand DType.Float32 1 [ 4 ], rand DType.Float32 2 [ 4 ])
                    Expect.stringContains text "kernel: c d = sort[dimension=0 num_keys=1] a b" "one kernel, two outputs"
                }
                test "the cache key tells programs apart by which output they return and by num_keys" {
                    let xs = [| rand DType.Float32 1 [ 4 ]; rand DType.Float32 2 [ 4 ] |]
                    let key (f: Tensor[] -> Tensor[]) = ProgramKey.Of(jaxpr f xs, 64)
                    let first = key (fun a -> [| Lax.Sort([| a[0]; a[1] |], 0)[0] |])
                    Expect.equal (key (fun a -> [| Lax.Sort([| a[0]; a[1] |], 0)[0] |])) first "the same program twice"
                    Expect.notEqual (key (fun a -> [| Lax.Sort([| a[0]; a[1] |], 0)[1] |])) first "the other output"
                    Expect.notEqual (key (fun a -> [| Lax.Sort([| a[0]; a[1] |], 0, 2)[0] |])) first "two keys"
                } ]
          testList
              "custom rules of trees"
              [ let x, y = rand DType.Float64 11 [ 3 ], rand DType.Float64 12 [ 3 ]
                test "custom_jvp of a pair returning a pair is one equation with two outputs" {
                    let text = (jaxpr (fun a -> let p, q = productAndSine (a[0], a[1]) in [| p; q |]) [| x; y |]).ToString()
                    Expect.equal (count text "custom_jvp_call[") 1 "one call"
                    Expect.stringContains text "c:f64[3] d:f64[3] = custom_jvp_call[" "both outputs bound by it"
                }
                test "custom_jvp of trees: grads against finite differences, in both modes" {
                    checkGrads 1e-6 (fun a -> let p, q = productAndSine (a[0], a[1]) in p * Tensor.Scalar 2.0 - q) [| x; y |]
                }
                test "custom_jvp of trees: the rule's tangents are used" {
                    let struct (_, tangents) = Jax.Jvp(Func<Tensor[], Tensor[]>(fun a -> let p, q = productAndSine (a[0], a[1]) in [| p; q |]), [| x; y |], [| x; y |])
                    expectClose 1e-12 (toFloats (x * y + x * y)) tangents[0] "d(xy) = dx y + x dy"
                    expectClose 1e-12 (toFloats (x * Lax.Cos x)) tangents[1] "d(sin x) = dx cos x"
                }
                test "custom_vjp of trees: grad against finite differences" {
                    let g = JaxSharp.FSharp.Transformations.grad (loss productAndSum) (x, y)
                    let expected = finiteDifferences (loss productAndSum) (x, y)
                    expectClose 1e-6 expected[0] (fst g) "d/dx"
                    expectClose 1e-6 expected[1] (snd g) "d/dy"
                }
                test "custom_vjp of trees: grad under jit and of vmap equal eager grad" {
                    let g = JaxSharp.FSharp.Transformations.grad (loss productAndSum) (x, y)
                    let jitted = JaxSharp.FSharp.Transformations.jit (JaxSharp.FSharp.Transformations.grad (loss productAndSum)) (x, y)
                    expectClose 1e-12 (toFloats (fst g)) (fst jitted) "jit: d/dx"
                    expectClose 1e-12 (toFloats (snd g)) (snd jitted) "jit: d/dy"
                    let batched = JaxSharp.FSharp.Transformations.grad (fun (x, y) -> Np.Sum(JaxSharp.FSharp.Transformations.vmap (fun (a, b) -> loss productAndSum (a, b)) (x, y))) (x, y)
                    expectClose 1e-12 (toFloats (fst g)) (fst batched) "vmap: d/dx"
                    expectClose 1e-12 (toFloats (snd g)) (snd batched) "vmap: d/dy"
                }
                test "a backward pass whose cotangents are not a tree of the input's structure names both structures" {
                    let wrong =
                        Jax.CustomVjpTree(
                            Func<Tensor[], Tensor>(fun a -> a[0] * a[1]),
                            Func<Tensor[], struct (Tensor * Tensor[])>(fun a -> struct (a[0] * a[1], a)),
                            Func<Tensor[], Tensor, Tensor[]>(fun r ct -> [| ct * r[1] |]))
                    throwsWith<ArgumentException> [ "custom_vjp"; "backward cotangents"; "must be a tree of the structure of" ] (fun () ->
                        let struct (_, pullback) = Jax.Vjp(Func<Tensor[], Tensor[]>(fun a -> [| wrong.Invoke a |]), [| x; y |])
                        pullback.Invoke [| x |] |> ignore)
                }
                test "a rule with the wrong number of tangents says how many it needs" {
                    let wrong = Jax.CustomJvpMany((fun a -> [| a[0]; a[0] * a[0] |]), (fun p t -> struct ([| p[0]; p[0] * p[0] |], [| t[0] |])))
                    throwsWith<ArgumentException> [ "custom_jvp"; "1 tangents"; "2 outputs"; "one tangent per output" ] (fun () ->
                        Jax.Jvp(Func<Tensor[], Tensor[]>(wrong.Invoke), [| x |], [| x |]) |> ignore)
                } ] ]
