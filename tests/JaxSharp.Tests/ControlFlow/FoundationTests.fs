module ControlFlow.FoundationTests

open System
open Expecto
open JaxSharp
open JaxSharp.IR
open JaxSharp.Primitives.Control
open JaxSharp.Transforms

let private f64 (values: float[]) = Tensor.FromArray(values)
let private close (a: Tensor) (b: Tensor) what =
    Expect.sequenceEqual (a.ToArray<float>() |> Array.map (fun v -> Math.Round(v, 9))) (b.ToArray<float>() |> Array.map (fun v -> Math.Round(v, 9))) what

/// f(c, x, y) = (sin x * y + c, y * c), c closed over by the traced function.
let private programOf (c: Tensor) =
    let avals = [| (f64 [| 1.0; 1.0 |]).Aval; (f64 [| 1.0; 1.0 |]).Aval |]
    ClosedJaxprs.Trace((fun (a: Tensor[]) -> [| Np.Sin(a.[0]) * a.[1] + c; a.[1] * c |]), avals, "test")

let private program () = programOf (f64 [| 0.5; 2.0 |])

[<Tests>]
let tests =
    testList
        "control-flow foundation"
        [ test "a traced function is closed: values of an enclosing trace are its leading inputs" {
              let mutable inputs = 0
              let outer =
                  Jax.MakeJaxpr(
                      Func<Tensor, Tensor>(fun c ->
                          let struct (jaxpr, consts) = programOf c
                          Expect.equal consts.Length 1 "c is a const"
                          Expect.equal jaxpr.Captures.Count 0 "no captures"
                          inputs <- jaxpr.Inputs.Count
                          ClosedJaxprs.Call(jaxpr, Array.append consts [| f64 [| 1.0; 2.0 |]; f64 [| 3.0; 4.0 |] |]).[1]),
                      f64 [| 0.5; 2.0 |])
              Expect.equal inputs 3 "c, x, y"
              let out = outer.Evaluate([| f64 [| 0.5; 2.0 |] |])
              close out.[0] (f64 [| 1.5; 8.0 |]) "y * c"
          }

          test "a concrete value a function closes over is a constant of its program" {
              let struct (jaxpr, consts) = program ()
              Expect.isEmpty consts "no consts"
              let out = ClosedJaxprs.Call(jaxpr, [| f64 [| 1.0; 2.0 |]; f64 [| 3.0; 4.0 |] |])
              close out.[1] (f64 [| 1.5; 8.0 |]) "y * c"
          }

          test "a split program's tangent part is the JVP, and its transpose is the VJP" {
              let struct (jaxpr, consts) = program ()
              let split = LinearizedBody.Split(jaxpr, [| true; true |], "test")
              let x, y = f64 [| 1.0; 2.0 |], f64 [| 3.0; 4.0 |]
              let tx, ty = f64 [| 0.1; -0.2 |], f64 [| 0.3; 0.7 |]
              let primal = ClosedJaxprs.Call(split.Primal, [| x; y |])
              let residuals = primal.[split.OutputCount ..]
              let tangents = ClosedJaxprs.Call(split.Tangent, Array.append residuals [| tx; ty |])
              let struct (_, expected) = Jax.Jvp(Func<Tensor[], Tensor[]>(fun a -> ClosedJaxprs.Call(jaxpr, Array.append consts a)), [| x; y |], [| tx; ty |])
              Expect.equal split.OutputHasTangent [| true; true |] "both outputs have tangents"
              close tangents.[0] expected.[0] "first tangent"
              close tangents.[1] expected.[1] "second tangent"
              // <ct, T t> = <T^T ct, t>
              let ct0, ct1 = f64 [| 1.0; -1.0 |], f64 [| 0.5; 2.0 |]
              let inputs: Tensor[] = Array.append residuals [| null; null |]
              let cts = JaxprTranspose.Backward(split.Tangent, inputs, [| ct0; ct1 |], "test")
              let lhs = Np.Sum(ct0 * tangents.[0] + ct1 * tangents.[1]).Item<float>()
              let rhs = Np.Sum(cts.[residuals.Length] * tx + cts.[residuals.Length + 1] * ty).Item<float>()
              Expect.floatClose Accuracy.high lhs rhs "the transposition identity"
          } ]
