/// Random programs that branch on values: smooth programs (RandomPrograms) joined by host `if`s
/// on the sum of a smooth program, run three ways: with a .NET `if` on the concrete value (what
/// grad outside jit allows), with each branch resolved by np.where (what works everywhere), and
/// concretely while recording how far each branch taken was from its boundary.
module BranchingPrograms

open FsCheck
open FsCheck.FSharp
open JaxSharp
open JaxSharp.FSharp
open RandomPrograms

/// A program over x and y with branches on values.
type Branching =
    | Smooth of Program
    /// `if sum(condition) > threshold then above else below`.
    | If of condition: Program * threshold: float * above: Branching * below: Branching
    | Times of Branching * Branching

    override b.ToString() =
        match b with
        | Smooth p -> string p
        | If(c, t, a, e) -> $"(if sum({c}) > {t} then {a} else {e})"
        | Times(a, c) -> $"({a} * {c})"

/// Runs the program with a .NET `if` on each condition's value; `taken` sees each condition's
/// distance from its threshold.
let rec evaluateHost (taken: float -> unit) (b: Branching) (x: Tensor) (y: Tensor) : Tensor =
    match b with
    | Smooth p -> evaluate p x y
    | If(c, t, above, below) ->
        let s = np.sum (evaluate c x y)
        taken (abs (s.Item<float>() - t))
        if (s .> t).Item<bool>() then evaluateHost taken above x y else evaluateHost taken below x y
    | Times(a, c) -> evaluateHost taken a x y * evaluateHost taken c x y

/// Runs the program with every branch resolved by np.where.
let rec evaluateWhere (b: Branching) (x: Tensor) (y: Tensor) : Tensor =
    match b with
    | Smooth p -> evaluate p x y
    | If(c, t, above, below) -> np.where (np.sum (evaluate c x y) .> t) (evaluateWhere above x y) (evaluateWhere below x y)
    | Times(a, c) -> evaluateWhere a x y * evaluateWhere c x y

/// How close the branches taken at (x, y) come to their boundaries (infinity when none is taken).
let margin (b: Branching) (x: Tensor) (y: Tensor) =
    let mutable closest = infinity
    evaluateHost (fun d -> closest <- min closest d) b x y |> ignore
    closest

let private branchingGen =
    let smooth = Gen.resize 6 programGen
    let rec sized n =
        if n <= 0 then Gen.map Smooth smooth
        else
            let sub = sized (n / 2)
            Gen.oneof
                [ Gen.map Smooth smooth
                  gen {
                      let! c = smooth
                      let! t = Gen.choose (-10, 10) |> Gen.map (fun i -> float i / 10.0)
                      let! a = sub
                      let! e = sub
                      return If(c, t, a, e)
                  }
                  Gen.map2 (fun a c -> Times(a, c)) sub sub ]
    Gen.sized (fun n -> sized (min n 8))

let rec private shrinkBranching (b: Branching) : seq<Branching> =
    match b with
    | Smooth p -> shrinkProgram p |> Seq.map Smooth
    | If(c, t, a, e) -> seq { a; e; yield! shrinkProgram c |> Seq.map (fun c -> If(c, t, a, e)) }
    | Times(a, c) -> seq { a; c }

/// A branching program and float64 inputs of 1 to 4 elements in [-2, 2].
type BranchingCase =
    { Program: Branching
      X: float[]
      Y: float[] }

    override c.ToString() = $"{c.Program} at x = %A{c.X}, y = %A{c.Y}"

    member c.Inputs = np.array c.X, np.array c.Y

/// FsCheck's arbitrary branching cases, shrinking the program.
type BranchingArbitraries =
    static member Case() =
        let caseGen =
            gen {
                let! program = branchingGen
                let! n = Gen.choose (1, 4)
                let value = Gen.choose (-2000, 2000) |> Gen.map (fun i -> float i / 1000.0)
                let! x = Gen.arrayOfLength n value
                let! y = Gen.arrayOfLength n value
                return { Program = program; X = x; Y = y }
            }
        Arb.fromGenShrink (caseGen, fun c -> shrinkBranching c.Program |> Seq.map (fun p -> { c with Program = p }))
