/// The JVP, transpose and batching rules of the shape and indexing primitives: gradients
/// against finite differences (to second order, both modes), the transposition identity,
/// vmap against a loop for batched and unbatched arguments in several positions, and JAX's
/// edge cases (ties, NaNs, clamped and dropped indices, duplicate indices).
module Transforms.ShapeRulesTests

open System
open Expecto
open JaxSharp
open JaxSharp.Primitives
open JaxSharp.Primitives.Indexing
open OpTable.Generators
open Transforms.Checks

/// The primitives whose Jvp, Transpose and Batch rules these tests exercise.
let covered =
    [ "squeeze"; "expand_dims"; "rev"; "concatenate"; "pad"; "sort"; "slice"; "dynamic_slice"
      "dynamic_update_slice"; "gather"; "scatter"; "scatter_add"; "scatter_mul"; "scatter_min"; "scatter_max" ]

let private tol = 1e-6

/// Distinct pseudo-random float64 values in [-1, 1] (no ties, so sorts and extrema are smooth).
let private rand (seed: int) (shape: int list) =
    let rng = Random(seed)
    let n = List.fold (*) 1 shape
    tensorOf DType.Float64 (Array.ofList shape) (Array.init n (fun _ -> rng.NextDouble() * 2.0 - 1.0))

let private floats (shape: int list) (values: float list) = tensorOf DType.Float64 (Array.ofList shape) (Array.ofList values)
let private ints (shape: int list) (values: int list) = tensorOf DType.Int32 (Array.ofList shape) (values |> List.map float |> Array.ofList)
let private scalarInt (v: int) = ints [] [ v ]

/// Random int32 values in [lo, hi] (out-of-range ones exercise clamping and dropping).
let private randInts (seed: int) (lo: int) (hi: int) (shape: int list) =
    let rng = Random(seed)
    let n = List.fold (*) 1 shape
    tensorOf DType.Int32 (Array.ofList shape) (Array.init n (fun _ -> float (rng.Next(lo, hi + 1))))

/// A batched argument: x's example shape with a batch of 3 inserted at axis (None: x itself).
let private batched (seed: int) (axis: int option) (x: Tensor) (make: int -> int list -> Tensor) =
    match axis with
    | None -> x
    | Some a ->
        let shape = x.Shape.ToArray() |> List.ofArray
        make seed (List.take a shape @ [ 3 ] @ List.skip a shape)

/// checkVmap of f for each combination of in_axes, with fresh batched values made like the examples.
let private vmapCases (f: Fn) (examples: Tensor[]) (cases: int option list list) =
    for axes in cases do
        let args =
            examples
            |> Array.mapi (fun i x ->
                let make seed shape = if x.DType = DType.Int32 then randInts seed -1 4 shape else rand seed shape
                batched (100 + i) axes[i] x make)
        checkVmap f (Array.ofList axes) args

let private sumAll (x: Tensor) = Lax.ReduceSum(x, Array.init x.Rank id)

let private expectValues (expected: float list) (actual: Tensor) what =
    let a = toFloats actual
    Expect.equal a.Length expected.Length $"{what}: size"
    List.iteri (fun i e -> if abs (a[i] - e) > 1e-12 then failtestf "%s: element %d is %g, expected %g" what i a[i] e) expected

let private rowsDn = GatherDimensionNumbers(Ints([| 1 |]), Ints([| 0 |]), Ints([| 0 |]))
let private rowsScatterDn = ScatterDimensionNumbers(Ints([| 1 |]), Ints([| 0 |]), Ints([| 0 |]))

let private scatterOps: (string * (Tensor -> Tensor -> Tensor -> ScatterDimensionNumbers -> GatherScatterMode -> Tensor)) list =
    [ "scatter", (fun x i u dn m -> Lax.Scatter(x, i, u, dn, m))
      "scatter_add", (fun x i u dn m -> Lax.ScatterAdd(x, i, u, dn, m))
      "scatter_mul", (fun x i u dn m -> Lax.ScatterMul(x, i, u, dn, m))
      "scatter_min", (fun x i u dn m -> Lax.ScatterMin(x, i, u, dn, m))
      "scatter_max", (fun x i u dn m -> Lax.ScatterMax(x, i, u, dn, m)) ]

