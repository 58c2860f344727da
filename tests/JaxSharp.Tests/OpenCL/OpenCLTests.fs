/// The OpenCL backend on the first OpenCL device (PoCL in CI): devices, placement and its
/// errors, the elementwise op table against the CPU's results, fused jitted programs, and
/// device memory that does not grow. Every test skips, printing why, when no OpenCL platform
/// is installed. The op table runs on one sample per row and dtype (shapes [3; 5; 7] and
/// [5; 7]), all rows of a dtype in one jitted program, to keep the suite short on 2 cores.
module OpenCL.OpenCLTests

open System
open System.IO
open Expecto
open FsCheck
open FsCheck.FSharp
open JaxSharp
open JaxSharp.FSharp
open JaxSharp.Primitives
open OpTable.Generators
open OpTable.ElementwiseOps
open TestHelpers
open OpenCL.Ulps

let private cpu = Jax.Devices() |> Seq.head

let private inputDType (row: Row) (dtype: DType) (argument: int) =
    if row.Name = "select" && argument = 0 then DType.Bool else dtype

/// A row's arguments, seeded: all of shape [5; 7], but for several arguments the first ones
/// of shape [3; 5; 7], so that the last is broadcast.
let private argumentsOf (row: Row) (dtype: DType) (seed: int) =
    let n = row.Inputs.Length
    [| for i in 0 .. n - 1 do
           let shape = if i < n - 1 then [| 3; 5; 7 |] else [| 5; 7 |]
           let values = Gen.sampleWithSeed (Rnd(uint64 (seed + i))) 10 (Array.fold (*) 1 shape) (row.Inputs[i] dtype)
           tensorOf (inputDType row dtype i) shape values |]

/// Every row of a dtype in one jitted program on the device (a few fused kernels, rather than
/// one kernel per row, to keep the build time small), each output against the CPU's eager result.
let private checkDType (d: Device) (dtype: DType) =
    let seed = 1000 + int dtype
    let cases =
        rows
        |> List.filter (fun row -> List.contains dtype row.DTypes)
        |> List.map (fun row -> row, PrimitiveRegistry.Get row.Name, argumentsOf row dtype seed)
    let all = Jax.Jit(fun (args: Tensor[]) ->
        let mutable k = 0
        [| for row, primitive, arguments in cases do
               let these = args[k .. k + arguments.Length - 1]
               k <- k + arguments.Length
               primitive.Bind(row.Params, these) |])
    let onDevice = all.Invoke [| for _, _, arguments in cases do for a in arguments -> devicePut d a |]
    for (row, primitive, arguments), actual in List.zip cases (List.ofArray onDevice) do
        let expected = primitive.Bind(row.Params, arguments)
        Expect.equal actual.Device d $"{row.Name} {dtype}: the result is on the device"
        Expect.equal actual.Shape expected.Shape $"{row.Name} {dtype}: shape"
        Expect.equal actual.DType expected.DType $"{row.Name} {dtype}: dtype"
        let e, a = toFloats expected, toFloats actual
        let float = actual.DType.IsFloat()
        let bound = if float then ulpBound actual.DType row.Name else 0L
        let distance (x, y) = if float then ulps actual.DType x y elif x = y then 0L else Int64.MaxValue
        match Seq.zip e a |> Seq.tryFindIndex (fun p -> distance p > bound) with
        | Some i ->
            failtestf "%s %A %A (seed %d): %d ulp apart at %d (bound %d): cpu %.17g, opencl %.17g" row.Name dtype row.Params seed (distance (e[i], a[i])) i bound e[i] a[i]
        | None -> ()

let private dims lc rc lb rb =
    LinearAlgebra.DotDimensionNumbers(Ints(lc: int[]), Ints(rc: int[]), Ints(lb: int[]), Ints(rb: int[]))

/// Random values of a dtype and shape, from a printed seed (small integers, so int products are exact anywhere).
let private randomTensor (seed: int) (dtype: DType) (shape: int[]) =
    let random = Random seed
    let values = Array.init (Array.fold (*) 1 shape) (fun _ -> float (random.Next(-8, 9)) + random.NextDouble())
    Np.AsType(Tensor.FromArray(values, Shape shape), dtype)

