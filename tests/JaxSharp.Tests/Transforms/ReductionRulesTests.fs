/// The transformation rules of reductions, cumulative ops and dot_general: gradients to second
/// order against finite differences (JAX's check_grads), vmap against a loop over examples with
/// batched and unbatched arguments at various axes, and JAX's documented edge cases (ties, zeros,
/// NaN, one dot_general per batched matrix-vector product).
module Transforms.ReductionRulesTests

open System
open Expecto
open JaxSharp
open JaxSharp.Primitives.LinearAlgebra
open OpTable.Generators
open Transforms.Checks

let private config = { FsCheckConfig.defaultConfig with maxTest = 20 }

let private f64 (values: float[]) = Tensor.FromArray values

/// float64 values in [-1, 1] (or, when awayFromZero, with |x| in [0.5, 1.5]) of the given shape.
let private random (seed: int) (awayFromZero: bool) (shape: int[]) =
    let rng = Random(seed)
    let n = Array.fold (*) 1 shape
    let value () =
        if awayFromZero then (if rng.Next 2 = 0 then -1.0 else 1.0) * (0.5 + rng.NextDouble())
        else rng.NextDouble() * 2.0 - 1.0
    tensorOf DType.Float64 shape (Array.init n (fun _ -> value ()))

/// A random shape of rank 1 to 3 (dimensions 1 to 3) and a random non-empty subset of its axes.
let private shapeAndAxes (rng: Random) =
    let shape = Array.init (rng.Next(1, 4)) (fun _ -> rng.Next(1, 4))
    let axes = [| 0 .. shape.Length - 1 |] |> Array.filter (fun _ -> rng.Next 2 = 0)
    shape, (if axes.Length = 0 then [| rng.Next shape.Length |] else axes)

let private close (expected: float[]) (actual: Tensor) =
    let actual = toFloats actual
    Expect.equal actual.Length expected.Length "size"
    for i in 0 .. expected.Length - 1 do
        if not (abs (actual[i] - expected[i]) <= 1e-12 * (1.0 + abs expected[i])) then
            failtestf "element %d is %g, expected %g (all: %A)" i actual[i] expected[i] actual

let private sumAll (x: Tensor) = Lax.ReduceSum(x, [| 0 .. x.Rank - 1 |])

let private grad (f: Tensor -> Tensor) (x: Tensor) = Jax.Grad(Func<Tensor, Tensor> f).Invoke x

let private countPrimitive name (jaxpr: IR.Jaxpr) =
    jaxpr.Equations |> Seq.filter (fun e -> e.Application.Primitive.Name = name) |> Seq.length

let private reductions: (string * (Tensor -> int[] -> Tensor) * bool) list =
    [ "reduce_sum", (fun x axes -> Lax.ReduceSum(x, axes)), false
      "reduce_max", (fun x axes -> Lax.ReduceMax(x, axes)), false
      "reduce_min", (fun x axes -> Lax.ReduceMin(x, axes)), false
      "reduce_prod", (fun x axes -> Lax.ReduceProd(x, axes)), true ]

let private cumulatives: (string * (Tensor -> int -> bool -> Tensor) * bool) list =
    [ "cumsum", (fun x axis rev -> Lax.Cumsum(x, axis, rev)), false
      "cumprod", (fun x axis rev -> Lax.Cumprod(x, axis, rev)), true
      "cummax", (fun x axis rev -> Lax.Cummax(x, axis, rev)), false
      "cummin", (fun x axis rev -> Lax.Cummin(x, axis, rev)), false ]

let private dims (lc: int list) (rc: int list) (lb: int list) (rb: int list) =
    DotDimensionNumbers(Ints(lc), Ints(rc), Ints(lb), Ints(rb))

/// Dimension numbers with operand shapes: a matrix product, a vector dot, a batched matrix
/// product, contracting two axes in different orders, and batch axes that are not leading.
let private dotCases =
    [ "matmul", [| 2; 3 |], [| 3; 4 |], dims [ 1 ] [ 0 ] [] []
      "vector dot", [| 3 |], [| 3 |], dims [ 0 ] [ 0 ] [] []
      "matrix-vector", [| 2; 3 |], [| 3 |], dims [ 1 ] [ 0 ] [] []
      "batched matmul", [| 2; 3; 4 |], [| 2; 4; 2 |], dims [ 2 ] [ 1 ] [ 0 ] [ 0 ]
      "two contracting axes out of order", [| 3; 2; 4 |], [| 4; 2; 3 |], dims [ 2; 0 ] [ 0; 2 ] [] []
      "batch axes not leading", [| 3; 2; 4 |], [| 4; 2; 3 |], dims [ 2 ] [ 0 ] [ 1 ] [ 1 ] ]

