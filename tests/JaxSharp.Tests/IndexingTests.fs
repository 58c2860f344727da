/// numpy-style indexing of tensors (the Ix indexer, F# slicing) and functional updates
/// (At(...).Set/Add/...), against loops and numpy's known results.
module IndexingTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open OpTable.ShapeOps

let ix (i: int) : Ix = Ix.op_Implicit i
let step (start: int option) (stop: int option) (s: int) = Ix.Slice(Option.toNullable start, Option.toNullable stop, s)
let range (a: Index) (b: Index) : Ix = Ix.op_Implicit (Range(a, b))
let ints (xs: int list) = np.array (Array.ofList xs)
let m34 () = np.arange 12 |> np.reshape [| 3; 4 |] // [[0 1 2 3] [4 5 6 7] [8 9 10 11]]

/// The positions Python's slice(start, stop, step) picks from n elements, by walking them.
let pythonSlice n (start: int option) (stop: int option) s =
    let norm v = if v < 0 then v + n else v
    let lo, hi = (if s > 0 then 0, n else -1, n - 1)
    let first = start |> Option.map (norm >> max lo >> min hi) |> Option.defaultValue (if s > 0 then 0 else n - 1)
    let last = stop |> Option.map (norm >> max lo >> min hi) |> Option.defaultValue (if s > 0 then n else -1)
    Seq.unfold (fun i -> if (s > 0 && i < last) || (s < 0 && i > last) then Some(i, i + s) else None) first |> Array.ofSeq

/// One random index item per axis: an int (maybe negative), or a slice with a step.
type Item =
    | Int of int
    | Sl of int option * int option * int

let itemGen n =
    Gen.oneof [
        (if n > 0 then Gen.choose (-n, n - 1) |> Gen.map Int else Gen.constant (Sl(None, None, 1)))
        gen {
            let bound = Gen.choose (-n - 2, n + 2) |> Gen.optionOf
            let! a = bound
            let! b = bound
            let! s = Gen.elements [ -3; -2; -1; 1; 2; 3 ]
            return Sl(a, b, s)
        } ]