/// The dot_general cases: a matrix product over more than one tile with ragged edges, a vector
/// product, a batched product, transposed operands read in place, two contracted axes, an empty contraction.
let private dotCases =
    [ "a 70 x 45 by 45 x 130 matrix product", [| 70; 45 |], [| 45; 130 |], dims [| 1 |] [| 0 |] [||] [||]
      "a matrix by a vector", [| 9; 33 |], [| 33 |], dims [| 1 |] [| 0 |] [||] [||]
      "a batch of 3 products, batch axis last on the rhs", [| 3; 17; 20 |], [| 20; 66; 3 |], dims [| 2 |] [| 0 |] [| 0 |] [| 2 |]
      "x @ y.T with both operands transposed", [| 19; 21 |], [| 23; 19 |], dims [| 0 |] [| 1 |] [||] [||]
      "two contracted axes in swapped order", [| 4; 5; 6 |], [| 6; 7; 4 |], dims [| 0; 2 |] [| 2; 0 |] [||] [||]
      "an empty contraction (zeros)", [| 3; 0 |], [| 0; 4 |], dims [| 1 |] [| 0 |] [||] [||] ]

let private checkDot (d: Device) (dtype: DType) =
    for k, (name, lhsShape, rhsShape, dn) in List.indexed dotCases do
        let seed = 7000 + 10 * int dtype + k
        printfn $"opencl dot_general {dtype} {name}: seed {seed}"
        let lhs, rhs = randomTensor seed dtype lhsShape, randomTensor (seed + 1) dtype rhsShape
        let expected = Lax.DotGeneral(lhs, rhs, dn)
        let actual = jit (fun (a: Tensor, b: Tensor) -> Lax.DotGeneral(a, b, dn)) (devicePut d lhs, devicePut d rhs)
        Expect.equal actual.Device d $"{name} ran on the device"
        Expect.equal actual.Shape expected.Shape $"{name}: shape"
        let e, a = toFloats expected, toFloats actual
        // float sums run in another order than the CPU's; the bound scales with the sum of |terms|
        let scale = toFloats (Lax.DotGeneral(np.abs lhs, np.abs rhs, dn))
        let epsilon = if dtype = DType.Float32 then 1e-6 else if dtype = DType.Float64 then 1e-14 else 0.0
        for i in 0 .. e.Length - 1 do
            if abs (a[i] - e[i]) > epsilon * scale[i] then
                failtest $"dot_general {dtype} {name}: element {i} is {a[i]} on {d}, {e[i]} on the CPU (seed {seed})"