[<Tests>]
let tests =
    testList
        "reduction rules"
        [ testList
              "reductions"
              [ for name, reduce, awayFromZero in reductions do
                    testPropertyWithConfig config $"{name}: check_grads to second order over random shapes and axes" (fun (seed: int) ->
                        let shape, axes = shapeAndAxes (Random seed)
                        let x = random seed awayFromZero shape
                        checkGrads 1e-6 (fun a -> reduce a[0] axes) [| x |])
                    test $"{name}: vmap with the batch axis before, between and after the reduced axes" {
                        let x = random 3 awayFromZero [| 2; 3; 4 |]
                        for inAxis in 0..2 do
                            for axes in [ [| 0 |]; [| 1 |]; [| 0; 1 |] ] do
                                checkVmap (fun a -> reduce a[0] axes) [| Some inAxis |] [| x |]
                    }
                for name, reduce in [ "reduce_and", (fun x (axes: int[]) -> Lax.ReduceAnd(x, axes)); "reduce_or", (fun x axes -> Lax.ReduceOr(x, axes)) ] do
                    test $"{name}: vmap at every batch axis" {
                        let x = Tensor.FromArray(Array3D.init 2 3 2 (fun i j k -> (i + 2 * j + k) % 3 <> 0))
                        for inAxis in 0..2 do
                            for axes in [ [| 0 |]; [| 1 |]; [| 0; 1 |] ] do
                                checkVmap (fun a -> reduce a[0] axes) [| Some inAxis |] [| x |]
                    }
                for name, arg in [ "argmax", (fun x axis -> Lax.Argmax(x, axis)); "argmin", (fun x axis -> Lax.Argmin(x, axis)) ] do
                    test $"{name}: vmap at every batch axis, and no gradient through the index" {
                        let x = random 5 false [| 2; 3; 4 |]
                        for inAxis in 0..2 do
                            for axis in 0..1 do
                                checkVmap (fun a -> arg a[0] axis) [| Some inAxis |] [| x |]
                        let g = grad (fun x -> Lax.ConvertElementType(arg x 0, DType.Float64) |> sumAll) (random 5 false [| 3; 2 |])
                        close (Array.zeroCreate 6) g
                    }
                test "reduce_max: ties share the gradient evenly (JAX's chooser rule)" {
                    close [| 0.0; 0.5; 0.5 |] (grad (fun x -> Lax.ReduceMax(x, 0)) (f64 [| 1.0; 3.0; 3.0 |]))
                    close [| 0.0; 0.5; 0.0; 0.5 |] (grad (fun x -> Lax.ReduceMax(x, 0, 1)) (Tensor.FromArray(array2D [ [ 1.0; 2.0 ]; [ 0.0; 2.0 ] ])))
                }
                test "reduce_min: ties share the gradient evenly" {
                    close [| 1.0 / 3.0; 1.0 / 3.0; 1.0 / 3.0 |] (grad (fun x -> Lax.ReduceMin(x, 0)) (f64 [| -2.0; -2.0; -2.0 |]))
                }
                test "reduce_max: a NaN maximum has NaN gradients, as in JAX" {
                    let g = grad (fun x -> Lax.ReduceMax(x, 0)) (f64 [| 1.0; nan; 2.0 |]) |> toFloats
                    Expect.isTrue (g |> Array.forall Double.IsNaN) $"NaN everywhere, got {g}"
                }
                test "reduce_prod: exact gradients with no, one and two zeros" {
                    close [| 12.0; 8.0; 6.0 |] (grad (fun x -> Lax.ReduceProd(x, 0)) (f64 [| 2.0; 3.0; 4.0 |]))
                    close [| 0.0; 6.0; 0.0 |] (grad (fun x -> Lax.ReduceProd(x, 0)) (f64 [| 2.0; 0.0; 3.0 |]))
                    close [| 0.0; 0.0; 0.0 |] (grad (fun x -> Lax.ReduceProd(x, 0)) (f64 [| 0.0; 2.0; 0.0 |]))
                }
                test "reduce_prod: the Hessian at a zero is the product of the other elements" {
                    // H_ij = prod_(k != i, j) x_k off the diagonal, 0 on it
                    let h = Jax.Hessian(Func<Tensor, Tensor>(fun x -> Lax.ReduceProd(x, 0))).Invoke(f64 [| 0.0; 2.0; 3.0 |])
                    close [| 0.0; 3.0; 2.0; 3.0; 0.0; 0.0; 2.0; 0.0; 0.0 |] h
                }
                test "cumprod: the Hessian at a zero is exact" {
                    // sum_i y_i for x = [2, 0, 3]: d2/dx0dx1 = 1 + x2 = 4, d2/dx1dx2 = x0 = 2, d2/dx0dx2 = x1 = 0
                    let h = Jax.Hessian(Func<Tensor, Tensor>(fun x -> sumAll (Lax.Cumprod(x, 0)))).Invoke(f64 [| 2.0; 0.0; 3.0 |])
                    close [| 0.0; 4.0; 0.0; 4.0; 0.0; 2.0; 0.0; 2.0; 0.0 |] h
                }
                test "reduce_prod: the JVP at zeros along one axis of a matrix" {
                    let x = Tensor.FromArray(array2D [ [ 0.0; 2.0; 3.0 ]; [ 0.0; 1.0; 0.0 ]; [ 1.0; 2.0; 3.0 ] ])
                    let struct (_, tangents) = Jax.Jvp(Func<Tensor[], Tensor[]>(fun a -> [| Lax.ReduceProd(a[0], 1) |]), [| x |], [| Np.OnesLike x |])
                    close [| 6.0; 0.0; 11.0 |] tangents[0]
                } ]
          testList
              "cumulative"
              [ for name, scan, awayFromZero in cumulatives do
                    testPropertyWithConfig config $"{name}: check_grads to second order, forward and reverse" (fun (seed: int) ->
                        let rng = Random seed
                        let shape, _ = shapeAndAxes rng
                        let axis = rng.Next shape.Length
                        let x = random seed awayFromZero shape
                        checkGrads 1e-6 (fun a -> scan a[0] axis false) [| x |]
                        checkGrads 1e-6 (fun a -> scan a[0] axis true) [| x |])
                    test $"{name}: vmap with the batch axis before and after the scanned axis" {
                        let x = random 7 awayFromZero [| 2; 3; 4 |]
                        for inAxis in 0..2 do
                            for axis in 0..1 do
                                for rev in [ false; true ] do
                                    checkVmap (fun a -> scan a[0] axis rev) [| Some inAxis |] [| x |]
                    }
                test "cumsum: the transpose is the reversed cumsum" {
                    let struct (_, pullback) = Jax.Vjp(Func<Tensor[], Tensor[]>(fun a -> [| Lax.Cumsum(a[0], 0) |]), [| f64 [| 1.0; 2.0; 3.0 |] |])
                    close [| 6.0; 5.0; 3.0 |] (pullback.Invoke([| f64 [| 1.0; 2.0; 3.0 |] |])[0])
                }
                test "cumprod: exact gradients with zeros" {
                    // y = [2, 0, 0]: d sum y = [1 + x1 + x1 x2, x0 + x0 x2, x0 x1]
                    close [| 1.0; 8.0; 0.0 |] (grad (fun x -> sumAll (Lax.Cumprod(x, 0))) (f64 [| 2.0; 0.0; 3.0 |]))
                    close [| 1.0; 0.0; 0.0 |] (grad (fun x -> sumAll (Lax.Cumprod(x, 0))) (f64 [| 0.0; 0.0; 3.0 |]))
                    close [| 0.0; 9.0; 1.0 |] (grad (fun x -> sumAll (Lax.Cumprod(x, 0, true))) (f64 [| 2.0; 0.0; 3.0 |]))
                }
                test "cummax: the gradient goes to the running maximum, ties share it evenly" {
                    // y = [1, 3, 3, 3]; y_3's prefix has two 3s
                    close [| 1.0; 2.5; 0.0; 0.5 |] (grad (fun x -> sumAll (Lax.Cummax(x, 0))) (f64 [| 1.0; 3.0; 2.0; 3.0 |]))
                    close [| 0.0; 0.0; 3.0; 1.0 |] (grad (fun x -> sumAll (Lax.Cummax(x, 0, true))) (f64 [| 1.0; 2.0; 5.0; 4.0 |]))
                }
                test "cummin: the gradient goes to the running minimum" {
                    close [| 2.0; 0.0; 1.0 |] (grad (fun x -> sumAll (Lax.Cummin(x, 0))) (f64 [| 1.0; 2.0; -1.0 |]))
                } ]
          testList
              "dot_general"
              [ for name, lhsShape, rhsShape, dn in dotCases do
                    test $"{name}: check_grads to second order in both operands" {
                        let f (a: Tensor[]) = Lax.DotGeneral(a[0], a[1], dn)
                        checkGrads 1e-6 f [| random 11 false lhsShape; random 12 false rhsShape |]
                    }
                    test $"{name}: vmap of the lhs, the rhs, both, and batch axes not at 0" {
                        let f (a: Tensor[]) = Lax.DotGeneral(a[0], a[1], dn)
                        let stacked (shape: int[]) axis seed =
                            random seed false (Array.insertAt axis 2 shape)
                        let lhs, rhs = random 13 false lhsShape, random 14 false rhsShape
                        checkVmap f [| Some 0; None |] [| stacked lhsShape 0 15; rhs |]
                        checkVmap f [| None; Some 0 |] [| lhs; stacked rhsShape 0 16 |]
                        checkVmap f [| Some 0; Some 0 |] [| stacked lhsShape 0 17; stacked rhsShape 0 18 |]
                        checkVmap f [| Some lhsShape.Length; Some 1 |] [| stacked lhsShape lhsShape.Length 19; stacked rhsShape 1 20 |]
                        checkVmap f [| Some 1; None |] [| stacked lhsShape 1 21; rhs |]
                        checkVmap f [| None; Some rhsShape.Length |] [| lhs; stacked rhsShape rhsShape.Length 22 |]
                    }
                test "vmap of a matrix-vector product is one dot_general, never a loop" {
                    let mat = random 30 false [| 150; 100 |]
                    let vs = random 31 false [| 10; 100 |]
                    let matvecs = Jax.Vmap(Func<Tensor[], Tensor[]>(fun a -> [| Np.Dot(mat, a[0]) |]))
                    let jaxpr = Jax.MakeJaxpr(matvecs, vs)
                    Expect.equal (countPrimitive "dot_general" jaxpr) 1 $"one dot_general in\n{jaxpr}"
                    let result = matvecs.Invoke([| vs |])[0]
                    Expect.equal (result.Shape.ToArray()) [| 10; 150 |] "shape"
                    close (toFloats (Np.Dot(exampleAt 0 3 vs, Np.Transpose mat))) (exampleAt 0 3 result)
                }
                test "a preferred element type: the cotangents have the operands' dtype" {
                    let a = Tensor.FromArray [| 1.0f; 2.0f |]
                    let b = Tensor.FromArray [| 3.0f; 4.0f |]
                    let dn = dims [ 0 ] [ 0 ] [] []
                    let f = Func<Tensor, Tensor, Tensor>(fun a b -> Lax.DotGeneral(a, b, dn, Nullable DType.Float64))
                    let struct (ga, gb) = Jax.Grad(f).Invoke(a, b)
                    Expect.equal ga.DType DType.Float32 "lhs cotangent dtype"
                    close [| 3.0; 4.0 |] ga
                    close [| 1.0; 2.0 |] gb
                } ]
          test "jit of a gradient equals the eager gradient" {
              let dn = dims [ 1 ] [ 1 ] [] []
              let f (x: Tensor) = sumAll (Lax.Cumprod(x, 1)) + Lax.ReduceMax(x, 0, 1) + sumAll (Lax.DotGeneral(x, x, dn))
              let x = random 40 true [| 3; 4 |]
              let eager = grad f x
              let jitted = Jax.Jit(Func<Tensor, Tensor>(grad f))
              close (toFloats eager) (jitted.Invoke x)
              close (toFloats eager) (jitted.Invoke x)
          } ]

/// The primitives whose Jvp, Transpose and Batch rules these tests check.
let covered =
    [ "reduce_sum"; "reduce_max"; "reduce_min"; "reduce_prod"; "reduce_and"; "reduce_or"; "argmax"; "argmin"
      "cumsum"; "cumprod"; "cummax"; "cummin"; "dot_general" ]
