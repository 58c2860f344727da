/// The op tables together cover every primitive of the registry, eagerly and under each
/// transformation's rules; a missing rule is a named error.
module CoverageTests

open System
open Expecto
open JaxSharp
open JaxSharp.Primitives
open TestHelpers

/// Primitives checked eagerly against references, by table.
let private eagerTables =
    [ "elementwise", OpTable.ElementwiseOps.covered
      "shapes and indexing", OpTable.ShapeOps.covered
      "reductions", OpTable.ReductionOps.covered
      "random", RandomOpTable.covered
      "linear algebra", OpTable.LinalgOps.covered
      "convolutions", OpTable.ConvOps.covered
      "windows", OpTable.WindowOps.covered
      "decompositions", OpTable.DecompositionOps.covered
      "autodiff calls", Transforms.AutodiffTests.covered |> List.filter (fun n -> n.StartsWith "custom" || n.StartsWith "checkpoint" || n = "stop_gradient")
      "while loops", ControlFlow.WhileTests.covered
      "control flow: scan", ControlFlow.ScanTests.covered
      "control flow: cond", ControlFlow.CondTests.covered ]

/// Primitives whose Jvp, Transpose and Batch rules are checked (check_grads, transposition, vmap vs loop).
let private ruleTables =
    [ "elementwise and autodiff", Transforms.AutodiffTests.covered
      "shapes and indexing", Transforms.ShapeRulesTests.covered
      "reductions, cumulative, dot_general", Transforms.ReductionRulesTests.covered
      "random and bits", Transforms.RandomRulesTests.covered
      "linear algebra", Transforms.LinalgRulesTests.covered
      // while: JVP, batching and the refused transpose (no transposition identity: it is not linear)
      "while loops", ControlFlow.WhileTests.covered
      "control flow: scan", ControlFlow.ScanTests.covered
      "decompositions", Transforms.DecompositionRulesTests.covered
      "control flow: cond", ControlFlow.CondTests.covered
      "convolutions and windows", Transforms.ConvRulesTests.covered
      // iota takes no inputs: no tangent, cotangent or batch axis can reach it.
      "no inputs", [ "iota" ] ]

type private NoRules() =
    inherit Primitive()
    override _.Name = "no_rules"
    override _.InferShape(inputs, _) = inputs[0]

let private uncovered (tables: (string * string list) list) =
    let names = tables |> List.collect snd |> Set.ofList
    PrimitiveRegistry.All |> Seq.map _.Name |> Seq.filter (fun n -> not (names.Contains n)) |> List.ofSeq

[<Tests>]
let tests =
    testList
        "coverage"
        [ test "every primitive is checked eagerly against a reference" {
              Expect.equal (uncovered eagerTables) [] "primitives missing from the op tables"
          }
          test "every primitive's transformation rules are checked" {
              Expect.equal (uncovered ruleTables) [] "primitives missing from the rule tables"
          }
          test "a missing rule names the primitive and the rule" {
              let p = NoRules()
              let x = Tensor.Scalar 1.0
              throwsWith<NotSupportedException> [ "no_rules"; "Jvp" ] (fun () -> p.Jvp([| x |], [| x |], x, PrimitiveParams.None) |> ignore)
              throwsWith<NotSupportedException> [ "no_rules"; "Transpose" ] (fun () -> p.Transpose(x, [| null |], [| x.Aval |], PrimitiveParams.None) |> ignore)
              throwsWith<NotSupportedException> [ "no_rules"; "Batch" ] (fun () -> p.Batch([| x |], [| Nullable 0 |], PrimitiveParams.None) |> ignore)
          } ]
