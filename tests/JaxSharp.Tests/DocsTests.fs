/// The program listings of docs/autodiff.md, as tests: every code line of its ```fsharp blocks
/// is here, and every listing (a plain block right after an F# block) is what the code above
/// it prints, so the page cannot go stale.
module DocsTests

open System
open System.IO
open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open TestHelpers

/// The fenced blocks of a markdown file: (language, lines).
let private blocks (file: string) =
    let mutable current: (string * ResizeArray<string>) option = None
    [ for line in File.ReadAllLines(repoFile file) do
          match current with
          | None when line.StartsWith "```" -> current <- Some(line.Substring 3, ResizeArray())
          | Some(language, lines) when line = "```" ->
              yield language, List.ofSeq lines
              current <- None
          | Some(_, lines) -> lines.Add line
          | None -> () ]

/// A code line without its comment, trimmed.
let private code (line: string) =
    (match line.IndexOf "//" with
     | -1 -> line
     | i -> line.Substring(0, i)).Trim()

/// Each listing of the page, keyed by the last code line of the F# block that prints it.
let private listings (file: string) =
    blocks file
    |> List.pairwise
    |> List.choose (fun ((language, source), (next, listing)) ->
        if language = "fsharp" && next = "" then Some(code (List.last source), String.Join("\n", listing)) else None)

let private autodiff = "docs/autodiff.md"

let private expectListing (printing: string) (program: IR.Jaxpr) =
    match listings autodiff |> List.tryFind (fun (source, _) -> source = printing) with
    | Some(_, listing) -> Expect.equal (program.ToString()) listing $"the listing after `{printing}`"
    | None -> failtest $"{autodiff} has no listing after a block ending in `{printing}`"

/// The listings these tests print, by the code line that prints each.
let private checkedListings =
    [ "makeJaxpr (fun x -> snd (jvp f x (np.onesLike x))) (np.zeros [| 3 |])"
      "makeJaxpr linear (np.scalar 1.0f)"
      "makeJaxpr linear4 (np.scalar 1.0f)"
      "makeJaxpr pullback (np.scalar 1.0f)"
      "makeJaxpr (grad f) (np.zeros [| 3 |])" ]

/// The listing of docs/internals.md, section 6: argsort is one sort equation with two outputs.
[<Tests>]
let internalsTests =
    test "docs/internals.md: the multi-output sort of argsort prints as listed" {
        let printing = "makeJaxpr np.argsort (np.array [| 3.0f; 1.0f; 2.0f |])"
        match listings "docs/internals.md" |> List.tryFind (fun (source, _) -> source = printing) with
        | Some(_, listing) -> Expect.equal ((makeJaxpr np.argsort (np.array [| 3.0f; 1.0f; 2.0f |])).ToString()) listing "the listing"
        | None -> failtest $"docs/internals.md has no listing after a block ending in `{printing}`"
    }

[<Tests>]
let tests =
    testList
        "docs/autodiff.md"
        [ test "every F# line of the page is in these tests" {
              let text = File.ReadAllText(repoFile "tests/JaxSharp.Tests/DocsTests.fs")
              for language, lines in blocks autodiff do
                  if language = "fsharp" then
                      for line in lines |> List.map code |> List.filter ((<>) "") do
                          Expect.isTrue (text.Contains line) $"the page's line `{line}` is tested here"
          }
          test "every listing of the page is checked" {
              Expect.equal (listings autodiff |> List.map fst |> List.sort) (List.sort checkedListings) "the listings"
          }

          test "the branch taken, under grad" {
              let piecewise (x: Tensor) = if (x .< 3.0).Item<bool>() then 3.0 * x ** 2.0 else -4.0 * x
              expectClose 0.0 [| 12.0 |] (grad piecewise (np.scalar 2.0f)) "12."
              expectClose 0.0 [| -4.0 |] (grad piecewise (np.scalar 4.0f)) "-4."
          }
          test "forward mode under jit is the JVP program" {
              let f (x: Tensor) = np.sum (np.sin x * x)
              expectListing "makeJaxpr (fun x -> snd (jvp f x (np.onesLike x))) (np.zeros [| 3 |])" (makeJaxpr (fun x -> snd (jvp f x (np.onesLike x))) (np.zeros [| 3 |]))
          }
          test "the linear map of a branchy function holds the branch taken" {
              let piecewise (x: Tensor) = if (x .< 3.0).Item<bool>() then 3.0 * x ** 2.0 else -4.0 * x
              let y, linear = linearize piecewise (np.scalar 2.0f)
              expectClose 0.0 [| 12.0 |] y "the value"
              expectListing "makeJaxpr linear (np.scalar 1.0f)" (makeJaxpr linear (np.scalar 1.0f))
              let y4, linear4 = linearize piecewise (np.scalar 4.0f)
              expectClose 0.0 [| -16.0 |] y4 "the value"
              expectListing "makeJaxpr linear4 (np.scalar 1.0f)" (makeJaxpr linear4 (np.scalar 1.0f))
          }
          test "the pullback is a program over residual constants" {
              let branchy (x: Tensor) = if (np.sum x .> 0.0).Item<bool>() then np.sum (np.sin x * x) else np.sum (x * x)
              let value, pullback = vjp branchy (np.array [| 1.0f; 2.0f; 3.0f |])
              expectClose 1e-6 [| sin 1.0 + 2.0 * sin 2.0 + 3.0 * sin 3.0 |] value "the value"
              expectListing "makeJaxpr pullback (np.scalar 1.0f)" (makeJaxpr pullback (np.scalar 1.0f))
          }
          test "under jit the whole gradient is one program" {
              let f (x: Tensor) = np.sum (np.sin x * x)
              expectListing "makeJaxpr (grad f) (np.zeros [| 3 |])" (makeJaxpr (grad f) (np.zeros [| 3 |]))
          }
          test "np.where works everywhere" {
              let viaWhere (x: Tensor) = np.where (x .< 3.0) (3.0 * x ** 2.0) (-4.0 * x)
              expectClose 0.0 [| 12.0; -4.0 |] (jit (vmap (grad viaWhere)) (np.array [| 2.0; 4.0 |])) "[12., -4.]"
          }
          test "the Hessian of a function of a pair is a pair of pairs" {
              let (hww: Tensor, hwb: Tensor), (hbw: Tensor, hbb: Tensor) = hessianTree (fun (w: Tensor, b: Tensor) -> np.sum (w * w * b)) (np.array [| 1.0; 2.0 |], np.scalar 3.0)
              expectClose 0.0 [| 6.0; 0.0; 0.0; 6.0 |] hww "2 b I"
              expectClose 0.0 [| 2.0; 4.0 |] hwb "2 w"
              expectClose 0.0 [| 2.0; 4.0 |] hbw "2 w"
              expectClose 0.0 [| 0.0 |] hbb "0"
          } ]
