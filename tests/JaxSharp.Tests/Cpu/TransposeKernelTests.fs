/// The written transpose (runs, and 8 x 8 / 4 x 4 register blocks within bands) against a naive
/// index loop: every permutation of ranks 2 to 4, odd sizes on both sides of the block and band
/// edges, axes of size 1, each element type; and the cache sizes the GEMM's blocking reads.
module Cpu.TransposeKernelTests

open System
open Expecto
open JaxSharp
open JaxSharp.Cpu
open JaxSharp.Cpu.Gemm

/// out[i] = x at the input index whose axis perm[k] is output index k.
let naive (dims: int[]) (perm: int[]) (x: 'T[]) =
    let outDims = perm |> Array.map (fun a -> dims.[a])
    let strides = Array.init dims.Length (fun d -> Array.fold (*) 1 dims.[d + 1 ..])
    Array.init x.Length (fun q ->
        let mutable rest, source = q, 0
        for k in outDims.Length - 1 .. -1 .. 0 do
            source <- source + rest % outDims.[k] * strides.[perm.[k]]
            rest <- rest / outDims.[k]
        x.[source])

let rec private permutations (axes: int list) =
    match axes with
    | [] -> [ [] ]
    | _ -> axes |> List.collect (fun a -> permutations (List.except [ a ] axes) |> List.map (fun rest -> a :: rest))

/// Runs the kernel on x (shape dims) and checks every element against the naive loop.
let private check (dims: int[]) (perm: int[]) (x: 'T[]) =
    let kernel = TransposeKernel(Shape(dims), Ints(perm)).ToAction()
    let output = Array.zeroCreate<'T> x.Length
    kernel.Invoke([| x :> Array |], output)
    Expect.sequenceEqual output (naive dims perm x) $"{typeof<'T>.Name} {dims} by {perm}"

let private shapes =
    [ [| 512; 784 |]; [| 13; 9 |]; [| 1; 70 |]; [| 70; 1 |]; [| 8; 8 |]; [| 130; 67 |]
      [| 5; 17; 9 |]; [| 3; 1; 20 |]; [| 2; 33; 65 |]; [| 2; 3; 17; 10 |]; [| 4; 1; 9; 16 |] ]

[<Tests>]
let tests =
    testList "transpose kernel" [
        test "every permutation of ranks 2 to 4, float32, float64, int32, uint32 and bool, equals a naive index loop" {
            let seed = 16
            printfn $"transpose kernel seed {seed}"
            let r = Random(seed)
            for dims in shapes do
                let size = Array.fold (*) 1 dims
                for perm in permutations [ 0 .. dims.Length - 1 ] |> List.map Array.ofList do
                    check dims perm (Array.init size (fun _ -> float32 (r.NextDouble())))
                    check dims perm (Array.init size (fun _ -> r.NextDouble()))
                    check dims perm (Array.init size (fun _ -> r.Next()))
                    check dims perm (Array.init size (fun _ -> uint32 (r.Next())))
                    check dims perm (Array.init size (fun _ -> r.Next(2) = 1))
        }
        test "int32 bit patterns that are NaNs as floats pass through the float blocks unchanged" {
            let x = Array.init (16 * 24) (fun i -> 0x7F800001 + i)
            check [| 16; 24 |] [| 1; 0 |] x
        }
        test "a rank-0 transpose and an empty one write what they should" {
            check [||] [||] [| 3.5f |]
            check [| 0; 5 |] [| 1; 0 |] Array.empty<float32>
        }
        test "cache sizes parse the kernel's notation and are positive" {
            Expect.equal (CacheSizes.ParseSize "48K\n") (Nullable 49152) "48K"
            Expect.equal (CacheSizes.ParseSize "32M") (Nullable(32 * 1024 * 1024)) "32M"
            Expect.equal (CacheSizes.ParseSize "512") (Nullable 512) "bytes"
            Expect.isFalse (CacheSizes.ParseSize "big").HasValue "not a size"
            Expect.isFalse (CacheSizes.ParseSize "").HasValue "empty"
            Expect.isFalse (CacheSizes.ParseSize "-4K").HasValue "negative"
            Expect.isFalse (CacheSizes.ParseSize "99999999999").HasValue "beyond int"
            Expect.isFalse (CacheSizes.ParseSize "4096M").HasValue "beyond int once scaled"
            Expect.isGreaterThan CacheSizes.L1Data 0 "L1"
            Expect.isGreaterThan CacheSizes.L2 CacheSizes.L1Data "L2 above L1"
        }
        test "where Linux lists the caches, the sizes are the ones it lists" {
            let root = "/sys/devices/system/cpu/cpu0/cache"
            if not (IO.Directory.Exists root) then skiptest "no /sys cache listing on this machine"
            let listed level =
                IO.Directory.GetDirectories(root, "index*")
                |> Array.sort
                |> Array.tryPick (fun d ->
                    let read (f: string) = IO.File.ReadAllText(IO.Path.Combine(d, f)).Trim()
                    if read "level" = string level && read "type" <> "Instruction" then Some(CacheSizes.ParseSize(read "size").Value) else None)
            Expect.equal (Some CacheSizes.L1Data) (listed 1) "L1 data"
            Expect.equal (Some CacheSizes.L2) (listed 2) "L2"
        }
        test "where Linux lists no caches, the sizes are the ones the CPU reports (CPUID), and plausible" {
            if IO.Directory.Exists "/sys/devices/system/cpu/cpu0/cache" then skiptest "Linux lists the caches here (the test above checks them)"
            let l1, l2 = CacheSizes.FromCpuId 1, CacheSizes.FromCpuId 2
            if not l1.HasValue || not l2.HasValue then skiptest "the CPU (or its hypervisor) reports no cache sizes either"
            Expect.isTrue (l1.Value >= 8 * 1024 && l1.Value <= 1024 * 1024) $"L1 data of {l1.Value} bytes"
            Expect.isGreaterThan l2.Value l1.Value "L2 above L1"
            Expect.equal CacheSizes.L1Data l1.Value "L1 data taken from CPUID"
            Expect.equal CacheSizes.L2 l2.Value "L2 taken from CPUID"
        }
    ]
