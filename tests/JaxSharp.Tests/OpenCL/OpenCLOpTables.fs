/// The op tables beyond the elementwise rows (reductions, cumulative ops, shape and index ops,
/// windows, convolution, linalg and decompositions, bits and PRNG) on the OpenCL device against the CPU: one
/// sample call per primitive that a table covers (a table's `covered` list; a primitive without a
/// sample fails the test), each jitted on the device. Integer results must match bit for bit,
/// shape and index ops on floats too; float reductions and linear algebra sum in another order,
/// so they match to 1e-5 (float32) relative to the largest magnitude (the decompositions in
/// detail: OpenCL.LinalgKernelTests).
module OpenCL.OpenCLOpTables

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open TestHelpers
open OpenCL.Ulps

/// One sample call: the primitive it exercises, its arguments, the function, and whether float results must match exactly.
type private Sample = { Primitive: string; Args: Tensor[]; F: Tensor[] -> Tensor[]; Exact: bool }

let private seed = 4242

let private floats (rng: Random) (shape: int[]) =
    Tensor.FromArray(Array.init (Array.fold (*) 1 shape) (fun _ -> float32 (rng.NextDouble() * 4.0 - 2.0)), Shape shape)

let private ints (rng: Random) (shape: int[]) =
    Tensor.FromArray(Array.init (Array.fold (*) 1 shape) (fun _ -> rng.Next(-9, 10)), Shape shape)

