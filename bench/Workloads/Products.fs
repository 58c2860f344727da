/// Products that do not fill the packed micro-kernel (matrix-vector, vector-matrix, outer, a
/// 10-wide output layer, the short contraction of a backward pass), mid-size products, a
/// transpose that must be written and one read by an add: each jitted, NumPy beside it (numpy_bench.py's "products").
module Workloads.Products

open System
open JaxSharp
open JaxSharp.FSharp
open Harness

let private tensor seed (dtype: DType) (dims: int list) =
    let count = List.fold (*) 1 dims
    let values = Array.init count (fun i -> Math.Sin(float (i + seed)))
    if dtype = DType.Float64 then Tensor.FromArray(values, Shape(Array.ofList dims))
    else Tensor.FromArray(Array.map float32 values, Shape(Array.ofList dims))

/// The workloads: name, operands, the function, its flops (2 m k n), and the key numpy_bench.py knows it by.
let cases =
    let f32, f64 = DType.Float32, DType.Float64
    let mm a b = np.matmul a b
    let t (x: Tensor) = Lax.Transpose(x, Ints(1, 0))
    [ "matvec", "x @ W, 1x784 by 784x512 float32", [ tensor 1 f32 [ 1; 784 ]; tensor 2 f32 [ 784; 512 ] ], mm, 2.0 * 784.0 * 512.0
      "matvec_t", "W @ v, 512x784 by 784 float32", [ tensor 1 f32 [ 512; 784 ]; tensor 2 f32 [ 784 ] ], mm, 2.0 * 784.0 * 512.0
      "vecmat_t", "x @ W.T, 1x512 by (784x512).T float32", [ tensor 1 f32 [ 1; 512 ]; tensor 2 f32 [ 784; 512 ] ], (fun a b -> mm a (t b)), 2.0 * 784.0 * 512.0
      "outer", "outer, 784 by 512 float32", [ tensor 1 f32 [ 784 ]; tensor 2 f32 [ 512 ] ], (fun a b -> np.outer a b), 784.0 * 512.0
      "thin", "x @ W, 128x512 by 512x10 float32", [ tensor 1 f32 [ 128; 512 ]; tensor 2 f32 [ 512; 10 ] ], mm, 2.0 * 128.0 * 512.0 * 10.0
      "thin_k", "dz @ W.T, 128x10 by (512x10).T float32", [ tensor 1 f32 [ 128; 10 ]; tensor 2 f32 [ 512; 10 ] ], (fun a b -> mm a (t b)), 2.0 * 128.0 * 512.0 * 10.0
      "thin_t", "h.T @ dz, (128x512).T by 128x10 float32", [ tensor 1 f32 [ 128; 512 ]; tensor 2 f32 [ 128; 10 ] ], (fun a b -> mm (t a) b), 2.0 * 128.0 * 512.0 * 10.0
      "mid_t", "x @ W.T, 128x512 by (512x512).T float32", [ tensor 1 f32 [ 128; 512 ]; tensor 2 f32 [ 512; 512 ] ], (fun a b -> mm a (t b)), 2.0 * 128.0 * 512.0 * 512.0
      "wgrad_784", "h.T @ dz, (128x784).T by 128x512 float32", [ tensor 1 f32 [ 128; 784 ]; tensor 2 f32 [ 128; 512 ] ], (fun a b -> mm (t a) b), 2.0 * 128.0 * 784.0 * 512.0
      "wgrad_512", "h.T @ dz, (128x512).T by 128x512 float32", [ tensor 1 f32 [ 128; 512 ]; tensor 2 f32 [ 128; 512 ] ], (fun a b -> mm (t a) b), 2.0 * 128.0 * 512.0 * 512.0
      "mlp_fwd", "x @ W, 128x784 by 784x512 float32", [ tensor 1 f32 [ 128; 784 ]; tensor 2 f32 [ 784; 512 ] ], mm, 2.0 * 128.0 * 784.0 * 512.0
      "sq256", "x @ y, 256x256 float32", [ tensor 1 f32 [ 256; 256 ]; tensor 2 f32 [ 256; 256 ] ], mm, 2.0 * 256.0 ** 3.0
      "sq1000d", "x @ y, 1000x1000 float64", [ tensor 1 f64 [ 1000; 1000 ]; tensor 2 f64 [ 1000; 1000 ] ], mm, 2.0 * 1000.0 ** 3.0
      "transpose", "transpose written, 512x784 float32", [ tensor 1 f32 [ 512; 784 ] ], (fun a _ -> np.copy (t a)), 0.0
      "transpose_add", "x.T + y, 1000x1000 float32", [ tensor 1 f32 [ 1000; 1000 ]; tensor 2 f32 [ 1000; 1000 ] ], (fun a b -> t a + b), 0.0 ]

/// The name of the workload with numpy_bench.py key `key`.
let name key = cases |> List.pick (fun (k, n, _, _, _) -> if k = key then Some n else None)

/// The rows: one jitted variant per workload (the float32 transposes are timed by the bytes they read and write).
let rows budget =
    cases
    |> List.collect (fun (_, name, operands, f, flops) ->
        let work = if flops > 0.0 then Flops flops else Bytes(4.0 * float (operands.Length + 1) * float operands.Head.Size)
        match operands with
        | [ a; b ] ->
            let jitted = jit (fun (x: Tensor, y: Tensor) -> f x y)
            interleave budget name work [ variant "jit" (fun () -> jitted (a, b) |> ignore) ]
        | [ a ] ->
            let jitted = jit (fun x -> f x x)
            interleave budget name work [ variant "jit" (fun () -> jitted a |> ignore) ]
        | _ -> [])
