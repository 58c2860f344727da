/// jit equals eager on random programs: FsCheck builds small expression trees of elementwise
/// ops, broadcasts and reductions over x: f32[5,40] and y: f32[40] (large enough for vector
/// loops and scalar tails), and shrinks a failing one to a minimal program. Programs made by
/// grad and vmap from them are checked the same way.
module Cpu.RandomProgramTests

open Expecto
open FsCheck
open FsCheck.FSharp
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators

type Unary =
    | Sin
    | Tanh
    | Logistic
    | Neg
    | Abs
    | ExpClipped
    | LogOnePlusAbs
    | SqrtOnePlusAbs

type Binary =
    | Add
    | Sub
    | Mul
    | Maximum
    | Minimum
    | DivOnePlusAbs

/// A program over x: [5,40] and y: [40]; every value broadcasts to [5,40]. Sums are divided
/// by their counts (means), so values stay near 1 and float32 rounding is not amplified.
type Program =
    | X
    | Y
    | Literal of float
    | Apply of Unary * Program
    | Combine of Binary * Program * Program
    | RowSums of Program
    | Total of Program
    | ColumnMax of Program
    /// where(x > 0.25, a, b), or with y: the predicate reads an input, so that values computed
    /// a few ulp apart by jit and eager cannot pick different branches.
    | Where of onY: bool * Program * Program

/// v broadcast to [5,40], numpy-style.
let broadcastTo (v: Tensor) =
    Lax.BroadcastInDim(v, Shape [| 5; 40 |], Ints [| for i in 0 .. v.Rank - 1 -> 2 - v.Rank + i |])

let rec evaluate (x: Tensor) (y: Tensor) program : Tensor =
    let go = evaluate x y

    match program with
    | X -> x
    | Y -> y
    | Literal v -> y * 0.0 + v
    | Apply(op, p) ->
        let v = go p

        match op with
        | Sin -> np.sin v
        | Tanh -> np.tanh v
        | Logistic -> nn.sigmoid v
        | Neg -> -v
        | Abs -> np.abs v
        | ExpClipped -> np.exp (np.clip -5.0 5.0 v)
        | LogOnePlusAbs -> np.log (np.abs v + 1.0)
        | SqrtOnePlusAbs -> np.sqrt (np.abs v + 1.0)
    | Combine(op, a, b) ->
        let a, b = go a, go b

        match op with
        | Add -> a + b
        | Sub -> a - b
        | Mul -> a * b
        | Maximum -> np.maximum a b
        | Minimum -> np.minimum a b
        | DivOnePlusAbs -> a / (np.abs b + 1.0)
    | RowSums p -> Np.Sum(broadcastTo (go p), 1, true) / 40.0
    | Total p -> np.sum (broadcastTo (go p)) / 200.0
    | ColumnMax p -> Np.Max(broadcastTo (go p), 0, true)
    | Where(onY, a, b) -> np.where ((if onY then y else x) .> 0.25) (go a) (go b)

let rec hasMax program =
    match program with
    | X
    | Y
    | Literal _ -> false
    | ColumnMax _ -> true
    | Apply(_, p)
    | RowSums p
    | Total p -> hasMax p
    | Combine(_, a, b) -> hasMax a || hasMax b
    | Where(_, a, b) -> hasMax a || hasMax b

let rec programGen size =
    let leaf =
        Gen.frequency
            [
                4, Gen.constant X
                2, Gen.constant Y
                1, Gen.choose (-20, 20) |> Gen.map (fun i -> Literal(float i / 10.0))
            ]

    if size <= 0 then
        leaf
    else
        let sub = programGen (size / 2)

        Gen.frequency
            [
                2, leaf
                3,
                Gen.map2
                    (fun op p -> Apply(op, p))
                    (Gen.elements [ Sin; Tanh; Logistic; Neg; Abs; ExpClipped; LogOnePlusAbs; SqrtOnePlusAbs ])
                    sub
                3,
                Gen.map3
                    (fun op a b -> Combine(op, a, b))
                    (Gen.elements [ Add; Sub; Mul; Maximum; Minimum; DivOnePlusAbs ])
                    sub
                    sub
                1, Gen.map RowSums sub
                1, Gen.map Total sub
                1, Gen.map ColumnMax sub
                1, Gen.map3 (fun c a b -> Where(c, a, b)) (Gen.elements [ true; false ]) sub sub
            ]

/// Shrinks to subprograms and to programs with shrunk parts.
let rec shrinkProgram program =
    seq {
        match program with
        | X -> ()
        | Y
        | Literal _ -> yield X
        | Apply(op, p) ->
            yield p
            for p' in shrinkProgram p -> Apply(op, p')
        | Combine(op, a, b) ->
            yield a
            yield b
            for a' in shrinkProgram a -> Combine(op, a', b)
            for b' in shrinkProgram b -> Combine(op, a, b')
        | RowSums p
        | Total p
        | ColumnMax p ->
            yield p

            for p' in shrinkProgram p ->
                match program with
                | RowSums _ -> RowSums p'
                | Total _ -> Total p'
                | _ -> ColumnMax p'
        | Where(onY, a, b) ->
            yield a
            yield b
            for a' in shrinkProgram a -> Where(onY, a', b)
            for b' in shrinkProgram b -> Where(onY, a, b')
    }

let values n seed =
    let r = System.Random(seed: int)
    Array.init n (fun _ -> float32 (r.NextDouble() * 4.0 - 2.0))

let x = Tensor.FromArray(values 200 1, Shape [| 5; 40 |])
let y = Tensor.FromArray(values 40 2)

let programs =
    Arb.fromGenShrink (Gen.sized (fun s -> programGen (min s 12)), shrinkProgram)

let config =
    { FsCheckConfig.defaultConfig with
        maxTest = 60
    }

let close (expected: Tensor) (actual: Tensor) =
    expected.Shape = actual.Shape
    && (firstMismatch 1e-4 (toFloats expected) (toFloats actual)).IsNone

[<Tests>]
let tests =
    testList
        "jit on random programs"
        [
            testPropertyWithConfig
                config
                "jit equals eager"
                (Prop.forAll programs (fun p ->
                    let f (x: Tensor) = broadcastTo (evaluate x y p)
                    close (f x) ((jit f) x) |> Prop.label (sprintf "%A" p)))
            testPropertyWithConfig
                config
                "jit of grad equals grad"
                (Prop.forAll programs (fun p ->
                    not (hasMax p)
                    ==> lazy
                        (let g = grad (fun (x: Tensor) -> np.sum (evaluate x y p))
                         close (g x) ((jit g) x) |> Prop.label (sprintf "%A" p))))
            testPropertyWithConfig
                config
                "jit of vmap equals vmap"
                (Prop.forAll programs (fun p ->
                    not (hasMax p)
                    ==> lazy
                        (let batch = Tensor.FromArray(values 600 3, Shape [| 3; 5; 40 |])
                         let v = vmap (fun (x: Tensor) -> broadcastTo (evaluate x y p))
                         close (v batch) ((jit v) batch) |> Prop.label (sprintf "%A" p))))
        ]
