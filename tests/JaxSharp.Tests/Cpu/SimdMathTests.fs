/// The SIMD float32 math functions that fused loops inline (SimdMath), against float64
/// references over the whole float32 range: a sample of every 65537th bit pattern (negative
/// and positive, subnormals, infinities and NaNs) plus special values, run through jit so
/// that the vector loop computes them; and the float64 exp, log, tanh, logistic, expm1, sin and cos
/// against Math's or references built on it.
module Cpu.SimdMathTests

open System
open System.Linq.Expressions
open System.Runtime.Intrinsics
open Expecto
open JaxSharp.Cpu
open JaxSharp
open JaxSharp.Primitives

/// Every 65537th float32 bit pattern, and the special values, padded to whole vectors.
let samples =
    let sampled =
        [|
            for bits in 0L..65537L..0xFFFFFFFFL -> BitConverter.Int32BitsToSingle(int (uint32 bits))
        |]

    let special =
        [|
            0.0f
            -0.0f
            Single.Epsilon
            -Single.Epsilon
            1e-45f
            1.1754942e-38f
            1.1754944e-38f
            Single.MaxValue
            Single.MinValue
            Single.PositiveInfinity
            Single.NegativeInfinity
            Single.NaN
            1.0f
            -1.0f
            0.5f
            -0.5f
            0.625f
            -0.625f
            88.72283f
            88.72284f
            -87.33654f
            -103.97208f
            -104.0f
            89.0f
            4.0f
            -4.0f
            1e-7f
            -1e-7f
            0.49999997f
            -0.49999997f
        |]

    let all = Array.append sampled special
    Array.append all (Array.create ((64 - all.Length % 64) % 64) 1.0f)

/// Distance in units in the last place: how many float32 values lie between a and b.
let ulps (a: float32) (b: float32) =
    let ordered (x: float32) =
        let i = int64 (BitConverter.SingleToInt32Bits x)
        if i < 0L then int64 Int32.MinValue - i else i

    abs (ordered a - ordered b)

/// Expm1 in float64 without cancellation near zero.
let expm1Reference (x: float) =
    if abs x < 1e-5 then
        x + x * x / 2.0 + x * x * x / 6.0
    else
        Math.Exp x - 1.0

/// Each function, its float64 reference and the largest error allowed (measured: at most
/// 1 ulp for exp, log, tanh, sin and cos, 2 for expm1 and logistic on every 263rd bit pattern).
let cases: (string * (Tensor -> Tensor) * (float -> float) * int64) list =
    [
        "exp", Lax.Exp, Math.Exp, 2L
        "expm1", Lax.Expm1, expm1Reference, 2L
        "log", Lax.Log, Math.Log, 2L
        "tanh", Lax.Tanh, Math.Tanh, 2L
        "logistic", Lax.Logistic, (fun x -> 1.0 / (1.0 + Math.Exp(-x))), 2L
        "sin", Lax.Sin, Math.Sin, 2L
        "cos", Lax.Cos, Math.Cos, 2L
        // XLA's float32 rational approximation itself is off by up to 6 ulp near |x| = 4.
        "erf", Lax.Erf, (fun x -> SpecialFunctions.Erf x), 6L
    ]

