/// Random programs for properties: small expression trees over smooth primitives and scans, evaluated
/// with the public API, so the same program runs eagerly, traced by jit, differentiated and
/// batched. FsCheck shrinks a failing program by replacing a node with one of its children.
module RandomPrograms

open FsCheck
open FsCheck.FSharp
open JaxSharp
open JaxSharp.FSharp

/// A program over two inputs of the same shape; every operation is smooth everywhere, so
/// finite differences are valid at any point.
type Program =
    | X
    | Y
    | Const of float
    | Sin of Program
    | Cos of Program
    | Tanh of Program
    | Logistic of Program
    | Neg of Program
    | Square of Program
    | ExpTanh of Program
    | Add of Program * Program
    | Sub of Program * Program
    | Mul of Program * Program
    | SumKeep of Program
    /// lax.scan over the rows [a; a/2; -a], from the carry y: the body (x := carry, y := row) gives
    /// the next carry tanh(body) + x/10 (x closed over: a const of the scan) and the ys carry * row;
    /// the result is the final carry plus the sum of the ys.
    | Scan of body: Program * over: Program
    /// `lax.foriLoop 0 3` from the carry y (static bounds: a scan with no xs): the body (x := carry)
    /// gives the next carry tanh(body) + x/10, x closed over.
    | Fori of body: Program
    /// `lax.cond (sum(condition) > threshold) above below`, both branches functions of (x, y).
    | Cond of condition: Program * threshold: float * above: Program * below: Program

    override p.ToString() =
        match p with
        | X -> "x"
        | Y -> "y"
        | Const c -> string c
        | Sin a -> $"sin({a})"
        | Cos a -> $"cos({a})"
        | Tanh a -> $"tanh({a})"
        | Logistic a -> $"logistic({a})"
        | Neg a -> $"-({a})"
        | Square a -> $"({a})^2"
        | ExpTanh a -> $"exp(tanh({a}))"
        | Add(a, b) -> $"({a} + {b})"
        | Sub(a, b) -> $"({a} - {b})"
        | Mul(a, b) -> $"({a} * {b})"
        | SumKeep a -> $"sum_keepdims({a})"
        | Scan(body, a) -> $"scan(c, r -> {body} over {a})"
        | Fori body -> $"foriLoop(0, 3, c -> {body})"
        | Cond(c, t, a, b) -> $"lax.cond(sum({c}) > {t}, {a}, {b})"

/// Runs the program on x and y with the public API.
let rec evaluate (program: Program) (x: Tensor) (y: Tensor) : Tensor =
    let go p = evaluate p x y
    match program with
    | X -> x
    | Y -> y
    | Const c -> x * 0.0 + c
    | Sin a -> np.sin (go a)
    | Cos a -> np.cos (go a)
    | Tanh a -> np.tanh (go a)
    | Logistic a -> nn.sigmoid (go a)
    | Neg a -> -(go a)
    | Square a -> np.square (go a)
    | ExpTanh a -> np.exp (np.tanh (go a))
    | Add(a, b) -> go a + go b
    | Sub(a, b) -> go a - go b
    | Mul(a, b) -> go a * go b
    | SumKeep a -> np.sumAxes [| 0 |] true (go a) |> np.broadcastTo (x.Shape.ToArray())
    | Scan(body, a) ->
        let v = go a
        let step (c: Tensor) (row: Tensor) =
            let c' = np.tanh (evaluate body c row) + 0.1 * x
            c', c' * row
        let c, ys = lax.scan step y (np.stack 0 [ v; v * 0.5; -v ])
        c + np.sumAxes [| 0 |] false ys
    | Fori body -> lax.foriLoop 0 3 (fun _ (c: Tensor) -> np.tanh (evaluate body c y) + 0.1 * x) y
    | Cond(c, t, a, b) ->
        let branch p (x, y) = evaluate p x y
        lax.cond (np.sum (go c) .> t) (branch a) (branch b) (x, y)

/// Whether a program holds a cond anywhere.
let rec hasCond (program: Program) =
    match program with
    | X | Y | Const _ -> false
    | Sin a | Cos a | Tanh a | Logistic a | Neg a | Square a | ExpTanh a | SumKeep a | Fori a -> hasCond a
    | Add(a, b) | Sub(a, b) | Mul(a, b) | Scan(a, b) -> hasCond a || hasCond b
    | Cond _ -> true

