module IR.TracingTests

open System
open Expecto
open JaxSharp
open JaxSharp.IR
open TestHelpers

let private f32 (values: float32[]) = Tensor.FromArray(values)

[<Tests>]
let tests =
    testList
        "tracing"
        [ test "records one equation per primitive, with shapes and dtypes" {
              let jaxpr = Jax.MakeJaxpr(Func<Tensor, Tensor>(fun x -> Np.Sin(x) * x + 1.0), f32 [| 1.0f; 2.0f |])
              let text = jaxpr.ToString()
              Expect.equal jaxpr.Equations.Count 3 "sin, mul, add"
              Expect.stringContains text "a:f32[2]" "the input with its shape and dtype"
              Expect.stringContains text "sin a" "sin of the input"
              Expect.stringContains text "1.0:f32[]" "the weakly typed literal takes float32"
          }

          test "prints a stable jaxpr-like listing" {
              let jaxpr = Jax.MakeJaxpr(Func<Tensor, Tensor>(fun x -> Np.Exp(x) * x), f32 [| 1.0f |])
              let expected = "{ lambda ; a:f32[1]. let\n    b:f32[1] = exp a\n    c:f32[1] = mul b a\n  in (c,) }"
              Expect.equal (jaxpr.ToString()) expected "the listing"
          }

          test "shares values: x <- x * x a thousand times gives a thousand equations" {
              let square1000 (x: Tensor) =
                  let mutable y = x
                  for _ in 1..1000 do
                      y <- y * y
                  y
              let jaxpr = Jax.MakeJaxpr(Func<Tensor, Tensor>(square1000), f32 [| 1.0f |])
              Expect.equal jaxpr.Equations.Count 1000 "one equation per multiplication"
          }

          test "the program is a LambdaExpression in let-normal form" {
              let jaxpr = Jax.MakeJaxpr(Func<Tensor, Tensor>(fun x -> Np.Sin x), f32 [| 1.0f |])
              let body = jaxpr.Lambda.Body :?> Linq.Expressions.BlockExpression
              Expect.equal body.Variables.Count 1 "one variable per equation"
              Expect.isTrue (body.Expressions[0].NodeType = Linq.Expressions.ExpressionType.Assign) "an assignment"
              let app = (body.Expressions[0] :?> Linq.Expressions.BinaryExpression).Right
              Expect.equal app.NodeType Linq.Expressions.ExpressionType.Extension "a PrimitiveExpression extension node"
          }

          test "branching on a traced value names the value and points to where and to lax.cond" {
              let branchy (x: Tensor) = if (Tensor.op_Explicit (Np.Greater(x, 0.0)): bool) then x else Np.Sin x
              let run () = Jax.MakeJaxpr(Func<Tensor, Tensor>(branchy), f32 [| 1.0f |]) |> ignore
              throwsWith<TracerConcretizationException> [ "bool[1]"; "converted to bool"; "np.where"; "Np.Where"; "lax.cond"; "Lax.Cond"; "lax.whileLoop"; "lax.scan" ] run
          }

          test "C#'s if (x > 0) works eagerly and is a concretization error when traced" {
              Expect.isTrue (Tensor.op_True(Np.Greater(Tensor.Scalar 1.0, 0.0))) "eagerly, 1 > 0"
              Expect.isTrue (Tensor.op_False(Np.Greater(Tensor.Scalar -1.0, 0.0))) "eagerly, not -1 > 0"
              let branchy (x: Tensor) = if Tensor.op_True(Np.Greater(x, 0.0)) then x else Np.Sin x
              throwsWith<TracerConcretizationException> [ "converted to bool"; "np.where" ] (fun () ->
                  Jax.Jit(Func<Tensor, Tensor>(branchy)).Invoke(f32 [| 1.0f |]) |> ignore)
          }

          test "Item of a traced value is a concretization error" {
              let f (x: Tensor) =
                  let v = x.Item<float32>()
                  x * float v
              let run () = Jax.MakeJaxpr(Func<Tensor, Tensor>(f), Tensor.Scalar 1.0f) |> ignore
              let ex = throws<TracerConcretizationException> run
              Expect.stringContains ex.Message "f32[]" "names the value's type"
              Expect.stringContains ex.Message "np.where" "points to where"
              Expect.stringContains ex.Message "lax.cond" "points to lax.cond"
          }

          test "a leaked tracer used later is a clear error" {
              let mutable leaked: Tensor option = None
              Jax.MakeJaxpr(Func<Tensor, Tensor>(fun x -> leaked <- Some x; x), f32 [| 1.0f |]) |> ignore
              let ex = throws<InvalidOperationException> (fun () -> Np.Sin leaked.Value |> ignore)
              Expect.stringContains ex.Message "leaked tracer" "says what happened"
          }

          test "a traced value used on another thread while jit traces is named as such, not as leaked" {
              // a new thread, never one that runs the work inline, as a task's GetResult may
              let onAnotherThread (x: Tensor) =
                  let outcome = ref (Error null)
                  let thread = Threading.Thread(fun () -> outcome.Value <- try Ok(Np.Sin x) with e -> Error e)
                  thread.Start()
                  thread.Join()
                  match outcome.Value with
                  | Ok y -> y
                  | Error e -> raise e
              let ex = throws<InvalidOperationException> (fun () -> Jax.Jit(Func<Tensor, Tensor>(onAnotherThread)).Invoke(f32 [| 1.0f |]) |> ignore)
              for words in [ "sin: argument 0"; "another thread"; "Tracing is per thread"; "calling thread" ] do
                  Expect.stringContains ex.Message words "says what happened and what to do"
              Expect.isFalse (ex.Message.Contains "leaked") "the value did not leak"
          } ]