[<Tests>]
let tests =
    testList "shape and indexing rules" [
        testList "squeeze" [
            let f: Fn = fun a -> Lax.Squeeze(a[0], Ints([| 1; 3 |]))
            test "grads" { checkGrads tol f [| rand 1 [ 2; 1; 3; 1 ] |] }
            test "vmap" { vmapCases f [| rand 1 [ 2; 1; 3; 1 ] |] [ [ Some 0 ]; [ Some 2 ]; [ Some 4 ] ] }
        ]
        testList "expand_dims" [
            let f: Fn = fun a -> Lax.ExpandDims(a[0], Ints([| 0; 2 |]))
            test "grads" { checkGrads tol f [| rand 2 [ 2; 3 ] |] }
            test "vmap" { vmapCases f [| rand 2 [ 2; 3 ] |] [ [ Some 0 ]; [ Some 1 ]; [ Some 2 ] ] }
        ]
        testList "rev" [
            let f: Fn = fun a -> Lax.Rev(a[0], Ints([| 0; 2 |]))
            test "grads" { checkGrads tol f [| rand 3 [ 2; 3; 2 ] |] }
            test "vmap" { vmapCases f [| rand 3 [ 2; 3; 2 ] |] [ [ Some 0 ]; [ Some 1 ]; [ Some 3 ] ] }
        ]
        testList "concatenate" [
            let f: Fn = fun a -> Lax.Concatenate(a, 1)
            let xs = [| rand 4 [ 2; 1 ]; rand 5 [ 2; 3 ]; rand 6 [ 2; 2 ] |]
            test "grads" { checkGrads tol f xs }
            test "grads with a constant operand" { checkGrads tol (fun a -> Lax.Concatenate([ a[0]; xs[1]; a[1] ], 1)) [| xs[0]; xs[2] |] }
            test "vmap" {
                vmapCases f xs
                    [ [ Some 0; Some 0; Some 0 ]; [ Some 2; Some 2; Some 2 ]; [ Some 1; None; Some 0 ]; [ None; Some 2; None ] ]
            }
        ]
        testList "pad" [
            // negative low/high padding crops, interior padding interleaves
            let config = [| struct (1, -1, 1); struct (-1, 2, 0) |]
            let f: Fn = fun a -> Lax.Pad(a[0], a[1], config)
            let xs = [| rand 7 [ 3; 2 ]; floats [] [ 0.5 ] |]
            test "grads in operand and padding value" { checkGrads tol f xs }
            test "grads in the padding value alone" { checkGrads tol (fun a -> Lax.Pad(xs[0], a[0], config)) [| xs[1] |] }
            test "transpose of cropping restores zeros" {
                let g = Jax.Grad(Func<Tensor, Tensor>(fun x -> sumAll (Lax.Pad(x, Tensor.Scalar 0.0, [| struct (-1, -1, 0) |]))))
                expectValues [ 0.0; 1.0; 1.0; 0.0 ] (g.Invoke(floats [ 4 ] [ 1.0; 2.0; 3.0; 4.0 ])) "grad"
            }
            test "vmap" {
                vmapCases f xs [ [ Some 0; None ]; [ Some 1; None ]; [ Some 2; Some 0 ]; [ None; Some 0 ]; [ Some 0; Some 0 ] ]
            }
        ]
        testList "sort" [
            let f: Fn = fun a -> Lax.Sort(a[0], 1)
            test "grads" { checkGrads tol f [| rand 8 [ 3; 4 ] |] }
            test "grads along axis 0" { checkGrads tol (fun a -> Lax.Sort(a[0], 0)) [| rand 9 [ 3; 4 ] |] }
            test "vmap" { vmapCases f [| rand 8 [ 3; 4 ] |] [ [ Some 0 ]; [ Some 1 ]; [ Some 2 ] ] }
            test "ties carry their tangents in stable order" {
                let struct (_, t) = Jax.Jvp(Func<Tensor, Tensor>(fun x -> Lax.Sort(x)), floats [ 4 ] [ 3.0; 1.0; 3.0; 2.0 ], floats [ 4 ] [ 10.0; 20.0; 30.0; 40.0 ])
                expectValues [ 20.0; 40.0; 10.0; 30.0 ] t "tangent"
            }
            test "NaNs sort last with their tangents" {
                let struct (_, t) = Jax.Jvp(Func<Tensor, Tensor>(fun x -> Lax.Sort(x)), floats [ 3 ] [ nan; 1.0; 0.0 ], floats [ 3 ] [ 1.0; 2.0; 3.0 ])
                expectValues [ 3.0; 2.0; 1.0 ] t "tangent"
            }
        ]
        testList "argsort" [
            test "has no tangent: the gradient flows around it" {
                let g = Jax.Grad(Func<Tensor, Tensor>(fun x -> sumAll (x * Lax.ConvertElementType(Lax.Argsort(x), DType.Float64))))
                expectValues [ 1.0; 0.0; 2.0 ] (g.Invoke(floats [ 3 ] [ 0.5; -1.0; 2.0 ])) "grad"
            }
            test "vmap" { vmapCases (fun a -> Lax.Argsort(a[0], 1)) [| rand 10 [ 3; 4 ] |] [ [ Some 0 ]; [ Some 1 ]; [ Some 2 ] ] }
        ]
        testList "slice" [
            let f: Fn = fun a -> Lax.Slice(a[0], Ints([| 1; 0 |]), Ints([| 5; 3 |]), Ints([| 2; 2 |]))
            test "grads" { checkGrads tol f [| rand 11 [ 5; 4 ] |] }
            test "grads of an empty slice are zero" {
                let g = Jax.Grad(Func<Tensor, Tensor>(fun x -> sumAll (Lax.Slice(x, Ints([| 2 |]), Ints([| 2 |]))) + sumAll x))
                expectValues [ 1.0; 1.0; 1.0 ] (g.Invoke(floats [ 3 ] [ 1.0; 2.0; 3.0 ])) "grad"
            }
            test "vmap" { vmapCases f [| rand 11 [ 5; 4 ] |] [ [ Some 0 ]; [ Some 1 ]; [ Some 2 ] ] }
        ]
        testList "dynamic_slice" [
            let sizes = Ints([| 2; 3 |])
            test "grads (a start clamped back into range)" {
                checkGrads tol (fun a -> Lax.DynamicSlice(a[0], [| scalarInt 4; scalarInt -1 |], sizes)) [| rand 12 [ 5; 4 ] |]
            }
            test "grads land where the clamped box read" {
                let g = Jax.Grad(Func<Tensor, Tensor>(fun x -> sumAll (Lax.DynamicSlice(x, [| scalarInt 3 |], Ints([| 2 |])))))
                expectValues [ 0.0; 0.0; 1.0; 1.0 ] (g.Invoke(floats [ 4 ] [ 1.0; 2.0; 3.0; 4.0 ])) "grad"
            }
            test "vmap over operand and starts" {
                let f: Fn = fun a -> Lax.DynamicSlice(a[0], [| a[1]; a[2] |], sizes)
                vmapCases f [| rand 12 [ 5; 4 ]; scalarInt 1; scalarInt 0 |]
                    [ [ Some 0; None; None ]; [ Some 2; None; None ]; [ None; Some 0; None ]
                      [ Some 1; Some 0; Some 0 ]; [ Some 0; None; Some 0 ] ]
            }
            test "grad of vmap with batched starts" {
                let starts = ints [ 3 ] [ 0; 2; 5 ]
                let f: Fn = fun a ->
                    let v = Jax.Vmap(Func<Tensor[], Tensor[]>(fun b -> [| Lax.DynamicSlice(b[0], [| b[1] |], Ints([| 2 |])) |]), [| Nullable(); Nullable 0 |])
                    (v.Invoke [| a[0]; starts |])[0]
                checkGrads tol f [| rand 13 [ 4 ] |]
            }
        ]
        testList "dynamic_update_slice" [
            let f: Fn = fun a -> Lax.DynamicUpdateSlice(a[0], a[1], [| a[2]; a[3] |])
            let xs = [| rand 14 [ 4; 3 ]; rand 15 [ 2; 2 ]; scalarInt 3; scalarInt 1 |]
            test "grads (a start clamped back into range)" {
                checkGrads tol (fun a -> Lax.DynamicUpdateSlice(a[0], a[1], [| scalarInt 3; scalarInt 1 |])) xs[0..1]
            }
            test "grads in the update alone" {
                checkGrads tol (fun a -> Lax.DynamicUpdateSlice(xs[0], a[0], [| scalarInt 1; scalarInt 0 |])) [| xs[1] |]
            }
            test "vmap over operand, update and starts" {
                vmapCases f xs
                    [ [ Some 0; None; None; None ]; [ None; Some 0; None; None ]; [ Some 1; Some 1; None; None ]
                      [ Some 0; Some 2; Some 0; None ]; [ None; None; Some 0; Some 0 ]; [ None; Some 1; None; Some 0 ] ]
            }
            test "grad of vmap with batched starts" {
                let starts = ints [ 3 ] [ 0; 2; 5 ]
                let f: Fn = fun a ->
                    let v = Jax.Vmap(Func<Tensor[], Tensor[]>(fun b -> [| Lax.DynamicUpdateSlice(b[0], b[1], [| b[2] |]) |]), [| Nullable 0; Nullable(); Nullable 0 |])
                    (v.Invoke [| a[0]; a[1]; starts |])[0]
                checkGrads tol f [| rand 16 [ 3; 4 ]; rand 17 [ 2 ] |]
            }
        ]
        testList "gather" [
            // rows 3, 0, 3 (a duplicate) and 7 (out of range)
            let indices = ints [ 4; 1 ] [ 3; 0; 3; 7 ]
            let f mode : Fn = fun a -> Lax.Gather(a[0], indices, rowsDn, Ints([| 1; 3 |]), mode)
            test "grads, clip mode" { checkGrads tol (f GatherScatterMode.Clip) [| rand 18 [ 5; 3 ] |] }
            test "grads, fill mode" {
                let g: Fn = fun a -> Lax.Gather(a[0], indices, rowsDn, Ints([| 1; 3 |]), GatherScatterMode.FillOrDrop, 0.0)
                checkGrads tol g [| rand 18 [ 5; 3 ] |]
            }
            test "duplicate indices add their cotangents; dropped ones give none" {
                let g = Jax.Grad(Func<Tensor, Tensor>(fun x -> sumAll (Lax.Gather(x, ints [ 3; 1 ] [ 1; 1; 9 ], GatherDimensionNumbers(Ints.Empty, Ints([| 0 |]), Ints([| 0 |])), Ints([| 1 |]), GatherScatterMode.FillOrDrop, 0.0))))
                expectValues [ 0.0; 2.0; 0.0 ] (g.Invoke(floats [ 3 ] [ 1.0; 2.0; 3.0 ])) "grad"
            }
            test "grads of a 2-d window" {
                let dn = GatherDimensionNumbers(Ints([| 1 |]), Ints([| 0 |]), Ints([| 0; 1 |]))
                checkGrads tol (fun a -> Lax.Gather(a[0], ints [ 2; 2 ] [ 1; 1; 3; 0 ], dn, Ints([| 1; 2 |]))) [| rand 19 [ 4; 3 ] |]
            }
            test "vmap over operand and indices" {
                let g: Fn = fun a -> Lax.Gather(a[0], a[1], rowsDn, Ints([| 1; 3 |]))
                vmapCases g [| rand 20 [ 5; 3 ]; indices |]
                    [ [ Some 0; None ]; [ Some 2; None ]; [ None; Some 0 ]; [ None; Some 2 ]; [ Some 1; Some 1 ]; [ Some 0; Some 2 ] ]
            }
            test "vmap in fill mode" {
                let g: Fn = fun a -> Lax.Gather(a[0], a[1], rowsDn, Ints([| 1; 3 |]), GatherScatterMode.FillOrDrop, 0.0)
                vmapCases g [| rand 20 [ 5; 3 ]; indices |] [ [ Some 0; None ]; [ None; Some 0 ]; [ Some 1; Some 0 ] ]
            }
            test "grads and vmap with operand batching dims" {
                // out[b, j] = x[b, idx[b, j]]: take_along_axis, as sort's JVP builds it
                let dn = GatherDimensionNumbers(Ints.Empty, Ints([| 1 |]), Ints([| 1 |]), Ints([| 0 |]), Ints([| 0 |]))
                let g: Fn = fun a -> Lax.Gather(a[0], a[1], dn, Ints([| 1; 1 |]))
                let idx = ints [ 2; 3; 1 ] [ 2; 0; 2; 1; 1; 3 ]
                checkGrads tol (fun a -> g [| a[0]; idx |]) [| rand 31 [ 2; 4 ] |]
                vmapCases g [| rand 31 [ 2; 4 ]; idx |] [ [ Some 0; None ]; [ None; Some 1 ]; [ Some 2; Some 0 ] ]
            }
            test "vmap of the gradient" {
                let grad: Fn = fun a ->
                    let g = Jax.Grad(Func<Tensor[], Tensor>(fun b -> sumAll (Np.Sin(Lax.Gather(b[0], b[1], rowsDn, Ints([| 1; 3 |]))))), 0)
                    (g.Invoke [| a[0]; a[1] |])[0]
                vmapCases grad [| rand 32 [ 5; 3 ]; indices |] [ [ Some 0; None ]; [ None; Some 0 ]; [ Some 1; Some 2 ] ]
            }
            test "vmap of sort's JVP" {
                let jvp: Fn = fun a ->
                    let struct (_, t) = Jax.Jvp(Func<Tensor[], Tensor[]>(fun b -> [| Lax.Sort(b[0], 1) |]), [| a[0] |], [| a[1] |])
                    t[0]
                vmapCases jvp [| rand 33 [ 2; 4 ]; rand 34 [ 2; 4 ] |] [ [ Some 0; None ]; [ None; Some 2 ]; [ Some 1; Some 0 ] ]
            }
            test "jit of the gradient equals the eager gradient" {
                let grad = Jax.Grad(Func<Tensor, Tensor>(fun x -> sumAll (Np.Sin(Lax.Gather(x, indices, rowsDn, Ints([| 1; 3 |]))))))
                let x = rand 21 [ 5; 3 ]
                let jitted = Jax.Jit(grad)
                Expect.equal (toFloats (jitted.Invoke x)) (toFloats (grad.Invoke x)) "jit vs eager"
                Expect.equal (toFloats (jitted.Invoke x)) (toFloats (grad.Invoke x)) "second call (cached)"
            }
        ]
        testList "scatters" [
            // rows 3, 0, 3 (a duplicate) and 7 (dropped in fill-or-drop mode, clamped to 4 in clip mode)
            let indices = ints [ 4; 1 ] [ 3; 0; 3; 7 ]
            for name, op in scatterOps do
                for mode in [ GatherScatterMode.FillOrDrop; GatherScatterMode.Clip ] do
                    test $"{name} grads in operand and updates, {mode}" {
                        // an exact zero update exercises scatter_mul's product of the other updates
                        let updates = rand 22 [ 4; 3 ]
                        let updates = if name = "scatter_mul" then Lax.DynamicUpdateSlice(updates, floats [ 1; 1 ] [ 0.0 ], [| scalarInt 2; scalarInt 1 |]) else updates
                        checkGrads tol (fun a -> op a[0] indices a[1] rowsScatterDn mode) [| rand 23 [ 5; 3 ]; updates |]
                    }
                test $"{name} grads in the operand alone" {
                    checkGrads tol (fun a -> op a[0] indices (rand 24 [ 4; 3 ]) rowsScatterDn GatherScatterMode.FillOrDrop) [| rand 25 [ 5; 3 ] |]
                }
                test $"{name} vmap over operand, indices and updates" {
                    let f: Fn = fun a -> op a[0] a[1] a[2] rowsScatterDn GatherScatterMode.FillOrDrop
                    vmapCases f [| rand 26 [ 5; 3 ]; indices; rand 27 [ 4; 3 ] |]
                        [ [ Some 0; None; None ]; [ None; None; Some 1 ]; [ Some 2; None; Some 0 ]
                          [ None; Some 0; None ]; [ Some 1; Some 2; None ]; [ Some 0; Some 0; Some 2 ] ]
                }
            test "scatter: the last duplicate wins, and only it gets a gradient" {
                let g = Jax.Grad(Func<Tensor, Tensor, Tensor>(fun x u -> sumAll (Lax.Scatter(x, ints [ 2; 1 ] [ 1; 1 ], u, ScatterDimensionNumbers(Ints.Empty, Ints([| 0 |]), Ints([| 0 |]))) * floats [ 3 ] [ 1.0; 2.0; 3.0 ])))
                let struct (gx, gu) = g.Invoke(floats [ 3 ] [ 1.0; 1.0; 1.0 ], floats [ 2 ] [ 5.0; 6.0 ])
                expectValues [ 1.0; 0.0; 3.0 ] gx "operand grad"
                expectValues [ 0.0; 2.0 ] gu "updates grad"
            }
            test "scatter's transpose rule satisfies <u, L v> = <L^T u, v> with duplicates" {
                let p = ScatterParams(rowsScatterDn, GatherScatterMode.FillOrDrop)
                let x, u = rand 28 [ 5; 3 ], rand 29 [ 4; 3 ]
                let ct = rand 30 [ 5; 3 ]
                let lv = Lax.Scatter(x, indices, u, rowsScatterDn)
                let cts = Scatter.Instance.Transpose(ct, [| null; indices; null |], [| x.Aval; indices.Aval; u.Aval |], p)
                let dot (a: Tensor) (b: Tensor) = Array.fold2 (fun s p q -> s + p * q) 0.0 (toFloats a) (toFloats b)
                Expect.floatClose Accuracy.high (dot ct lv) (dot cts[0] x + dot cts[2] u) "identity"
            }
            test "scatter_max: tied candidates share the tangent equally" {
                let f = Func<Tensor[], Tensor[]>(fun a -> [| Lax.ScatterMax(a[0], ints [ 2; 1 ] [ 0; 0 ], a[1], ScatterDimensionNumbers(Ints.Empty, Ints([| 0 |]), Ints([| 0 |]))) |])
                let struct (_, t) = Jax.Jvp(f, [| floats [ 2 ] [ 1.0; 0.0 ]; floats [ 2 ] [ 1.0; 1.0 ] |], [| floats [ 2 ] [ 3.0; 7.0 ]; floats [ 2 ] [ 6.0; 9.0 ] |])
                expectValues [ 6.0; 7.0 ] t[0] "mean of 3, 6, 9; untouched element keeps its tangent"
            }
            test "scatter_min: the winning update's tangent, the operand's where it stays" {
                let f = Func<Tensor[], Tensor[]>(fun a -> [| Lax.ScatterMin(a[0], ints [ 2; 1 ] [ 0; 1 ], a[1], ScatterDimensionNumbers(Ints.Empty, Ints([| 0 |]), Ints([| 0 |]))) |])
                let struct (_, t) = Jax.Jvp(f, [| floats [ 2 ] [ 1.0; 0.0 ]; floats [ 2 ] [ 0.5; 2.0 ] |], [| floats [ 2 ] [ 3.0; 7.0 ]; floats [ 2 ] [ 6.0; 9.0 ] |])
                expectValues [ 6.0; 7.0 ] t[0] "tangent"
            }
            test "scatter_mul: duplicate updates with a zero" {
                let g = Jax.Grad(Func<Tensor, Tensor, Tensor>(fun x u -> sumAll (Lax.ScatterMul(x, ints [ 3; 1 ] [ 0; 0; 0 ], u, ScatterDimensionNumbers(Ints.Empty, Ints([| 0 |]), Ints([| 0 |]))))))
                let struct (_, gu) = g.Invoke(floats [ 1 ] [ 2.0 ], floats [ 3 ] [ 0.0; 3.0; 5.0 ])
                // d(x u0 u1 u2)/du = x (u1 u2, u0 u2, u0 u1)
                expectValues [ 30.0; 0.0; 0.0 ] gu "updates grad"
            }
        ]
    ]