/// Every 65537th pattern of a float64's top 32 bits with random low bits (negative and positive,
/// subnormals, infinities and NaNs), and the special values, padded to whole vectors.
let samples64 =
    let random = Random 64

    let sampled =
        [|
            for top in 0L..65537L..0xFFFFFFFFL -> BitConverter.Int64BitsToDouble((top <<< 32) ||| int64 (uint32 (random.Next())))
        |]

    let special =
        [|
            0.0
            -0.0
            Double.Epsilon
            -Double.Epsilon
            2.2250738585072009e-308
            2.2250738585072014e-308
            Double.MaxValue
            Double.MinValue
            Double.PositiveInfinity
            Double.NegativeInfinity
            Double.NaN
            1.0
            -1.0
            Math.Sqrt 0.5
            Math.Sqrt 2.0
            0.34657359027997264
            -0.34657359027997264
            709.782712893384
            709.7827128933841
            710.0
            -708.3964185322641
            -744.4400719213812
            -745.1332191019411
            -745.1332191019412
            -746.0
            1e-300
            -1e-300
            1.0 + 1e-15
            1.0 - 1e-16
            // The branch points of tanh and expm1, and where tanh and logistic round to ±1.
            0.625
            -0.625
            0.6249999999999999
            -0.6249999999999999
            0.5
            -0.5
            0.5000000000000001
            -0.5000000000000001
            1e-17
            -1e-17
            19.1
            -19.1
            37.5
            40.0
            -40.0
            // exp's results near overflow, and subnormal down to 0.
            yield! Array.init 64 (fun i -> 700.0 + float i * 0.16)
            yield! Array.init 128 (fun i -> -745.5 + float i * 0.3)
        |]

    let all = Array.append sampled special
    Array.append all (Array.create ((64 - all.Length % 64) % 64) 1.0)

/// Distance in units in the last place between two float64 values.
let ulps64 (a: float) (b: float) =
    let ordered (x: float) =
        let i = BitConverter.DoubleToInt64Bits x
        if i < 0L then Int64.MinValue - i else i

    abs (ordered a - ordered b)

/// The float64 logistic sigmoid from Math.Exp, with e^x / (1 + e^x) for negative x, where
/// 1 / (1 + e^-x) would overflow to 0 below -709.8 instead of giving e^x; about 1 ulp off.
let logistic64 (x: float) =
    if x < 0.0 then
        let e = Math.Exp x
        e / (1.0 + e)
    else
        1.0 / (1.0 + Math.Exp(-x))

/// 1/30!, 1/29!, ..., 1/3!.
let private inverseFactorials = [| for k in 30 .. -1 .. 3 -> 1.0 / Seq.fold (*) 1.0 [ 1.0 .. float k ] |]

/// Expm1 in float64 for |x| < 2 as x + x^2 / 2 + x^3 (1/3! + x/4! + ... + x^27/30!), the first
/// two terms summed exactly (x^2 from a fused multiply-add), so within about half an ulp; e^x - 1
/// from Math.Exp beyond, within about 1.5 ulp.
let expm1Reference64 (x: float) =
    if Double.IsNaN x || abs x >= 2.0 then
        Math.Exp x - 1.0
    else
        let h = x * x
        let l = Math.FusedMultiplyAdd(x, x, -h)
        let series = Array.fold (fun p c -> p * x + c) 0.0 inverseFactorials
        let rest = x * h * series
        let s = x + h / 2.0
        let v = s - x
        let e = (x - (s - v)) + (h / 2.0 - v)
        s + (e + (l / 2.0 + rest))

/// The float64 functions with a vector form, their references (within about an ulp of the exact
/// value) and the largest error allowed (measured, with AVX-512 and without: at most 1 ulp for
/// exp and log; 1 for tanh, where Math.Tanh of a tiny x is x + 1 ulp; 2 for expm1, from e^x - 1
/// for |x| > 1/2; 2 for logistic, against a reference that is itself about an ulp off; 1 for sin
/// and cos here, 2 on 2e6 random x in [-2^20, 2^20] and 1 at the doubles nearest k pi/2).
let cases64: (string * (Tensor -> Tensor) * (float -> float) * int64) list =
    [
        "exp", Lax.Exp, Math.Exp, 2L
        "log", Lax.Log, Math.Log, 2L
        "tanh", Lax.Tanh, Math.Tanh, 2L
        "expm1", Lax.Expm1, expm1Reference64, 3L
        "logistic", Lax.Logistic, logistic64, 3L
        "sin", Lax.Sin, Math.Sin, 2L
        "cos", Lax.Cos, Math.Cos, 2L
    ]

/// A float32 tensor of float64 values.
let private tensorOf32 (values: float[]) = Tensor.FromArray(Array.map float32 values)

