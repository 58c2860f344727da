/// The caches stay within their bounds and die with what uses them: compiled programs live as
/// long as a jitted function that holds them, the shared caches are LRU-bounded by CacheLimits,
/// the buffer pool shares buffers between near sizes under a byte cap, kernels never read past
/// their values in longer pooled buffers, and concurrent first calls trace once.
/// These tests change process-wide settings and count process-wide caches, so they run alone.
module Cpu.CacheBoundsTests

open System
open System.Runtime.CompilerServices
open System.Threading
open Expecto
open JaxSharp
open JaxSharp.Cpu
open JaxSharp.FSharp
open OpTable.Generators
open TestHelpers

let private floats (seed: int) (n: int) =
    let r = Random(seed)
    Tensor.FromArray(Array.init n (fun _ -> float32 (r.NextDouble() * 2.0 - 1.0)))

/// Runs body with the given bounds, then puts the defaults back.
let private withLimits (programs: int) (kernels: int) (poolBytes: int64) (body: unit -> unit) =
    CacheLimits.Programs <- programs
    CacheLimits.EagerKernels <- kernels
    CacheLimits.PoolBytes <- poolBytes

    try
        body ()
    finally
        CacheLimits.Programs <- CacheLimits.DefaultPrograms
        CacheLimits.EagerKernels <- CacheLimits.DefaultEagerKernels
        CacheLimits.PoolBytes <- CacheLimits.DefaultPoolBytes

/// Collects until the weak reference dies, at most ten full collections; true when it died.
let private collected (reference: WeakReference) =
    let mutable tries = 0

    while reference.IsAlive && tries < 10 do
        GC.Collect()
        GC.WaitForPendingFinalizers()
        tries <- tries + 1

    not reference.IsAlive

/// A program of its own (the constant keys it), found in the shared cache.
let private program (f: Tensor -> Tensor) (x: Tensor) = ProgramCache.Get(makeJaxpr f x)

let private tanhPlus (c: float) (x: Tensor) = np.tanh x * c + 0.5

/// Jits tanhPlus c, calls it, and returns a weak reference to its program (the jitted function dies here).
[<MethodImpl(MethodImplOptions.NoInlining)>]
let private programOfDroppedFunction (c: float) (x: Tensor) =
    let f = jit (tanhPlus c)
    f x |> ignore
    let p = program (tanhPlus c) x
    WeakReference(p)

/// Jits tanhPlus c, calls it and returns the jitted function, with a weak reference to its program.
[<MethodImpl(MethodImplOptions.NoInlining)>]
let private liveFunction (c: float) (x: Tensor) =
    let f = jit (tanhPlus c)
    f x |> ignore
    f, WeakReference(program (tanhPlus c) x)

/// Creates, calls and drops n jitted closures, each with a program of its own (cheap to compile).
[<MethodImpl(MethodImplOptions.NoInlining)>]
let private churnClosures (n: int) (x: Tensor) =
    for i in 1..n do
        (jit (fun (x: Tensor) -> x * float i + 0.5)) x |> ignore

let private lifetimes =
    [
        test "a dropped jitted function's program is collected" {
            let x = floats 1 10
            let reference = programOfDroppedFunction 1.25 x
            Expect.isTrue (collected reference) "the program died with its jitted function"
        }
        test "a program shared by a live jitted function outlives a dropped one" {
            let x = floats 2 10
            let keeper, shared = liveFunction 1.5 x
            let dropped = programOfDroppedFunction 1.5 x
            Expect.isFalse (collected dropped) "the live function keeps the shared program"
            Expect.isTrue (Object.ReferenceEquals(dropped.Target, shared.Target)) "one program for both"
            Expect.sequenceEqual (toFloats (keeper x)) (toFloats (tanhPlus 1.5 x)) "the live function still computes"
            GC.KeepAlive keeper
        }
        test "2,000 jitted closures created and dropped leave the shared caches within their bounds" {
            withLimits 64 64 CacheLimits.DefaultPoolBytes (fun () ->
                let x = floats 3 10
                churnClosures 2000 x
                GC.Collect()
                GC.WaitForPendingFinalizers()
                let stats = Jax.CacheStatistics()
                Expect.isLessThanOrEqual stats.Programs 64 $"live shared programs: {stats}"
                Expect.isLessThan stats.JittedFunctions 2000 $"dropped jitted functions are collected: {stats}")
        }
    ]

