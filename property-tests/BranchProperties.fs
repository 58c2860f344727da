/// Properties of differentiation through .NET control flow on values: on random programs that
/// branch with `if` on concrete values, gradients equal finite differences away from the branch
/// boundaries (both modes, second order) and equal the gradients of the same programs with each
/// branch resolved by np.where.
module BranchProperties

open Expecto
open FsCheck
open FsCheck.FSharp
open JaxSharp
open JaxSharp.FSharp
open BranchingPrograms
open Transforms.Checks

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 60
        arbitrary = [ typeof<BranchingArbitraries> ] }

/// Finite differences step about 1e-4 along directions in [-1, 1]: branches taken this far from
/// their boundaries are taken at every shifted point too.
let private clearOfBoundaries = 0.05

let private host (c: BranchingCase) = evaluateHost ignore c.Program

[<Tests>]
let properties =
    testList
        "random programs that branch on values"
        [ testPropertyWithConfig config "grad through .NET ifs equals grad with each branch resolved by np.where" (fun (c: BranchingCase) ->
              let x, y = c.Inputs
              let viaIf = grad (fun x -> np.sum (host c x y)) x
              let viaWhere = grad (fun x -> np.sum (evaluateWhere c.Program x y)) x
              OpTable.Generators.expectClose 1e-12 (OpTable.Generators.toFloats viaWhere) viaIf "the same gradient")

          testPropertyWithConfig config "jit of grad through np.where equals grad through .NET ifs" (fun (c: BranchingCase) ->
              let x, y = c.Inputs
              let viaIf = grad (fun x -> np.sum (host c x y)) x
              let viaWhere = jit (grad (fun x -> np.sum (evaluateWhere c.Program x y))) x
              OpTable.Generators.expectClose 1e-12 (OpTable.Generators.toFloats viaWhere) viaIf "the same gradient")

          testPropertyWithConfig config "gradients through .NET ifs equal finite differences away from the boundaries, both modes, to second order" (fun (c: BranchingCase) ->
              let x, y = c.Inputs
              margin c.Program x y > clearOfBoundaries
              ==> lazy (checkGrads 1e-5 (fun a -> host c a[0] a[1]) [| x; y |]))

          testPropertyWithConfig config "jacfwd equals jacrev through .NET ifs" (fun (c: BranchingCase) ->
              let x, y = c.Inputs
              let f x = host c x y
              OpTable.Generators.expectClose 1e-12 (OpTable.Generators.toFloats (jacrev f x)) (jacfwd f x) "the same Jacobian") ]

