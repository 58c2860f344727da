/// JAX's type promotion for JaxSharp's dtypes, through TypePromotion and through Np.
module PromotionTests

open System
open Expecto
open JaxSharp

let private strong dtype = Tensor.FromArray(System.Array.CreateInstance(dtype |> DTypes.ClrType, 2))

[<Tests>]
let tests =
    testList
        "type promotion"
        [ test "joins strong dtypes as JAX's lattice (without 64-bit ints)" {
              let cases =
                  [ DType.Bool, DType.Int32, DType.Int32
                    DType.Bool, DType.Float32, DType.Float32
                    DType.Int32, DType.UInt32, DType.Int32
                    DType.Int32, DType.Float32, DType.Float32
                    DType.UInt32, DType.Float32, DType.Float32
                    DType.Int32, DType.Float64, DType.Float64
                    DType.Float32, DType.Float64, DType.Float64 ]
              for a, b, expected in cases do
                  Expect.equal (TypePromotion.Join(a, false, b, false)) struct (expected, false) $"{a} with {b}"
                  Expect.equal (TypePromotion.Join(b, false, a, false)) struct (expected, false) $"{b} with {a}"
          }
          test "a weak scalar never widens a strong tensor of its kind or a higher one" {
              Expect.equal (Np.Multiply(strong DType.Float32, 2.0)).Aval.DType DType.Float32 "float32 * 2.0"
              Expect.equal (Np.Add(strong DType.Int32, 2)).DType DType.Int32 "int32 + 2"
              Expect.equal (Np.Add(strong DType.UInt32, 2)).DType DType.UInt32 "uint32 + 2"
              Expect.equal (Np.Add(strong DType.Float64, 2)).DType DType.Float64 "float64 + 2"
              Expect.isFalse (Np.Multiply(strong DType.Float32, 2.0)).IsWeaklyTyped "the result is strong"
          }
          test "a weak scalar of a higher kind gives its kind's weak default dtype" {
              let r = Np.Multiply(strong DType.Int32, 2.5)
              Expect.equal (r.DType, r.IsWeaklyTyped) (DType.Float32, true) "int32 * 2.5 is weak float32"
              let b = Np.Add(strong DType.Bool, 1)
              Expect.equal (b.DType, b.IsWeaklyTyped) (DType.Int32, true) "bool + 1 is weak int32"
              let bf = Np.Add(strong DType.Bool, 1.0)
              Expect.equal (bf.DType, bf.IsWeaklyTyped) (DType.Float32, true) "bool + 1.0 is weak float32"
          }
          test "float math and true division promote integers and bools to float32" {
              Expect.equal (Np.Exp(strong DType.Int32)).DType DType.Float32 "exp of int32"
              Expect.equal (Np.Sin(strong DType.Bool)).DType DType.Float32 "sin of bool"
              Expect.equal (Np.Divide(strong DType.Int32, strong DType.Int32)).DType DType.Float32 "int32 / int32"
              Expect.equal (Np.Arctan2(strong DType.UInt32, strong DType.Int32)).DType DType.Float32 "arctan2 of ints"
              Expect.equal (Np.Divide(strong DType.Float64, 2)).DType DType.Float64 "float64 / 2"
          }
          test "comparisons promote before comparing and give bool" {
              let r = Np.Less(Tensor.FromArray [| 1; 2 |], 1.5)
              Expect.equal r.DType DType.Bool "bool"
              Expect.sequenceEqual (r.ToArray<bool>()) [| true; false |] "1 < 1.5, 2 >= 1.5"
          } 
          test "np promotes the mixed dtypes that lax refuses" {
              Expect.equal (Np.Add(strong DType.Float32, strong DType.Float64)).DType DType.Float64 "np.add of float32 and float64 is float64"
              Expect.throws (fun () -> Lax.Add(strong DType.Float32, strong DType.Float64) |> ignore) "lax.add of float32 and float64 is refused"
          }
          test "the join is a lattice's in both x64 modes: commutative and associative" {
              // Every (dtype, weak) pair that exists: there are no weak bools.
              let types =
                  [ for d in Enum.GetValues<DType>() do
                        yield struct (d, false)
                        if d <> DType.Bool then yield struct (d, true) ]
              let join (struct (a, aw)) (struct (b, bw)) = TypePromotion.Join(a, aw, b, bw)
              let check on =
                  use _ = Jax.Config.UseX64 on
                  for a in types do
                      for b in types do
                          let ab = join a b
                          Expect.equal ab (join b a) $"{a} with {b} (x64 {on})"
                          for c in types do
                              Expect.equal (join ab c) (join a (join b c)) $"({a} with {b}) with {c} (x64 {on})"
              check false
              check true
          } ]
