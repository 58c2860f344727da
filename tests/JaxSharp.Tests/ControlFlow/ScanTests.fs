module ControlFlow.ScanTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open TestHelpers
open Transforms.Checks

/// The primitives these tests cover (the coverage test reads this list).
let covered = [ "scan" ]

let private seed = 1207
let private random (s: int) (shape: int[]) (dtype: DType) =
    let rng = Random(s)
    let values = Array.init (Array.fold (*) 1 shape) (fun _ -> rng.NextDouble() * 2.0 - 1.0)
    Lax.ConvertElementType(Np.Reshape(Tensor.FromArray(values), shape), dtype)

let private floats (t: Tensor) = Lax.ConvertElementType(t, DType.Float64).ToArray<float>()

let private expectClose tol (expected: Tensor) (actual: Tensor) what =
    Expect.equal actual.Shape expected.Shape $"{what}: shape"
    Array.iteri2 (fun i e a -> if abs (e - a) > tol * (1.0 + abs e) then failtestf "%s (seed %d): element %d is %g, expected %g" what seed i a e) (floats expected) (floats actual)

/// The RNN step h' = tanh (W h + U x) over a sequence, the loss the sum of the last state.
let private rnnScan (w: Tensor) (u: Tensor) (h0: Tensor) (xs: Tensor) =
    let h, hs = lax.scan (fun (h: Tensor) (x: Tensor) -> let h' = Np.Tanh(Np.Matmul(h, w) + Np.Matmul(x, u)) in h', h') h0 xs
    Np.Sum(h) + 0.5 * Np.Sum(hs * hs)

let private rnnUnrolled (w: Tensor) (u: Tensor) (h0: Tensor) (xs: Tensor) =
    let mutable h = h0
    let mutable squares = Tensor.Scalar 0.0
    for t in 0 .. xs.Shape[0] - 1 do
        h <- Np.Tanh(Np.Matmul(h, w) + Np.Matmul(exampleAt 0 t xs, u))
        squares <- squares + 0.5 * Np.Sum(h * h)
    Np.Sum(h) + squares

/// The listing that docs/control-flow.md prints after the line `makeJaxpr cumsum (np.zeros [| 3 |])`.
let private docsListing () =
    let lines = IO.File.ReadAllLines(repoFile "docs/control-flow.md")
    let at = lines |> Array.findIndex (fun l -> l.Trim() = "makeJaxpr cumsum (np.zeros [| 3 |])")
    lines[at + 3 ..] |> Array.takeWhile (fun l -> l <> "```") |> String.concat "\n"

let private cumsumByScan (xs: Tensor) =
    snd (lax.scan (fun (c: Tensor) (x: Tensor) -> let c' = c + x in c', c') (Np.ZerosLike(exampleAt 0 0 xs)) xs)

[<Tests>]
let tests =
    testList
        "lax.scan"
        [ testList
              "values"
              [ for dtype in [ DType.Float32; DType.Float64 ] do
                    test $"a scan of running sums is np.cumsum ({dtype.Name()}), eagerly and under jit" {
                        let xs = random seed [| 7; 3 |] dtype
                        expectClose 1e-6 (Np.Cumsum(xs, axis = 0)) (cumsumByScan xs) "eager"
                        expectClose 1e-6 (Np.Cumsum(xs, axis = 0)) (jit cumsumByScan xs) "jit"
                    }
                test "the final carry is the total and the ys are per step" {
                    let xs = Tensor.FromArray([| 1.0; 2.0; 3.0; 4.0 |])
                    let total, doubled = lax.scan (fun (c: Tensor) (x: Tensor) -> c + x, 2.0 * x) (Tensor.Scalar 0.0) xs
                    Expect.equal (total.Item<float>()) 10.0 "total"
                    Expect.equal (doubled.ToArray<float>()) [| 2.0; 4.0; 6.0; 8.0 |] "ys"
                }
                test "reverse runs from the last slice and stores ys at their slices" {
                    let xs = Tensor.FromArray([| 1.0; 2.0; 3.0; 4.0 |])
                    let run = lax.scanWith { lax.scanOptions with Reverse = true } (fun (c: Tensor) (x: Tensor) -> let c' = c + x in c', c') (Tensor.Scalar 0.0)
                    let total, sums = run xs
                    Expect.equal (total.Item<float>()) 10.0 "total"
                    Expect.equal (sums.ToArray<float>()) [| 10.0; 9.0; 7.0; 4.0 |] "reverse cumulative sums"
                    expectClose 1e-12 (Lax.Cumsum(xs, 0, true)) (snd (jit run xs)) "under jit"
                }
                test "length runs a scan with no xs, and the body may return no ys" {
                    let c, ys = lax.scanWith { lax.scanOptions with Length = Some 5 } (fun (c: Tensor) () -> c * 2.0, c) (Tensor.Scalar 1.0) ()
                    Expect.equal (c.Item<float>()) 32.0 "2^5"
                    Expect.equal (ys.ToArray<float>()) [| 1.0; 2.0; 4.0; 8.0; 16.0 |] "the carries before each step"
                    let c2, () = lax.scanWith { lax.scanOptions with Length = Some 3 } (fun (c: Tensor) () -> c + 1.0, ()) (Tensor.Scalar 0.0) ()
                    Expect.equal (c2.Item<float>()) 3.0 "three steps"
                }
                test "carries, xs and ys are trees" {
                    let xs = {| A = Tensor.FromArray([| 1.0; 2.0; 3.0 |]); B = Tensor.FromArray([| 10.0; 20.0; 30.0 |]) |}
                    let (s, p), ys = lax.scan (fun (s: Tensor, p: Tensor) (x: {| A: Tensor; B: Tensor |}) -> (s + x.A, p * x.B), [| x.A + x.B |]) (Tensor.Scalar 0.0, Tensor.Scalar 1.0) xs
                    Expect.equal (s.Item<float>()) 6.0 "sum"
                    Expect.equal (p.Item<float>()) 6000.0 "product"
                    Expect.equal (ys[0].ToArray<float>()) [| 11.0; 22.0; 33.0 |] "ys"
                }
                test "the C# overloads of tensors and of arrays scan alike" {
                    let xs = Tensor.FromArray([| 1.0; 2.0; 3.0 |])
                    let struct (c, ys) = Lax.Scan(Func<Tensor, Tensor, struct (Tensor * Tensor)>(fun c x -> struct (c + x, c * x)), Tensor.Scalar 1.0, xs)
                    Expect.equal (c.Item<float>()) 7.0 "carry"
                    Expect.equal (ys.ToArray<float>()) [| 1.0; 4.0; 12.0 |] "ys"
                    let struct (cs, yss) = Lax.Scan(Func<Tensor[], Tensor[], struct (Tensor[] * Tensor[])>(fun c _ -> struct ([| c[0] + 1.0 |], [||])), [| Tensor.Scalar 0.0 |], null, Nullable 4)
                    Expect.equal (cs[0].Item<float>()) 4.0 "no xs: four steps"
                    Expect.isEmpty yss "no ys"
                    Expect.equal ((Lax.Map(Func<Tensor, Tensor>(fun x -> x * x), xs)).ToArray<float>()) [| 1.0; 4.0; 9.0 |] "Lax.Map"
                    Expect.equal ((Lax.AssociativeScan(Func<Tensor, Tensor, Tensor>(fun a b -> a * b), xs)).ToArray<float>()) [| 1.0; 2.0; 6.0 |] "Lax.AssociativeScan"
                }
                test "unrolling does not change the values" {
                    let xs = random seed [| 10; 2 |] DType.Float64
                    for unroll in [ 1; 3; 4; 10; 12 ] do
                        let run = lax.scanWith { lax.scanOptions with Unroll = unroll } (fun (c: Tensor) (x: Tensor) -> let c' = Np.Sin(c) + x in c', c' * c')
                        let c, ys = run (Np.ZerosLike(exampleAt 0 0 xs)) xs
                        let c1, ys1 = lax.scan (fun (c: Tensor) (x: Tensor) -> let c' = Np.Sin(c) + x in c', c' * c') (Np.ZerosLike(exampleAt 0 0 xs)) xs
                        expectClose 1e-12 c1 c $"carry, unroll {unroll}"
                        expectClose 1e-12 ys1 ys $"ys, unroll {unroll}"
                }
                test "a weakly typed init carry takes the dtype the body gives it" {
                    let xs = random seed [| 4 |] DType.Float32
                    let c, _ = lax.scan (fun (c: Tensor) (x: Tensor) -> c + x, x) (Tensor.op_Implicit 0.0) xs
                    Expect.equal c.DType DType.Float32 "promoted to float32"
                }
                test "a closed-over tensor is a const of the body" {
                    let w = Tensor.FromArray([| 2.0; 3.0 |])
                    let f (xs: Tensor) = fst (lax.scan (fun (c: Tensor) (x: Tensor) -> c * w + x, x) (Np.ZerosLike w) xs)
                    let xs = random seed [| 3; 2 |] DType.Float64
                    expectClose 1e-12 (f xs) (jit f xs) "jit vs eager"
                    let g = grad (fun (w: Tensor) -> Np.Sum(fst (lax.scan (fun (c: Tensor) (x: Tensor) -> c * w + x, x) (Np.ZerosLike w) xs)))
                    let fd = grad (fun (w: Tensor) -> (let mutable c = Np.ZerosLike w in (for t in 0 .. 2 do c <- c * w + exampleAt 0 t xs); Np.Sum c))
                    expectClose 1e-12 (fd w) (g w) "grad with respect to a const"
                }
                test "docs/control-flow.md prints the program of a cumulative sum by scan as listed" {
                    let cumsum (xs: Tensor) = snd (lax.scan (fun (c: Tensor) (x: Tensor) -> c + x, c + x) (np.scalar 0.0f) xs)
                    Expect.equal (string (makeJaxpr cumsum (np.zeros [| 3 |]))) (docsListing ()) "the listing"
                }
                test "the program of a scan holds one body, whatever the length" {
                    let size (n: int) =
                        let jaxpr = makeJaxpr (fun (xs: Tensor) -> fst (lax.scan (fun (c: Tensor) (x: Tensor) -> Np.Tanh(c + x), x) (Np.Zeros([| 4 |])) xs)) (Np.Zeros([| n; 4 |]))
                        jaxpr.Equations.Count, (string jaxpr).Split('\n').Length
                    Expect.equal (size 1000) (size 10) "equations and listing lines"
                    let lowered n = lower (fun (xs: Tensor) -> fst (lax.scan (fun (c: Tensor) (x: Tensor) -> Np.Tanh(c + x), x) (Np.Zeros([| 4 |])) xs)) (Np.Zeros([| n; 4 |]))
                    Expect.equal ((lowered 1000).Split('\n').Length) ((lowered 10).Split('\n').Length) "lowered program lines"
                } ]
          testList
              "map and associativeScan"
              [ test "lax.map applies f to each slice, like a loop" {
                    let xs = random seed [| 5; 3 |] DType.Float64
                    let mapped = lax.map (fun (row: Tensor) -> Np.Sum(row * row)) xs
                    expectClose 1e-12 (Np.Sum(xs * xs, axis = 1)) mapped "row norms squared"
                }
                for n in [ 1; 2; 5; 8; 13 ] do
                    test $"associativeScan of + and * is cumsum and cumprod ({n} elements)" {
                        let xs = random (seed + n) [| n; 2 |] DType.Float64
                        expectClose 1e-12 (Np.Cumsum(xs, axis = 0)) (lax.associativeScan (+) xs) "cumsum"
                        expectClose 1e-12 (Np.Cumprod(xs, axis = 0)) (lax.associativeScan (*) xs) "cumprod"
                        expectClose 1e-12 (Lax.Cumsum(xs, 0, true)) (lax.associativeScanWith true 0 (+) xs) "reverse cumsum"
                        expectClose 1e-12 (Np.Cumsum(Np.Transpose(xs), axis = 1)) (lax.associativeScanWith false -1 (+) (Np.Transpose(xs))) "along the last axis"
                    }
                test "associativeScan combines trees: a linear recurrence as pairs" {
                    // (a1, b1) then (a2, b2) is x -> a2 (a1 x + b1) + b2
                    let a, b = random seed [| 6 |] DType.Float64, random (seed + 1) [| 6 |] DType.Float64
                    let _, bs = lax.associativeScan (fun (a1: Tensor, b1: Tensor) (a2: Tensor, b2: Tensor) -> a2 * a1, a2 * b1 + b2) (a, b)
                    let _, expected = lax.scan (fun (x: Tensor) (a: Tensor, b: Tensor) -> let x' = a * x + b in x', x') (Tensor.Scalar 0.0) (a, b)
                    expectClose 1e-12 expected bs "x_t = a_t x_(t-1) + b_t"
                } ]
          testList
              "rules"
              [ for dtype in [ DType.Float32; DType.Float64 ] do
                    test $"an RNN's grad by scan equals finite differences and the unrolled loop's grad ({dtype.Name()})" {
                        let w, u = random seed [| 4; 4 |] dtype * 0.5, random (seed + 1) [| 3; 4 |] dtype
                        let h0, xs = random (seed + 2) [| 2; 4 |] dtype, random (seed + 3) [| 6; 2; 3 |] dtype
                        let tol = if dtype = DType.Float64 then 1e-9 else 2e-3
                        let byScan = grad (fun (w: Tensor, u: Tensor, h: Tensor) -> rnnScan w u h xs) (w, u, h0)
                        let unrolled = grad (fun (w: Tensor, u: Tensor, h: Tensor) -> rnnUnrolled w u h xs) (w, u, h0)
                        let (gw, gu, gh), (ew, eu, eh) = byScan, unrolled
                        expectClose tol ew gw "dW"
                        expectClose tol eu gu "dU"
                        expectClose tol eh gh "dh0"
                        if dtype = DType.Float64 then checkGrads 1e-6 (fun a -> rnnScan a[0] a[1] a[2] a[3]) [| w; u; h0; xs |]
                    }
                test "JVP and VJP of a reverse scan with consts, carries and xs match finite differences, to second order" {
                    let f (a: Tensor[]) =
                        let c, ys = lax.scanWith { lax.scanOptions with Reverse = true } (fun (c: Tensor) (x: Tensor) -> Np.Sin(c * a[0]) + x * c, Np.Cos(x) * c) a[1] a[2]
                        Np.Sum(c) + Np.Sum(ys * ys)
                    checkGrads 1e-6 f [| random seed [| 3 |] DType.Float64; random (seed + 1) [| 3 |] DType.Float64; random (seed + 2) [| 5; 3 |] DType.Float64 |]
                }
                test "a linear scan satisfies the transposition identity" {
                    let a = random seed [| 3 |] DType.Float64
                    let f (args: Tensor[]) = snd (lax.scan (fun (c: Tensor) (x: Tensor) -> let c' = a * c + 2.0 * x in c', c' - x) args[0] args[1])
                    checkVjp 1e-10 f [| random (seed + 1) [| 3 |] DType.Float64; random (seed + 2) [| 4; 3 |] DType.Float64 |]
                    let transpose = linearTranspose (fun (c: Tensor, xs: Tensor) -> f [| c; xs |]) (Np.ZerosLike a, Np.ZerosLike(random seed [| 4; 3 |] DType.Float64))
                    let ct = random (seed + 3) [| 4; 3 |] DType.Float64
                    let c, xs = random (seed + 4) [| 3 |] DType.Float64, random (seed + 5) [| 4; 3 |] DType.Float64
                    let tc, txs = transpose ct
                    let lhs = Np.Sum(ct * f [| c; xs |]).Item<float>()
                    let rhs = (Np.Sum(tc * c) + Np.Sum(txs * xs)).Item<float>()
                    Expect.floatClose Accuracy.high rhs lhs "<ct, L v> = <L^T ct, v>"
                }
                test "a checkpointed body gives the same grad, recomputing instead of storing" {
                    let xs = random seed [| 8; 3 |] DType.Float64
                    let body (c: Tensor) (x: Tensor) = Np.Tanh(Np.Sin(Np.Tanh(c * x) + c) * Np.Cos(c) + c)
                    let loss (step: Tensor -> Tensor -> Tensor) (c0: Tensor) = Np.Sum(fst (lax.scan (fun (c: Tensor) (x: Tensor) -> step c x, x) c0 xs))
                    let remat (c: Tensor) (x: Tensor) = Jax.Checkpoint(Func<Tensor[], Tensor>(fun a -> body a[0] a[1])).Invoke [| c; x |]
                    let c0 = random (seed + 1) [| 3 |] DType.Float64
                    expectClose 1e-12 (grad (loss body) c0) (grad (loss remat) c0) "grad"
                    // the forward scan's outputs: the carry, the ys, then the residuals it stacks
                    let forwardOutputs (step: Tensor -> Tensor -> Tensor) =
                        let jaxpr = makeJaxpr (grad (loss step)) c0
                        (jaxpr.Equations |> Seq.find (fun e -> e.Application.Primitive.Name = "scan")).Variables.Count
                    Expect.isLessThan (forwardOutputs remat) (forwardOutputs body) "the checkpointed forward scan stacks fewer residuals"
                }
                test "vmap of a scan over batched init, xs and consts equals a loop over the examples" {
                    let f (a: Tensor[]) = fst (lax.scan (fun (c: Tensor) (x: Tensor) -> Np.Sin(c * a[0]) + x, c) a[1] a[2])
                    let w, c0, xs = random seed [| 2; 3 |] DType.Float64, random (seed + 1) [| 2; 3 |] DType.Float64, random (seed + 2) [| 4; 2; 3 |] DType.Float64
                    checkVmap f [| Some 0; None; Some 1 |] [| w; exampleAt 0 0 c0; xs |]
                    checkVmap f [| None; Some 0; None |] [| exampleAt 0 0 w; c0; exampleAt 1 0 xs |]
                    checkVmap (fun a -> snd (lax.scan (fun (c: Tensor) (x: Tensor) -> c + x, c * x) a[0] a[1])) [| None; Some 2 |] [| exampleAt 0 0 c0; random seed [| 4; 3; 5 |] DType.Float64 |]
                }
                test "nestings: grad of jit, vmap of grad, jit of vmap, scan in scan" {
                    let xs = random seed [| 5; 3 |] DType.Float64
                    let loss (c0: Tensor) = Np.Sum(snd (lax.scan (fun (c: Tensor) (x: Tensor) -> let c' = Np.Tanh(c + x) in c', c' * c') c0 xs))
                    let c0 = random (seed + 1) [| 3 |] DType.Float64
                    let g = grad loss c0
                    expectClose 1e-12 g (grad (jit loss) c0) "grad of jit"
                    expectClose 1e-12 g (jit (grad loss) c0) "jit of grad"
                    let batch = Np.Stack([| c0; c0 * 2.0 |])
                    expectClose 1e-12 (Np.Stack([| g; grad loss (c0 * 2.0) |])) (vmap (grad loss) batch) "vmap of grad"
                    expectClose 1e-12 (vmap (grad loss) batch) (jit (vmap (grad loss)) batch) "jit of vmap of grad"
                    let nested (c0: Tensor) = Np.Sum(fst (lax.scan (fun (c: Tensor) (row: Tensor) -> fst (lax.scan (fun (d: Tensor) (x: Tensor) -> Np.Sin(d) + x, x) c (Lax.Reshape(row, Shape [| 3; 1 |]))), row) c0 xs))
                    checkGrads 1e-6 (fun a -> nested a[0]) [| c0 |]
                    expectClose 1e-12 (grad nested c0) (jit (grad nested) c0) "scan in scan: jit of grad"
                } ]
          testList
              "errors"
              [ test "a body that changes the carry's shape names lax.scan, the leaf and both types" {
                    throwsWith<ArgumentException> [ "lax.scan"; "carry"; ".Item2"; "f32[3]"; "f32[2]" ] (fun () ->
                        lax.scan (fun (a: Tensor, b: Tensor) x -> (a, Np.Concatenate([| b; b |]).[0..2]), x) (Tensor.Scalar 0.0, Np.Zeros([| 2 |])) (Np.Zeros([| 4 |])) |> ignore)
                }
                test "a body that changes the carry's dtype is refused" {
                    throwsWith<ArgumentException> [ "lax.scan"; "carry"; "f64[]"; "f32[]" ] (fun () ->
                        lax.scan (fun (c: Tensor) (x: Tensor) -> Lax.ConvertElementType(c, DType.Float64), x) (Np.Zeros([||])) (Np.Zeros([| 4 |])) |> ignore)
                }
                test "xs leaves of different lengths are refused, naming both" {
                    throwsWith<ArgumentException> [ "lax.scan"; "Item2"; "f32[3]"; "f32[4]"; "leading axis" ] (fun () ->
                        lax.scan (fun (c: Tensor) (a: Tensor, b: Tensor) -> c, a + b) (Tensor.Scalar 0.0) (Np.Zeros([| 4 |]), Np.Zeros([| 3 |])) |> ignore)
                }
                test "a length that differs from the xs is refused" {
                    throwsWith<ArgumentException> [ "lax.scan"; "length 5"; "leading axis 4" ] (fun () ->
                        lax.scanWith { lax.scanOptions with Length = Some 5 } (fun (c: Tensor) (x: Tensor) -> c, x) (Tensor.Scalar 0.0) (Np.Zeros([| 4 |])) |> ignore)
                }
                test "no xs and no length is refused with the fix" {
                    throwsWith<ArgumentException> [ "lax.scan"; "no xs"; "pass length" ] (fun () ->
                        lax.scan (fun (c: Tensor) () -> c, c) (Tensor.Scalar 0.0) () |> ignore)
                }
                test "a scalar xs is refused" {
                    throwsWith<ArgumentException> [ "lax.scan"; "scalar"; "leading axis" ] (fun () ->
                        lax.scan (fun (c: Tensor) (x: Tensor) -> c, x) (Tensor.Scalar 0.0) (Tensor.Scalar 1.0) |> ignore)
                }
                test "associativeScan refuses leaves of different lengths along the axis" {
                    throwsWith<ArgumentException> [ "lax.associative_scan"; "Item2"; "3 elements"; "4" ] (fun () ->
                        lax.associativeScan (fun (a: Tensor, b: Tensor) (c: Tensor, d: Tensor) -> a + c, b + d) (Np.Zeros([| 4 |]), Np.Zeros([| 3 |])) |> ignore)
                } ] ]
