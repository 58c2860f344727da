/// Control flow (cond, switch, while, fori_loop, scan) on the first OpenCL device (PoCL in CI),
/// eagerly and under jit, against the CPU's results: integers bit for bit, floats within the
/// bound docs/opencl.md gives. Every test skips, printing why, when no OpenCL platform is installed.
module OpenCL.ControlFlowTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open TestHelpers
open Transforms.Checks
open OpenCL.Ulps


let private seed = 1313

/// Random values of a dtype and shape from a seed (small integers plus a fraction for floats).
let private randomTensor (s: int) (dtype: DType) (shape: int[]) =
    let random = Random s
    let values = Array.init (Array.fold (*) 1 shape) (fun _ -> float (random.Next(-4, 5)) + random.NextDouble())
    Np.AsType(Tensor.FromArray(values, Shape shape), dtype)

let private floatsOf (t: Tensor) = Lax.ConvertElementType(t, DType.Float64).ToArray<float>()

/// An OpenCL result against the CPU's: on the device, same shape and dtype, integers and bools
/// bit for bit, floats within `bound` ulp.
let private expectAgrees (d: Device) (bound: int64) (what: string) (expected: Tensor) (actual: Tensor) =
    Expect.equal actual.Device d $"{what}: the result is on the device"
    Expect.equal actual.Shape expected.Shape $"{what}: shape"
    Expect.equal actual.DType expected.DType $"{what}: dtype"
    let e, a = floatsOf expected, floatsOf actual
    let float = actual.DType.IsFloat()
    let distance (x, y) = if float then ulps actual.DType x y elif x = y then 0L else Int64.MaxValue
    match Seq.zip e a |> Seq.tryFindIndex (fun p -> distance p > bound) with
    | Some i -> failtestf "%s (seed %d): %d ulp apart at %d (bound %d): cpu %.17g, opencl %.17g" what seed (distance (e[i], a[i])) i bound e[i] a[i]
    | None -> ()

/// `f` on the CPU (the reference), then on the device eagerly and under jit, every output compared.
let private agrees (d: Device) (bound: int64) (what: string) (f: Tensor[] -> Tensor[]) (args: Tensor[]) =
    let expected = f args
    let placed = args |> Array.map (devicePut d)
    for mode, actual in [ "eager", f placed; "jit", jit f placed ] do
        Expect.equal actual.Length expected.Length $"{what} {mode}: outputs"
        Array.iteri2 (fun k e a -> expectAgrees d bound $"{what} {mode}, output {k}" e a) expected actual

/// A cond whose branches differ in every operation, on both predicate values.
let private condCase (args: Tensor[]) =
    [| lax.cond (args[1] .> 0) (fun (x: Tensor) -> x * 3 + 1) (fun x -> np.abs x - 7) args[0] |]

/// A switch over three branches returning a pair.
let private switchCase (args: Tensor[]) =
    let a, b =
        lax.switch args[1] [ (fun (x: Tensor) -> x, x * 2); (fun x -> x + 1, np.negative x); (fun x -> x * x, x - x) ] args[0]
    [| a; b |]

/// A loop whose trip count depends on the data: grow a vector until its sum passes 1000.
let private whileCase (args: Tensor[]) =
    let i, x =
        lax.whileLoop (fun (_: Tensor, x: Tensor) -> np.sum (np.abs x) .< 1000) (fun (i: Tensor, x: Tensor) -> i + 1, x * 3 + 1) (Tensor.Scalar 0, args[0])
    [| i; x |]

