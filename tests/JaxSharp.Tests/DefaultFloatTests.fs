/// Every jax.random sampler of floats and every nn.initializers initializer defaults to JAX's
/// dtypes.float_: float32, or float64 under the x64 switch. The samplers are found by reflection
/// (Rng's public methods with a DType? parameter), so a new sampler is covered without a new line.
module DefaultFloatTests

open System
open System.Reflection
open Expecto
open JaxSharp
open JaxSharp.FSharp

let private withX64 on (f: unit -> 'a) =
    use _ = Jax.Config.UseX64 on
    f ()

let private isNullableDType (p: ParameterInfo) = p.ParameterType = typeof<Nullable<DType>>

/// Rng's public methods with a DType? parameter.
let private samplers () =
    typeof<Rng>.GetMethods(BindingFlags.Public ||| BindingFlags.Static)
    |> Array.filter (fun m -> m.GetParameters() |> Array.exists isNullableDType)
    |> Array.sortBy string

/// A vector of the default float dtype (so the draw's dtype comes from the default, not from it).
let private vector (values: float[]) = Np.AsType(Tensor.FromArray values, DTypes.DefaultFloat)

/// An argument that makes a valid draw; the dtype is left at its default (null).
let private argumentFor (m: MethodInfo) (p: ParameterInfo) : obj =
    match m.Name, p.Name with
    | _, "key" -> box (Rng.Key 0)
    | _ when isNullableDType p -> null
    | "Triangular", "left" -> box (Tensor.op_Implicit 0.0)
    | "Triangular", "right" -> box (Tensor.op_Implicit 1.0)
    | ("Binomial" | "Multinomial"), "n" -> box (Tensor.op_Implicit 5.0)
    | "Multinomial", "p" -> box (vector [| 0.3; 0.7 |])
    | "Dirichlet", "alpha" -> box (vector [| 1.0; 2.0 |])
    | "MultivariateNormal", "mean" -> box (vector [| 0.0; 0.0 |])
    | "MultivariateNormal", "cov" -> box (Np.Eye 2)
    | "Uniform", "minval" -> box (Tensor.op_Implicit 0.0)
    | "Uniform", "maxval" -> box (Tensor.op_Implicit 1.0)
    | _, "lower" -> box -1.0
    | _, "upper" -> box 1.0
    | _ when p.HasDefaultValue -> p.DefaultValue
    | _ when p.ParameterType = typeof<Tensor> -> box (Tensor.op_Implicit 0.5)
    | _ when p.ParameterType = typeof<Shape> -> box (Shape [| 3 |])
    | _ when p.ParameterType = typeof<double> -> box 2.0
    | _ when p.ParameterType = typeof<int> -> box 3
    | _ -> failtest $"DefaultFloatTests: no argument for {m.Name}'s parameter {p.Name} of type {p.ParameterType.Name}; add one to argumentFor"

let private draw (m: MethodInfo) =
    m.Invoke(null, m.GetParameters() |> Array.map (argumentFor m)) :?> Tensor

/// The public factories of Initializers with arguments that make an initializer.
let private initializerFactories () =
    typeof<Initializers>.GetMethods(BindingFlags.Public ||| BindingFlags.Static)
    |> Array.filter (fun m -> m.ReturnType = typeof<Initializer>)
    |> Array.sortBy string
    |> Array.map (fun m ->
        let args =
            m.GetParameters()
            |> Array.map (fun p ->
                if p.HasDefaultValue then p.DefaultValue
                elif p.ParameterType = typeof<double> then box 1.0
                elif p.ParameterType = typeof<FanMode> then box FanMode.FanIn
                elif p.ParameterType = typeof<VarianceDistribution> then box VarianceDistribution.Normal
                else failtest $"DefaultFloatTests: no argument for Initializers.{m.Name}'s parameter {p.Name}")
        m.Name, m.Invoke(null, args) :?> Initializer)

[<Tests>]
let tests =
    testList
        "default float dtype"
        [ test "the reflected sampler list holds the samplers with a dtype parameter" {
              let names = samplers () |> Array.map (fun m -> m.Name) |> Set.ofArray
              for expected in [ "Uniform"; "Exponential"; "Gamma"; "Beta"; "Cauchy"; "Binomial"; "F"; "Wald"; "Triangular"; "GeneralizedNormal"; "Ball"; "Orthogonal"; "TruncatedNormal" ] do
                  Expect.contains names expected $"Rng.{expected} takes DType? dtype = null"
              Expect.isGreaterThanOrEqual (initializerFactories () |> Array.length) 16 "the initializers are found"
          }
          test "every float sampler gives float32 by default and float64 under x64" {
              for on, expected in [ false, DType.Float32; true, DType.Float64 ] do
                  withX64 on (fun () ->
                      for m in samplers () do
                          Expect.equal (draw m).DType expected $"{m} with x64 {on}")
          }
          test "an explicit dtype wins over the default in both modes" {
              for on in [ false; true ] do
                  withX64 on (fun () ->
                      Expect.equal (Rng.Exponential(Rng.Key 1, Shape [| 2 |], DType.Float32)).DType DType.Float32 $"exponential float32 (x64 {on})"
                      Expect.equal (Rng.Gamma(Rng.Key 1, 2.0, Shape [| 2 |], DType.Float64)).DType DType.Float64 $"gamma float64 (x64 {on})")
          }
          test "every initializer gives float32 by default and float64 under x64" {
              for on, expected in [ false, DType.Float32; true, DType.Float64 ] do
                  withX64 on (fun () ->
                      for name, init in initializerFactories () do
                          let w = init.Invoke(Rng.Key 2, Shape [| 4; 3 |], Nullable())
                          Expect.equal w.DType expected $"Initializers.{name} with x64 {on}"
                      Expect.equal (initializers.heNormal (Rng.Key 2) [| 4; 3 |]).DType expected $"F# initializers.heNormal with x64 {on}"
                      Expect.equal (random.gamma (Tensor.op_Implicit 2.0) (Rng.Key 2) [| 2 |]).DType expected $"F# random.gamma with x64 {on}")
          } ]
