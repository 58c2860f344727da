/// The SIMD float32 math functions that fused loops inline (SimdMath), against float64
/// references over the whole float32 range: a sample of every 65537th bit pattern (negative
/// and positive, subnormals, infinities and NaNs) plus special values, run through jit so
/// that the vector loop computes them.
module Cpu.SimdMathTests

open System
open Expecto
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

[<Tests>]
let tests =
    testList
        "simd math"
        [
            yield test "odd functions keep the sign of zero, as MathF and JAX do: f(-0) = -0" {
                let zeros = Tensor.FromArray(Array.init 32 (fun i -> if i % 2 = 0 then -0.0f else 0.0f))
                for name, f in [ "sin", Lax.Sin; "tanh", Lax.Tanh; "expm1", Lax.Expm1; "erf", Lax.Erf ] do
                    let y = (Jax.Jit(Func<Tensor, Tensor> f)).Invoke(zeros).ToArray<float32>()
                    let signs = y |> Array.map (fun v -> BitConverter.SingleToInt32Bits v)
                    let expected = Array.init 32 (fun i -> if i % 2 = 0 then Int32.MinValue else 0)
                    Expect.sequenceEqual signs expected $"{name} of -0 and +0, as bits"
                }
            yield test "an element's value does not depend on where it lies: tails, small arrays and eager calls equal the vector lanes" {
                let values = Array.init 37 (fun i -> float32 (Math.Sin(float i * 7.3)) * 20.0f)
                for name, f, _, _ in cases do
                    let jitted = Jax.Jit(Func<Tensor, Tensor> f)
                    let whole = jitted.Invoke(Tensor.FromArray values).ToArray<float32>()
                    let bits (a: float32[]) = a |> Array.map BitConverter.SingleToInt32Bits
                    for length in [ 1; 5; 17 ] do
                        let part = values.[.. length - 1]
                        Expect.sequenceEqual (bits (jitted.Invoke(Tensor.FromArray part).ToArray<float32>())) (bits whole.[.. length - 1])
                            $"jit {name} of the first {length} values"
                        Expect.sequenceEqual (bits ((f (Tensor.FromArray part)).ToArray<float32>())) (bits whole.[.. length - 1])
                            $"eager {name} of the first {length} values"
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
