/// The OpenCL backend's runtime and speed infrastructure on the first OpenCL device (PoCL in CI):
/// work-group tree reductions against the CPU, the on-disk binary cache (loads, corrupt and
/// refused files, unwritable directories), and every dot_general tiling forced in turn (float32
/// and int32 on two layouts; building these kernels dominates the suite's time on PoCL). Every
/// test skips, printing why, when no OpenCL platform is installed.
module OpenCL.OpenCLInfrastructureTests

open System
open System.IO
open Expecto
open JaxSharp
open JaxSharp.FSharp
open JaxSharp.OpenCL.CodeGen
open JaxSharp.OpenCL.Kernels
open JaxSharp.OpenCL.Runtime
open TestHelpers

/// A test on the first OpenCL device (OpenCL.Ulps.onDevice) as the runtime's device type.
let private onDevice name (body: OpenCLDevice -> unit) =
    OpenCL.Ulps.onDevice name (fun d -> body (d :?> OpenCLDevice))

/// The kernels a jitted function of one argument compiles to on the device.
let private sourcesOf (d: OpenCLDevice) (f: Tensor -> Tensor) (x: Tensor) =
    OpenCLProgram(d, JaxSharp.Transforms.Simplifier.Simplify(Jax.MakeJaxpr(Func<Tensor, Tensor> f, x))).Sources |> List.ofSeq

/// Small integers as float32 or int32: their sums are exact in float32 below 2^24, in any order,
/// so a tree that drops or repeats an element is caught bit for bit.
let private integers (seed: int) (dtype: DType) (shape: int[]) =
    printfn $"opencl tree reduction: seed {seed}"
    let random = Random seed
    Np.AsType(Tensor.FromArray(Array.init (Array.fold (*) 1 shape) (fun _ -> float (random.Next(-8, 9))), Shape shape), dtype)

/// The reductions that run as trees: (name, function, input shape, kernels expected).
let private treeCases: (string * (Tensor -> Tensor) * int[] * int) list =
    [ "a full sum of 1e6 elements (two passes)", np.sum, [| 1_000_000 |], 2
      "the sums of 3 rows of 5000 (two passes)", np.sumAxis 1, [| 3; 5000 |], 2
      "the sums of 3 columns of 2048 (one pass, strided reads)", np.sumAxis 0, [| 2048; 3 |], 1
      "a full max of 1e5 elements", np.max, [| 100_000 |], 2
      "a full min of 1e5 elements", np.min, [| 100_000 |], 2 ]

let private bitsOf (t: Tensor) =
    if t.DType = DType.Float32 then t.ToArray<float32>() |> Array.map BitConverter.SingleToInt32Bits else t.ToArray<int>()