[<Tests>]
let tests =
    testList "indexing" [
        testPropertyWithConfig config "ints and step slices pick what Python's slices pick" (fun () ->
            Prop.forAll (Arb.fromGen (gen {
                let! shape = shapeGen 3 4
                let! items = shape |> Array.map itemGen |> Gen.sequenceToArray
                return shape, items })) (fun (shape, items) ->
                let x = tensorOf DType.Float64 shape (Array.init (size shape) float)
                let picks = Array.map2 (fun n item -> match item with Int i -> [| (if i < 0 then i + n else i) |] | Sl(a, b, s) -> pythonSlice n a b s) shape items
                let kept = items |> Array.map (function Int _ -> false | Sl _ -> true)
                let outShape = Array.zip picks kept |> Array.filter snd |> Array.map (fst >> Array.length)
                let expected = build outShape (fun o ->
                    let mutable k = 0
                    let source = picks |> Array.mapi (fun d p -> if kept[d] then (k <- k + 1; p[o[k - 1]]) else p[0])
                    float (ravel shape source))
                let index = items |> Array.map (function Int i -> ix i | Sl(a, b, s) -> step a b s)
                let result = x[index]
                Expect.equal (shapeOf result) outShape "shape"
                expectClose 0.0 expected result "values"))
        test "ranges, Index from the end, All, NewAxis and Ellipsis read as in numpy" {
            let x = m34 ()
            Expect.equal (values x[range (Index 1) (Index.FromEnd 1)]) [ 4.0 .. 7.0 ] "x[1:-1]"
            Expect.equal (values x[Ix.All, ix 0]) [ 0.0; 4.0; 8.0 ] "x[:, 0]"
            Expect.equal (values x[Ix.op_Implicit(Index.FromEnd 1), range Index.Start (Index.FromEnd 2)]) [ 8.0; 9.0 ] "x[-1, :-2]"
            Expect.equal (shapeOf x[Ix.NewAxis, Ix.All, Ix.NewAxis]) [| 1; 3; 1; 4 |] "new axes"
            Expect.equal (values x[Ix.Ellipsis, ix -1]) [ 3.0; 7.0; 11.0 ] "x[..., -1]"
            Expect.equal (shapeOf x[Ix.Ellipsis]) [| 3; 4 |] "x[...]"
            Expect.equal (values x[step None None -1, ix 0]) [ 8.0; 4.0; 0.0 ] "x[::-1, 0]"
        }
        test "integer arrays gather, with numpy's placement of the result axes" {
            let x = m34 ()
            Expect.equal (values x[ints [ 2; 0 ]]) ([ 8.0 .. 11.0 ] @ [ 0.0 .. 3.0 ]) "rows"
            Expect.equal (values x[Ix.All, ints [ -1; 1 ]]) [ 3.0; 1.0; 7.0; 5.0; 11.0; 9.0 ] "columns, negative wraps"
            Expect.equal (values x[ints [ 0; 2 ], ints [ 1; 3 ]]) [ 1.0; 11.0 ] "points"
            let y = np.arange 24 |> np.reshape [| 2; 3; 4 |]
            let r = y[ints [ 0; 1 ], Ix.All, ints [ 3; 0 ]]
            Expect.equal (shapeOf r) [| 2; 3 |] "non-adjacent arrays put their axis first"
            Expect.equal (values r) [ 3.0; 7.0; 11.0; 12.0; 16.0; 20.0 ] "values"
            Expect.equal (shapeOf y[ix 0, Ix.All, ints [ 1; 2 ]]) [| 2; 3 |] "an int beside an array counts as an array"
            Expect.equal (shapeOf y[Ix.All, ints [ 1; 2 ], ix 0]) [| 2; 2 |] "adjacent ones stay in place"
            Expect.equal (values x[ints [ 9 ], ix 0]) [ 8.0 ] "out of range is clamped, as jnp"
            let idx2 = np.array (array2D [ [ 0; 1 ]; [ 2; 2 ] ])
            Expect.equal (shapeOf x[idx2]) [| 2; 2; 4 |] "2-D index arrays"
        }
        test "an int out of range clamps to the nearest element, as JAX documents, eagerly and under jit" {
            let ten = np.arange 10
            Expect.equal (values ten[ix 11]) [ 9.0 ] "np.arange 10 at 11 is 9"
            let x = m34 ()
            Expect.equal (values x[ix 0, ix 4]) [ 3.0 ] "x[0, 4] is x[0, 3]"
            Expect.equal (values x[ix -4]) [ 0.0; 1.0; 2.0; 3.0 ] "x[-4] is x[0]"
            Expect.equal (values x[ix 5, ix -9]) [ 8.0 ] "x[5, -9] is x[2, 0]"
            let jitted = Jax.Jit(Func<Tensor, Tensor>(fun t -> t[ix -4, ix 7]))
            Expect.equal (values (jitted.Invoke x)) [ 3.0 ] "under jit x[-4, 7] is x[0, 3]"
            let batched = Jax.Vmap(Func<Tensor, Tensor>(fun t -> t[ix 6]))
            Expect.equal (values (batched.Invoke x)) [ 3.0; 7.0; 11.0 ] "under vmap each row at 6 is its last"
        }
        test "an update at an int out of range is dropped, as JAX documents" {
            Expect.equal (values ((np.arange 4).At(ix 4).Set(9))) [ 0.0; 1.0; 2.0; 3.0 ] "set past the end"
            Expect.equal (values ((np.arange 4).At(ix -5).Add(9))) [ 0.0; 1.0; 2.0; 3.0 ] "add before the start"
            let jitted = Jax.Jit(Func<Tensor, Tensor>(fun t -> t.At(ix 4).Set(9)))
            Expect.equal (values (jitted.Invoke(np.arange 4))) [ 0.0; 1.0; 2.0; 3.0 ] "under jit"
        }
        test "At(...).Get reads out-of-range positions by mode, as JAX's .at[].get" {
            let x = np.arange 10
            Expect.equal (values (x.At(ix 11).Get())) [ 9.0 ] "clip by default"
            Expect.equal (values (x.At(ix 11).Get("fill", -1.0))) [ -1.0 ] "fill with the fill value"
            Expect.equal (values (x.At(Ix.op_Implicit (ints [ 2; 10; -11 ])).Get("fill", -1.0))) [ 2.0; -1.0; -1.0 ] "fill for arrays, both ends"
            Expect.equal (values (x.At(Ix.op_Implicit (ints [ 2; 10 ])).Get("promise_in_bounds"))) [ 2.0; 9.0 ] "promise_in_bounds"
            let jitted = Jax.Jit(Func<Tensor, Tensor>(fun t -> t.At(ix 11).Get("fill", 7.0)))
            Expect.equal (values (jitted.Invoke x)) [ 7.0 ] "under jit"
        }
        test "a boolean mask of concrete values picks the true positions, as NumPy's x[mask]" {
            let x = m34 ()
            Expect.equal (values x[Ix.op_Implicit (x .> 8.0)]) [ 9.0; 10.0; 11.0 ] "x[x > 8]"
            Expect.equal (values x[Ix.op_Implicit (np.array [| true; false; true |])]) [ 0.0; 1.0; 2.0; 3.0; 8.0; 9.0; 10.0; 11.0 ] "rows 0 and 2"
            Expect.equal (shapeOf x[Ix.All, Ix.op_Implicit (np.array [| false; true; false; true |])]) [| 3; 2 |] "columns 1 and 3"
            Expect.equal (values (x.At(Ix.op_Implicit (x .> 9.0)).Set(0))) [ 0.0; 1.0; 2.0; 3.0; 4.0; 5.0; 6.0; 7.0; 8.0; 9.0; 0.0; 0.0 ] "x.At(mask).Set"
        }
        test "a boolean mask under jit is the clear error about data-dependent shapes" {
            let message (f: unit -> Tensor) = try f () |> ignore; "" with :? ArgumentException as e -> e.Message
            let jitted = Jax.Jit(Func<Tensor, Tensor>(fun t -> t[Ix.op_Implicit (t .> 0.0)]))
            Expect.stringContains (message (fun () -> jitted.Invoke(m34 ()))) "is traced here (under jit, vmap or grad), and the result's shape would depend on its values" "traced mask"
        }
        test "too many indices and two ellipses name the shape" {
            let x = m34 ()
            let message (f: unit -> Tensor) = try f () |> ignore; "" with :? ArgumentException as e -> e.Message
            Expect.stringContains (message (fun () -> x[ix 0, ix 0, ix 0])) "too many indices for shape (3, 4)" "too many"
            Expect.stringContains (message (fun () -> x[Ix.Ellipsis, Ix.Ellipsis])) "single ellipsis" "two ellipses"
        }
        test "F# slices include their end" {
            let x = m34 ()
            Expect.equal (values x[1..2, 0]) [ 4.0; 8.0 ] "x[1..2, 0] is numpy's x[1:3, 0]"
            Expect.equal (values x[*, 0]) [ 0.0; 4.0; 8.0 ] "x[*, 0]"
            Expect.equal (values x[0, 2..]) [ 2.0; 3.0 ] "x[0, 2..]"
            Expect.equal (values x[2, 0 .. -2]) [ 8.0; 9.0; 10.0 ] "negative ends count from the end"
            Expect.equal (values x[1]) [ 4.0 .. 7.0 ] "one int"
            Expect.equal (values x[2, -1]) [ 11.0 ] "two ints"
            let v = np.arange 5
            Expect.equal (values v[1..3]) [ 1.0; 2.0; 3.0 ] "rank 1"
            let y = np.arange 24 |> np.reshape [| 2; 3; 4 |]
            Expect.equal (shapeOf y[*, 1, 1..2]) [| 2; 2 |] "rank 3"
            let z = np.arange 16 |> np.reshape [| 2; 2; 2; 2 |]
            Expect.equal (values z[1, *, 0, 1]) [ 9.0; 13.0 ] "rank 4"
        }
        test "At(...).Set returns an updated copy and leaves the tensor alone" {
            let x = np.zeros [| 3; 4 |]
            let y = x.At(ix 1).Set(5.0)
            Expect.equal (values y[1]) [ 5.0; 5.0; 5.0; 5.0 ] "row set"
            Expect.equal (values x) (List.replicate 12 0.0) "original unchanged"
            Expect.equal y.DType DType.Float32 "dtype kept"
            let z = x.At(Ix.All, step None None -2).Set(np.array [| 1.0f; 2.0f |])
            Expect.equal (values z[0]) [ 0.0; 2.0; 0.0; 1.0 ] "negative step, broadcast update"
        }
        test "At(...).Add accumulates repeated indices and drops out-of-range ones, as JAX" {
            let x = np.zeros [| 3 |]
            Expect.equal (x.At(ints [ 0; 0; 2; 0 ]).Add(1.0) |> values) [ 3.0; 0.0; 1.0 ] "duplicates accumulate"
            Expect.equal (x.At(ints [ 1; 7 ]).Add(1.0) |> values) [ 0.0; 1.0; 0.0 ] "out of range is dropped"
            Expect.equal (x.At(ints [ -1 ]).Set(4.0) |> values) [ 0.0; 0.0; 4.0 ] "negative wraps"
        }
        test "At(...).Multiply, Min and Max combine with the indexed elements" {
            let x = np.array [| 1.0; 2.0; 3.0 |]
            Expect.equal (x.At(range (Index 1) Index.End).Multiply(2.0) |> values) [ 1.0; 4.0; 6.0 ] "multiply"
            Expect.equal (x.At(Ix.All).Min(2.0) |> values) [ 1.0; 2.0; 2.0 ] "min"
            Expect.equal (x.At(ints [ 0; 0 ]).Max(np.array [| 5.0; 7.0 |]) |> values) [ 7.0; 2.0; 3.0 ] "max of duplicates"
            Expect.equal (x.At(ix 2).Get() |> values) [ 3.0 ] "get"
        }
        test "indexing and updates give the same values under jit" {
            let f (x: Tensor) =
                let y = x[step (Some 1) None 1, step None None -1]
                let z = y.At(ints [ 0; 0 ], ix 1).Add(y[0, 1..2])
                z[ints [ 1; 0 ], Ix.NewAxis]
            let x = np.arange 12.0f |> np.reshape [| 3; 4 |]
            expectClose 0.0 (toFloats (f x)) ((Jax.Jit(Func<Tensor, Tensor> f)).Invoke x) "jit = eager"
        }
    ]