[<Tests>]
let tests =
    testList
        "opencl"
        [ onDevice "Jax.Devices() lists the CPU first, then the OpenCL devices with a platform, name, kind and memory" (fun d ->
              let all = devices ()
              Expect.equal all.Head.Platform "cpu" "the CPU comes first"
              Expect.contains all d "the OpenCL device is listed"
              Expect.equal d.Platform "opencl" "platform"
              Expect.isNotEmpty d.Name "name"
              Expect.isGreaterThan d.MemoryBytes 0L "memory"
              Expect.equal (all |> List.map _.Id) [ 0 .. all.Length - 1 ] "ids are positions"
              Expect.stringContains (string d) "opencl:" "printed with its platform")

          testList
              "the elementwise op table matches the CPU"
              [ for dtype in [ DType.Bool; DType.Int32; DType.UInt32; DType.Float32; DType.Float64 ] do
                    onDevice $"every row of {dtype}, within the documented ulp" (fun d ->
                        if dtype = DType.Float64 && not (d :?> JaxSharp.OpenCL.Runtime.OpenCLDevice).HasFloat64 then
                            skiptest $"{d} has no cl_khr_fp64"
                        checkDType d dtype) ]

          testList
              "dot_general matches the CPU"
              [ for dtype in [ DType.Float32; DType.Float64; DType.Int32 ] do
                    onDevice $"{dtype}: matrix, vector, batched, transposed, two-axis and empty products" (fun d ->
                        if dtype = DType.Float64 && not (d :?> JaxSharp.OpenCL.Runtime.OpenCLDevice).HasFloat64 then
                            skiptest $"{d} has no cl_khr_fp64"
                        checkDot d dtype) ]

          onDevice "an eager matmul and x @ x.T under jit run on the device" (fun d ->
              let x = Tensor.FromArray(array2D [ [ 1f; 2f; 3f ]; [ 4f; 5f; 6f ] ]) |> devicePut d
              let y = Tensor.FromArray(array2D [ [ 1f; 4f ]; [ 2f; 5f ]; [ 3f; 6f ] ]) |> devicePut d
              let product = Np.Matmul(x, y)
              Expect.equal product.Device d "eager, on the device"
              Expect.equal (product.ToArray<float32>()) [| 14f; 32f; 32f; 77f |] "x @ y"
              let gram = jit (fun (a: Tensor) -> Np.Matmul(a, Np.Transpose a) * 2.0)
              Expect.equal ((gram x).ToArray<float32>()) [| 28f; 64f; 64f; 154f |] "jitted, with an elementwise kernel after it")

          onDevice "random bits (21 draws, an odd count) and split keys are the CPU's bit for bit, in both schemes, for every bit width and a batch of keys" (fun d ->
              let u32s (t: Tensor) = t.ToArray<uint32>()
              for scheme in [ JaxSharp.Random.ThreefryScheme.Partitionable; JaxSharp.Random.ThreefryScheme.Original ] do
                  use _ = Rng.UseScheme scheme
                  let key = RandomKnownAnswers.caseKey "bits"
                  let keys = Rng.Split(Rng.Key 1701, 3)
                  for k in [ key; keys ] do
                      for width in [ 8; 16; 32; 64 ] do
                          let bits (keys: Tensor) = JaxSharp.Primitives.Random.RandomBits.Instance.Bind(JaxSharp.Primitives.Random.RandomBitsParams(width, Shape [| 3; 7 |], scheme), keys)
                          let onCpu, onCl = bits k, bits (devicePut d k)
                          Expect.equal onCl.Device d "ran on the device"
                          Expect.equal (u32s onCl) (u32s onCpu) $"{scheme} {width} bits of shape (3, 7) from keys {k.Shape}"
                      for count in [ 4; 5 ] do
                          let split (keys: Tensor) = JaxSharp.Primitives.Random.RandomSplit.Instance.Bind(JaxSharp.Primitives.Random.RandomSplitParams(Shape [| count |], scheme), keys)
                          Expect.equal (u32s (split (devicePut d k))) (u32s (split k)) $"{scheme} split into {count} from keys {k.Shape}"
              use _ = Rng.UseScheme JaxSharp.Random.ThreefryScheme.Original
              Expect.equal (u32s (Rng.Bits(devicePut d (Rng.Key 1701), Shape [| 3 |], 8))) [| 216u; 115u; 43u |] "JAX's testRngRandomBits, 8 bits"
              Expect.equal (u32s (Rng.Bits(devicePut d (Rng.Key 1701), Shape [| 3 |]))) [| 56197195u; 4200222568u; 961309823u |] "and 32 bits")

          test "float and double literals print as OpenCL C, negative ones in parentheses with the suffix inside" {
              let literal (v: obj) = JaxSharp.OpenCL.CodeGen.OpenCLPrinter.Literal v
              Expect.equal (literal (box -1.5f)) "(-1.5f)" "a negative float"
              Expect.equal (literal (box -2.5e-10f)) "(-2.5E-10f)" "a negative float with an exponent"
              Expect.equal (literal (box 3.0f)) "3.0f" "a whole float"
              Expect.equal (literal (box -0.25)) "(-0.25)" "a negative double"
          }

          onDevice "random_seed and random_fold_in are the CPU's bit for bit: scalar and batched seeds, keys and messages broadcast, eager and under jit" (fun d ->
              let u32s (t: Tensor) = t.ToArray<uint32>()
              let seeds = Tensor.FromArray [| 0; 1701; -1; Int32.MinValue; 42 |]
              for s in [ Tensor.Scalar 1701; seeds; Np.AsType(seeds, DType.UInt32) ] do
                  let onCl = Rng.Key(devicePut d s)
                  Expect.equal onCl.Device d "ran on the device"
                  Expect.equal (u32s onCl) (u32s (Rng.Key s)) $"keys of seeds {s}"
              let keys = Rng.Split(Rng.Key 7, 3)
              let messages = Tensor.FromArray [| 0u; 1u; 0xFFFFFFFFu |]
              for k, m in [ Rng.Key 0, Tensor.Scalar 5u; keys, Tensor.Scalar 9u; Rng.Key 3, messages; keys, messages; Np.Reshape(keys, [| 3; 1; 2 |]), messages ] do
                  let foldIn (k: Tensor, m: Tensor) = JaxSharp.Primitives.Random.RandomFoldIn.Instance.Bind(PrimitiveParams.None, k, m)
                  let expected = u32s (foldIn (k, m))
                  Expect.equal (u32s (foldIn (devicePut d k, devicePut d m))) expected $"eager fold_in of keys {k.Shape} and messages {m.Shape}"
                  Expect.equal (u32s (jit foldIn (devicePut d k, devicePut d m))) expected $"jitted fold_in of keys {k.Shape} and messages {m.Shape}"
              let sampled = jit (fun (s: Tensor) -> Rng.Normal(Rng.FoldIn(Rng.Key s, 3), Shape [| 4 |]))
              Expect.equal ((sampled (devicePut d (Tensor.Scalar 12))).ToArray<float32>()) ((sampled (Tensor.Scalar 12)).ToArray<float32>()) "a normal draw from a folded key of a seed, seed to samples on the device")

          onDevice "reduce_and and reduce_or on the device are the CPU's over every axis subset, an empty axis and a scalar" (fun d ->
              let random = Random 31
              printfn "opencl logical reductions: seed 31"
              let x = Tensor.FromArray(Array.init 24 (fun _ -> random.Next 4 > 0), Shape [| 2; 3; 4 |])
              let empty = Tensor.FromArray(Array.empty<bool>, Shape [| 3; 0 |])
              let cases = [ x, [||]; x, [| 0 |]; x, [| 1 |]; x, [| 2 |]; x, [| 0; 2 |]; x, [| 0; 1; 2 |]; empty, [| 1 |]; empty, [| 0 |] ]
              for t, axes in cases do
                  for name, f in [ "reduce_and", (fun (v: Tensor) -> Lax.ReduceAnd(v, axes)); "reduce_or", (fun (v: Tensor) -> Lax.ReduceOr(v, axes)) ] do
                      let onCl = jit f (devicePut d t)
                      Expect.equal onCl.Device d $"{name} ran on the device"
                      Expect.equal (onCl.ToArray<bool>()) ((f t).ToArray<bool>()) $"{name} over axes %A{axes} of {t.Shape}")

          onDevice "the zero gradient of an input the output does not depend on is committed to the input's device, as the other gradients" (fun d ->
              let x, y = Tensor.FromArray [| 1f; 2f |] |> devicePut d, Tensor.FromArray [| 3f; 4f |] |> devicePut d
              let gx, gy = grad (fun (x: Tensor, _: Tensor) -> np.sum (x * 2.0)) (x, y)
              Expect.equal gx.Device d "the nonzero gradient"
              Expect.equal gy.Device d "the zero gradient"
              Expect.equal (gy.ToArray<float32>()) [| 0f; 0f |] "zeros"
              let _, dy = jvp (fun (_: Tensor) -> Tensor.FromArray [| 5f |]) x x
              Expect.equal (dy.ToArray<float32>()) [| 0f |] "a constant's tangent is zero"
              let gHost = grad (fun (x: Tensor) -> np.sum (x * 0.0 + 1.0)) (Tensor.FromArray [| 1f |])
              Expect.equal gHost.Device cpu "host values keep host gradients")

          onDevice "Jax.Lower (F# lower) of values on the device prints each kernel's OpenCL C, the prelude once; of host values the CPU listing" (fun d ->
              let f (x: Tensor) = np.sum (np.exp x * 2.0)
              let x = Tensor.FromArray(Array.zeroCreate<float32> 8)
              let listing = lower f (devicePut d x)
              Expect.stringContains listing $"OpenCL program for {d}" "names the device"
              Expect.stringContains listing "__kernel void fused(" "holds the kernel's source"
              Expect.stringContains listing "exp(" "the kernel calls exp"
              Expect.stringContains listing "float jx_erf_float(float x)" "and the prelude"
              let preludes = listing.Split("jx_neg_int(int x)").Length - 1
              Expect.equal preludes 1 "the prelude is printed once"
              Expect.isFalse ((lower f x).Contains "__kernel") "host values: the CPU's listing"
              // the device's name differs from machine to machine: the page shows a placeholder
              let shown = "```text\n" + listing.Substring(0, listing.IndexOf "\n// the prelude").TrimEnd().Replace(string d, "opencl:1 (its name)") + "\n```"
              let path = repoFile "docs/opencl.md"
              let doc = File.ReadAllText path
              if doc.Contains "LOWER_LISTING" then
                  File.WriteAllText(path, doc.Replace("LOWER_LISTING", shown))
                  failtest "docs/opencl.md had no listing of lower; it has been written from this run: review and commit it"
              Expect.stringContains doc shown "docs/opencl.md shows this listing (up to the prelude)")

          onDevice "uniform of key(0) under jit on the device is JAX's documented [0.947667, 0.9785799, 0.33229148]" (fun d ->
              let uniform = jit (fun (key: Tensor) -> Rng.Uniform(key, Shape [| 3 |]))
              let x = uniform (devicePut d (Rng.Key 0))
              Expect.equal x.Device d "ran on the device"
              Expect.equal (x.ToArray<float32>()) [| 0.947667f; 0.9785799f; 0.33229148f |] "JAX's numbers")

          onDevice "eager calls run each primitive on the device: add, exp, a comparison, a reduction" (fun d ->
              let x = Tensor.FromArray(Array.init 12 (fun i -> float32 i / 4f), Shape [| 3; 4 |])
              let xd = devicePut d x
              for name, f in [ "add", (fun (t: Tensor) -> t + t); "exp", np.exp; "gt", (fun t -> np.where (t .> 1.0) t (t * 0.0)); "sum", np.sumAxis 0 ] do
                  let onCl, onCpu = f xd, f x
                  Expect.equal onCl.Device d $"{name} ran on the device"
                  for a, b in Array.zip (onCl.ToArray<float32>()) (onCpu.ToArray<float32>()) do
                      Expect.isLessThanOrEqual (ulps DType.Float32 (float a) (float b)) (ulpBound DType.Float32 name) $"{name}: {a} vs {b}")

          onDevice "a value never placed joins the device of a committed one, and the result stays there" (fun d ->
              let x = Tensor.FromArray [| 1f; 2f; 3f |] |> devicePut d
              let y = Tensor.FromArray [| 10f; 20f; 30f |]
              let z = x + y
              Expect.equal z.Device d "computed on the device"
              Expect.equal (z.ToArray<float32>()) [| 11f; 22f; 33f |] "reading copies back"
              Expect.equal (np.sin z).Device d "and calls on the result stay there"
              Expect.stringContains (string z) "11." "printing copies back")

          onDevice "values committed to two devices in one call are an error naming both and the fix" (fun d ->
              let x = Tensor.FromArray [| 1f; 2f |] |> devicePut d
              let y = Tensor.FromArray [| 1f; 2f |] |> devicePut cpu
              let e = throws<InvalidOperationException> (fun () -> (x + y) |> ignore)
              Expect.stringContains e.Message (string d) "names the OpenCL device"
              Expect.stringContains e.Message (string cpu) "names the CPU"
              Expect.stringContains e.Message "Jax.DevicePut" "says how to fix it"
              let f = jit (fun (a: Tensor) -> a * 2.0)
              Expect.equal ((f x).ToArray<float32>()) [| 2f; 4f |] "one committed value is fine under jit"
              Expect.throwsT<InvalidOperationException> (fun () -> jit (fun (a: Tensor, b: Tensor) -> a + b) (x, y) |> ignore) "and two are an error under jit too"
              |> ignore)

          onDevice "a jitted function runs its fused groups on the device and matches the CPU; each device has its program" (fun d ->
              let selu (x: Tensor) =
                  let alpha, scale = 1.6732632423543772, 1.0507009873554805
                  scale * np.where (x .> 0.0) x (alpha * (np.exp x - 1.0))
              let f = jit (fun (x: Tensor) -> np.sum (selu x) + np.max (np.abs x))
              let g = jit (fun (x: Tensor) -> np.sumAxis 1 (selu x * 2.0))
              let x = Tensor.FromArray(Array.init 300 (fun i -> float32 (i - 150) / 37f), Shape [| 20; 15 |])
              let onCpu, onCl = f x, f (devicePut d x)
              Expect.equal onCl.Device d "ran on the device"
              Expect.floatClose Accuracy.medium (float (onCl.Item<float32>())) (float (onCpu.Item<float32>())) "sum of selu plus max |x|"
              let rowsCpu, rowsCl = g x, g (devicePut d x)
              Expect.equal rowsCl.Shape rowsCpu.Shape "row sums' shape"
              for a, b in Array.zip (rowsCl.ToArray<float32>()) (rowsCpu.ToArray<float32>()) do
                  Expect.floatClose Accuracy.medium (float a) (float b) "row sums")

          onDevice "docs/opencl.md: the kernel listed for exp x * 2 + y is the one generated" (fun d ->
              let x = Tensor.FromArray(Array.zeroCreate<float32> 8)
              let jaxpr = Jax.MakeJaxpr(Func<Tensor, Tensor, Tensor>(fun a b -> np.exp a * 2.0 + b), x, x)
              let program = JaxSharp.OpenCL.Runtime.OpenCLProgram(d :?> JaxSharp.OpenCL.Runtime.OpenCLDevice, JaxSharp.Transforms.Simplifier.Simplify jaxpr)
              let source = Seq.exactlyOne program.Sources
              let kernel = source.Substring(source.IndexOf "__kernel").Trim()
              let doc = File.ReadAllText(repoFile "docs/opencl.md")
              let start = doc.IndexOf "```c\n" + 5
              let listed = doc.Substring(start, doc.IndexOf("```", start) - start).Trim()
              Expect.equal listed kernel "the listing is the generated kernel")

          onDevice "BlockUntilReady waits for the work and returns the tensor" (fun d ->
              let x = Tensor.FromArray(Array.init 1000 float32) |> devicePut d
              let y = np.exp (x / 1000.0)
              Expect.isTrue (obj.ReferenceEquals(y.BlockUntilReady(), y)) "returns itself"
              Expect.floatClose Accuracy.medium (float (y.ToArray<float32>()[999])) (Math.Exp 0.999) "and holds the value")

          onDevice "float64 on a device without cl_khr_fp64 is an error naming the device and the dtype" (fun d ->
              let device = d :?> JaxSharp.OpenCL.Runtime.OpenCLDevice
              if device.HasFloat64 then skiptest $"{d} has cl_khr_fp64"
              let x = Tensor.FromArray [| 1.0; 2.0 |] |> devicePut d
              let e = throws<NotSupportedException> (fun () -> np.sin x |> ignore)
              Expect.stringContains e.Message "float64" "names the dtype"
              Expect.stringContains e.Message (string d) "names the device")

          // measures the device's whole pool: alone, not beside other tests that allocate on it
          testSequenced <| onDevice "device memory does not grow over 1e5 small jitted calls" (fun d ->
              let memory = (d :?> JaxSharp.OpenCL.Runtime.OpenCLDevice).Memory
              let f = jit (fun (x: Tensor) -> x * 2.0 + 1.0)
              let x = Tensor.FromArray(Array.init 256 float32) |> devicePut d
              let run n =
                  for _ in 1..n do
                      f x |> ignore
                  (f x).BlockUntilReady() |> ignore
              run 10_000
              let after1e4 = memory.AllocatedBytes
              run 90_000
              // each call drops a 1 KiB output, 90 MiB over these calls were nothing reused; the
              // buffers go back when the collector finalizes their tensors, so the pool holds
              // those dropped since the last collection (about 9 MiB measured), not all of them
              Expect.isLessThanOrEqual memory.AllocatedBytes (after1e4 + (32L <<< 20)) "the pool reused the dropped outputs' buffers"
              GC.Collect()
              GC.WaitForPendingFinalizers()
              Expect.isLessThanOrEqual memory.InUseBytes (1L <<< 20) "once collected, only the input is in use")

          // measures the device's whole pool: alone, not beside other tests that allocate on it
          testSequenced <| onDevice "device memory does not grow over many jitted calls" (fun d ->
              let memory = (d :?> JaxSharp.OpenCL.Runtime.OpenCLDevice).Memory
              let f = jit (fun (x: Tensor) -> np.tanh (x * 2.0) + 1.0)
              // 1 MiB in, 1 MiB out per call: 600 calls drop 600 MiB of outputs
              let x = Tensor.FromArray(Array.init (1 <<< 18) float32) |> devicePut d
              let run n =
                  for _ in 1..n do
                      f x |> ignore
                  (f x).BlockUntilReady() |> ignore
              run 600
              let bound = JaxSharp.OpenCL.Runtime.DeviceMemory.CollectEvery + (64L <<< 20)
              Expect.isLessThanOrEqual memory.AllocatedBytes bound "the dropped outputs' buffers were reused"
              run 600
              Expect.isLessThanOrEqual memory.AllocatedBytes bound "and stay reused"
              GC.Collect()
              GC.WaitForPendingFinalizers()
              Expect.isLessThanOrEqual memory.InUseBytes (4L <<< 20) "once collected, only the input is in use") ]
