/// Programs of thousands to 100,000 equations: tracing, simplifying, differentiating, batching,
/// printing, fusing and compiling them uses no call stack per equation, and long fusable runs
/// are cut into loops the JIT compiles well. Every test runs on a thread with .NET's default
/// 1 MB stack, so that a pass that recurses once per equation crashes the run here rather than
/// passing on a bigger stack.
module Cpu.DeepProgramTests

open System
open System.Runtime.ExceptionServices
open System.Threading
open Expecto
open JaxSharp
open JaxSharp.Cpu
open JaxSharp.FSharp
open OpTable.Generators

/// Runs f on a new thread with a 1 MB stack and rethrows what it throws.
let onDefaultStack (f: unit -> unit) =
    let mutable failure: exn = null
    let thread = Thread((fun () -> try f () with e -> failure <- e), 1_048_576)
    thread.Start()
    thread.Join()
    if not (isNull failure) then ExceptionDispatchInfo.Capture(failure).Throw()

/// The user's chain: a <- a * x + 1 / i for i = 1..steps, from a = x; two equations a step.
let chain steps (x: Tensor) =
    Seq.fold (fun (a: Tensor) i -> a * x + 1.0 / float i) x [ 1..steps ]

/// The chain's value and its derivative in x, by the recurrence in float64 on the host.
let chainReference steps (x: float) =
    let mutable a, da = x, 1.0
    for i in 1..steps do
        da <- da * x + a
        a <- a * x + 1.0 / float i
    a, da

let points = [| 0.5; -0.25; 0.75; 0.1 |]
let x = Tensor.FromArray points

/// The chain's values (fst) or derivatives (snd) at the points.
let expected steps part = points |> Array.map (chainReference steps >> part)

/// The fused groups of a listing, as the names of the equations each computes.
let loopMembers (listing: string) =
    listing.Split('\n')
    |> Array.filter (fun l -> l.StartsWith "group " && l.Contains " loop over ")
    |> Array.map (fun l -> let body = l.Substring(l.LastIndexOf ": " + 2) in body.Substring(0, body.IndexOf " -> ").Split(' '))

/// a <- a * q + x, `steps` times from a = x: two equations a step, linear in x. Its gradient in
/// x needs no forward value, so jit of grad compiles the backward chain alone: the long chain
/// above covers gradients that store forward values.
let affine steps (x: Tensor) (q: Tensor) =
    Seq.fold (fun (a: Tensor) _ -> a * q + x) x [ 1..steps ]

let rates = [| 0.9999; 0.999; 0.99; 0.5 |]
let q = Tensor.FromArray rates

/// Explicit Euler for y' = -k y from y0 = [1; 2; 3] with step h: sum of y after `steps` steps.
let euler steps h (k: Tensor) =
    let mutable y = Tensor.FromArray [| 1.0; 2.0; 3.0 |]
    for _ in 1..steps do
        y <- y + h * -(k * y)
    np.sum y

[<Tests>]
let tests =
    testList
        "deep programs"
        [
            test "an 8,000-equation chain jits to the value of its recurrence" {
                onDefaultStack (fun () ->
                    Expect.equal (makeJaxpr (chain 4000) x).Equations.Count 8000 "two equations a step"
                    expectClose 1e-12 (expected 4000 fst) (jit (chain 4000) x) "jit")
            }
            test "jit of grad of a 3,000-step Euler update is the derivative of its closed form" {
                onDefaultStack (fun () ->
                    let steps, h, k = 3000, 1e-3, 0.7
                    // y_n = y0 (1 - h k)^n, so d/dk sum y_N = -h N (1 - h k)^(N - 1) sum y0
                    let derivative = -h * float steps * (1.0 - h * k) ** float (steps - 1) * 6.0
                    let gradient = jit (grad (euler steps h))
                    expectClose 1e-10 [| derivative |] (gradient (Tensor.Scalar k)) "jit (grad euler)")
            }
            test "a 100,000-equation recurrence jits, grads and jits its grad to its closed form" {
                onDefaultStack (fun () ->
                    let steps = 50_000
                    let f (args: Tensor[]) = affine steps args[0] args[1]
                    let program = Func<Tensor[], Tensor[]>(fun a -> [| f a |])
                    let value = Jax.Jit program
                    let gradient = Jax.Grad(Func<Tensor[], Tensor>(f >> np.sum), 0)
                    // a_N = x (q^N + sum_{j<N} q^j), so d/dx sum a_N = q^N + (1 - q^N) / (1 - q)
                    let slope = Array.map (fun q -> q ** float steps + (1.0 - q ** float steps) / (1.0 - q)) rates
                    Expect.equal (Jax.MakeJaxpr(program, x, q)).Equations.Count 100_000 "two equations a step"
                    expectClose 1e-9 (Array.map2 (*) points slope) (value.Invoke [| x; q |]).[0] "jit"
                    expectClose 1e-9 slope (gradient.Invoke [| x; q |]).[0] "grad"
                    expectClose 1e-9 slope (Jax.Jit(gradient).Invoke [| x; q |]).[0] "jit (grad)")
            }
            test "vmap, jvp, linearize and printing handle an 8,000-equation chain" {
                onDefaultStack (fun () ->
                    let f = chain 4000
                    let rows = Tensor.FromArray(Array.append points (Array.map (fun p -> -p) points), Shape [| 2; 4 |])
                    let negated = points |> Array.map (fun p -> fst (chainReference 4000 -p))
                    expectClose 1e-12 (Array.append (expected 4000 fst) negated) (vmap f rows) "vmap"
                    let _, tangent = jvp f x (np.onesLike x)
                    expectClose 1e-12 (expected 4000 snd) tangent "jvp"
                    let _, linear = linearize f x
                    expectClose 1e-12 (expected 4000 snd) (linear (np.onesLike x)) "linearize"
                    let listing = (makeJaxpr f x).ToString()
                    Expect.equal (listing.Split('\n').Length) 8002 "a header line, one line an equation, the outputs")
            }
            test "a long chain is cut into loops within the cost bound, and its gradient stores the forward values in few loops" {
                onDefaultStack (fun () ->
                    let loops = loopMembers (lower (chain 1500) x)
                    Expect.isGreaterThan loops.Length 1 "cut into several loops"

                    for members in loops do
                        Expect.isLessThanOrEqual members.Length FusionPlanner.MaxLoopCost "an add or mul costs 1"

                    let gradientLoops = loopMembers (lower (grad (chain 1500 >> np.sum)) x)
                    // the backward pass reads 1,500 forward values; one loop each would be 1,500 loops
                    Expect.isLessThan gradientLoops.Length 50 "joined loops store the forward values")
            }
        ]
