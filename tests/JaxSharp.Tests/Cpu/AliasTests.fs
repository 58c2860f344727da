/// Reshapes without copies: a reshape (squeeze, expand_dims, a flatten, a broadcast that only
/// adds axes of size 1) that no loop fuses is an alias in the CPU program, its slot holding the
/// operand's array. Every program runs jitted and eagerly, and the values must agree; the plan
/// must hold no loop that only copies, and buffers shared by aliases must outlive every holder.
module Cpu.AliasTests

open System
open Expecto
open JaxSharp
open JaxSharp.Cpu
open JaxSharp.FSharp

/// A seeded tensor of the dtype (floats in [-1, 1), int32 in [-50, 50), bools); the seed is in every failure message.
let private seeded (dtype: DType) (seed: int) (shape: int[]) =
    let rng = Random(seed)
    let n = Array.fold (*) 1 shape
    if dtype = DType.Float64 then Tensor.FromArray(Array.init n (fun _ -> rng.NextDouble() * 2.0 - 1.0), Shape shape)
    elif dtype = DType.Float32 then Tensor.FromArray(Array.init n (fun _ -> float32 (rng.NextDouble() * 2.0 - 1.0)), Shape shape)
    elif dtype = DType.Int32 then Tensor.FromArray(Array.init n (fun _ -> rng.Next(-50, 50)), Shape shape)
    else Tensor.FromArray(Array.init n (fun _ -> rng.Next(2) = 1), Shape shape)

/// The program as jit compiles it (traced, then simplified).
let private programOf (f: Tensor[] -> Tensor[]) (xs: Tensor[]) =
    CpuProgram(JaxSharp.Transforms.Simplifier.Simplify(Jax.MakeJaxpr(Func<Tensor[], Tensor[]>(f), xs)))

let private aliases (program: CpuProgram) =
    program.Steps |> Seq.filter (fun s -> s :? CpuProgram.AliasRun) |> Seq.length

/// Loops that compute nothing and read one leaf as they write it: copies an alias should have replaced.
let private plainCopies (program: CpuProgram) =
    program.Steps
    |> Seq.filter (function
        | :? CpuProgram.LoopRun as l ->
            let f = l.Loop.Loop
            f.Nodes.Length = 0 && isNull f.Reduction && f.SideOutputs.Length = 0 && not l.Loop.IsCopy
            && f.Leaves.[f.Result.Leaf].Aval.Shape.Size = f.Output.Shape.Size
        | _ -> false)
    |> Seq.length

/// A tensor's values as floats (bools 0/1), for comparison.
let private valuesOf (t: Tensor) : float[] =
    match t.DType with
    | d when d = DType.Float64 -> t.ToArray<float>()
    | d when d = DType.Float32 -> t.ToArray<float32>() |> Array.map float
    | d when d = DType.Int32 -> t.ToArray<int>() |> Array.map float
    | _ -> t.ToArray<bool>() |> Array.map (fun b -> if b then 1.0 else 0.0)

/// Expects the outputs to have the eager outputs' types and values (within a float32 rounding for products).
let private expectEager (name: string) (actual: Tensor[]) (expected: Tensor[]) =
    Expect.equal actual.Length expected.Length $"{name}: outputs"
    for k in 0 .. expected.Length - 1 do
        Expect.equal (string actual.[k].Aval) (string expected.[k].Aval) $"{name}: output {k}'s type"
        let a, e = valuesOf actual.[k], valuesOf expected.[k]
        for i in 0 .. e.Length - 1 do
            if abs (a.[i] - e.[i]) > 1e-5 * (1.0 + abs e.[i]) then
                failwith $"{name}: output {k} element {i} is {a.[i]}, eagerly {e.[i]}"

/// Compiles the program, expects at least <paramref name="minAliases"/> aliases and no plain copy, and runs it against the eager path.
let private expectAliased (name: string) (minAliases: int) (f: Tensor[] -> Tensor[]) (xs: Tensor[]) =
    let program = programOf f xs
    Expect.isGreaterThanOrEqual (aliases program) minAliases $"{name}: aliases in the plan\n{Jax.Lower(Func<Tensor[], Tensor[]>(f), xs)}"
    Expect.equal (plainCopies program) 0 $"{name}: loops that only copy\n{Jax.Lower(Func<Tensor[], Tensor[]>(f), xs)}"
    expectEager name (program.Run xs) (f xs)
    program

