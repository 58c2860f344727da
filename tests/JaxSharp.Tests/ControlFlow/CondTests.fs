/// lax.cond and lax.switch: one branch runs, every branch is traced, and each transformation
/// (jvp, grad, vmap, jit) goes through the cond primitive's rules.
module ControlFlow.CondTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open TestHelpers
open Transforms.Checks

/// The primitives these tests check eagerly and under every transformation's rules (the coverage test reads it).
let covered = [ "cond" ]

let private vec (dtype: DType) (values: float[]) = Np.AsType(Tensor.FromArray values, dtype)
let private floats (x: Tensor) = (Np.AsType(x, DType.Float64)).ToArray<float>()
let private near (expected: float[]) (actual: Tensor) what =
    let a = floats actual
    Expect.equal a.Length expected.Length $"{what}: size"
    Array.iteri2 (fun i e v -> if abs (e - v) > 1e-5 * (1.0 + abs e) then failtestf "%s: element %d is %g, expected %g" what i v e) expected a

/// A function with a data-dependent branch: sin x * 2 where sum x > 0, else x * x - 1.
let private branchy (x: Tensor) =
    lax.cond (np.sum x .> 0.0) (fun (v: Tensor) -> np.sin v * 2.0) (fun v -> v * v - 1.0) x

let private branchyReference (x: float[]) =
    if Array.sum x > 0.0 then x |> Array.map (fun v -> sin v * 2.0) else x |> Array.map (fun v -> v * v - 1.0)

let private positive, negative = [| 0.5; -0.2; 1.5 |], [| -0.5; 0.2; -1.5 |]

