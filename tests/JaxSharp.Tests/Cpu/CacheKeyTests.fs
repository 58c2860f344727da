/// jit's cache keys cover everything that changes the compiled result: constants inside nested
/// programs, static values by value equality (arrays by content), the output structure of each
/// signature, and the settings read at trace time. Each test is a wrong answer a user found
/// once, with no error, and must not come back.
module Cpu.CacheKeyTests

open System
open System.Collections.Generic
open Expecto
open JaxSharp
open JaxSharp.FSharp
open TestHelpers

let private values (t: Tensor) = t.ToArray<float32>()

let private f32 (xs: float32 list) = np.array (Array.ofList xs)

/// A plain class: its Equals is object identity.
type private Scale(factor: float) =
    member _.Factor = factor

[<Tests>]
let tests =
    testList
        "jit cache keys"
        [ testList
              "constants inside nested programs"
              [ for name, wrap in
                    [ "checkpoint", (fun (g: Tensor -> Tensor) -> checkpoint g)
                      "customJvp", (fun g -> customJvp g (fun x t -> g x, t))
                      "customVjp", (fun g -> customVjp g (fun x -> g x, [| x |]) (fun _ ct -> ct)) ] do
                    test $"two captured constants of {name} give two programs" {
                        let run (c: Tensor) =
                            let f = jit (fun x -> wrap (fun y -> y * c) x)
                            values (f (f32 [ 1.0f; 1.0f; 1.0f ]))

                        Expect.equal (run (f32 [ 1.0f; 2.0f; 3.0f ])) [| 1.0f; 2.0f; 3.0f |] "first constant"
                        Expect.equal (run (f32 [ 4.0f; 5.0f; 6.0f ])) [| 4.0f; 5.0f; 6.0f |] "second constant"
                    } ]
          testList
              "the output structure of each signature"
              [ test "a static output that is a shape is right for every shape" {
                    let f = jit (fun (x: Tensor, y: Tensor) -> (x + y, x.Shape.[0]))
                    let call n = snd (f (np.ones [| n |], np.ones [| n |]))
                    Expect.equal [ call 3; call 5; call 3 ] [ 3; 5; 3 ] "the length of each call's input"
                }
                test "a list whose length depends on the shape" {
                    let f = jit (fun (x: Tensor) -> [ for i in 0 .. x.Shape.[0] - 1 -> x.[i] ])
                    Expect.equal (List.length (f (np.ones [| 3 |]))) 3 "three"
                    Expect.equal (List.length (f (np.ones [| 2 |]))) 2 "two"
                    Expect.equal (List.length (f (np.ones [| 3 |]))) 3 "three again"
                } ]
          testList
              "static values compare by value"
              [ test "an F# map of 4 entries is not one of 3 (their texts are alike)" {
                    let f = jit (fun (x: Tensor, m: Map<int, float>) -> x * float m.Count)
                    let x = f32 [ 1.0f ]
                    let small = Map [ 1, 1.0; 2, 2.0; 3, 3.0 ]
                    let large = Map [ 1, 1.0; 2, 2.0; 3, 3.0; 4, 4.0 ]
                    Expect.equal (values (f (x, small))) [| 3.0f |] "three entries"
                    Expect.equal (values (f (x, large))) [| 4.0f |] "four entries"
                }
                test "an array compares by content, and mutating it later changes nothing cached" {
                    let mutable traces = 0

                    let f =
                        jitStatic (fun x (weights: float[]) ->
                            traces <- traces + 1
                            x * Array.sum weights)

                    let x = f32 [ 1.0f ]
                    let w = [| 1.0; 2.0 |]
                    Expect.equal (values (f x w)) [| 3.0f |] "sum 3"
                    w.[0] <- 10.0
                    Expect.equal (values (f x w)) [| 12.0f |] "the mutated array is a new value"
                    Expect.equal (values (f x [| 1.0; 2.0 |])) [| 3.0f |] "the first content finds the first program"
                    Expect.equal traces 2 "one trace per content"
                }
                test "a fresh array of the same content each call does not retrace" {
                    let mutable traces = 0

                    let f =
                        jitStatic (fun x (shape: int[]) ->
                            traces <- traces + 1
                            np.reshape shape x)

                    for _ in 1..100 do
                        f (np.ones [| 6 |]) [| 2; 3 |] |> ignore

                    Expect.equal traces 1 "one trace"
                }
                test "a tuple holding arrays compares by their contents" {
                    let f = jit (fun (x: Tensor, (a: int[], b: string)) -> x * float (Array.sum a + b.Length))
                    let x = f32 [ 1.0f ]
                    Expect.equal (values (f (x, ([| 1 |], "ab")))) [| 3.0f |] "1 + 2"
                    Expect.equal (values (f (x, ([| 2 |], "ab")))) [| 4.0f |] "2 + 2"
                }
                for name, value, typeWords in
                    [ "a ResizeArray", box (ResizeArray [ 1; 2 ]), "System.Collections.Generic.List"
                      "a Dictionary", box (Dictionary<int, int>()), "System.Collections.Generic.Dictionary"
                      "a plain class", box (Scale 2.0), "Scale"
                      "an F# closure", box (fun (x: float) -> x * 2.0), "function"
                      "a .NET delegate", box (Func<float, float>(fun x -> x * 2.0)), "function" ] do
                    test $"{name} is refused with a message that names its type and the fix" {
                        let f = jitStatic (fun x (_: obj) -> x * 2.0)

                        throwsWith<ArgumentException>
                            [ "jit"; "the static argument"; typeWords; "compares by reference only"; "F# list, record, tuple" ]
                            (fun () -> f (f32 [ 1.0f ]) value |> ignore)
                    }
                test "a reference-equality element of a static array or tuple is refused with its index in the path" {
                    let f = jitStatic (fun x (_: obj) -> x * 2.0)

                    throwsWith<ArgumentException>
                        [ "the static argument[1]"; "System.Collections.Generic.List"; "compares by reference only" ]
                        (fun () -> f (f32 [ 1.0f ]) (box [| box 1; box (ResizeArray [ 1 ]) |]) |> ignore)
                    throwsWith<ArgumentException>
                        [ "the static argument[0][2]"; "Scale"; "compares by reference only" ]
                        (fun () -> f (f32 [ 1.0f ]) (box ([| box 1; box 2; box (Scale 2.0) |], "b")) |> ignore)
                }
                test "dot_general's parameters, whose equality is written out by hand, differ in each of their properties" {
                    let p (dims: int) (dtype: Nullable<DType>) =
                        JaxSharp.Primitives.LinearAlgebra.DotGeneralParams(JaxSharp.Primitives.LinearAlgebra.DotDimensionNumbers.MatMul dims, dtype)
                    let properties =
                        typeof<JaxSharp.Primitives.LinearAlgebra.DotGeneralParams>.GetProperties(Reflection.BindingFlags.Public ||| Reflection.BindingFlags.Instance)
                        |> Array.map (fun q -> q.Name)
                        |> Array.sort
                    // a new property must join Equals and GetHashCode (and this test)
                    Expect.equal properties [| "DimensionNumbers"; "PreferredElementType" |] "the properties the hand-written equality compares"
                    Expect.equal (p 2 (Nullable DType.Float32)) (p 2 (Nullable DType.Float32)) "equal parameters"
                    Expect.equal ((p 2 (Nullable DType.Float32)).GetHashCode()) ((p 2 (Nullable DType.Float32)).GetHashCode()) "equal hashes"
                    Expect.notEqual (p 2 (Nullable DType.Float32)) (p 3 (Nullable DType.Float32)) "other dimension numbers"
                    Expect.notEqual (p 2 (Nullable DType.Float32)) (p 2 (Nullable DType.Float64)) "another preferred dtype"
                    Expect.notEqual (p 2 (Nullable DType.Float32)) (p 2 (Nullable())) "a preferred dtype against none"
                }
                test "a reference-equality value inside a tree is refused with its path" {
                    let f = jit (fun (x: Tensor, l: ResizeArray<int>) -> x * float l.Count)

                    throwsWith<ArgumentException>
                        [ "tree.Item2"; "compares by reference only" ]
                        (fun () -> f (f32 [ 1.0f ], ResizeArray [ 1 ]) |> ignore)
                } ]
          testList
              "settings read at trace time"
              [ test "a jitted sampler follows the random scheme in force at each call" {
                    let sample = jit (fun key -> random.uniform key [| 4 |])
                    let key = random.key 7
                    let partitionable = values (sample key)
                    let original = random.withOriginalScheme (fun () -> values (sample key))
                    let eagerOriginal = random.withOriginalScheme (fun () -> values (random.uniform key [| 4 |]))
                    Expect.equal original eagerOriginal "the original scheme's numbers, as eagerly"
                    Expect.notEqual original partitionable "the two schemes differ for this key"
                    Expect.equal (values (sample key)) partitionable "the default scheme again"
                } ] ]