[<Tests>]
let tests =
    testList
        "reshape aliases"
        [ test "W @ v.reshape(n, 1) reads v's buffer, and the listing says alias" {
              for dtype in [ DType.Float32; DType.Float64 ] do
                  let seed = 11
                  let xs = [| seeded dtype seed [| 30; 784 |]; seeded dtype (seed + 1) [| 784 |] |]
                  let f (a: Tensor[]) = [| np.matmul a.[0] (np.reshape [| 784; 1 |] a.[1]) |]
                  expectAliased $"W @ v.reshape(784, 1) {dtype} (seed {seed})" 1 f xs |> ignore
                  let listing = Jax.Lower(Func<Tensor[], Tensor[]>(f), xs)
                  Expect.stringContains listing "alias (no copy, the same buffer as" "the listing names the alias"
          }
          test "a product's result flattened before the next product is not copied" {
              for dtype in [ DType.Float32; DType.Float64 ] do
                  let seed = 12
                  let xs = [| seeded dtype seed [| 4; 6; 5 |]; seeded dtype (seed + 1) [| 5; 3 |]; seeded dtype (seed + 2) [| 18; 2 |] |]
                  expectAliased $"flatten between products {dtype} (seed {seed})" 1
                      (fun a -> [| np.matmul (np.reshape [| 4; 18 |] (np.matmul a.[0] a.[1])) a.[2] |]) xs |> ignore
          }
          test "squeeze, expand_dims and a broadcast adding axes of size 1 alias in every dtype" {
              for dtype in [ DType.Float32; DType.Float64; DType.Int32; DType.Bool ] do
                  let seed = 13
                  let xs = [| seeded dtype seed [| 3; 1; 4 |] |]
                  let name = $"relabelled outputs {dtype} (seed {seed})"
                  expectAliased name 3
                      (fun a -> [| np.squeeze a.[0]; np.expandDims 0 a.[0]; np.broadcastTo [| 1; 3; 1; 4 |] a.[0]; np.ravel a.[0] |]) xs
                  |> ignore
          }
          test "a sorted array (a kernel's pooled result) reshaped as an output keeps its values in every dtype" {
              for dtype in [ DType.Float32; DType.Float64; DType.Int32; DType.Bool ] do
                  let seed = 14
                  let xs = [| seeded dtype seed [| 6; 5 |] |]
                  let f (a: Tensor[]) = [| np.reshape [| 3; 10 |] (np.sort a.[0]) |]
                  let program = expectAliased $"reshape (sort x) {dtype} (seed {seed})" 1 f xs
                  // the output keeps the sorted buffer: later calls must not rent it again
                  let kept = program.Run xs
                  for later in 1 .. 3 do program.Run [| seeded dtype (seed + later) [| 6; 5 |] |] |> ignore
                  expectEager $"reshape (sort x) {dtype} (seed {seed}) after later calls" kept (f xs)
          }
          test "zero-size arrays alias" {
              let xs = [| np.zeros [| 0; 4 |]; np.zeros [| 4; 3 |] |]
              expectAliased "zero-size reshape" 1 (fun a -> [| np.reshape [| 4; 0 |] a.[0]; np.matmul (np.reshape [| 0; 4 |] a.[0]) a.[1] |]) xs |> ignore
          }
          test "an output aliasing an input shares its buffer, and neither is reused when donated later" {
              let x = seeded DType.Float32 15 [| 2; 6 |]
              let before = valuesOf x
              let flat = jit (fun (a: Tensor) -> np.reshape [| 12 |] a)
              let y = flat x
              Expect.isTrue (obj.ReferenceEquals(y.Data, x.Data)) "the output holds the input's buffer"
              Expect.isTrue y.SharesBuffer "the output is marked as sharing"
              Expect.isTrue x.SharesBuffer "the input is marked as sharing"
              let update = jitDonate [ 0 ] (fun (w: Tensor) -> w + 1.0)
              let y' = update y
              Expect.equal (valuesOf x) before "x keeps its values after y is donated"
              Expect.equal (valuesOf y') (before |> Array.map (fun v -> float (float32 v + 1.0f))) "the update"
              let x' = update x
              Expect.equal (valuesOf x') (before |> Array.map (fun v -> float (float32 v + 1.0f))) "the update of x"
          }
          test "outputs aliasing a constant or another output share its buffer" {
              let c = seeded DType.Float32 16 [| 4; 3 |]
              let cValues = valuesOf c
              let f (a: Tensor[]) =
                  let s = np.sumAxis 0 a.[0]
                  [| s; np.reshape [| 1; 5 |] s; np.reshape [| 12 |] c + 0.0 * np.sum a.[0]; np.reshape [| 3; 4 |] c |]
              let xs = [| seeded DType.Float32 17 [| 6; 5 |] |]
              let program = expectAliased "aliases of an output and a constant (seed 17)" 1 f xs
              let outs = program.Run xs
              Expect.isTrue (obj.ReferenceEquals(outs.[0].Data, outs.[1].Data)) "the reshaped sum holds the sum's buffer"
              Expect.isTrue (outs.[0].SharesBuffer && outs.[1].SharesBuffer) "both are marked as sharing"
              Expect.isTrue outs.[3].SharesBuffer "the reshaped constant is marked as sharing"
              let update = jitDonate [ 0 ] (fun (w: Tensor) -> w * 3.0)
              update outs.[0] |> ignore
              update outs.[3] |> ignore
              Expect.equal (valuesOf outs.[1]) (valuesOf (f xs).[1]) "the alias keeps its values after the sum is donated"
              Expect.equal (valuesOf (program.Run xs).[3]) cValues "the constant keeps its values"
          }
          test "a donated input that an output aliases is handed to no other output, and the alias stays valid" {
              let f (w: Tensor) = np.reshape [| 16 |] w, w * 2.0, w - 1.0
              let w = seeded DType.Float32 18 [| 4; 4 |]
              let expected = f (np.copy w)
              let flat, doubled, shifted = (jitDonate [ 0 ] f) w
              Expect.equal (valuesOf flat) (valuesOf (let e, _, _ = expected in e)) "the alias of the donated input"
              Expect.equal (valuesOf doubled) (valuesOf (let _, e, _ = expected in e)) "the second output"
              Expect.equal (valuesOf shifted) (valuesOf (let _, _, e = expected in e)) "the third output"
              Expect.isFalse (obj.ReferenceEquals(doubled.Data, flat.Data) || obj.ReferenceEquals(shifted.Data, flat.Data)) "no output is written into the aliased buffer"
              // an alias of the donated input read after the output of its shape is written: that output may not take it
              let g (w: Tensor) = w * 2.0, np.matmul (np.reshape [| 2; 8 |] w) (np.ones [| 8; 3 |])
              let w = seeded DType.Float32 19 [| 4; 4 |]
              let e1, e2 = g (np.copy w)
              let a1, a2 = (jitDonate [ 0 ] g) w
              Expect.equal (valuesOf a1) (valuesOf e1) "the update"
              expectEager "a product of the donated input's alias (seed 19)" [| a2 |] [| e2 |]
          }
          test "a pooled value whose alias outlives it keeps its values over many calls" {
              let f (a: Tensor[]) =
                  let flat = np.reshape [| 8; 12 |] (np.matmul a.[0] a.[1])
                  let t = np.tanh (np.matmul a.[0] a.[2])
                  let u = np.exp (np.matmul t a.[3])
                  // a loop reads the alias slot too, at the reshaped shape's strides
                  [| np.matmul flat a.[4] + np.sum u; np.sum (np.matmul flat a.[4]) + np.sum t + np.sum (np.tanh flat * np.arange 12.0f) |]
              let shapes = [| [| 16; 6 |]; [| 6; 6 |]; [| 6; 6 |]; [| 6; 6 |]; [| 12; 5 |] |]
              let jitted = Jax.Jit(Func<Tensor[], Tensor[]>(f))
              for seed in 0 .. 39 do
                  let xs = shapes |> Array.mapi (fun i s -> seeded DType.Float32 (100 * seed + i) s)
                  expectEager $"pooled alias, call {seed} (seeds {100 * seed}..)" (jitted.Invoke xs) (f xs)
              Expect.isGreaterThanOrEqual (aliases (programOf f [| for s in shapes -> np.zeros s |])) 1 "the flatten is an alias"
          }
          test "a loop body writing an alias of a product into its carry copies it into the given buffer" {
              let m = Tensor.FromArray(Array.init 64 (fun i -> float32 (Math.Sin(float i)) * 0.3f), Shape [| 8; 8 |])
              let body (c: Tensor) = np.reshape [| 4; 4 |] (np.matmul (np.reshape [| 2; 8 |] c) m)
              let c0 = seeded DType.Float32 20 [| 4; 4 |]
              let looped = jit (fun (c: Tensor) -> lax.foriLoop 0 25 (fun _ c -> body c) c)
              let mutable expected = c0
              for _ in 1 .. 25 do expected <- body expected
              for _ in 1 .. 3 do expectEager "fori_loop carrying reshape (x @ m) (seed 20)" [| looped c0 |] [| expected |]
          }
          test "vmap of x @ W and a gradient through a flatten alias and agree with the eager path" {
              let seed = 21
              let w = seeded DType.Float32 seed [| 12; 5 |]
              let xs = seeded DType.Float32 (seed + 1) [| 7; 3; 4 |]
              let batched (a: Tensor[]) = [| vmap (fun (x: Tensor) -> np.matmul (np.reshape [| 12 |] x) a.[1]) a.[0] |]
              expectAliased $"vmap (reshape x @ W) (seed {seed})" 1 batched [| xs; w |] |> ignore
              let loss (a: Tensor[]) =
                  [| grad (fun (p: Tensor) -> np.sum (np.tanh (np.matmul (np.reshape [| 7; 12 |] a.[0]) p))) a.[1] |]
              let program = programOf loss [| xs; w |]
              Expect.equal (plainCopies program) 0 "the gradient's plan copies nothing"
              expectEager $"grad through a flatten (seed {seed})" (program.Run [| xs; w |]) (loss [| xs; w |])
          } ]
