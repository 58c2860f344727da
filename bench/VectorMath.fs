/// Building blocks of the hand-written loops: a float32 exp on Vector512 (a degree-6
/// polynomial after range reduction, within 2 ulp over [-87, 88]) and a split of a range
/// across the cores.
module VectorMath

open System
open System.Runtime.Intrinsics
open System.Threading.Tasks

let private v (x: float32) = Vector512.Create x

/// e^x lane by lane: x = n ln 2 + r with |r| <= ln 2 / 2, e^r by its Taylor polynomial, 2^n by
/// building the exponent bits. Inputs are clamped to [-87, 88], where the result is normal.
/// The native min, max and conversion compile to one instruction each (the IEEE forms add
/// NaN and saturation fix-ups this loop does not need).
let exp (x: Vector512<float32>) =
    let x = Vector512.MinNative(Vector512.MaxNative(x, v -87.0f), v 88.0f)
    let n = Vector512.Round(x * v 1.44269504f)
    let r = Vector512.FusedMultiplyAdd(n, v -0.693145752f, x)
    let r = Vector512.FusedMultiplyAdd(n, v -1.42860677e-6f, r)
    // Horner's rule, unrolled: an array of coefficients would be allocated on every call.
    let p = Vector512.FusedMultiplyAdd(v (1.0f / 720.0f), r, v (1.0f / 120.0f))
    let p = Vector512.FusedMultiplyAdd(p, r, v (1.0f / 24.0f))
    let p = Vector512.FusedMultiplyAdd(p, r, v (1.0f / 6.0f))
    let p = Vector512.FusedMultiplyAdd(p, r, v 0.5f)
    let p = Vector512.FusedMultiplyAdd(p, r, v 1.0f)
    let p = Vector512.FusedMultiplyAdd(p, r, v 1.0f)
    let twoToN = Vector512.ShiftLeft(Vector512.ConvertToInt32Native(n) + Vector512.Create 127, 23).AsSingle()
    p * twoToN

/// Runs `body worker lo hi` over [0, n): one piece per core when n is at least `minParallel`, else one piece.
let forRanges (n: int) (minParallel: int) (body: int -> int -> int -> unit) =
    if n < minParallel then
        body 0 0 n
    else
        let workers = Environment.ProcessorCount
        let chunk = (n + workers - 1) / workers + 15 &&& ~~~15
        Parallel.For(0, workers, fun w -> body w (min n (w * chunk)) (min n ((w + 1) * chunk))) |> ignore
