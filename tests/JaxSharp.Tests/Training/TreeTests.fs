/// jax.tree_util for .NET: map over one or several trees, leaves, structure, ravelPytree.
module Training.TreeTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open TestHelpers

type Layer = { W: Tensor; B: Tensor }
type Model = { Hidden: Layer; Output: Layer; Name: string }

let model =
    { Hidden = { W = np.ones [| 2; 3 |]; B = np.zeros [| 3 |] }
      Output = { W = np.array [| 1.0f; 2.0f; 3.0f |]; B = np.scalar 0.5f }
      Name = "mlp" }

[<Tests>]
let tests =
    testList
        "tree utilities"
        [ test "map applies a function to every tensor and keeps the record" {
              let doubled = tree.map (fun t -> t * 2.0) model
              expectClose 0.0 [| 2.0; 4.0; 6.0 |] doubled.Output.W "output W"
              Expect.equal doubled.Name "mlp" "static fields stay"
          }

          test "map2 and mapMany combine several trees leaf by leaf" {
              let sum = tree.map2 (+) model model
              expectClose 0.0 [| 1.0 |] sum.Output.B "0.5 + 0.5"
              let three = tree.mapMany (List.reduce (+)) [ model; model; model ]
              expectClose 0.0 [| 1.5 |] three.Output.B "three halves"
              let mixed = tree.map3 (fun a b c -> a * b - c) model model model
              expectClose 0.0 [| -0.25 |] mixed.Output.B "0.25 - 0.5"
          }

          test "leaves come depth first, left to right, and unflatten rebuilds" {
              let leaves = tree.leaves model
              Expect.equal (leaves |> List.map (fun t -> t.Shape.ToArray())) [ [| 2; 3 |]; [| 3 |]; [| 3 |]; [||] ] "shapes in order"
              let rebuilt: Model = tree.unflatten (tree.structure model) (leaves |> List.map (fun t -> t + 1.0))
              expectClose 0.0 [| 1.5 |] rebuilt.Output.B "plus one"
          }

          test "structures compare by value" {
              Expect.equal (tree.structure model) (tree.structure (tree.map np.negative model)) "same structure"
              Expect.notEqual (tree.structure model) (tree.structure { model with Name = "other" }) "static values count"
          }

          test "ravelPytree flattens to one vector in the promoted dtype and back to the same tree" {
              let flat, unravel = tree.ravelPytree (np.arange 3.0f, (np.array [| 10.0 |], np.ones [| 2; 2 |]))
              Expect.equal (flat.Shape.ToArray()) [| 8 |] "3 + 1 + 4 elements"
              Expect.equal flat.DType DType.Float64 "float32 with float64 is float64"
              expectClose 0.0 [| 0.0; 1.0; 2.0; 10.0; 1.0; 1.0; 1.0; 1.0 |] flat "in order"
              let a, (b, c) = unravel (flat * 2.0)
              Expect.equal a.DType DType.Float32 "each leaf gets its dtype back"
              expectClose 0.0 [| 0.0; 2.0; 4.0 |] a "a"
              expectClose 0.0 [| 20.0 |] b "b"
              Expect.equal (c.Shape.ToArray()) [| 2; 2 |] "c's shape back"
          }

          test "ravelPytree of a record works under grad" {
              let flat, unravel = tree.ravelPytree model
              let g = grad (fun v -> let m: Model = unravel v in np.sum (m.Output.W * m.Output.W)) flat
              expectClose 0.0 [| 0.0; 0.0; 0.0; 0.0; 0.0; 0.0; 0.0; 0.0; 0.0; 2.0; 4.0; 6.0; 0.0 |] g "2 W on the output weights only"
          }

          test "mismatched trees and vectors are refused with both structures or sizes" {
              throwsWith<ArgumentException> [ "tree 2 has another structure" ] (fun () ->
                  Tree.Map((fun a b -> a + b), box (np.ones [| 1 |]), box (np.ones [| 1 |], np.ones [| 1 |])) |> ignore)
              let _, unravel = tree.ravelPytree model
              throwsWith<ArgumentException> [ "float32(5,)"; "13 elements"; "pass a vector of shape (13,)" ] (fun () -> unravel (np.zeros [| 5 |]) |> ignore)
          } ]