[<Tests>]
let tests =
    testList
        "lax.cond"
        [ for dtype in [ DType.Float32; DType.Float64 ] do
              test $"runs the branch its predicate picks, eagerly and under jit ({dtype})" {
                  for xs in [ positive; negative ] do
                      near (branchyReference xs) (branchy (vec dtype xs)) "eager"
                      near (branchyReference xs) (jit branchy (vec dtype xs)) "jit"
                      Expect.equal (branchy (vec dtype xs)).DType dtype "the dtype is kept"
              }

              test $"jvp and grad match finite differences on both sides ({dtype})" {
                  let tol = if dtype = DType.Float32 then 2e-2 else 1e-6
                  for xs in [ positive; negative ] do
                      checkGrads tol (fun a -> branchy a[0]) [| vec dtype xs |]
              }

          test "switch clamps its index into range, as JAX" {
              let branches = [ (fun (v: Tensor) -> v); (fun v -> v * 2.0); (fun v -> v * 3.0) ]
              let x = vec DType.Float64 [| 1.0; 2.0 |]
              for index, factor in [ -4, 1.0; 0, 1.0; 1, 2.0; 2, 3.0; 7, 3.0 ] do
                  near [| factor; 2.0 * factor |] (lax.switch (Tensor.Scalar index) branches x) $"index {index}"
                  near [| factor; 2.0 * factor |] (jit (fun (i, v) -> lax.switch i branches v) (Tensor.Scalar index, x)) $"jit, index {index}"
          }

          test "operands and outputs are parameter trees" {
              let a, b = vec DType.Float64 [| 1.0; 2.0 |], Tensor.Scalar 3.0
              let swap (x: Tensor, y: Tensor) = (y, x * y)
              let keep (x: Tensor, y: Tensor) = (y * 0.0, x)
              let y1, y2 = lax.cond (Tensor.Scalar true) swap keep (a, b)
              near [| 3.0 |] y1 "first leaf"
              near [| 3.0; 6.0 |] y2 "second leaf"
          }

          test "a branch may close over values of an enclosing trace, and grad reaches them" {
              let f (c: Tensor) =
                  let x = vec DType.Float64 [| 1.0; -2.0 |]
                  np.sum (lax.cond (np.sum c .> 0.0) (fun (v: Tensor) -> v * c * c) (fun v -> v + c) x)
              // d/dc sum(x * c^2) = 2 c sum x ; d/dc sum(x + c) = 2 (two elements)
              near [| -2.0 * 1.5 |] (grad f (Tensor.Scalar 1.5)) "true side"
              near [| 2.0 |] (grad f (Tensor.Scalar -1.5)) "false side"
              near [| -2.0 * 1.5 |] (jit (grad f) (Tensor.Scalar 1.5)) "jit of grad"
              near [| 2.0 |] (grad (jit f) (Tensor.Scalar -1.5)) "grad of jit"
          }

          test "the transpose of a linear cond satisfies <u, A v> = <A^T u, v>" {
              let w = vec DType.Float64 [| 0.5; -2.0; 3.0 |]
              for pred in [ true; false ] do
                  let f (v: Tensor) = lax.cond (Tensor.Scalar pred) (fun (x: Tensor) -> x * w) (fun x -> np.cumsum 0 x) v
                  let v, u = vec DType.Float64 [| 0.3; 0.1; -0.7 |], vec DType.Float64 [| 1.0; -1.0; 2.0 |]
                  let at = linearTranspose f v
                  let lhs = np.sum (u * f v) |> floats
                  let rhs = np.sum (at u * v) |> floats
                  near lhs (Tensor.FromArray rhs) $"pred {pred}"
          }

          test "vmap with one predicate for the batch matches a loop over examples" {
              let x = vec DType.Float64 [| 0.5; -1.0; 2.0; 0.25; -0.5; 1.0 |] |> np.reshape [| 3; 2 |]
              let c = vec DType.Float64 [| 1.0 |]
              checkVmap (fun a -> lax.cond (np.sum a[1] .> 0.0) (fun (v: Tensor) -> np.sin v) (fun v -> v * a[1]) a[0]) [| Some 0; None |] [| x; c |]
          }

          test "vmap with a predicate per example selects each example's branch, as JAX" {
              let x = vec DType.Float64 [| 0.5; -1.0; 2.0; 0.25; -0.5; -1.0 |] |> np.reshape [| 3; 2 |]
              checkVmap (fun a -> branchy a[0]) [| Some 0 |] [| x |]
              checkVmap (fun a -> branchy a[0]) [| Some 1 |] [| np.transpose x |]
              let index = Tensor.FromArray [| 2; -1; 1 |]
              let branches = [ (fun (v: Tensor) -> v); (fun v -> np.exp v); (fun v -> v * 3.0) ]
              checkVmap (fun a -> lax.switch a[0] branches a[1]) [| Some 0; Some 0 |] [| index; x |]
          }

          test "nests with every transformation: vmap of grad, jit of vmap, cond in cond" {
              let x = vec DType.Float64 [| 0.5; -1.0; 2.0; 0.25; -0.5; -1.0 |] |> np.reshape [| 3; 2 |]
              let inner (v: Tensor) = lax.cond (np.max v .> 1.0) (fun (y: Tensor) -> branchy y) (fun y -> np.tanh y) v
              let loss (v: Tensor) = np.sum (inner v)
              let perExample = vmap (grad loss) x
              let jitted = jit (vmap (grad loss)) x
              for i in 0..2 do
                  let example = exampleAt 0 i x
                  near (floats (grad loss example)) (exampleAt 0 i perExample) $"vmap of grad, example {i}"
                  near (floats (grad loss example)) (exampleAt 0 i jitted) $"jit of vmap of grad, example {i}"
              checkGrads 1e-6 (fun a -> inner a[0]) [| exampleAt 0 1 x |]
              checkGrads 1e-6 (fun a -> inner a[0]) [| exampleAt 0 2 x |]
          }

          test "both branches are traced, so an error in the one not taken surfaces" {
              let x = vec DType.Float64 [| 1.0; 2.0 |]
              throwsWith<ArgumentException> [ "matmul" ] (fun () ->
                  lax.cond (Tensor.Scalar true) (fun (v: Tensor) -> v) (fun v -> np.matmul v (np.ones [| 3; 3 |])) x |> ignore)
          }

          test "branches whose outputs differ are refused with the branch, the leaf and both types" {
              let x = vec DType.Float32 [| 1.0; 2.0 |]
              throwsWith<ArgumentException> [ "lax.cond"; "true branch output at .Item2"; "f32[1]"; "false branch output at .Item2"; "f32[2]"; "same structure" ] (fun () ->
                  lax.cond (Tensor.Scalar true) (fun (v: Tensor) -> (v, v[.. 0])) (fun v -> (v, v)) x |> ignore)
              throwsWith<ArgumentException> [ "lax.switch"; "branch 1 output"; "f64[2]"; "branch 0 output"; "f32[2]" ] (fun () ->
                  lax.switch (Tensor.Scalar 0) [ (fun (v: Tensor) -> v); (fun v -> Np.AsType(v, DType.Float64)) ] x |> ignore)
              throwsWith<ArgumentException> [ "lax.cond"; "predicate"; "f32[2]"; "scalar"; "Np.Where" ] (fun () ->
                  lax.cond x (fun (v: Tensor) -> v) (fun v -> v) x |> ignore)
              throwsWith<ArgumentException> [ "lax.switch"; "index"; "f32[]"; "integer scalar"; "ConvertElementType" ] (fun () ->
                  lax.switch (Tensor.Scalar 1.0f) [ (fun (v: Tensor) -> v) ] x |> ignore)
          }

          test "a weakly typed branch output is promoted to the other branch's dtype, as JAX" {
              let x = vec DType.Float32 [| 1.0; 2.0 |]
              let y = lax.cond (Tensor.Scalar false) (fun (v: Tensor) -> np.sum v) (fun _ -> tensor 7.0) x
              Expect.equal y.DType DType.Float32 "float32"
              near [| 7.0 |] y "the false branch"
          }

          test "makeJaxpr prints the branches nested, as JAX, and as docs/control-flow.md shows" {
              let text = (makeJaxpr (fun x -> lax.cond (x .> 0.0) np.sin np.cos x) (np.scalar 1.0f)).ToString()
              let expected =
                  String.concat "\n"
                      [ "{ lambda ; a:f32[]. let"
                        "    b:bool[] = gt a 0.0:f32[]"
                        "    c:i32[] = convert_element_type[new_dtype=int32 weak_type=False] b"
                        "    d:f32[] = cond["
                        "      branches=("
                        "        { lambda ; e:f32[]. let"
                        "            f:f32[] = cos e"
                        "          in (f,) }"
                        "        { lambda ; g:f32[]. let"
                        "            h:f32[] = sin g"
                        "          in (h,) }"
                        "      )"
                        "    ] c a"
                        "  in (d,) }" ]
              Expect.equal text expected "the listing"
              let page = IO.File.ReadAllText(repoFile "docs/control-flow.md").Replace("\r\n", "\n")
              Expect.stringContains page ("```\n" + expected + "\n```") "the page's listing"
              Expect.stringContains page "`makeJaxpr (fun x -> lax.cond (x .> 0.0) np.sin np.cos x) (np.scalar 1.0f)`" "the page names the code that prints it"
          }

          test "a checkpointed function prints nested the same way" {
              let text = (makeJaxpr (checkpoint np.sin) (np.scalar 1.0f)).ToString()
              let expected =
                  String.concat "\n"
                      [ "{ lambda ; a:f32[]. let"
                        "    b:f32[] = checkpoint["
                        "      function={ lambda ; c:f32[]. let"
                        "          d:f32[] = sin c"
                        "        in (d,) }"
                        "    ] a"
                        "  in (b,) }" ]
              Expect.equal text expected "the listing"
          }

          test "the C# overloads take tensors and arrays of tensors" {
              let x, w = vec DType.Float64 [| 1.0; 2.0 |], Tensor.Scalar 3.0
              near [| 2.0; 4.0 |] (Lax.Cond(Tensor.Scalar true, Func<Tensor, Tensor>(fun v -> v * 2.0), Func<Tensor, Tensor>(fun v -> v), x)) "one tensor"
              let both = Lax.Cond(Tensor.Scalar 0, Func<Tensor[], Tensor[]>(fun a -> [| a[0] * 2.0; a[1] |]), Func<Tensor[], Tensor[]>(fun a -> [| a[0] * a[1]; a[1] |]), [| x; w |])
              near [| 3.0; 6.0 |] both[0] "the false branch, first output"
              near [| 3.0 |] both[1] "the false branch, second output"
              let k = Lax.Switch(Tensor.Scalar 1, [| Func<Tensor[], Tensor[]>(fun a -> a); Func<Tensor[], Tensor[]>(fun a -> [| -a[0]; a[1] |]) |], [| x; w |])
              near [| -1.0; -2.0 |] k[0] "branch 1"
          }

          test "a concrete predicate still goes through the cond primitive, so jit compiles both branches" {
              let text = (makeJaxpr (fun x -> lax.cond (Tensor.Scalar true) np.sin np.cos x) (np.scalar 1.0f)).ToString()
              Expect.stringContains text "cond[" "one cond equation"
              Expect.stringContains text "sin" "the true branch"
              Expect.stringContains text "cos" "the false branch"
          }

          test "the simplifier simplifies inside the branches" {
              let f (x: Tensor) = lax.cond (x .> 0.0) (fun (v: Tensor) -> v * 1.0 + 0.0) (fun v -> -(-v)) x
              let listing = Jax.Lower(Func<Tensor, Tensor>(f), Tensor.Scalar 1.0f)
              Expect.isFalse (listing.Contains "mul") $"x * 1 is gone:\n{listing}"
              Expect.isFalse (listing.Contains "neg") $"neg (neg x) is gone:\n{listing}"
          }

          test "lower lists the compiled program of each branch under the cond kernel" {
              let f (x: Tensor) = lax.cond (x .> 0.0) (fun (v: Tensor) -> np.sin v) (fun v -> np.cos v) x
              let listing = Jax.Lower(Func<Tensor, Tensor>(f), Tensor.Scalar 1.0f)
              Expect.stringContains listing "cond program 0, compiled:" $"the false branch:\n{listing}"
              Expect.stringContains listing "cond program 1, compiled:" $"the true branch:\n{listing}"
              Expect.isTrue (listing.Contains "cos" && listing.Contains "sin") $"both branches' code:\n{listing}"
          } ]
