/// JAX's default dtypes for weakly typed values and creation functions, with and without the
/// x64 switch (Jax.Config.EnableX64), and lax's refusal of mixed dtypes in its multi-operand functions.
module X64Tests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open TestHelpers

let private dtypeAndWeak (t: Tensor) = t.DType, t.IsWeaklyTyped

let private f32 (values: float32[]) = Tensor.FromArray values
let private f64 (values: float[]) = Tensor.FromArray values

/// Runs f with x64 on or off in this context only (tests run in parallel; the scope is async-local).
let private withX64 on (f: unit -> 'a) =
    use _ = Jax.Config.UseX64 on
    f ()

[<Tests>]
let defaults =
    testList
        "weak defaults and x64"
        [ test "weak values that meet no typed value take the 32-bit defaults" {
              withX64 false (fun () ->
                  Expect.equal (dtypeAndWeak (Np.Add(1, 1.0))) (DType.Float32, true) "np.add 1 1.0"
                  Expect.equal (dtypeAndWeak (Np.Add(1.0, 2.0))) (DType.Float32, true) "1.0 + 2.0"
                  Expect.equal (dtypeAndWeak (Np.Add(1, 2))) (DType.Int32, true) "1 + 2"
                  Expect.equal (dtypeAndWeak (Np.Sin(2.0))) (DType.Float32, true) "sin 2.0"
                  Expect.equal (dtypeAndWeak (Np.Sin(2))) (DType.Float32, true) "sin 2"
                  Expect.equal (dtypeAndWeak (Np.Multiply(Tensor.FromArray [| 1; 2 |], 2.5))) (DType.Float32, true) "int32 * 2.5"
                  Expect.equal (Np.Add(1, 1.0).Item<float32>()) 2.0f "the value"
                  Expect.equal (Np.Zeros(3).DType) DType.Float32 "np.zeros"
                  Expect.equal (Np.Full(Shape [| 2 |], 7.0).DType) DType.Float32 "np.full of a .NET double")
          }
          test "x64 gives float64 defaults; a .NET int stays int32 (there is no int64)" {
              withX64 true (fun () ->
                  Expect.equal (dtypeAndWeak (Np.Add(1, 1.0))) (DType.Float64, true) "np.add 1 1.0"
                  Expect.equal (dtypeAndWeak (Np.Sin(2.0))) (DType.Float64, true) "sin 2.0"
                  Expect.equal (dtypeAndWeak (Np.Sin(2))) (DType.Float64, true) "sin 2: a weak int becomes the default float"
                  Expect.equal (dtypeAndWeak (Np.Add(1, 2))) (DType.Int32, true) "1 + 2"
                  Expect.equal (dtypeAndWeak (Np.Multiply(Tensor.FromArray [| 1; 2 |], 2.5))) (DType.Float64, true) "int32 * 2.5"
                  Expect.equal (Np.Sin(Tensor.FromArray [| 1; 2 |]).DType) DType.Float32 "a strong int32 still becomes float32, as JAX"
                  Expect.equal (Np.Add(1.0, 0.1).Item<float>()) 1.1 "the exact double"
                  Expect.equal (Np.Zeros(3).DType) DType.Float64 "np.zeros"
                  Expect.equal (Np.Ones(Shape [| 2 |]).DType) DType.Float64 "np.ones"
                  Expect.equal (Np.Eye(2).DType) DType.Float64 "np.eye"
                  Expect.equal (Np.Linspace(0.0, 1.0, 3).DType) DType.Float64 "np.linspace"
                  Expect.equal (Nn.OneHot(Tensor.FromArray [| 1 |], 2).DType) DType.Float64 "nn.oneHot"
                  Expect.equal (Rng.Uniform(Rng.Key 0, Shape [| 2 |]).DType) DType.Float64 "random.uniform"
                  Expect.equal (Rng.Normal(Rng.Key 0, Shape [| 2 |]).DType) DType.Float64 "random.normal"
                  Expect.equal (Np.Zeros(Shape [| 2 |], DType.Float32).DType) DType.Float32 "an explicit dtype is kept")
          }
          test "explicitly typed data keeps its dtype in both modes" {
              for on in [ false; true ] do
                  withX64 on (fun () ->
                      Expect.equal (f64 [| 1.0 |]).DType DType.Float64 $"a double[] (x64 {on})"
                      Expect.equal (f32 [| 1.0f |] + 1.0).DType DType.Float32 $"float32 + 1.0 (x64 {on})"
                      Expect.equal (f64 [| 1.0 |] + 1.0).DType DType.Float64 $"float64 + 1.0 (x64 {on})")
          }
          test "a .NET double meeting a float64 tensor keeps every digit" {
              withX64 false (fun () ->
                  let literal = Tensor.op_Implicit 0.1
                  Expect.equal literal.DType DType.Float32 "a bare .NET double is a weak float32"
                  Expect.equal ((f64 [| 0.0 |] + 0.1).ToArray<float>()) [| 0.1 |] "np.add"
                  Expect.equal ((f64 [| 0.0 |] + literal).ToArray<float>()) [| 0.1 |] "the same literal, kept"
                  Expect.equal (Lax.Add(f64 [| 0.0 |], 0.1).ToArray<float>()) [| 0.1 |] "lax.add"
                  Expect.equal (Lax.ConvertElementType(literal, DType.Float64).Item<float>()) 0.1 "convert_element_type"
                  let jitted = Jax.Jit(Func<Tensor, Tensor>(fun x -> x * 0.1))
                  Expect.equal ((jitted.Invoke(f64 [| 1.0 |])).ToArray<float>()) [| 0.1 |] "a literal in a jitted function")
          }
          test "a jitted function traces again when x64 changes" {
              let traces = ref 0
              let jitted =
                  Jax.Jit(
                      Func<Tensor, Tensor>(fun x ->
                          traces.Value <- traces.Value + 1
                          x + Np.Sin(1.0))
                  )
              let x = f32 [| 1.0f |]
              let off = withX64 false (fun () -> jitted.Invoke x)
              let on = withX64 true (fun () -> jitted.Invoke x)
              let offAgain = withX64 false (fun () -> jitted.Invoke x)
              Expect.equal traces.Value 2 "one trace per setting, the first reused"
              Expect.equal (off.DType, on.DType, offAgain.DType) (DType.Float32, DType.Float32, DType.Float32) "float32 + a weak value stays float32"
              let make = Jax.Jit(Func<Tensor, Tensor>(fun x -> x + Np.Zeros(1)))
              let ints = Tensor.FromArray [| 1 |]
              Expect.equal (withX64 false (fun () -> (make.Invoke ints).DType)) DType.Float32 "zeros are float32 without x64"
              Expect.equal (withX64 true (fun () -> (make.Invoke ints).DType)) DType.Float64 "and float64 with it, from the same jitted function"
          }
          test "JAXSHARP_ENABLE_X64 is read as a switch" {
              let previous = Environment.GetEnvironmentVariable Jax.Config.EnableX64Variable
              try
                  for value, expected in [ "1", true; "true", true; " Yes ", true; "0", false; "false", false; "", false ] do
                      Environment.SetEnvironmentVariable(Jax.Config.EnableX64Variable, value)
                      Expect.equal (Jax.Config.X64FromEnvironment()) expected $"JAXSHARP_ENABLE_X64={value}"
                  Environment.SetEnvironmentVariable(Jax.Config.EnableX64Variable, null)
                  Expect.isFalse (Jax.Config.X64FromEnvironment()) "unset"
              finally
                  Environment.SetEnvironmentVariable(Jax.Config.EnableX64Variable, previous)
          }
          test "an unreadable JAXSHARP_ENABLE_X64 says what to set" {
              let previous = Environment.GetEnvironmentVariable Jax.Config.EnableX64Variable
              try
                  Environment.SetEnvironmentVariable(Jax.Config.EnableX64Variable, "maybe")
                  let message =
                      try
                          Jax.Config.X64FromEnvironment() |> ignore
                          ""
                      with :? InvalidOperationException as e ->
                          e.Message
                  expectWords [ "JAXSHARP_ENABLE_X64=maybe"; "set it to 1"; "0" ] message
              finally
                  Environment.SetEnvironmentVariable(Jax.Config.EnableX64Variable, previous)
          }
          test "a scope's setting ends with the scope" {
              let outer = Jax.Config.EnableX64
              withX64 (not outer) (fun () ->
                  Expect.equal Jax.Config.EnableX64 (not outer) "inside"
                  Expect.equal DTypes.DefaultFloat (if outer then DType.Float32 else DType.Float64) "the default float follows")
              Expect.equal Jax.Config.EnableX64 outer "after"
          } ]

/// Sequenced: the process-wide setter changes what every other test sees, so these run alone.
[<Tests>]
let processWide =
    testSequenced
    <| testList
        "x64 switch (process-wide)"
        [ test "Jax.Config.EnableX64 and config.setEnableX64 switch the defaults for the process" {
              let previous = Jax.Config.EnableX64
              try
                  Jax.Config.EnableX64 <- true
                  Expect.equal (Np.Add(1, 1.0).DType) DType.Float64 "on"
                  Expect.isTrue (config.enableX64 ()) "F# reads it"
                  config.setEnableX64 false
                  Expect.equal (Np.Add(1, 1.0).DType) DType.Float32 "off"
                  Expect.isFalse Jax.Config.EnableX64 "C# reads it"
                  let scoped () =
                      use _ = config.useX64 true
                      Np.Add(1, 1.0).DType
                  Expect.equal (scoped ()) DType.Float64 "a scope wins over the process-wide value"
                  Expect.equal (Np.Add(1, 1.0).DType) DType.Float32 "and ends with it"
              finally
                  Jax.Config.EnableX64 <- previous
          } ]

[<Tests>]
let laxDTypes =
    testList
        "lax mixed dtypes"
        [ test "lax.concatenate refuses two dtypes with jax.lax's words" {
              messageOf (fun () -> Lax.Concatenate([ f32 [| 1.0f |]; f64 [| 1.0 |] ], 0))
              |> expectWords [ "lax.concatenate requires arguments to have the same dtypes, got float32, float64"; "Np.AsType"; "Np.Concatenate" ]
          }
          test "lax.pad refuses a padding value of another dtype" {
              messageOf (fun () -> Lax.Pad(f32 [| 1.0f |], Np.Scalar 0.0, [| struct (1, 1, 0) |]))
              |> expectWords [ "lax.pad requires the operand and the paddingValue to have the same dtype, got float32 and float64"; "Np.AsType(paddingValue, DType.Float32)" ]
          }
          test "lax.dynamic_update_slice refuses an update of another dtype" {
              messageOf (fun () -> Lax.DynamicUpdateSlice(f32 [| 1.0f; 2.0f |], Tensor.FromArray [| 1 |], [| Np.Scalar 0 |]))
              |> expectWords [ "lax.dynamic_update_slice requires the operand and the update to have the same dtype, got float32 and int32"; "x.At(...).Set" ]
          }
          test "lax.scatter_add refuses updates of another dtype" {
              let dn = ScatterDimensionNumbers(Ints [| 1 |], Ints [| 0 |], Ints [| 0 |])
              messageOf (fun () -> Lax.ScatterAdd(np.zerosOf DType.Float32 [| 3; 2 |], np.zerosOf DType.Int32 [| 2; 1 |], np.zerosOf DType.Float64 [| 2; 2 |], dn))
              |> expectWords [ "lax.scatter_add requires the operand and the updates to have the same dtype, got float32 and float64"; "x.At(...).Add" ]
          }
          test "a weakly typed .NET number takes the operand's dtype" {
              for on in [ false; true ] do
                  withX64 on (fun () ->
                      let x = f64 [| 1.0; 2.0 |]
                      Expect.equal (Lax.Pad(x, 0.1, [| struct (1, 0, 0) |]).ToArray<float>()) [| 0.1; 1.0; 2.0 |] $"pad (x64 {on})"
                      // A weak array (np.full of a .NET double) holds the default float dtype's values, as in JAX.
                      Expect.equal (Lax.DynamicUpdateSlice(x, Np.Full(Shape [| 1 |], 0.5), [| Np.Scalar 1 |]).ToArray<float>()) [| 1.0; 0.5 |] $"dynamic_update_slice (x64 {on})"
                      Expect.equal (Lax.Concatenate([ x; Np.Full(Shape [| 1 |], 0.5) ], 0).DType) DType.Float64 $"concatenate (x64 {on})")
          }
          test "lax.dot_general of two dtypes computes in the more precise one, as JAX" {
              let dn = Primitives.LinearAlgebra.DotDimensionNumbers(Ints [| 0 |], Ints [| 0 |], Ints.Empty, Ints.Empty)
              let r = Lax.DotGeneral(f32 [| 1.0f; 2.0f |], f64 [| 3.0; 4.0 |], dn)
              Expect.equal (r.DType, r.Item<float>()) (DType.Float64, 11.0) "float32 with float64"
              let i = Lax.DotGeneral(Tensor.FromArray [| 1; 2 |], f32 [| 3.0f; 4.0f |], dn)
              Expect.equal (i.DType, i.Item<float32>()) (DType.Float32, 11.0f) "int32 with float32"
              let u = Lax.DotGeneral(Tensor.FromArray [| 1u; 2u |], Tensor.FromArray [| 3; 4 |], dn)
              Expect.equal (u.DType, u.Item<int>()) (DType.Int32, 11) "uint32 with int32"
          } ]