let private bounds =
    [
        test "300 distinct eager shapes keep the kernel cache within its bound, and evicted kernels compile again" {
            withLimits CacheLimits.DefaultPrograms 100 CacheLimits.DefaultPoolBytes (fun () ->
                let first = floats 4 1
                let expected = toFloats (np.sin first)

                for n in 1..300 do
                    np.sin (floats n n) |> ignore
                    Expect.isLessThanOrEqual (Jax.CacheStatistics().EagerKernels) 100 $"after {n} shapes"

                Expect.sequenceEqual (toFloats (np.sin first)) expected "sin of the first shape, compiled again")
        }
        test "lowering a bound drops entries at once" {
            for n in 1..20 do
                np.cos (floats n n) |> ignore

            withLimits CacheLimits.DefaultPrograms 5 CacheLimits.DefaultPoolBytes (fun () ->
                Expect.isLessThanOrEqual (Jax.CacheStatistics().EagerKernels) 5 "trimmed to 5")
        }
        test "300 sizes near 64K elements share a few size classes and stay under the pool's byte cap" {
            let cap = 1L <<< 20

            withLimits CacheLimits.DefaultPrograms CacheLimits.DefaultEagerKernels cap (fun () ->
                Jax.ClearCaches()
                // two pooled intermediates: the product, and the reversed product
                let f = jit (fun (x: Tensor) -> lax.rev [| 0 |] (x * 2.0) + 1.0)

                for n in 65536 - 150 .. 65536 + 149 do
                    f (floats n n) |> ignore
                    Expect.isLessThanOrEqual (Jax.CacheStatistics().PooledBytes) cap $"after {n} elements"

                // 300 exact lengths kept 4 buffers each before: 150 MB. Size classes: 2 near 64K.
                Expect.isLessThanOrEqual (Jax.CacheStatistics().PooledBuffers) 12 "a few buffers")
        }
        test "a size class holds its requests, with at most a quarter to spare" {
            let seed = 20240601
            let r = Random(seed)

            for n in [ 0; 1; 16; 17; 20; 21; 1000; 65535; 65536; 65537; Array.MaxLength - 1; Array.MaxLength ] @ List.init 1000 (fun _ -> r.Next(1, 1 <<< 28)) do
                let c = BufferPool.ClassLength n
                Expect.isGreaterThanOrEqual c n $"class of {n} (seed {seed})"
                Expect.isLessThanOrEqual (int64 c) (max 16L (int64 n + int64 n / 4L)) $"class of {n} is at most a quarter more (seed {seed})"
                Expect.equal (BufferPool.ClassLength c) c $"a class length is its own class ({n}, seed {seed})"
        }
        test "a buffer given back to a full pool is dropped, and a rented one serves a near size" {
            withLimits CacheLimits.DefaultPrograms CacheLimits.DefaultEagerKernels 0L (fun () ->
                BufferPool.Return(BufferPool.Rent(DType.Float32, 1000))
                Expect.equal (BufferPool.PooledBytes) 0L "a cap of 0 keeps nothing")

            Jax.ClearCaches()
            let buffer = BufferPool.Rent(DType.Float64, 1000)
            BufferPool.Return buffer
            Expect.equal (Buffer.ByteLength buffer |> int64) (BufferPool.PooledBytes) "kept"
            Expect.isTrue (Object.ReferenceEquals(BufferPool.Rent(DType.Float64, 990), buffer)) "990 elements share 1000's class"
            BufferPool.Return(BufferPool.Rent(DType.Float32, 1000))
            Expect.equal (BufferPool.Rent(DType.Float64, 1000).GetType()) typeof<double[]> "a float32 buffer of the same class does not serve float64"
            BufferPool.Return buffer
            Expect.isFalse (Object.ReferenceEquals(BufferPool.Rent(DType.Float64, 1200), buffer)) "the next class gets another buffer"
        }
        test "the class lengths up to Array.MaxLength are numbered 0, 1, 2, ... in order" {
            let mutable classLength = BufferPool.ClassLength 1
            let mutable expected = 0

            while classLength < Array.MaxLength && BufferPool.ClassLength(classLength + 1) <> classLength + 1 do
                Expect.equal (BufferPool.ClassIndex classLength) expected $"index of class {classLength}"
                expected <- expected + 1
                classLength <- BufferPool.ClassLength(classLength + 1)

            Expect.equal expected 107 "the classes below the last"
            Expect.equal (BufferPool.ClassIndex classLength) 107 $"the last rounded class {classLength}"
            Expect.equal classLength (7 * (1 <<< 28)) "the last rounded class"
            Expect.equal (BufferPool.ClassIndex(BufferPool.ClassLength Array.MaxLength)) -1 "Array.MaxLength is left unrounded and not kept"
        }
    ]

