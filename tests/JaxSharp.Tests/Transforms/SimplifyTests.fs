/// The simplifier that jit runs before compiling: algebra autodiff leaves behind, common
/// subexpressions, constant folding and dead code.
module Transforms.SimplifyTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open JaxSharp.Transforms
open JaxSharp.Primitives.LinearAlgebra

let f32 (values: float32[]) = Tensor.FromArray values

let simplified (f: Tensor -> Tensor) (x: Tensor) =
    Simplifier.Simplify(Jax.MakeJaxpr(Func<Tensor, Tensor> f, x))

let primitives (program: IR.Jaxpr) =
    program.Equations
    |> Seq.map (fun e -> e.Application.Primitive.Name)
    |> List.ofSeq

let x3 = f32 [| 1.0f; -2.0f; 3.0f |]

[<Tests>]
let tests =
    testList
        "simplify"
        [
            test "x * 1 + 0 is x itself" {
                let p = simplified (fun x -> x * 1.0 + 0.0) x3
                Expect.isEmpty (primitives p) "no equations"
                Expect.equal p.Outputs.[0] (p.Inputs.[0] :> Linq.Expressions.Expression) "the output is the input"
            }
            test "x + broadcast zeros, x - 0 and x / 1 are x" {
                Expect.isEmpty
                    (primitives (simplified (fun x -> x + Tensor.FromArray(Array.zeroCreate<float32> 3)) x3))
                    "plus zeros"

                Expect.isEmpty (primitives (simplified (fun x -> (x - 0.0) / 1.0) x3)) "minus 0, over 1"
            }
            test "neg (neg x) is x" { Expect.isEmpty (primitives (simplified (fun x -> -(-x)) x3)) "no equations" }
            test "a repeated subexpression is computed once" {
                Expect.equal (primitives (simplified (fun x -> np.sin x + np.sin x) x3)) [ "sin"; "add" ] "one sin"
            }
            test "x @ x.T is one dot_general reading x in place" {
                let x = Tensor.FromArray(array2D [ [ 1.0f; 2.0f; 3.0f ]; [ 4.0f; 5.0f; 6.0f ] ])
                let p = simplified (fun x -> np.matmul x (np.transpose x)) x
                Expect.equal (primitives p) [ "dot_general" ] "the transpose is folded into the dimension numbers"
                let jitted = Jax.Jit(Func<Tensor, Tensor>(fun x -> np.matmul x (np.transpose x))).Invoke x
                Expect.equal (jitted.ToArray2D<float32>()) (array2D [ [ 14.0f; 32.0f ]; [ 32.0f; 77.0f ] ]) "x @ x.T"
            }
            test "a transpose that would reorder the output stays" {
                let x = Tensor.FromArray(Array.init 24 float32, Shape [| 2; 3; 4 |])
                let dn = DotDimensionNumbers(Ints [| 2 |], Ints [| 0 |], Ints.Empty, Ints.Empty)
                let f (x: Tensor) = Lax.DotGeneral(Lax.Transpose(x, Ints [| 2; 0; 1 |]), np.ones [| 3 |], dn)
                let p = simplified f x
                Expect.contains (primitives p) "transpose" "free axes (4, 2) of the transpose would come out as (2, 4)"
                let eager, jitted = f x, Jax.Jit(Func<Tensor, Tensor>(f)).Invoke x
                Expect.equal (jitted.ToArray<float32>()) (eager.ToArray<float32>()) "the same values"
            }
            test "a transposed product is the product with its operands swapped" {
                let w = Tensor.FromArray(Array.init 12 (fun i -> float32 (i - 5)), Shape [| 3; 4 |])
                let g = Tensor.FromArray(Array.init 6 (fun i -> float32 (i * i) / 4.0f), Shape [| 2; 3 |])
                let f (g: Tensor) = np.transpose (np.matmul g w)
                let p = simplified f g
                Expect.equal (primitives p) [ "dot_general" ] "no transpose is written"
                Expect.stringContains (string p) "dimension_numbers=(((0,), (1,)), ((), ()))" "w's axis 0 contracted with g's axis 1"
                let jitted = Jax.Jit(Func<Tensor, Tensor>(f)).Invoke g
                Expect.equal (jitted.ToArray<float32>()) ((f g).ToArray<float32>()) "jit (swapped) equals eager (transposed)"
            }
            test "a weight gradient that autodiff writes as transpose (dot_general ...) is one dot_general" {
                let x = Tensor.FromArray(Array.init 15 (fun i -> sin (float32 i)), Shape [| 5; 3 |])
                let w = Tensor.FromArray(Array.init 12 (fun i -> cos (float32 i)), Shape [| 3; 4 |])
                let loss (w: Tensor) = np.sum (np.tanh (np.matmul x w))
                Expect.contains (primitives (Jax.MakeJaxpr(Func<Tensor, Tensor>(grad loss), w))) "transpose" "as traced"
                Expect.isFalse (List.contains "transpose" (primitives (simplified (grad loss) w))) "simplified: no transpose"
                let jitted, eager = (jit (grad loss)) w, grad loss w
                Expect.sequenceEqual (jitted.ToArray<float32>()) (eager.ToArray<float32>()) "jit's gradient equals eager's"
            }
            test "a product that is also read untransposed keeps its transpose" {
                let w = Tensor.FromArray(Array.init 6 float32, Shape [| 3; 2 |])
                let x = Tensor.FromArray(Array.init 6 float32, Shape [| 2; 3 |])
                let f (x: Tensor) = let y = np.matmul x w in np.sum (np.transpose y) + np.sum y
                Expect.equal (primitives (simplified f x) |> List.filter ((=) "dot_general")) [ "dot_general" ] "one product, not two"
            }
            test "a broadcast of a broadcast is one broadcast" {
                let f x =
                    Lax.BroadcastInDim(
                        Lax.BroadcastInDim(x, Shape [| 2; 3 |], Ints [| 1 |]),
                        Shape [| 4; 2; 3 |],
                        Ints [| 1; 2 |]
                    )

                let p = simplified f x3
                Expect.equal (primitives p) [ "broadcast_in_dim" ] "one broadcast"
                Expect.stringContains (string p) "broadcast_dimensions=(2,)" "the composed dimensions"
            }
            test "a reshape of a reshape is one reshape, and a reshape to the same shape is none" {
                let p =
                    simplified (fun x -> Lax.Reshape(Lax.Reshape(x, Shape [| 3; 1 |]), Shape [| 1; 3 |])) x3

                Expect.equal (primitives p) [ "reshape" ] "one reshape"
                Expect.isEmpty (primitives (simplified (fun x -> Lax.Reshape(x, Shape [| 3 |])) x3)) "same shape"
            }
            test "equations of constants fold: the gradient of sum (2 x) is a constant" {
                let p = simplified (grad (fun x -> np.sum (x * 2.0))) x3
                Expect.isEmpty (primitives p) "no equations"

                Expect.equal
                    ((jit (grad (fun x -> np.sum (x * 2.0)))) x3 |> fun t -> t.ToArray<float32>())
                    [| 2.0f; 2.0f; 2.0f |]
                    "the value"
            }
            test "the simplified program computes what the traced one does" {
                let f x =
                    np.exp (x * 1.0) + np.exp x - 0.0 + -(-x)

                Expect.sequenceEqual
                    ((jit f) x3 |> fun t -> t.ToArray<float32>())
                    ((f x3).ToArray<float32>())
                    "jit equals eager"
            }
        ]
