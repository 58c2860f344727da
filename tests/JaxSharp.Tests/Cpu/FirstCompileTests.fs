/// What the first jit of a process skips (docs/jit.md, "First result in a fresh process") gives
/// the same results as what it replaced: a concrete scalar converts on the host with the bits of
/// convert_element_type's kernel, and a loop's tail calls one-lane SIMD functions compiled on
/// their first call, with the bits of the loop's vector body; compiled loops name their locals as
/// the listing names the program's atoms, without printing the program.
module Cpu.FirstCompileTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp.Operators

let private seed = 1616

/// Random doubles of every magnitude (seeded), and the special values.
let private doubles () =
    let r = Random(seed)
    let sampled = Array.init 2000 (fun _ -> BitConverter.Int64BitsToDouble(r.NextInt64()))
    Array.append sampled
        [| 0.0; -0.0; 1.01; 0.1; -2.5; Double.Epsilon; 1e-40; 1e-46; Double.MaxValue; Double.MinValue
           3.4028235677973366e38; 3.4028235677973362e38; 16777217.0; Double.PositiveInfinity
           Double.NegativeInfinity; Double.NaN |]

let private ints () =
    let r = Random(seed)
    Array.append (Array.init 2000 (fun _ -> r.Next(Int32.MinValue, Int32.MaxValue)))
        [| 0; 1; -1; 16777217; -16777217; Int32.MaxValue; Int32.MinValue |]