[<Tests>]
let tests =
    testList
        "opencl infrastructure"
        [ testList
              "work-group tree reductions"
              [ for k, (name, f, shape, kernels) in List.indexed treeCases do
                    for dtype in [ DType.Float32; DType.Int32 ] do
                        onDevice $"{name}, {dtype}: a tree of {kernels} kernel(s), bit for bit the CPU's on integers" (fun d ->
                            let x = integers (9100 + 10 * k + int dtype) dtype shape
                            let sources = sourcesOf d f x
                            Expect.equal sources.Length kernels "the number of kernels"
                            Expect.stringContains sources[0] "barrier(CLK_LOCAL_MEM_FENCE)" "a work-group reduction in local memory"
                            let onCl = jit f (devicePut d x)
                            Expect.equal onCl.Device (d :> Device) "ran on the device"
                            Expect.equal (bitsOf onCl) (bitsOf (f x)) "the CPU's result") ]

          onDevice "int32 sums wrap in a tree as on the CPU" (fun d ->
              let x = Tensor.FromArray(Array.init 300_000 (fun i -> 1_000_000 + i % 977))
              Expect.equal ((jit np.sum (devicePut d x)).Item<int>()) ((np.sum x).Item<int>()) "the wrapped sum")

          onDevice "a fused elementwise prologue runs inside the tree: sum (selu x) of 1e6 float32 within the float bound" (fun d ->
              let selu (x: Tensor) = 1.05 * np.where (x .> 0.0) x (1.67 * np.exp x - 1.67)
              let f (x: Tensor) = np.sum (selu x)
              let x = Tensor.FromArray(Array.init 1_000_000 (fun i -> float32 (Math.Sin(float i)) * 3.0f))
              let sources = sourcesOf d f x
              Expect.equal sources.Length 2 "two passes"
              Expect.stringContains sources[0] "exp(" "the prologue is in the first pass"
              let onCl, onCpu = (jit f (devicePut d x)).Item<float32>(), (f x).Item<float32>()
              let magnitude = (np.sum (np.abs (selu x))).Item<float32>()
              // both sides round differently; 1e-6 of the sum of magnitudes is a few hundred roundings
              Expect.isLessThanOrEqual (abs (float onCl - float onCpu)) (1e-6 * float magnitude) $"opencl {onCl}, cpu {onCpu}")

          onDevice "short reductions keep one work item per output" (fun d ->
              let sources = sourcesOf d (np.sumAxis 1) (Tensor.FromArray(Array.zeroCreate<float32> 300, Shape [| 20; 15 |]))
              Expect.equal sources.Length 1 "one kernel"
              Expect.isFalse (sources[0].Contains "barrier") "no work-group reduction")

          test "the tree's shape follows the device: group size within its limits, more groups for more compute units" {
              let limits units size = DeviceLimits("test", DeviceKind.Gpu, size, 48L * 1024L, units)
              Expect.equal (TreeReduction.Plan(1L, 10_000_000L, 1, limits 132 1024)) (TreeReduction(256, 1024)) "a full sum on a big GPU"
              Expect.equal (TreeReduction.Plan(1L, 10_000L, 1, limits 132 1024)) (TreeReduction(256, 5)) "at least 8 elements per work item"
              Expect.equal (TreeReduction.Plan(4L, 1_000_000L, 1, limits 2 64)) (TreeReduction(64, 4)) "a 64-item device, 2 units"
              Expect.isNull (TreeReduction.Plan(1L, 100L, 1, limits 2 1024)) "short: no tree"
              Expect.isNull (TreeReduction.Plan(100_000L, 100_000L, 1, limits 2 1024)) "many outputs: no tree"
              Expect.isNull (TreeReduction.Plan(1L, 100_000L, 1, limits 2 8)) "tiny work groups: no tree"
          }

          testList
              "the on-disk binary cache"
              [ let kernel =
                    "__kernel void fused(__global float* restrict out0) { const int i = get_global_id(0); out0[i] = 2.0f * i + 1.0f; }\n"
                let run (d: OpenCLDevice) (compiled: CompiledKernel) =
                    let buffer = ClBuffer(d, 64L)
                    d.Launch(compiled, [| buffer |], 16L)
                    let values = d.Download(buffer, AbstractValue(Shape [| 16 |], DType.Float32)) :?> float32[]
                    buffer.Release()
                    values
                let expected = Array.init 16 (fun i -> 2.0f * float32 i + 1.0f)
                let freshDirectory () =
                    let path = Path.Combine(Path.GetTempPath(), $"jaxsharp-cl-cache-{Guid.NewGuid():N}")
                    path

                onDevice "a second cache (as a later process) loads the binary instead of compiling, and it runs" (fun d ->
                    let directory = freshDirectory ()
                    try
                        let first = d.NewKernelCache directory
                        Expect.equal (run d (first.Get(kernel, "fused"))) expected "built from source"
                        Expect.equal (first.SourceBuilds, first.DiskStores, first.DiskLoads) (1, 1, 0) "compiled once and stored"
                        Expect.equal (Directory.GetFiles(directory, "*.bin").Length) 1 "one file"
                        let second = d.NewKernelCache directory
                        Expect.equal (run d (second.Get(kernel, "fused"))) expected "loaded from disk"
                        Expect.equal (second.SourceBuilds, second.DiskLoads, second.DiskRejects) (0, 1, 0) "loaded, not compiled"
                        let other = d.NewKernelCache directory
                        other.Get(kernel.Replace("2.0f", "3.0f"), "fused") |> ignore
                        Expect.equal (other.SourceBuilds, other.DiskLoads) (1, 0) "another source is another file"
                    finally
                        Directory.Delete(directory, true))

                onDevice "kernels built from sources and from binaries on several threads at once all build and run" (fun d ->
                    // clBuildProgram from many threads (ClApi.BuildProgram): through Silk.NET's overloads,
                    // which keep their callback in shared unlocked lists, the parallel tests once failed
                    let directory = freshDirectory ()
                    try
                        let build (cache: KernelCache) i =
                            let source = kernel.Replace("2.0f", $"{i}.0f")
                            let values = run d (cache.Get(source, "fused"))
                            Expect.equal values (Array.init 16 (fun j -> float32 i * float32 j + 1.0f)) $"kernel {i}"
                        for _ in 1..2 do // from sources, then from the binaries the first round stored
                            let cache = d.NewKernelCache directory
                            Threading.Tasks.Parallel.For(0, 24, Threading.Tasks.ParallelOptions(MaxDegreeOfParallelism = 8), (fun i -> build cache (i + 3)))
                            |> ignore
                    finally
                        Directory.Delete(directory, true))

                onDevice "a corrupt file, or a binary the driver refuses, is rebuilt from source and replaced" (fun d ->
                    let directory = freshDirectory ()
                    try
                        let first = d.NewKernelCache directory
                        first.Get(kernel, "fused") |> ignore
                        let file = Directory.GetFiles(directory, "*.bin") |> Array.exactlyOne
                        let bytes = File.ReadAllBytes file
                        bytes[bytes.Length / 2] <- bytes[bytes.Length / 2] ^^^ 0xFFuy
                        File.WriteAllBytes(file, bytes)
                        let second = d.NewKernelCache directory
                        Expect.equal (run d (second.Get(kernel, "fused"))) expected "rebuilt"
                        Expect.equal (second.DiskRejects, second.SourceBuilds, second.DiskStores) (1, 1, 1) "refused, rebuilt, replaced"
                        let third = d.NewKernelCache directory
                        third.Get(kernel, "fused") |> ignore
                        Expect.equal third.DiskLoads 1 "the replaced file loads"
                        // intact as a file (its checksum holds) but not a binary of this driver
                        Expect.isTrue (first.Disk.TryWrite(file, Text.Encoding.UTF8.GetBytes "not a device binary")) "written"
                        let fourth = d.NewKernelCache directory
                        Expect.equal (run d (fourth.Get(kernel, "fused"))) expected "rebuilt again"
                        Expect.equal (fourth.DiskRejects, fourth.SourceBuilds, fourth.DiskStores) (1, 1, 1) "refused by the driver, rebuilt, replaced"
                        File.WriteAllBytes(file, [| 1uy; 2uy |])
                        let fifth = d.NewKernelCache directory
                        fifth.Get(kernel, "fused") |> ignore
                        Expect.equal (fifth.DiskRejects, fifth.SourceBuilds) (1, 1) "a truncated file too"
                    finally
                        Directory.Delete(directory, true))

                onDevice "a directory that cannot be written only skips caching" (fun d ->
                    let blocker = Path.GetTempFileName()
                    try
                        let cache = d.NewKernelCache(Path.Combine(blocker, "under-a-file"))
                        Expect.equal (run d (cache.Get(kernel, "fused"))) expected "built and run"
                        Expect.equal (cache.SourceBuilds, cache.DiskStores) (1, 0) "nothing stored"
                    finally
                        File.Delete blocker)

                test "the directory is JAXSHARP_CACHE_DIR when set, else jaxsharp/opencl in the user's cache directory" {
                    let saved = Environment.GetEnvironmentVariable BinaryCache.DirectoryVariable
                    try
                        Environment.SetEnvironmentVariable(BinaryCache.DirectoryVariable, "/tmp/chosen")
                        Expect.equal (BinaryCache.DefaultDirectory()) "/tmp/chosen" "the variable"
                        Environment.SetEnvironmentVariable(BinaryCache.DirectoryVariable, null)
                        Expect.stringEnds (BinaryCache.DefaultDirectory()) (Path.Combine("jaxsharp", "opencl")) "the user's cache"
                    finally
                        Environment.SetEnvironmentVariable(BinaryCache.DirectoryVariable, saved)
                } ]

          test "dot_general's tiling follows the device class, and falls back to the small set on small devices" {
              let limits kind size local = DeviceLimits("test", kind, size, local, 8)
              Expect.equal (DotTiling.For(limits DeviceKind.Gpu 1024 49152L)) DotTiling.Gpu "a GPU"
              Expect.equal (DotTiling.For(limits DeviceKind.Cpu 4096 4194304L)) DotTiling.Cpu "a CPU"
              Expect.equal (DotTiling.For(limits DeviceKind.Gpu 64 49152L)) DotTiling.Small "work groups of 64"
              Expect.equal (DotTiling.For(limits DeviceKind.Gpu 1024 16384L)) DotTiling.Small "16 KiB of local memory"
              for tiling in DotTiling.All do
                  Expect.isTrue (tiling.Fits(limits DeviceKind.Gpu 256 32768L)) $"{tiling.Name} fits a 256-item, 32 KiB device"
          }

          testList
              "every dot_general tiling matches the CPU"
              [ let dims lc rc lb rb =
                    JaxSharp.Primitives.LinearAlgebra.DotDimensionNumbers(Ints(lc: int[]), Ints(rc: int[]), Ints(lb: int[]), Ints(rb: int[]))
                // two cases per tiling and dtype (each kernel takes seconds to build on PoCL): one staged along
                // the operands' rows, one along the contraction, both with ragged tiles and several slices;
                // float64 and the other layouts run with the device's own tiling in OpenCLTests
                let cases =
                    [ "130 x 200 by 200 x 70 (ragged tiles, several slices)", [| 130; 200 |], [| 200; 70 |], dims [| 1 |] [| 0 |] [||] [||]
                      "a batch of 3 of x @ y.T, both operands transposed", [| 3; 40; 70 |], [| 3; 90; 40 |], dims [| 1 |] [| 2 |] [| 0 |] [| 0 |] ]
                for tiling in DotTiling.All do
                    for dtype in [ DType.Float32; DType.Int32 ] do
                        onDevice $"{tiling.Name} tiling, {dtype}" (fun d ->
                            for k, (name, lhsShape, rhsShape, dn) in List.indexed cases do
                                let seed = 9500 + 100 * int dtype + k
                                printfn $"opencl dot_general {tiling.Name} {dtype} {name}: seed {seed}"
                                let random = Random seed
                                let values (shape: int[]) = Array.init (Array.fold (*) 1 shape) (fun _ -> float (random.Next(-8, 9)) + (if dtype = DType.Int32 then 0.0 else random.NextDouble()))
                                let lhs, rhs = Np.AsType(Tensor.FromArray(values lhsShape, Shape lhsShape), dtype), Np.AsType(Tensor.FromArray(values rhsShape, Shape rhsShape), dtype)
                                let f = Func<Tensor[], Tensor[]>(fun args -> [| Lax.DotGeneral(args[0], args[1], dn) |])
                                let program = OpenCLProgram(d, JaxSharp.Transforms.Simplifier.Simplify(Jax.MakeJaxpr(f, lhs, rhs)), tiling)
                                let actual = program.Run([| lhs; rhs |], false) |> Array.exactlyOne
                                let expected = Lax.DotGeneral(lhs, rhs, dn)
                                let e, a = OpTable.Generators.toFloats expected, OpTable.Generators.toFloats actual
                                let scale = OpTable.Generators.toFloats (Lax.DotGeneral(np.abs lhs, np.abs rhs, dn))
                                let epsilon = if dtype = DType.Float32 then 1e-6 else 0.0
                                for i in 0 .. e.Length - 1 do
                                    if abs (a[i] - e[i]) > epsilon * scale[i] then
                                        failtest $"{tiling.Name} {dtype} {name}: element {i} is {a[i]} on {d}, {e[i]} on the CPU (seed {seed})") ] ]
