/// The README's snippets, as tests: each F# snippet's code appears below (a test checks that
/// every code line of every ```fsharp block of README.md is here, and every line of every
/// ```csharp block is in examples/CSharpQuickstart/ReadmeSnippets.cs), and the values its
/// comments promise are asserted.
module ReadmeTests

open System
open System.IO
open Expecto
open FsCheck // before JaxSharp: after it, `open FsCheck` would mean the namespace JaxSharp.FsCheck
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open JaxSharp.FsCheck
open TestHelpers

type Layer = { W: Tensor; B: Tensor }
type Mlp = { Hidden: Layer; Output: Layer }
let forward (p: Mlp) (x: Tensor) = np.matmul (nn.relu (np.matmul x p.Hidden.W + p.Hidden.B)) p.Output.W + p.Output.B
let loss (p: Mlp) (x: Tensor) (y: Tensor) = -(np.mean (np.sumAxis -1 (y * nn.logSoftmax (forward p x))))

/// The code lines (comments dropped, trimmed, non-empty) of the README's blocks in a language.
let private readmeCode (language: string) =
    let lines = File.ReadAllLines(repoFile "README.md")
    let mutable inside = false
    [ for line in lines do
          if line.StartsWith "```" then inside <- line = "```" + language
          elif inside then
              let code = (match line.IndexOf "//" with -1 -> line | i -> line.Substring(0, i)).Trim()
              if code <> "" then yield code ]

let private expectAllIn (file: string) (codeLines: string list) =
    let text = File.ReadAllText(repoFile file)
    for code in codeLines do
        Expect.isTrue (text.Contains code) $"README line `{code}` is tested in {file}"