/// The conversion of each value as a host scalar (rank 0, the literal path) and through the
/// kernel (the same values as one vector), as bits, with the two results' dtypes.
let private bothWays (scalar: 'a -> Tensor) (vector: 'a[] -> Tensor) (values: 'a[]) (dtype: DType) =
    let bits (t: Tensor) =
        if t.DType = DType.Float64 then t.ToArray<float>() |> Array.map BitConverter.DoubleToInt64Bits
        else t.ToArray<float32>() |> Array.map (BitConverter.SingleToInt32Bits >> int64)
    let hosts = values |> Array.map (fun v -> Np.AsType(scalar v, dtype))
    let kernel = Np.AsType(vector values, dtype)
    Expect.equal (hosts |> Array.map (fun t -> t.DType, t.IsWeaklyTyped) |> Array.distinct) [| kernel.DType, kernel.IsWeaklyTyped |] "the same dtype and weak flag"
    Expect.sequenceEqual (hosts |> Array.collect bits) (bits kernel) $"the same bits (seed {seed})"

/// The float32 samples of a loop of n elements: random values (seeded), whose last n % 8 repeat
/// the first ones, so the tail computes values the vector body computed too.
let private withTail n =
    let r = Random(seed)
    let body = Array.init (n - n % 8) (fun _ -> float32 (r.NextDouble() * 20.0 - 10.0))
    Array.append body body.[0 .. n % 8 - 1]

/// Programs with constants, literals and nested programs of every kind a parameter holds
/// (cond's branches, a while loop's condition and body, scan's body with a cond inside, a
/// checkpoint's and a custom JVP's closed programs).
let private programsWithNesting () =
    let c = Tensor.FromArray([| 0.5f; 2.0f; -1.0f |], Shape(3))
    let x = Tensor.FromArray([| 1.0f; 2.0f; 3.0f |], Shape(3))
    let open' = JaxSharp.FSharp.lax.cond
    [ "constants and literals", (fun (v: Tensor) -> Np.Sin(v) * 1.01 + c * v)
      "cond", (fun v -> open' (Np.Sum v .> 0.0) (fun (u: Tensor) -> u * c) (fun u -> Np.Cos u - 1.0) v)
      "while", (fun v -> JaxSharp.FSharp.lax.whileLoop (fun (u: Tensor) -> Np.Sum u .< 100.0) (fun u -> u * 2.0 + c) v)
      "scan with a cond", (fun v ->
          let carry, ys = JaxSharp.FSharp.lax.scan (fun (acc: Tensor) (e: Tensor) ->
                                                    let next = open' (Np.Sum e .> 1.0) (fun (a: Tensor) -> a + e) (fun a -> a * c) acc
                                                    next, next * 2.0) (Np.Zeros(3)) (Np.Stack([| v; v * c |]))
          carry + Np.Sum(ys, [| 0 |]))
      "checkpoint and custom JVP", (fun v ->
          let f = JaxSharp.FSharp.Transformations.checkpoint (fun u -> Np.Sin u * c)
          let g = JaxSharp.FSharp.Transformations.customJvp (fun u -> Np.Exp u) (fun u t -> Np.Exp u, t * Np.Exp u)
          g (f v) + 1.0) ]
    |> List.map (fun (name, f) -> name, Jax.MakeJaxpr(Func<Tensor, Tensor> f, x))

[<Tests>]
let tests =
    testList "first compile" [
        test "compiled loops' locals get the names the listing prints, nested programs included" {
            for name, jaxpr in programsWithNesting () do
                let atoms =
                    [ for program in JaxSharp.IR.SubPrograms.SelfAndNested jaxpr do
                          yield! program.Captures |> Seq.cast<Linq.Expressions.Expression>
                          yield! program.Inputs |> Seq.cast<Linq.Expressions.Expression>
                          for eq in program.Equations do
                              yield! eq.Variables |> Seq.cast<Linq.Expressions.Expression>
                              yield! eq.Application.Arguments
                          yield! program.Outputs ]
                let nested = (JaxSharp.IR.SubPrograms.SelfAndNested jaxpr |> Seq.length) - 1
                if name <> "constants and literals" then Expect.isGreaterThan nested 0 $"{name}: has nested programs"
                let walked = JaxSharp.IR.JaxprPrinter.AtomNames jaxpr
                let printed = JaxSharp.IR.JaxprPrinter.PrintedAtomNames jaxpr
                Expect.sequenceEqual (atoms |> List.map walked.Invoke) (atoms |> List.map printed.Invoke) $"{name}: the names of {atoms.Length} atoms in\n{jaxpr}"
        }
        test "a concrete float64 scalar converts to float32 with the kernel's bits" {
            printfn $"first compile: seed {seed}"
            bothWays (fun (v: float) -> Tensor.Scalar v) (fun vs -> Tensor.FromArray(vs, Shape(vs.Length))) (doubles ()) DType.Float32
        }
        test "a concrete float32 scalar converts to float64 with the kernel's bits" {
            let values = doubles () |> Array.map float32
            bothWays (fun (v: float32) -> Tensor.Scalar v) (fun vs -> Tensor.FromArray(vs, Shape(vs.Length))) values DType.Float64
        }
        test "a concrete int32 scalar converts to float32 and float64 with the kernel's bits" {
            for dtype in [ DType.Float32; DType.Float64 ] do
                bothWays (fun (v: int) -> Tensor.Scalar v) (fun vs -> Tensor.FromArray(vs, Shape(vs.Length))) (ints ()) dtype
        }
        test "a literal in a traced program keeps its exact value and its dtype" {
            let x = Tensor.FromArray([| 1.0f; 2.0f |], Shape(2))
            let listing = (Jax.MakeJaxpr(Func<Tensor, Tensor>(fun t -> t * 1.01 + 2), x)).ToString()
            Expect.stringContains listing "1.01:f32[]" "the float literal, converted to float32"
            Expect.stringContains listing "2.0:f32[]" "the int literal, converted to float32"
            let y = (Jax.Jit(Func<Tensor, Tensor>(fun t -> t * 1.01 + 2))).Invoke(x).ToArray<float32>()
            let expected = [| 1.0f * float32 1.01 + 2.0f; 2.0f * float32 1.01 + 2.0f |]
            Expect.isTrue (Array.forall2 (fun (a: float32) b -> abs (a - b) <= 1e-6f) y expected) $"the values: {y} against {expected}"
        }
        test "a loop's tail computes one-lane functions with the vector body's bits" {
            for n in [ 1003; 13 ] do
                let xs = withTail n
                let x = Tensor.FromArray(xs, Shape(n))
                for name, f in [ "sin", Np.Sin; "tanh", Np.Tanh; "exp", Np.Exp ] do
                    let y = (Jax.Jit(Func<Tensor, Tensor> f)).Invoke(x).ToArray<float32>() |> Array.map BitConverter.SingleToInt32Bits
                    let tail = n % 8
                    Expect.sequenceEqual y.[n - tail ..] y.[0 .. tail - 1] $"{name} on {n} elements: the tail as the body (seed {seed})"
        }
        test "a loop's tail computes float64 one-lane functions with the vector body's bits" {
            let xs = withTail 1003 |> Array.map float
            let x = Tensor.FromArray(xs, Shape(1003))
            let y = (Jax.Jit(Func<Tensor, Tensor> Np.Sin)).Invoke(x).ToArray<float>() |> Array.map BitConverter.DoubleToInt64Bits
            Expect.sequenceEqual y.[1000..] y.[0..2] $"sin on 1003 float64: the tail as the body (seed {seed})"
        }
        test "the listing names the one-lane function a loop's tail calls" {
            let x = Tensor.FromArray(withTail 1003, Shape(1003))
            Expect.stringContains (Jax.Lower(Func<Tensor, Tensor> Np.Sin, x)) "sin_lane(" "the tail's call, by name"
        }
    ]