let private samples () =
    let rng = Random seed
    let x, i = floats rng [| 4; 5 |], ints rng [| 4; 5 |]
    let spd =
        let a = floats rng [| 4; 4 |]
        Np.Matmul(a, Np.Transpose a) + Np.Eye(4) * 4.0
    let one name args f exact = { Primitive = name; Args = args; F = f; Exact = exact }
    let unary name (input: Tensor) (f: Tensor -> Tensor) exact = one name [| input |] (fun a -> [| f a[0] |]) exact
    let image = floats rng [| 1; 6; 6; 1 |]
    let pool (t: Tensor) = Lax.ReduceWindow(t, "max", [| 1; 2; 2; 1 |], [| 1; 2; 2; 1 |], "VALID")
    [ unary "reduce_sum" x (fun t -> Lax.ReduceSum(t, 1)) false
      unary "reduce_max" x (fun t -> Lax.ReduceMax(t, 0)) true
      unary "reduce_min" i (fun t -> Lax.ReduceMin(t, 1)) true
      unary "reduce_prod" x (fun t -> Lax.ReduceProd(t, 1)) false
      unary "reduce_and" i (fun t -> Lax.ReduceAnd(t .> 0.0, 1)) true
      unary "reduce_or" i (fun t -> Lax.ReduceOr(t .> 5.0, 0)) true
      unary "argmax" x (fun t -> Lax.Argmax(t, 1, DType.Int32)) true
      unary "argmin" i (fun t -> Lax.Argmin(t, 0, DType.Int32)) true
      unary "cumsum" i (fun t -> Lax.Cumsum(t, 1, false)) true
      unary "cumprod" x (fun t -> Lax.Cumprod(t, 0, false)) false
      unary "cummax" x (fun t -> Lax.Cummax(t, 1, true)) true
      unary "cummin" i (fun t -> Lax.Cummin(t, 0, false)) true
      one "dot_general" [| x; floats rng [| 5; 3 |] |] (fun a -> [| Np.Matmul(a[0], a[1]) |]) false
      unary "broadcast_in_dim" (floats rng [| 5 |]) (fun t -> Lax.BroadcastInDim(t, Shape [| 3; 5 |], Ints [| 1 |])) true
      unary "reshape" x (fun t -> Lax.Reshape(t, Shape [| 2; 10 |]) * 2.0) true
      unary "transpose" x (fun t -> Lax.Transpose(t, Ints [| 1; 0 |]) + 1.0) true
      unary "squeeze" (floats rng [| 1; 5 |]) (fun t -> Lax.Squeeze(t, Ints [| 0 |])) true
      unary "expand_dims" x (fun t -> Lax.ExpandDims(t, Ints [| 0 |]) * 3.0) true
      unary "rev" x (fun t -> Lax.Rev(t, Ints [| 1 |])) true
      unary "slice" x (fun t -> Lax.Slice(t, Ints [| 1; 0 |], Ints [| 4; 5 |], Ints [| 2; 2 |])) true
      unary "dynamic_slice" x (fun t -> Lax.DynamicSlice(t, [| Tensor.Scalar 1; Tensor.Scalar 2 |], Ints [| 2; 3 |])) true
      one "dynamic_update_slice" [| x; floats rng [| 2; 2 |] |] (fun a -> [| Lax.DynamicUpdateSlice(a[0], a[1], [| Tensor.Scalar 2; Tensor.Scalar 1 |]) |]) true
      unary "gather" x (fun t -> Np.Take(t, Tensor.FromArray [| 3; 0; 2 |], 0)) true
      one "scatter" [| x; floats rng [| 2; 5 |] |] (fun a -> [| a[0].At(Ix.op_Implicit (Tensor.FromArray [| 2; 0 |])).Set(a[1]) |]) true
      one "scatter_add" [| x; floats rng [| 3; 5 |] |] (fun a -> [| a[0].At(Ix.op_Implicit (Tensor.FromArray [| 1; 3; 1 |])).Add(a[1]) |]) false
      one "scatter_mul" [| x; floats rng [| 2; 5 |] |] (fun a -> [| a[0].At(Ix.op_Implicit (Tensor.FromArray [| 1; 3 |])).Multiply(a[1]) |]) true
      one "scatter_min" [| x; floats rng [| 2; 5 |] |] (fun a -> [| a[0].At(Ix.op_Implicit (Tensor.FromArray [| 0; 3 |])).Min(a[1]) |]) true
      one "scatter_max" [| x; floats rng [| 2; 5 |] |] (fun a -> [| a[0].At(Ix.op_Implicit (Tensor.FromArray [| 0; 2 |])).Max(a[1]) |]) true
      one "concatenate" [| x; floats rng [| 2; 5 |] |] (fun a -> [| Lax.Concatenate([ a[0]; a[1] ], 0) |]) true
      unary "pad" x (fun t -> Lax.Pad(t, Tensor.Scalar 0.5f, [| struct (1, 0, 1); struct (0, 2, 0) |])) true
      unary "iota" x (fun t -> t + Lax.Iota(DType.Float32, 5)) true
      unary "sort" x (fun t -> Lax.Sort(t, 1)) true
      unary "reduce_window_sum" image (fun t -> Lax.ReduceWindow(t, "sum", [| 1; 3; 3; 1 |])) false
      unary "reduce_window_max" image pool true
      unary "reduce_window_min" image (fun t -> Lax.ReduceWindow(t, "min", [| 1; 2; 3; 1 |])) true
      unary "select_and_gather_add" image (fun t -> snd (jvp pool t (t * 0.5))) true
      unary "select_and_scatter_add" image (grad (fun t -> np.sum (pool t))) true
      one "conv_general_dilated" [| floats rng [| 9 |]; floats rng [| 3 |] |] (fun a -> [| Np.Convolve(a[0], a[1], "full") |]) false
      unary "cholesky" spd (fun t -> Lax.Cholesky t) false
      one "triangular_solve" [| spd; floats rng [| 4; 2 |] |] (fun a -> [| Lax.TriangularSolve(a[0], a[1], leftSide = true, lower = true) |]) false
      unary "lu" spd (fun t -> let struct (lu, _, _) = Lax.Lu t in lu) false
      unary "eigh" spd (fun t -> let struct (_, w) = Lax.Eigh t in w) false
      unary "svd" spd (fun t -> let struct (_, s, _) = Lax.Svd t in s) false
      unary "qr" spd (fun t -> let struct (_, r) = Lax.Qr t in np.abs r) false
      one "shift_left" [| Tensor.FromArray [| 1u; 0x80000000u; 7u; 3u |]; Tensor.FromArray [| 1u; 1u; 33u; 31u |] |] (fun a -> [| Lax.ShiftLeft(a[0], a[1]) |]) true
      one "shift_right_logical" [| Tensor.FromArray [| 1u; 0x80000000u; 7u; 3u |]; Tensor.FromArray [| 1u; 31u; 32u; 0u |] |] (fun a -> [| Lax.ShiftRightLogical(a[0], a[1]) |]) true
      unary "bitcast_convert_type" x (fun t -> Lax.BitcastConvertType(t, DType.Int32)) true
      unary "random_seed" (Tensor.FromArray [| 3; -1 |]) (fun t -> Rng.Key t) true
      unary "random_split" (Rng.Key 5) (fun k -> Rng.Split(k, 3)) true
      unary "random_fold_in" (Rng.Key 5) (fun k -> Rng.FoldIn(k, 3)) true
      unary "random_bits" (Rng.Key 5) (fun k -> Rng.Bits(k, Shape [| 5 |], 32)) true
      unary "random_gamma" (Rng.Key 5) (fun k -> Rng.Gamma(k, Tensor.FromArray [| 0.5f; 2.0f; 9.0f |])) false
      unary "random_poisson" (Rng.Key 5) (fun k -> Rng.Poisson(k, Tensor.FromArray [| 3.0f; 40.0f |])) true ]