[<Tests>]
let tests =
    testList
        "README"
        [ test "every F# line of the README is in these tests" { readmeCode "fsharp" |> expectAllIn "tests/JaxSharp.Tests/ReadmeTests.fs" }
          test "every C# line of the README is in the C# example" { readmeCode "csharp" |> expectAllIn "examples/CSharpQuickstart/ReadmeSnippets.cs" }

          test "train a model: one jitted Adam step lowers the loss, and checkGrads passes the model" {
              let x = random.uniform (random.key 1) [| 32; 64 |]
              let y = nn.oneHot 10 (random.randint 0 10 (random.key 2) [| 32 |])
              let k1, k2 = random.split2 (random.key 0)
              let p0 = { Hidden = { W = initializers.heNormal k1 [| 64; 128 |]; B = np.zeros [| 128 |] }
                         Output = { W = initializers.glorotNormal k2 [| 128; 10 |]; B = np.zeros [| 10 |] } }
              let opt = optim.adam 3e-3
              let step = jit (fun (p: Mlp, state: OptState, x: Tensor, y: Tensor) ->
                  let value, grads = valueAndGrad (fun q -> loss q x y) p
                  let updates, state = opt.update grads state p
                  optim.applyUpdates p updates, state, value)
              let p1, state1, firstLoss = step (p0, opt.init p0, x, y)   // x: (32, 64) images, y: (32, 10) one-hot labels
              let _, _, secondLoss = step (p1, state1, x, y)
              Expect.isLessThan (secondLoss.Item<float32>()) (firstLoss.Item<float32>()) "the loss falls"
              checkGrads 2 (fun p -> loss p x y) p0   // passes; a bad rule gives "checkGrads: forward mode, order 1: leaf x.Hidden.W, index [3, 7]: analytic ..., numeric ..."
          }

          test "a wrong custom rule is caught and shrunk" {
              let wrongCube = customJvp (fun x -> x ** 3.0) (fun x t -> x ** 3.0, 3.0 * x * t)
              let e = throws<exn> (fun () ->
                  Check.One(Config.QuickThrowOnFailure, JaxProp.gradientsMatch 1 (fun x -> np.sum (wrongCube x)) (JaxGen.anyTensor DType.Float64)))
              Expect.stringContains e.Message "checkGrads: forward mode, order 1" "the property's failure is checkGrads'"
          }

          test "the C# optimizer step and checkGrads" {
              let struct (before, after) = CSharpQuickstart.ReadmeSnippets.OptimizerStep()
              Expect.isLessThan after before "the loss falls"
              CSharpQuickstart.ReadmeSnippets.CheckGradsOfLinear()
          }

          test "a first look" {
              let selu (x: Tensor) = 1.05 * np.where (x .> 0.0) x (1.67 * np.exp x - 1.67)
              let x = np.array [| -1.0f; 0.0f; 2.0f |]
              let y = selu x
              Expect.equal y.DType DType.Float32 "float32"
              expectClose 1e-7 [| -1.1084234; 0.0; 2.1 |] y "selu"
              let total = np.sum (np.array (array2D [[1.0; 2.0]; [3.0; 4.0]]))
              Expect.equal (total.ToString()) "Tensor(10., float64)" "10. float64"
          }

          test "the C# first look" {
              let y = CSharpQuickstart.ReadmeSnippets.Selu()
              expectClose 1e-7 [| -1.1084234; 0.0; 2.1 |] y "selu"
          }

          test "an OpenCL device: a jitted function and its gradient run there, and lower prints OpenCL C" {
              match (try Ok(devicesOf "opencl") with :? InvalidOperationException as e -> Error e.Message) with
              | Error why -> skiptest $"no OpenCL device: {why}"
              | Ok _ ->
                  let device = (devicesOf "opencl").Head
                  let xs = np.linspace 0.0 1.0 1000 |> devicePut device
                  let energy = jit (fun (x: Tensor) -> np.sum (np.tanh (x * 2.0)))
                  let e = energy xs
                  let g = jit (grad energy) xs
                  let expected = Array.init 1000 (fun i -> tanh (2.0 * float (float32 (float i / 999.0))))
                  Expect.equal e.Device device "the result stays on the device"
                  Expect.floatClose Accuracy.low (float (e.Item<float32>())) (Array.sum expected) "sum of tanh 2x"
                  Expect.equal g.Device device "so does the gradient"
                  expectClose 1e-5 (expected |> Array.map (fun t -> 2.0 * (1.0 - t * t))) g "2 (1 - tanh^2 2x)"
                  let source = lower energy xs
                  Expect.stringContains source "__kernel void" "lower prints the OpenCL C"
                  let struct (d, ce, cg) = CSharpQuickstart.ReadmeSnippets.OnOpenCL()
                  Expect.equal d device "C#: the first OpenCL device"
                  Expect.equal (ce.Item<float32>()) (e.Item<float32>()) "C#: the same energy"
                  Expect.equal (cg.ToArray<float32>()) (g.ToArray<float32>()) "C#: the same gradient"
          }
          test "transformations" {
              let sumLogistic x = np.sum (1.0 / (1.0 + np.exp (-x)))
              let g = grad sumLogistic (np.arange 3.0f)
              Expect.equal g.DType DType.Float32 "float32"
              expectClose 1e-6 [| 0.25; 0.19661194; 0.10499357 |] g "gradient"
              let third = grad (jit (grad (jit (grad sumLogistic)))) (np.scalar 1.0f)
              expectClose 1e-5 [| -0.0353256 |] third "third derivative"
              let h = hessian (fun x -> np.sum (np.maximum x 0.0 ** 2.0)) (np.array [| -1.0; -0.5; 0.0; 0.5; 1.0 |])
              let diagonal = [| 0.0; 0.0; 0.5; 2.0; 2.0 |]
              expectClose 0.0 (Array.init 25 (fun k -> if k / 5 = k % 5 then diagonal[k / 5] else 0.0)) h "diag [0; 0; 0.5; 2; 2]"
              let cubic = grad (fun x -> x ** 3.0 + 2.0 * x ** 2.0 - 3.0 * x + 1.0) (np.scalar 1.0f)
              expectClose 0.0 [| 4.0 |] cubic "4"
          }

          test "grad through an if" {
              let piecewise (x: Tensor) = if (x .< 3.0).Item<bool>() then 3.0 * x ** 2.0 else -4.0 * x
              expectClose 0.0 [| 12.0 |] (grad piecewise (np.scalar 2.0f)) "12."
              expectClose 0.0 [| -4.0 |] (grad piecewise (np.scalar 4.0f)) "-4."
              let struct (below, above) = CSharpQuickstart.ReadmeSnippets.GradThroughIf()
              expectClose 0.0 [| 12.0 |] below "C#: 12"
              expectClose 0.0 [| -4.0 |] above "C#: -4"
          }

          test "control flow: a jitted training loop, a scan and a cond" {
              let x = Rng.Normal(Rng.Key(1), Shape(16, 3))
              let y = np.matmul x (np.array [| 1.0f; -2.0f; 0.5f |])
              let xs = Rng.Normal(Rng.Key(2), Shape(5, 4))
              let fit = jit (fun (w: Tensor, x: Tensor, y: Tensor) ->
                  let loss (w: Tensor) = np.mean ((np.matmul x w - y) ** 2.0)
                  lax.foriLoop 0 500 (fun _ w -> w - 0.1 * grad loss w) w)   // 500 gradient steps, one loop
              let h, hs = lax.scan (fun h x -> let h = np.tanh (0.5 * h + x) in h, h) (np.zeros [| 4 |]) xs
              let normalized = jit (fun (v: Tensor) -> lax.cond (np.sum v .> 1.0) (fun v -> v / np.sum v) id v)
              let fitted = fit (np.zeros [| 3 |], x, y)
              expectClose 1e-3 [| 1.0; -2.0; 0.5 |] fitted "least squares recovers the weights"
              let mutable expected = np.zeros [| 4 |]
              for t in 0..4 do
                  expected <- np.tanh (0.5 * expected + xs.[t])
                  expectClose 1e-6 (toFloats expected) hs.[t] $"state {t}"
              expectClose 1e-6 (toFloats expected) h "the last state"
              expectClose 1e-6 [| 0.25; 0.75 |] (normalized (np.array [| 1.0f; 3.0f |])) "normalized"
              expectClose 1e-6 [| 0.25; 0.5 |] (normalized (np.array [| 0.25f; 0.5f |])) "kept"
              let struct (cFitted, cLast, cStates) = CSharpQuickstart.ReadmeSnippets.ControlFlow(np.zeros [| 3 |], x, y, xs)
              expectClose 1e-6 (toFloats fitted) cFitted "C#: the same fit"
              expectClose 1e-6 (toFloats h) cLast "C#: the same last state"
              expectClose 1e-6 (toFloats hs) cStates "C#: the same states"
          }

          test "C# transformations" {
              let struct (g, j, h) = CSharpQuickstart.ReadmeSnippets.Transformations()
              let xs = [| 0.0; 1.0; 2.0 |]
              expectClose 1e-6 (xs |> Array.map (fun x -> sin x + x * cos x)) g "sin x + x cos x"
              expectClose 1e-6 (Array.init 9 (fun k -> if k / 3 = k % 3 then cos xs[k / 3] else 0.0)) j "diag cos x"
              expectClose 1e-5 (Array.init 9 (fun k -> if k / 3 = k % 3 then 2.0 * cos xs[k / 3] - xs[k / 3] * sin xs[k / 3] else 0.0)) h "the Hessian"
          }

          test "gradients of tuples" {
              let loss (w: Tensor, b: Tensor) = np.sum ((np.dot (np.ones [| 2; 3 |]) w + b) ** 2.0)
              let gw, gb = grad loss (np.ones [| 3 |], np.scalar 0.5f)
              // each of the 2 rows is 3.5: d/dw = 2 * 2 * 3.5, d/db = 2 * 2 * 3.5
              expectClose 1e-6 [| 14.0; 14.0; 14.0 |] gw "w"
              expectClose 1e-6 [| 14.0 |] gb "b"
          }

          test "per-example gradients" {
              let key = random.key 0
              let xs = random.normal key [| 8; 3 |]
              let w = np.ones [| 3 |]
              let perExample = vmap (fun x -> grad (fun w -> np.sum (np.tanh (x * w))) w) xs // shape [8; 3]
              Expect.equal (perExample.Shape.ToArray()) [| 8; 3 |] "shape"
              let expected = toFloats xs |> Array.map (fun x -> x * (1.0 - tanh x ** 2.0))
              expectClose 1e-6 expected perExample "x (1 - tanh^2 (x w))"
              let fromCSharp = CSharpQuickstart.ReadmeSnippets.PerExampleGradients()
              expectClose 0.0 (toFloats perExample) fromCSharp "C# gives the same"
          }

          test "custom rules" {
              let log1pexp = customJvp (fun x -> np.log (1.0 + np.exp x)) (fun x t -> np.log (1.0 + np.exp x), t * nn.sigmoid x)
              let slope = grad log1pexp (np.scalar 100.0f)
              Expect.equal (slope.ToString()) "Tensor(1., float32)" "1."
              Expect.equal (CSharpQuickstart.ReadmeSnippets.CustomRule().ToString()) "Tensor(1., float32)" "C# too"
          }

          test "printing programs" {
              let program = makeJaxpr (grad (fun x -> np.sum (np.sin x))) (np.zeros [| 3 |])
              let expected =
                  [ "{ lambda ; a:f32[3]. let"
                    "    b:f32[3] = cos a"
                    "    c:f32[3] = broadcast_in_dim[shape=(3,) broadcast_dimensions=()] 1.0:f32[]"
                    "    d:f32[3] = mul c b"
                    "  in (d,) }" ]
              Expect.equal (program.ToString()) (String.Join("\n", expected)) "the listing in the README"
          } ]