/// How close the conds taken at (x, y) come to their thresholds (infinity when there is none):
/// finite differences are valid only where no step crosses one.
let rec margin (program: Program) (x: Tensor) (y: Tensor) : float =
    match program with
    | X | Y | Const _ -> infinity
    | Sin a | Cos a | Tanh a | Logistic a | Neg a | Square a | ExpTanh a | SumKeep a -> margin a x y
    | Add(a, b) | Sub(a, b) | Mul(a, b) -> min (margin a x y) (margin b x y)
    // a cond inside a loop body runs on values of the loop: no margin is known, so no finite differences
    | Scan(body, a) -> min (margin a x y) (if hasCond body then 0.0 else infinity)
    | Fori body -> if hasCond body then 0.0 else infinity
    | Cond(c, t, a, b) ->
        let s = (np.sum (evaluate c x y)).Item<float>()
        List.min [ abs (s - t); margin c x y; margin (if s > t then a else b) x y ]

/// Random programs, at most about 12 nodes deep; with `conds`, some nodes are lax.cond (smooth
/// away from their thresholds).
let programGenWith (conds: bool) =
    let leaf = Gen.oneof [ Gen.constant X; Gen.constant Y; Gen.choose (-20, 20) |> Gen.map (fun i -> Const(float i / 10.0)) ]
    let rec sized n =
        if n <= 0 then leaf
        else
            let sub = sized (n / 2)
            let cond =
                gen {
                    let! c = sized (n / 4)
                    let! t = Gen.choose (-10, 10) |> Gen.map (fun i -> float i / 10.0)
                    let! a = sub
                    let! b = sub
                    return Cond(c, t, a, b)
                }
            Gen.oneof
                [ leaf
                  Gen.map Sin sub; Gen.map Cos sub; Gen.map Tanh sub; Gen.map Logistic sub; Gen.map Neg sub
                  Gen.map Square sub; Gen.map ExpTanh sub; Gen.map SumKeep sub
                  Gen.map2 (fun body a -> Scan(body, a)) sub sub
                  Gen.map Fori sub
                  Gen.map2 (fun a b -> Add(a, b)) sub sub; Gen.map2 (fun a b -> Sub(a, b)) sub sub
                  Gen.map2 (fun a b -> Mul(a, b)) sub sub
                  if conds then cond ]
    Gen.sized (fun n -> sized (min n 12))

/// Random smooth programs (no conds), at most about 12 nodes deep.
let programGen = programGenWith false

/// Smaller programs: a node replaced by one of its children.
let rec shrinkProgram (program: Program) : seq<Program> =
    match program with
    | X | Y -> Seq.empty
    | Const _ -> seq { X }
    | Sin a | Cos a | Tanh a | Logistic a | Neg a | Square a | ExpTanh a | SumKeep a -> seq { a }
    | Add(a, b) | Sub(a, b) | Mul(a, b) -> seq { a; b }
    | Scan(body, a) -> seq { a; body }
    | Fori body -> seq { body }
    | Cond(c, t, a, b) -> seq { a; b; yield! shrinkProgram a |> Seq.map (fun a -> Cond(c, t, a, b)) }

/// Inputs: a shape of rank 1 (1 to 4 elements) and values in [-2, 2], float64.
type Case =
    { Program: Program
      X: float[]
      Y: float[] }

    override c.ToString() = $"{c.Program} at x = %A{c.X}, y = %A{c.Y}"

    member c.Inputs = np.array c.X, np.array c.Y

let private caseGen =
    gen {
        let! program = programGenWith true
        let! n = Gen.choose (1, 4)
        let value = Gen.choose (-2000, 2000) |> Gen.map (fun i -> float i / 1000.0)
        let! x = Gen.arrayOfLength n value
        let! y = Gen.arrayOfLength n value
        return { Program = program; X = x; Y = y }
    }

/// FsCheck's arbitrary cases: random programs and inputs, shrinking the program.
type Arbitraries =
    static member Case() =
        Arb.fromGenShrink (caseGen, fun c -> shrinkProgram c.Program |> Seq.map (fun p -> { c with Program = p }))