let private compare (name: string) (exact: bool) (expected: Tensor) (actual: Tensor) =
    Expect.equal actual.Shape expected.Shape $"{name}: shape"
    Expect.equal actual.DType expected.DType $"{name}: dtype"
    let e, a = toFloats expected, toFloats actual
    let scale = if e.Length = 0 then 1.0 else e |> Array.map abs |> Array.max |> max 1.0
    for k in 0 .. e.Length - 1 do
        let ok =
            if exact || not (actual.DType.IsFloat()) then e[k] = a[k] || (Double.IsNaN e[k] && Double.IsNaN a[k])
            else abs (e[k] - a[k]) <= 1e-5 * scale
        if not ok then failtest $"{name} (seed {seed}): element {k} is {a[k]} on the device, {e[k]} on the CPU"

let private covered =
    Set.unionMany
        [ set OpTable.ReductionOps.covered; set OpTable.ShapeOps.covered; set OpTable.WindowOps.covered
          set OpTable.ConvOps.covered; set OpTable.LinalgOps.covered; set OpTable.DecompositionOps.covered
          set RandomOpTable.covered ]

[<Tests>]
let tests =
    testList
        "opencl"
        [ testList
              "op tables"
              [ test "every primitive the reduction, shape, window, conv, linalg, decomposition and random tables cover has a sample" {
                    let sampled = samples () |> List.map _.Primitive |> set
                    Expect.isEmpty (covered - sampled) "primitives without a sample here"
                }
                onDevice $"each sample runs jitted on the device and matches the CPU (seed {seed})" (fun d ->
                    printfn $"opencl op tables: seed {seed}"
                    let failures = ResizeArray()
                    for s in samples () do
                        let expected = s.F s.Args
                        try
                            let actual = Jax.Jit(Func<Tensor[], Tensor[]>(s.F)).Invoke(Array.map (devicePut d) s.Args)
                            for e, a in Array.zip expected actual do
                                Expect.equal a.Device d $"{s.Primitive}: the result is on the device"
                                compare s.Primitive s.Exact e a
                        with e when not (e :? Expecto.AssertException) -> failures.Add $"{s.Primitive}: {e.GetType().Name}: {e.Message}"
                    if failures.Count > 0 then failtest (String.concat "\n" failures))
                onDevice "a primitive with no kernel is a NotSupportedException naming it and the device, and how to run it on the CPU" (fun d ->
                    let e = JaxSharp.OpenCL.Kernels.HandKernels.Missing("some_primitive", d)
                    Expect.stringStarts e.Message $"some_primitive: no OpenCL kernel on {d}" "names the primitive and the device"
                    Expect.stringContains e.Message "Jax.DevicePut(x, Jax.Devices(\"cpu\")[0])" "says how to run it on the CPU") ] ]