let private control =
    [
        test "ClearCaches empties every cache, and a jitted function traces and computes again" {
            let mutable traces = 0

            let f =
                jit (fun x ->
                    traces <- traces + 1
                    nn.softmax x * 3.0)

            let x = floats 5 1000
            let before = toFloats (f x)
            np.exp x |> ignore
            clearCaches ()
            let stats = cacheStatistics ()
            Expect.equal (stats.Programs, stats.EagerKernels, stats.PooledBuffers, stats.PooledBytes) (0, 0, 0, 0L) $"empty: {stats}"
            Expect.sequenceEqual (toFloats (f x)) before "same values"
            Expect.equal traces 2 "traced again after the clear"
        }
        test "a bad limit names the setting, the value and what to do" {
            throwsWith<ArgumentOutOfRangeException> [ "CacheLimits.Programs"; "got 0"; "Jax.ClearCaches()" ] (fun () -> CacheLimits.Programs <- 0)
            throwsWith<ArgumentOutOfRangeException> [ "CacheLimits.EagerKernels"; "got -3" ] (fun () -> CacheLimits.EagerKernels <- -3)
            throwsWith<ArgumentOutOfRangeException> [ "CacheLimits.PoolBytes"; "got -1"; "set 0" ] (fun () -> CacheLimits.PoolBytes <- -1L)
            let e = throws<ArgumentOutOfRangeException> (fun () -> CacheLimits.Programs <- -1)
            Expect.equal e.ParamName "Programs" "the parameter"
            Expect.equal CacheLimits.Programs CacheLimits.DefaultPrograms "unchanged"
        }
    ]

/// Each kernel run where its inputs or outputs are pooled intermediates (sizes that are not
/// class lengths, so their buffers are longer) next to exact ones (the program's inputs and
/// outputs), against the same ops run eagerly.
let private kernelsOnPooledBuffers =
    let x = floats 6 19
    let key = random.key 7
    let spd = Tensor.FromArray(Array2D.init 3 3 (fun i j -> if i = j then 4.0 else 0.5))
    let dn = ScatterDimensionNumbers(Ints(), Ints(0), Ints(0))
    let indices = Tensor.FromArray(array2D [ [ 2 ]; [ 5 ]; [ 2 ] ])

    let cases: (string * (Tensor -> Tensor) * Tensor) list =
        [ "expand_dims", (fun x -> lax.expandDims [| 0 |] x * 2.0 + lax.expandDims [| 0 |] (np.sin x)), x
          "squeeze", (fun x -> lax.squeeze [| 0 |] (np.reshape [| 1; 19 |] x) * 2.0 + lax.squeeze [| 0 |] (np.reshape [| 1; 19 |] (np.sin x))), x
          "bitcast_convert_type", (fun x -> lax.bitcastConvertType DType.Float64 (np.reshape [| 9; 2 |] (lax.slice [| 0 |] [| 18 |] (np.sin x))) * 2.0), x
          "dynamic_update_slice", (fun x -> lax.dynamicUpdateSlice [ Tensor.Scalar 3 ] (np.cos (lax.slice [| 0 |] [| 4 |] x)) x + 1.0), x
          "scatter_add", (fun x -> lax.scatterAdd dn GatherScatterMode.Clip x indices (np.cos (lax.slice [| 0 |] [| 3 |] x)) + 1.0), x
          "pad", (fun x -> lax.pad (Tensor.Scalar 0.5f) [ 1, 2, 1 ] (np.sin x) + 1.0), x
          "concatenate", (fun x -> np.concatenate 0 [ np.sin x; np.cos x ] + 1.0), x
          "iota", (fun x -> x + lax.iota DType.Float32 19 * np.sum x), x
          "cholesky", (fun a -> lax.cholesky a * 2.0 + lax.cholesky (a * 1.5)), spd
          "triangular_solve", (fun a -> lax.triangularSolve true true false false (a * 1.5) a * 2.0 + lax.triangularSolve true true false false a (np.cos a)), spd
          "custom_jvp", (fun x -> customJvp np.sin (fun p t -> np.sin p, np.cos p * t) (x * 2.0) + 1.0), x
          "random_bits", (fun k -> random.bits (random.foldIn k 3) [| 5 |]), key
          "random_split", (fun k -> random.split (random.foldIn k 3) 3), key
          "random_gamma", (fun k -> random.gamma (random.uniform (random.foldIn k 2) [| 7 |] + 1.0) (random.foldIn k 1) [| 7 |]), key
          "random_poisson", (fun k -> random.poisson (random.uniform (random.foldIn k 2) [| 7 |] * 3.0) (random.foldIn k 1) [| 7 |]), key
          "random_seed", (fun k -> random.keyData (Rng.Key(lax.bitcastConvertType DType.Int32 (random.keyData k) + 1))), key ]

    testList
        "kernels on pooled buffers"
        [
            for name, f, input in cases ->
                test $"{name} reads and writes only its values' elements" {
                    Expect.sequenceEqual (toFloats ((jit f) input)) (toFloats (f input)) "jit = eager"
                }
        ]