/// The bits of each element of a float32 or float64 tensor.
let private bitsOf (t: Tensor) =
    if t.DType = DType.Float64 then t.ToArray<float>() |> Array.map BitConverter.DoubleToInt64Bits
    else t.ToArray<float32>() |> Array.map (BitConverter.SingleToInt32Bits >> int64)

/// -0 and +0, alternating, over two whole vectors.
let private zeros = Array.init 32 (fun i -> if i % 2 = 0 then -0.0 else 0.0)

/// Each function maps -0 to -0 and +0 to +0, bit for bit, under jit.
let private keepsSignOfZero (zeros: Tensor) (functions: (string * (Tensor -> Tensor)) list) =
    for name, f in functions do
        Expect.sequenceEqual (bitsOf ((Jax.Jit(Func<Tensor, Tensor> f)).Invoke zeros)) (bitsOf zeros) $"{name} of -0 and +0, as bits"

/// Each function gives the first `length` values, jitted or eager, the same bits as the whole
/// array does: a tail, a small array and an eager call compute what the vector lanes compute.
let private independentOfPosition (make: float[] -> Tensor) (values: float[]) (functions: (string * (Tensor -> Tensor) * 'r * 'u) list) lengths =
    for name, f, _, _ in functions do
        let jitted = Jax.Jit(Func<Tensor, Tensor> f)
        let whole = bitsOf (jitted.Invoke(make values))
        for length in lengths do
            let part = make values.[.. length - 1]
            Expect.sequenceEqual (bitsOf (jitted.Invoke part)) whole.[.. length - 1] $"jit {name} of the first {length} values"
            Expect.sequenceEqual (bitsOf (f part)) whole.[.. length - 1] $"eager {name} of the first {length} values"

/// The float32 values nearest k pi/2 (k = 1 to 5200, up to the reduction's limit) and their two neighbours on each side.
let private nearHalfPi32 =
    [| for k in 1 .. 5200 do
           let bits = BitConverter.SingleToInt32Bits(float32 (float k * Math.PI / 2.0))
           for d in -2 .. 2 -> BitConverter.Int32BitsToSingle(bits + d) |]

/// The float64 values nearest k pi/2 (k = 1 to 20000) and their two neighbours on each side.
let private nearHalfPi64 =
    [| for k in 1 .. 20000 do
           let bits = BitConverter.DoubleToInt64Bits(float k * Math.PI / 2.0)
           for d in -2L .. 2L -> BitConverter.Int64BitsToDouble(bits + d) |]

/// 64 whole vectors of `lanes` lanes mixing values below the reduction's limit with one or more
/// beyond it (the first lanes of each), which send the whole vector lane by lane through MathF (Math).
let private farMixed (limit: float) (lanes: int) (random: Random) =
    [| for _ in 1 .. 64 do
           let far = random.Next(1, lanes + 1)
           for lane in 0 .. lanes - 1 ->
               if lane < far then (if random.Next 2 = 0 then -1.0 else 1.0) * limit * (1.0 + 1000.0 * random.NextDouble())
               else (random.NextDouble() - 0.5) * limit |]

