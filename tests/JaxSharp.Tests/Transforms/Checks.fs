/// Checks of transformation rules shared by the tests: JVPs against central finite
/// differences (JAX's check_grads recipe), VJPs against JVPs by the transposition identity
/// <u, J v> = <J^T u, v>, second order by checking the derivative programs themselves, and
/// vmap against a loop over the examples.
module Transforms.Checks

open System
open Expecto
open JaxSharp
open OpTable.Generators

/// A function of several tensors with one output, the shape every check takes.
type Fn = Tensor[] -> Tensor

let private fn (f: Fn) = Func<Tensor[], Tensor[]>(fun a -> [| f a |])

/// Deterministic pseudo-random values in [-1, 1] shaped like x, in x's dtype.
let randomLike (seed: int) (x: Tensor) =
    let rng = Random(seed)
    tensorOf x.DType (x.Shape.ToArray()) (Array.init x.Size (fun _ -> rng.NextDouble() * 2.0 - 1.0))

let private axpy (a: float) (v: Tensor) (x: Tensor) =
    tensorOf x.DType (x.Shape.ToArray()) (Array.map2 (fun xi vi -> xi + a * vi) (toFloats x) (toFloats v))

let private dot (a: Tensor) (b: Tensor) = Array.fold2 (fun s x y -> s + x * y) 0.0 (toFloats a) (toFloats b)

let private isFloat (x: Tensor) = x.DType = DType.Float32 || x.DType = DType.Float64

/// The step of central differences, scaled like JAX's check_grads (1e-4 for float64).
let private stepFor (dtype: DType) = if dtype = DType.Float64 then 1e-4 else 1e-2

let private expectAllClose tol (expected: float[]) (actual: float[]) what =
    Expect.equal actual.Length expected.Length $"{what}: size"
    for i in 0 .. expected.Length - 1 do
        let e, a = expected[i], actual[i]
        if not (abs (a - e) <= tol * (1.0 + abs e)) then
            failtestf "%s: element %d is %.10g, expected %.10g (tolerance %g)" what i a e tol

/// The JVP of f at xs along random tangents equals central finite differences, extrapolated
/// (Richardson: (4 D(h/2) - D(h)) / 3 cancels the h^2 error term), so that a steep function
/// such as cos(s^4) is not failed by the truncation error of its reference.
let checkJvp tol (f: Fn) (xs: Tensor[]) =
    let vs = xs |> Array.mapi (fun i x -> if isFloat x then randomLike (17 + i) x else x)
    let struct (_, tangents) = Jax.Jvp(fn f, xs, vs)
    let eps = stepFor (f xs).DType
    let shifted a = xs |> Array.mapi (fun i x -> if isFloat x then axpy a vs[i] x else x)
    let central h =
        let plus, minus = toFloats (f (shifted h)), toFloats (f (shifted -h))
        Array.map2 (fun p m -> (p - m) / (2.0 * h)) plus minus
    let fd = Array.map2 (fun half whole -> (4.0 * half - whole) / 3.0) (central (eps / 2.0)) (central eps)
    expectAllClose tol fd (toFloats tangents[0]) "jvp vs finite differences"

/// The VJP of f at xs is the transpose of its JVP: <u, J v> = <J^T u, v>.
let checkVjp tol (f: Fn) (xs: Tensor[]) =
    let vs = xs |> Array.mapi (fun i x -> randomLike (17 + i) x)
    let struct (_, tangents) = Jax.Jvp(fn f, xs, vs)
    let struct (outputs, pullback) = Jax.Vjp(fn f, xs)
    let u = randomLike 99 outputs[0]
    let cotangents = pullback.Invoke [| u |]
    let lhs = dot u tangents[0]
    let rhs = Array.fold2 (fun s (c: Tensor) v -> if isFloat c then s + dot c v else s) 0.0 cotangents vs
    expectAllClose tol [| lhs |] [| rhs |] "<u, J v> = <J^T u, v>"

/// First and second order checks of both modes, as JAX's check_grads(f, xs, order=2):
/// the JVP and the VJP of f, then of the JVP program and of the pullback program.
let checkGrads tol (f: Fn) (xs: Tensor[]) =
    checkJvp tol f xs
    checkVjp tol f xs
    let vs = xs |> Array.mapi (fun i x -> randomLike (17 + i) x)
    let jvpOf (a: Tensor[]) =
        let struct (_, t) = Jax.Jvp(fn f, a, vs)
        t[0]
    let u = randomLike 99 (f xs)
    let pullbackOf (a: Tensor[]) =
        let struct (_, pullback) = Jax.Vjp(fn f, a)
        (pullback.Invoke [| u |])[0]
    checkJvp tol jvpOf xs
    checkVjp tol jvpOf xs
    checkJvp tol pullbackOf xs
    checkVjp tol pullbackOf xs

/// Example i of x along axis (a slice, squeezed).
let exampleAt (axis: int) (i: int) (x: Tensor) =
    let starts = Array.init x.Rank (fun d -> if d = axis then i else 0)
    let limits = Array.init x.Rank (fun d -> if d = axis then i + 1 else x.Shape[d])
    Lax.Squeeze(Lax.Slice(x, Ints(starts), Ints(limits)), Ints([| axis |]))

/// vmap of f over the given axes (None: unmapped) equals looping f over the examples and
/// stacking the results along axis 0.
let checkVmap (f: Fn) (inAxes: int option[]) (xs: Tensor[]) =
    let axes = inAxes |> Array.map (function Some a -> Nullable a | None -> Nullable())
    let batched = (Jax.Vmap(fn f, axes)).Invoke(xs)[0]
    let size = Array.zip inAxes xs |> Array.pick (fun (a, x) -> a |> Option.map (fun a -> x.Shape[a]))
    Expect.equal batched.Shape[0] size "the batch axis comes first"
    for i in 0 .. size - 1 do
        let example = Array.map2 (fun a x -> match a with Some a -> exampleAt a i x | None -> x) inAxes xs
        let expected = f example
        let actual = exampleAt 0 i batched
        Expect.equal actual.Shape expected.Shape $"example {i}: shape"
        Expect.equal actual.DType expected.DType $"example {i}: dtype"
        expectAllClose 1e-12 (toFloats expected) (toFloats actual) $"example {i}"