/// Runs body on n threads released together; returns their results in thread order.
let private together (n: int) (body: int -> 'a) =
    use barrier = new Barrier(n)
    let results = Array.zeroCreate n

    let threads =
        Array.init n (fun i ->
            Thread(fun () ->
                barrier.SignalAndWait()
                results[i] <- body i))

    for t in threads do
        t.Start()

    for t in threads do
        t.Join()

    results

let private concurrency =
    [
        test "a first call from 8 threads at once traces once and gives every thread the same values" {
            let mutable traces = 0

            let f =
                jit (fun x ->
                    Interlocked.Increment(&traces) |> ignore
                    np.tanh x * 2.0 + 1.0)

            let x = floats 8 100
            let results = together 8 (fun _ -> toFloats (f x))
            Expect.equal traces 1 "one trace"

            for r in results do
                Expect.sequenceEqual r results[0] "same values"
        }
        test "8 threads x 1000 mixed jit, grad, vmap and eager calls agree with one thread" {
            let seed = 8_1000
            let r = Random(seed)

            let inputs =
                Array.init 4 (fun i -> Tensor.FromArray(Array.init (5 + i) (fun _ -> float32 (r.NextDouble() * 2.0 - 1.0))))

            let matrix = Tensor.FromArray(Array2D.init 4 6 (fun _ _ -> float32 (r.NextDouble())))
            let body (x: Tensor) = np.sum (np.sin x * x) + np.max x

            // a fresh jitted function per run, so first calls race too
            let calls () =
                let jitted = jit (fun (x: Tensor) -> np.tanh x * 3.0 - x)
                let gradient = grad body
                let perRow = vmap (fun (row: Tensor) -> np.sum (row * row))

                fun (i: int) ->
                    let x = inputs[i % inputs.Length]

                    match i % 4 with
                    | 0 -> jitted x
                    | 1 -> gradient x
                    | 2 -> perRow matrix
                    | _ -> np.exp x - x

            let once = calls ()
            let expected = Array.init 1000 (fun i -> toFloats (once i))
            let shared = calls ()
            let results = together 8 (fun _ -> Array.init 1000 (fun i -> toFloats (shared i)))

            for t in 0..7 do
                for i in 0..999 do
                    Expect.sequenceEqual results.[t].[i] expected.[i] $"thread {t}, call {i} (seed {seed})"
        }
    ]

[<Tests>]
let tests =
    testSequenced (
        testList
            "cache bounds"
            [ testList "lifetimes" lifetimes
              testList "bounds" bounds
              testList "control" control
              kernelsOnPooledBuffers
              testList "concurrency" concurrency ]
    )