/// The inlined expression tree of sin or cos (SimdMath.Trig) compiled over one vector of type 'V.
let private inlinedTrig<'V> sine =
    let p = Expression.Parameter(typeof<'V>)
    Expression.Lambda<Func<'V, 'V>>(SimdMath.Trig(p, sine), p).Compile()

/// The bits of one of PrecompiledTrig's methods (`precompiled sine x`) against the inlined tree,
/// over vectors of type 'V holding `lanes` of the values at a time; `bits` reads a vector's lanes as integers.
let private precompiledMatchesTree<'V, 'E, 'B when 'B: equality> lanes (create: 'E[] -> 'V) (precompiled: bool -> 'V -> 'V) (bits: 'V -> 'B) (values: 'E[]) =
    for sine in [ true; false ] do
        let tree = inlinedTrig<'V> sine
        for i in 0 .. lanes .. values.Length - lanes do
            let x = create values.[i .. i + lanes - 1]
            Expect.equal (bits (precompiled sine x)) (bits (tree.Invoke x)) $"""{if sine then "sin" else "cos"} of {x}, as bits"""

/// PrecompiledTrig's sin or cos for vectors of type 'V (the overload taking 'V by reference), as a function.
let private precompiled<'V> sine (x: 'V) =
    let args = [| box x |]
    typeof<PrecompiledTrig>.GetMethod((if sine then "Sin" else "Cos"), [| typeof<'V>.MakeByRefType() |]).Invoke(null, args) |> ignore
    unbox<'V> args.[0]

/// The float32 methods: Vector256 (8 lanes at a time) and Vector512 (16 lanes, run as two halves
/// with one test for far lanes over all 16).
let private precompiledMatchesTree32 (values: float32[]) =
    precompiledMatchesTree 8 (fun (a: float32[]) -> Vector256.Create<float32> a) precompiled (fun v -> v.AsInt32()) values
    precompiledMatchesTree 16 (fun (a: float32[]) -> Vector512.Create<float32> a) precompiled (fun v -> v.AsInt32()) values

/// The float64 methods: Vector256 (4 lanes at a time) and Vector512 (8 lanes).
let private precompiledMatchesTree64 (values: float[]) =
    precompiledMatchesTree 4 (fun (a: float[]) -> Vector256.Create<float> a) precompiled (fun v -> v.AsInt64()) values
    precompiledMatchesTree 8 (fun (a: float[]) -> Vector512.Create<float> a) precompiled (fun v -> v.AsInt64()) values

/// PrecompiledTrig.Inlined leaves no call in sin (cos x) over one vector of type 'V.
let private inliningRemovesCalls<'V> () =
    let p = Expression.Parameter typeof<'V>
    let calling = Expression.Lambda<Func<'V, 'V>>(SimdMath.Sin(SimdMath.Cos p), p)
    Expect.isTrue (PrecompiledTrig.IsCalledBy calling) $"{typeof<'V>.Name}: the loop calls"
    Expect.isFalse (PrecompiledTrig.IsCalledBy(PrecompiledTrig.Inlined calling)) $"{typeof<'V>.Name}: no call is left"

/// Whether an expression is a block that calls a method of PrecompiledTrig.
let private callsPrecompiled (e: Expression) =
    match e with
    | :? BlockExpression as block ->
        block.Expressions |> Seq.exists (function
            | :? MethodCallExpression as call -> call.Method.DeclaringType = typeof<PrecompiledTrig>
            | _ -> false)
    | _ -> false

[<Tests>]
let tests =
    testList
        "simd math"
        [
            yield test "odd functions keep the sign of zero, as MathF and JAX do: f(-0) = -0" {
                keepsSignOfZero (tensorOf32 zeros) [ "sin", Lax.Sin; "tanh", Lax.Tanh; "expm1", Lax.Expm1; "erf", Lax.Erf ]
            }
            yield test "an element's value does not depend on where it lies: tails, small arrays and eager calls equal the vector lanes" {
                independentOfPosition tensorOf32 (Array.init 37 (fun i -> Math.Sin(float i * 7.3) * 20.0)) cases [ 1; 5; 17 ]
            }
            yield test "sin and cos stay within 2 ulp next to multiples of pi/2, where the result is tiny" {
                // The float32 values nearest k pi/2 and their neighbours, up to the reduction's limit;
                // the same for float64 (up to k = 20000).
                let near32 = nearHalfPi32
                let near64 = nearHalfPi64
                for name, f, reference in [ "sin", Lax.Sin, Math.Sin; "cos", Lax.Cos, Math.Cos ] do
                    let y32 = (Jax.Jit(Func<Tensor, Tensor> f)).Invoke(Tensor.FromArray near32).ToArray<float32>()
                    let worst32 = near32 |> Array.mapi (fun i x -> ulps (float32 (reference (float x))) y32.[i], x) |> Array.maxBy fst
                    Expect.isLessThanOrEqual (fst worst32) 2L $"float32 {name}: {fst worst32} ulp at x = {snd worst32:R}"
                    let y64 = (Jax.Jit(Func<Tensor, Tensor> f)).Invoke(Tensor.FromArray near64).ToArray<float>()
                    let worst64 = near64 |> Array.mapi (fun i x -> ulps64 (reference x) y64.[i], x) |> Array.maxBy fst
                    Expect.isLessThanOrEqual (fst worst64) 2L $"float64 {name}: {fst worst64} ulp at x = {snd worst64:R}"
            }
            yield test "sin and cos of Vector256 and Vector512 lanes call PrecompiledTrig's methods; Vector128 inlines the tree" {
                for vectorType in [ typeof<Vector256<float32>>; typeof<Vector256<float>>; typeof<Vector512<float32>>; typeof<Vector512<float>> ] do
                    let p = Expression.Parameter vectorType
                    Expect.isTrue (callsPrecompiled (SimdMath.Sin p) && callsPrecompiled (SimdMath.Cos p)) $"{vectorType.Name} calls"
                for vectorType in [ typeof<Vector128<float32>>; typeof<Vector128<float>> ] do
                    let p = Expression.Parameter vectorType
                    Expect.isFalse (callsPrecompiled (SimdMath.Sin p) || callsPrecompiled (SimdMath.Cos p)) $"{vectorType.Name} inlines"
            }
            yield test "PrecompiledTrig's float32 sin and cos give the inlined tree's bits: the whole range, next to k pi/2, lanes beyond 8192" {
                let seed = 20261207
                printfn $"PrecompiledTrig float32 test seed {seed}"
                precompiledMatchesTree32 (Array.concat [ samples; nearHalfPi32 ])
                // far lanes first in each vector of 8, of 16 (in the lower half) and, reversed, last (in the upper half)
                let far16 = farMixed 8192.0 16 (Random(seed + 1))
                for far in [ farMixed 8192.0 8 (Random seed); far16; Array.rev far16 ] do
                    precompiledMatchesTree32 (Array.map float32 far)
            }
            yield test "PrecompiledTrig's float64 sin and cos give the inlined tree's bits: the whole range, next to k pi/2, lanes beyond 2^20" {
                let seed = 20261208
                printfn $"PrecompiledTrig float64 test seed {seed}"
                precompiledMatchesTree64 (Array.concat [ samples64; nearHalfPi64 ])
                let far8 = farMixed 1048576.0 8 (Random(seed + 1))
                for far in [ farMixed 1048576.0 4 (Random seed); far8; Array.rev far8 ] do
                    precompiledMatchesTree64 far
            }
            yield test "a loop's inlined form (compiled from its second run) has no calls left and gives the calling form's bits" {
                inliningRemovesCalls<Vector256<float32>> ()
                inliningRemovesCalls<Vector256<float>> ()
                inliningRemovesCalls<Vector512<float32>> ()
                inliningRemovesCalls<Vector512<float>> ()
                // jit runs the calling form first, then swaps in the inlined one: the bits stay.
                for make in [ tensorOf32; Tensor.FromArray ] do
                    let x = make (Array.init 1003 (fun i -> Math.Sin(float i * 7.3) * 100.0))
                    let f = Jax.Jit(Func<Tensor, Tensor>(fun x -> Lax.Sin(Lax.Cos x)))
                    let first = bitsOf (f.Invoke x)
                    let before = JaxSharp.Cpu.CompiledLoop.InlinedLoops
                    let watch = Diagnostics.Stopwatch.StartNew()
                    while JaxSharp.Cpu.CompiledLoop.InlinedLoops = before && watch.Elapsed.TotalSeconds < 30.0 do
                        Expect.sequenceEqual (bitsOf (f.Invoke x)) first "a run while the inlined form compiles"
                        Threading.Thread.Sleep 1
                    Expect.isGreaterThan JaxSharp.Cpu.CompiledLoop.InlinedLoops before "the inlined form was swapped in"
                    Expect.sequenceEqual (bitsOf (f.Invoke x)) first "a run of the inlined form"
                // a sine run block by block as a product's epilogue (300 rows: several blocks, also on one core) counts its runs and swaps too
                let a = Tensor.FromArray(Array.init (300 * 64) (fun i -> float32 (Math.Sin(float i * 1.7))), Shape(300, 64))
                let w = Tensor.FromArray(Array.init (64 * 80) (fun i -> float32 (Math.Cos(float i * 0.3))), Shape(64, 80))
                let sineOfProduct (t: Tensor[]) = [| Lax.Sin(Np.Matmul(t.[0], t.[1])) |]
                let product = Jax.Jit(Func<Tensor, Tensor>(fun a -> (sineOfProduct [| a; w |]).[0]))
                Expect.stringContains (Jax.Lower(Func<Tensor[], Tensor[]> sineOfProduct, a, w)) "kernel + epilogue" "the sine is the product's epilogue"
                let first = bitsOf (product.Invoke a)
                let before = JaxSharp.Cpu.CompiledLoop.InlinedLoops
                let watch = Diagnostics.Stopwatch.StartNew()
                while JaxSharp.Cpu.CompiledLoop.InlinedLoops = before && watch.Elapsed.TotalSeconds < 30.0 do
                    Expect.sequenceEqual (bitsOf (product.Invoke a)) first "an epilogue run while the inlined form compiles"
                    Threading.Thread.Sleep 1
                Expect.isGreaterThan JaxSharp.Cpu.CompiledLoop.InlinedLoops before "the epilogue's inlined form was swapped in"
                Expect.sequenceEqual (bitsOf (product.Invoke a)) first "an epilogue run of the inlined form"
            }
            yield test "float64 odd functions keep the sign of zero: f(-0) = -0" {
                keepsSignOfZero (Tensor.FromArray zeros) [ "sin", Lax.Sin; "tanh", Lax.Tanh; "expm1", Lax.Expm1 ]
            }
            yield test "float64: an element's value does not depend on where it lies" {
                independentOfPosition Tensor.FromArray (Array.init 37 (fun i -> Math.Sin(float i * 7.3) * 300.0)) cases64 [ 1; 3; 11 ]
            }
            for name, f, reference, maxUlps in cases64 do
                yield test $"float64 {name} is within {maxUlps} ulp of Math over the whole range, with inf, NaN and subnormals" {
                    let x = Tensor.FromArray samples64
                    Expect.stringContains (Jax.Lower(Func<Tensor, Tensor>(f), x)) "lanes" "the loop is vectorised"
                    let y = (Jax.Jit(Func<Tensor, Tensor> f)).Invoke(x).ToArray<float>()
                    let mutable worst = (0L, 0.0)

                    for i in 0 .. samples64.Length - 1 do
                        let expected = reference samples64.[i]

                        if Double.IsNaN expected then
                            Expect.isTrue (Double.IsNaN y.[i]) $"{name} {samples64.[i]:R} is NaN, got {y.[i]:R}"
                        else
                            let d = ulps64 expected y.[i]

                            if d > fst worst then
                                worst <- (d, samples64.[i])

                    let d, at = worst
                    Expect.isLessThanOrEqual d maxUlps $"{name}: worst error {d} ulp at x = {at:R}"
                }
            for name, f, reference, maxUlps in cases ->
                test
                    $"float32 {name} is within {maxUlps} ulp of float64 over the whole range, with inf, NaN and subnormals" {
                    let x = Tensor.FromArray samples
                    Expect.stringContains (Jax.Lower(Func<Tensor, Tensor>(f), x)) "lanes" "the loop is vectorised"
                    let y = (Jax.Jit(Func<Tensor, Tensor> f)).Invoke(x).ToArray<float32>()
                    let mutable worst = (0L, 0.0f)

                    for i in 0 .. samples.Length - 1 do
                        let expected = float32 (reference (float samples.[i]))

                        if Single.IsNaN expected then
                            Expect.isTrue (Single.IsNaN y.[i]) $"{name} {samples.[i]:R} is NaN, got {y.[i]:R}"
                        else
                            let d = ulps expected y.[i]

                            if d > fst worst then
                                worst <- (d, samples.[i])

                    let d, at = worst
                    Expect.isLessThanOrEqual d maxUlps $"{name}: worst error {d} ulp at x = {at:R}"
                }
        ]