/// A scan with two xs, a carry and two ys; forward, reverse, and as a counted loop without xs.
let private scanCase (reverse: bool) (args: Tensor[]) =
    let options = { lax.scanOptions with Reverse = reverse }
    let total, (sums, products) =
        lax.scanWith options (fun (c: Tensor) (x: Tensor, y: Tensor) -> let c' = c + x * y in c', (c', c * y)) (np.zerosLike (np.sumAxis 0 args[0])) (args[0], args[1])
    [| total; sums; products |]

let private rnnLoss (w: Tensor) (xs: Tensor) =
    let h, hs = lax.scan (fun (h: Tensor) (x: Tensor) -> let h' = np.tanh (np.matmul h w + x) in h', h') (np.zerosLike (np.sumAxis 0 xs)) xs
    np.sum h + np.sum (hs * hs)

[<Tests>]
let tests =
    testList
        "opencl control flow"
        [ for dtype in [ DType.Int32; DType.Float32 ] do
              onDevice $"cond runs the chosen branch on the device ({dtype.Name()})" (fun d ->
                  let x = randomTensor seed dtype [| 4; 3 |]
                  for p in [ 1; -1 ] do
                      agrees d 0L $"cond, predicate {p}" condCase [| x; Tensor.Scalar p |])

              onDevice $"switch clamps its index and runs that branch ({dtype.Name()})" (fun d ->
                  let x = randomTensor (seed + 1) dtype [| 5 |]
                  for index in [ -3; 0; 1; 2; 9 ] do
                      agrees d 0L $"switch, index {index}" switchCase [| x; Tensor.Scalar index |])

              onDevice $"while runs a data-dependent number of steps ({dtype.Name()})" (fun d ->
                  agrees d 0L "while" whileCase [| np.abs (randomTensor (seed + 2) dtype [| 6 |]) |])

              onDevice $"scan, reversed scan and the stacked ys ({dtype.Name()})" (fun d ->
                  let xs = randomTensor (seed + 3) dtype [| 7; 2 |]
                  let ys = randomTensor (seed + 4) dtype [| 7; 2 |]
                  agrees d 0L "scan" (scanCase false) [| xs; ys |]
                  agrees d 0L "reverse scan" (scanCase true) [| xs; ys |])

          onDevice "fori_loop with static and with dynamic bounds" (fun d ->
              let body (i: Tensor) (x: Tensor) = x * 2 + i
              agrees d 0L "static" (fun a -> [| lax.foriLoop 1 9 body a[0] |]) [| randomTensor seed DType.Int32 [| 3 |] |]
              agrees d 0L "dynamic" (fun a -> [| lax.foriLoopDynamic a[1] a[2] body a[0] |])
                  [| randomTensor seed DType.Int32 [| 3 |]; Tensor.Scalar 2; Tensor.Scalar 11 |])

          onDevice "a scan of a number of steps without xs, and an empty scan" (fun d ->
              let counted (a: Tensor[]) =
                  let c, ys = lax.scanWith { lax.scanOptions with Length = Some 6 } (fun (c: Tensor) () -> c * 2 + 1, c) a[0] ()
                  [| c; ys |]
              agrees d 0L "counted" counted [| randomTensor seed DType.Int32 [| 2 |] |]
              let empty (a: Tensor[]) = let c, ys = lax.scan (fun (c: Tensor) (x: Tensor) -> c + x, c) a[0] a[1] in [| c; ys |]
              agrees d 0L "length 0" empty [| randomTensor seed DType.Float32 [| 2 |]; np.zeros [| 0; 2 |] |])

          onDevice "grad of a scan under jit (its transpose is a reversed scan) runs on the device" (fun d ->
              let w = randomTensor seed DType.Float32 [| 3; 3 |] * 0.3
              let xs = randomTensor (seed + 1) DType.Float32 [| 5; 3 |] * 0.3
              let gradient (a: Tensor[]) = [| grad (fun (w: Tensor) -> rnnLoss w a[1]) a[0] |]
              // tanh is within 4 ulp of the CPU's per call and the matrix products sum in another order; over
              // 5 steps forward and back the gradient lands 16 ulp from the CPU's at this seed: 64 leaves room
              agrees d 64L "grad" gradient [| w; xs |])

          // a batched predicate reduces with reduce_or, whose OpenCL kernel comes with the index kernels (issue 13)
          onDevice "vmap of a while (batched carries, batched predicate) and of a scan" (fun d ->
              let xs = randomTensor seed DType.Int32 [| 4; 3 |]
              let batchedWhile (a: Tensor[]) =
                  let step (i: Tensor, x: Tensor) = i + 1, x * 3 + i
                  [| vmap (fun (x: Tensor) -> snd (lax.whileLoop (fun (i: Tensor, _: Tensor) -> i .< 5) step (Tensor.Scalar 0, x))) a[0] |]
              agrees d 0L "vmap while" batchedWhile [| xs |]
              // a batched predicate: each example stops after its own number of steps (reduce_or of the predicates)
              let untilLarge (a: Tensor[]) = [| vmap (fun (x: Tensor) -> lax.whileLoop (fun (y: Tensor) -> y .< 1000) (fun y -> y * 3 + 1) x) a[0] |]
              agrees d 0L "vmap while, batched predicate" untilLarge [| Tensor.FromArray([| 0; 5; 999; 1000; -7 |], Shape [| 5 |]) |]
              // batched along axis 1, where a batched scan keeps its sequences' batch axis (no transpose)
              let seqs = randomTensor (seed + 1) DType.Int32 [| 6; 4; 2 |]
              agrees d 0L "vmap scan" (fun a -> vmapWith [ Some 1 ] [ Some 0; Some 1; Some 1 ] (fun (x: Tensor) -> scanCase false [| x; x |]) a[0]) [| seqs |]
              // batched along axis 0, where the batched scan moves the batch axis (a transpose on the device)
              agrees d 0L "vmap scan, axis 0" (fun a -> vmapWith [ Some 0 ] [ Some 0; Some 0; Some 0 ] (fun (x: Tensor) -> scanCase false [| x; x |]) a[0]) [| np.transposeAxes [| 1; 0; 2 |] seqs |])

          onDevice "nested: a scan inside a while inside a cond" (fun d ->
              let rows = Tensor.FromArray([| 0; 1; 2; 3; 4; 5 |], Shape [| 3; 2 |])
              let inner (x: Tensor) = fst (lax.scan (fun (c: Tensor) (row: Tensor) -> c + row * 2, ()) x rows)
              let nested (a: Tensor[]) =
                  [| lax.cond (np.sum a[0] .> 0) (fun x -> snd (lax.whileLoop (fun (i: Tensor, _) -> i .< 4) (fun (i: Tensor, x) -> i + 1, inner x) (Tensor.Scalar 0, x))) np.negative a[0] |]
              agrees d 0L "nested" nested [| np.abs (randomTensor seed DType.Int32 [| 2 |]) + 1 |])

          onDevice "a loop of scalars is one in-kernel loop: a while, and a fori_loop with static bounds" (fun d ->
              let newton (a: Tensor[]) =
                  let x = a[0]
                  [| lax.whileLoop (fun (y: Tensor) -> np.abs (y * y - x) .> 1e-5) (fun y -> 0.5 * (y + x / y)) x |]
              let wrapping (a: Tensor[]) = [| lax.foriLoop 0 1000 (fun i (c: Tensor) -> c * 3 + i) a[0] |]
              let x = np.abs (randomTensor seed DType.Float32 [||]) + 2.0
              let c = randomTensor seed DType.Int32 [||]
              agrees d 0L "newton" newton [| x |]
              agrees d 0L "wrapping fori_loop" wrapping [| c |]
              for name, f, arg in [ "newton", newton, x; "fori_loop", wrapping, c ] do
                  let jaxpr = Jax.MakeJaxpr(Func<Tensor, Tensor>(fun t -> (f [| t |])[0]), arg)
                  let program = JaxSharp.OpenCL.Runtime.OpenCLProgram(d :?> JaxSharp.OpenCL.Runtime.OpenCLDevice, JaxSharp.Transforms.Simplifier.Simplify jaxpr)
                  Expect.equal (List.ofSeq program.Sources |> List.map (fun s -> s.Contains "__kernel void scalar_loop")) [ true ] $"{name}: one kernel, the loop")

          // measures the device's whole pool: alone, not beside other tests that allocate on it
          testSequenced <| onDevice "device memory does not grow over many loop calls" (fun d ->
              let memory = (d :?> JaxSharp.OpenCL.Runtime.OpenCLDevice).Memory
              let f = jit (fun (x: Tensor) -> fst (lax.scan (fun (c: Tensor) (row: Tensor) -> c * 0.5 + row, ()) (np.sumAxis 0 x) x))
              let x = randomTensor seed DType.Float32 [| 8; 1 <<< 16 |] |> devicePut d
              let run n =
                  for _ in 1..n do
                      f x |> ignore
                  (f x).BlockUntilReady() |> ignore
              run 40
              let after = memory.AllocatedBytes
              run 200
              Expect.isLessThanOrEqual memory.AllocatedBytes (max after (JaxSharp.OpenCL.Runtime.DeviceMemory.CollectEvery + (64L <<< 20))) "the carries' buffers were reused"
              GC.Collect()
              GC.WaitForPendingFinalizers()
              Expect.isLessThanOrEqual memory.InUseBytes (8L <<< 20) "once collected, only the input is in use")
          // sequenced: the counter is the process's, and other tests lower loops for the CPU in parallel
          testSequenced
          <| onDevice "an OpenCL program lowers no cond, while or scan for the CPU (their bodies run on the device)" (fun d ->
              let f =
                  jit (fun (x: Tensor) ->
                      let counted = lax.foriLoopDynamic (Tensor.Scalar 0) (np.sum (np.abs x) |> np.astype DType.Int32) (fun _ (c: Tensor) -> c * 0.5 + 1.0) x
                      fst (lax.scan (fun (c: Tensor) (row: Tensor) -> c + row, ()) (np.sumAxis 0 counted) counted))
              let x = randomTensor seed DType.Float32 [| 3; 2 |]
              let before = JaxSharp.Cpu.ProgramFacts.ControlFlowLowerings
              (f (devicePut d x)).BlockUntilReady() |> ignore
              Expect.equal JaxSharp.Cpu.ProgramFacts.ControlFlowLowerings before "no control-flow body compiled for the CPU while building the OpenCL program"
              f x |> ignore
              Expect.isGreaterThan JaxSharp.Cpu.ProgramFacts.ControlFlowLowerings before "the same function jitted for the CPU lowers its loops (the counter counts)") ]
