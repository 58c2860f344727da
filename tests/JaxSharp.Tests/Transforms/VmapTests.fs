module Transforms.VmapTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open TestHelpers
open Transforms.Checks

let private countPrimitive name (jaxpr: IR.Jaxpr) =
    jaxpr.Equations |> Seq.filter (fun e -> e.Application.Primitive.Name = name) |> Seq.length


type private Params = { W: Tensor; B: Tensor }

[<Tests>]
let tests =
    testList
        "vmap"
        [ testList
              "JAX's shapes"
              [ test "vmap of dot over the vectors stacks the products" {
                    let key = random.key 0
                    let mat = random.normal key [| 150; 100 |]
                    let xs = random.normal (random.foldIn key 1) [| 10; 100 |]
                    let ys = vmap (fun v -> np.dot mat v) xs // shape [10; 150]
                    Expect.equal (shapeOf ys) [| 10; 150 |] "the 10 products, stacked"
                    expectClose 1e-4 (toFloats (np.dot xs (np.transpose mat))) ys "equals xs @ mat.T"
                }
                test "vdot-style batching has JAX's shapes" {
                    let a3, b3 = np.ones [| 3 |], np.ones [| 3 |]
                    Expect.equal (shapeOf (np.vdot a3 b3)) [||] "(3,).(3,) gives ()"
                    let m23 = np.ones [| 2; 3 |]
                    Expect.equal (shapeOf (vmapWith [ Some 0; None ] [ Some 0 ] (fun (a, b) -> np.vdot a b) (m23, b3))) [| 2 |] "(2,3).(3,) unmapped second gives (2,)"
                    let t423 = np.ones [| 4; 2; 3 |]
                    let nested = vmapWith [ Some 0; None ] [ Some 0 ] (vmapWith [ Some 0; None ] [ Some 0 ] (fun (a, b) -> np.vdot a b)) (t423, b3)
                    Expect.equal (shapeOf nested) [| 4; 2 |] "nested over (4,2,3).(3,) gives (4,2)"
                }
                test "in_axes = 1, out_axes = 1 on transposed inputs gives the transposed result" {
                    let x = np.arange 6.0 |> np.reshape [| 2; 3 |]
                    let y = Jax.Vmap(Func<Tensor, Tensor>(fun v -> v * 2.0 + np.sum v), 1, 1).Invoke(np.transpose x)
                    let expected = vmap (fun v -> v * 2.0 + np.sum v) x |> np.transpose
                    Expect.equal (shapeOf y) [| 3; 2 |] "transposed"
                    expectClose 0.0 (toFloats expected) y "values"
                }
                test "vmap of grad gives (batch,) + the parameter's shape" {
                    let w = np.ones [| 3 |]
                    let xs = random.normal (random.key 2) [| 5; 3 |]
                    let perExample = vmap (fun x -> grad (fun w -> np.sum (np.sin (x * w))) w) xs
                    Expect.equal (shapeOf perExample) [| 5; 3 |] "per-example gradients"
                    expectClose 1e-6 (toFloats xs |> Array.map (fun x -> x * cos x)) perExample "x cos(x w)"
                } ]

          testList
              "batching is not looping"
              [ test "vmap of a matrix-vector product is one dot_general" {
                    let mat = np.ones [| 150; 100 |]
                    let program = makeJaxpr (vmap (fun v -> np.dot mat v)) (np.ones [| 10; 100 |])
                    Expect.equal (countPrimitive "dot_general" program) 1 "one product"
                    Expect.equal program.Equations.Count (countPrimitive "dot_general" program + countPrimitive "transpose" program) "nothing else but a layout change"
                }
                test "vmap of vmap of vdot over two matrices is one matrix product" {
                    let a, b = random.normal (random.key 3) [| 4; 3 |], random.normal (random.key 4) [| 5; 3 |]
                    let outer = vmapWith [ Some 0; None ] [ Some 0 ] (vmapWith [ None; Some 0 ] [ Some 0 ] (fun (a, b) -> np.vdot a b))
                    let program = Jax.MakeJaxpr((fun (t: Tensor[]) -> [| outer (t[0], t[1]) |]), a, b)
                    Expect.equal (countPrimitive "dot_general" program) 1 "one product"
                    expectClose 1e-5 (toFloats (np.matmul a (np.transpose b))) (outer (a, b)) "a @ b.T"
                }
                test "batched elementwise code stays elementwise" {
                    let program = makeJaxpr (vmap (fun v -> np.sin v * 2.0 + v)) (np.ones [| 4; 3 |])
                    Expect.equal (program.Equations |> Seq.map (fun e -> e.Application.Primitive.Name) |> List.ofSeq) [ "sin"; "mul"; "add" ] "the same three equations"
                }
                test "an unmapped argument is not broadcast" {
                    let program = Jax.MakeJaxpr((fun (t: Tensor[]) -> [| vmapWith [ Some 0; None ] [ Some 0 ] (fun (a, b) -> a * b) (t[0], t[1]) |]), np.ones [| 4; 3 |], np.ones [| 3 |])
                    Expect.equal (countPrimitive "broadcast_in_dim" program) 0 "no broadcast of the unmapped argument"
                } ]

          testList
              "composition"
              [ test "vmap of vmap equals the function on a matrix" {
                    let x = random.normal (random.key 5) [| 3; 4 |]
                    expectClose 1e-6 (toFloats (np.tanh x)) (vmap (vmap np.tanh) x) "elementwise"
                }
                test "grad of a sum over vmap of a loss" {
                    let xs = random.normal (random.key 6) [| 6; 3 |]
                    let loss (w: Tensor) (x: Tensor) = np.sum (np.sin (x * w))
                    let g = grad (fun w -> np.sum (vmap (loss w) xs)) (np.ones [| 3 |])
                    let expected = grad (fun w -> np.sum (np.sin (xs * w))) (np.ones [| 3 |])
                    expectClose 1e-6 (toFloats expected) g "the summed per-example gradients"
                }
                test "jit of vmap and vmap of jit equal vmap" {
                    let xs = random.normal (random.key 7) [| 5; 3 |]
                    let f (v: Tensor) = np.sum (np.exp v) * v
                    let expected = vmap f xs
                    expectClose 1e-6 (toFloats expected) (jit (vmap f) xs) "jit (vmap f)"
                    expectClose 1e-6 (toFloats expected) (vmap (jit f) xs) "vmap (jit f)"
                }
                test "a record of parameters maps with its tensors" {
                    let ps = { W = np.ones [| 4; 3 |]; B = np.arange 4.0f }
                    let out = vmap (fun (p: Params) -> np.sum p.W + p.B) ps
                    expectClose 0.0 [| 3.0; 4.0; 5.0; 6.0 |] out "sum of each row plus b"
                }
                test "vmap over a leading axis equals the loop, for every axis choice" {
                    let x = random.normal (random.key 8) [| 2; 3; 4 |] |> lax.convertElementType DType.Float64
                    for axis in 0..2 do
                        checkVmap (fun a -> np.sin a[0] * np.sum a[0]) [| Some axis |] [| x |]
                } ]

          testList
              "errors"
              [ test "mapped axes of different sizes" {
                    throwsWith<ArgumentException> [ "vmap: axis 0 of argument 0 has size 10 but axis 0 of argument 1 has size 8" ] (fun () ->
                        vmap (fun (a: Tensor, b: Tensor) -> a + b) (np.ones [| 10 |], np.ones [| 8 |]) |> ignore)
                }
                test "an axis out of range" {
                    throwsWith<ArgumentException> [ "vmap: in_axes 2 is out of range for argument 0 of shape (3, 4)" ] (fun () ->
                        Jax.Vmap(Func<Tensor, Tensor>(np.sin), 2, 0).Invoke(np.ones [| 3; 4 |]) |> ignore)
                }
                test "out_axes None on a batched output" {
                    throwsWith<ArgumentException> [ "vmap: out_axes is null for output 0"; "batched" ] (fun () ->
                        vmapWith [ Some 0 ] [ None ] np.sin (np.ones [| 3 |]) |> ignore)
                }
                test "no mapped argument" {
                    throwsWith<ArgumentException> [ "vmap: no argument is mapped" ] (fun () ->
                        vmapWith [ None ] [ Some 0 ] np.sin (np.ones [| 3 |]) |> ignore)
                } ] ]
