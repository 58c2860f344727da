/// The bit-manipulation and PRNG primitives against references computed on .NET integers.
module RandomOpTable

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open JaxSharp
open JaxSharp.Primitives
open JaxSharp.Primitives.Random
open OpTable.Generators

/// The primitives this table checks against references.
let covered =
    [ "shift_left"; "shift_right_logical"; "bitcast_convert_type"; "random_seed"; "random_split"; "random_fold_in"; "random_bits"
      "random_gamma"; "random_poisson"; "cholesky" ]

let private config = { FsCheckConfig.defaultConfig with maxTest = 30 }

let private uintsGen n = Gen.arrayOfLength n (Gen.choose (Int32.MinValue, Int32.MaxValue) |> Gen.map uint32)

/// XLA's shifts: amounts of 32 or more (as unsigned) give 0.
let private shiftLeftRef (x: uint32) (y: uint32) = if y < 32u then x <<< int y else 0u
let private shiftRightRef (x: uint32) (y: uint32) = if y < 32u then x >>> int y else 0u

/// Threefry-2x32-20 written out round by round, independently of the library's loop.
let private threefryRef (k0: uint32) (k1: uint32) (x0: uint32) (x1: uint32) =
    let rotl (v: uint32) r = (v <<< r) ||| (v >>> (32 - r))
    let ks = [| k0; k1; k0 ^^^ k1 ^^^ 0x1BD11BDAu |]
    let mutable a = x0 + ks.[0]
    let mutable b = x1 + ks.[1]
    let rounds = [| [| 13; 15; 26; 6 |]; [| 17; 29; 16; 24 |] |]
    for i in 1..5 do
        for r in rounds.[(i - 1) % 2] do
            a <- a + b
            b <- rotl b r ^^^ a
        a <- a + ks.[i % 3]
        b <- b + ks.[(i + 1) % 3] + uint32 i
    a, b

[<Tests>]
let tests =
    testList
        "random op table"
        [ testPropertyWithConfig config "shift_left matches x << y with XLA's out-of-range rule" (fun () ->
              Prop.forAll (Arb.fromGen (Gen.zip (uintsGen 8) (Gen.arrayOfLength 8 (Gen.choose (0, 40) |> Gen.map uint32))))
              <| fun (x, y) ->
                  let actual = Lax.ShiftLeft(Tensor.FromArray x, Tensor.FromArray y).ToArray<uint32>()
                  actual = Array.map2 shiftLeftRef x y)
          testPropertyWithConfig config "shift_right_logical on int32 shifts the unsigned bits" (fun () ->
              Prop.forAll (Arb.fromGen (Gen.zip (uintsGen 8) (Gen.arrayOfLength 8 (Gen.choose (-3, 40)))))
              <| fun (x, y) ->
                  let signed = Array.map int x
                  let actual = Lax.ShiftRightLogical(Tensor.FromArray signed, Tensor.FromArray y).ToArray<int>()
                  actual = Array.map2 (fun a b -> int (shiftRightRef a (uint32 b))) x y)
          test "shifts broadcast a scalar amount" {
              let x = Tensor.FromArray [| 0x80000000u; 0xFFu |]
              Expect.equal (Lax.ShiftRightLogical(x, Tensor.Scalar 4u).ToArray<uint32>()) [| 0x08000000u; 0xFu |] "by 4"
          }
          testPropertyWithConfig config "bitcast_convert_type float32 to uint32 is BitConverter's view" (fun () ->
              Prop.forAll (Arb.fromGen (valuesGen Anywhere 6))
              <| fun values ->
                  let x = values |> Array.map float32
                  let bits = Lax.BitcastConvertType(Tensor.FromArray x, DType.UInt32).ToArray<uint32>()
                  let back = Lax.BitcastConvertType(Tensor.FromArray bits, DType.Float32).ToArray<float32>()
                  bits = Array.map BitConverter.SingleToUInt32Bits x && back = x)
          test "bitcast_convert_type between float64 and uint32 pairs is little-endian" {
              let words = Lax.BitcastConvertType(Tensor.FromArray [| 1.0; -2.5 |], DType.UInt32)
              Expect.equal words.Shape (Shape [| 2; 2 |]) "a trailing axis of 2"
              Expect.equal (words.ToArray<uint32>()) [| 0u; 0x3FF00000u; 0u; 0xC0040000u |] "low word first"
              Expect.equal (Lax.BitcastConvertType(words, DType.Float64).ToArray<float>()) [| 1.0; -2.5 |] "round trip"
              Expect.equal (Lax.BitcastConvertType(Tensor.Scalar -1, DType.UInt32).Item<uint32>()) UInt32.MaxValue "int32 to uint32"
          }
          test "bitcast_convert_type to float64 needs a last axis of 2" {
              RandomTests.expectArgumentError (fun () -> Lax.BitcastConvertType(Tensor.FromArray [| 1u; 2u; 3u |], DType.Float64)) "last axis of size 2"
              RandomTests.expectArgumentError (fun () -> Lax.BitcastConvertType(Tensor.FromArray [| true |], DType.UInt32)) "bool"
          }
          test "shifts refuse floats" {
              RandomTests.expectArgumentError (fun () -> Lax.ShiftLeft(Tensor.Scalar 1.0f, Tensor.Scalar 1.0f)) "int32 or uint32"
          }
          testPropertyWithConfig config "random_seed gives [0, seed] for int32 seeds of any shape" (fun () ->
              Prop.forAll (Arb.fromGen (Gen.arrayOfLength 5 (Gen.choose (Int32.MinValue, Int32.MaxValue))))
              <| fun seeds ->
                  let keys = RandomSeed.Instance.Bind(PrimitiveParams.None, Tensor.FromArray seeds)
                  keys.Shape = Shape [| 5; 2 |]
                  && keys.ToArray<uint32>() = (seeds |> Array.collect (fun s -> [| 0u; uint32 s |])))
          testPropertyWithConfig config "random_split, random_fold_in and random_bits hash counters as JAX's partitionable scheme" (fun () ->
              Prop.forAll (Arb.fromGen (Gen.zip (uintsGen 2) (uintsGen 1)))
              <| fun (k, msg) ->
                  let key = Tensor.FromArray k
                  let split = Rng.Split(key, 3).ToArray<uint32>()
                  let splitRef = Array.init 3 (fun j -> threefryRef k.[0] k.[1] 0u (uint32 j)) |> Array.collect (fun (a, b) -> [| a; b |])
                  let folded = RandomFoldIn.Instance.Bind(PrimitiveParams.None, key, Tensor.FromArray msg).ToArray<uint32>()
                  let foldRef = threefryRef k.[0] k.[1] 0u msg.[0]
                  let bits = Rng.Bits(key, Shape [| 4 |]).ToArray<uint32>()
                  let bitsRef = Array.init 4 (fun i -> threefryRef k.[0] k.[1] 0u (uint32 i) |> fun (a, b) -> a ^^^ b)
                  split = splitRef && folded = [| fst foldRef; snd foldRef |] && bits = bitsRef)
          test "random_fold_in broadcasts a batch of keys against a batch of messages" {
              let keys = Tensor.FromArray(array2D [ [ 1u; 2u ]; [ 3u; 4u ] ])
              let msgs = Tensor.FromArray [| 7u; 8u; 9u |]
              let column = Shapes.Reshape.Instance.Bind(Shapes.ReshapeParams(Shape [| 2; 1; 2 |]), keys)
              let out = RandomFoldIn.Instance.Bind(PrimitiveParams.None, column, msgs)
              Expect.equal out.Shape (Shape [| 2; 3; 2 |]) "keys (2, 1) with messages (3,)"
              let words = out.ToArray<uint32>()
              for i in 0..1 do
                  for j in 0..2 do
                      let expected = Rng.Threefry2x32(uint32 (2 * i + 1), uint32 (2 * i + 2), 0u, uint32 (7 + j))
                      Expect.equal (struct (words.[6 * i + 2 * j], words.[6 * i + 2 * j + 1])) expected $"key {i}, message {j}"
          }
          test "random_bits on a batch of keys draws from each key" {
              let keys = Rng.Split(Rng.Key 0, 2)
              let batched = RandomBits.Instance.Bind(RandomBitsParams(32, Shape [| 3 |], Random.ThreefryScheme.Partitionable), keys)
              let k = keys.ToArray<uint32>()
              Expect.equal batched.Shape (Shape [| 2; 3 |]) "shape"
              Expect.equal (batched.ToArray<uint32>().[3..]) (Rng.Bits(Rng.WrapKeyData(k.[2], k.[3]), Shape [| 3 |]).ToArray<uint32>()) "second key"
          } 
          testPropertyWithConfig config "cholesky gives a lower factor with L Lᵀ = a for symmetric positive definite a" (fun () ->
              Prop.forAll (Arb.fromGen (Gen.arrayOfLength 9 (Gen.choose (-100, 100) |> Gen.map (fun v -> float v / 100.0))))
              <| fun values ->
                  let b = Array2D.init 3 3 (fun i j -> values[3 * i + j])
                  let a = Array2D.init 3 3 (fun i j -> (Seq.sum (seq { for k in 0..2 -> b[i, k] * b[j, k] })) + (if i = j then 0.5 else 0.0))
                  let l = (LinearAlgebra.Cholesky.Instance.Bind(PrimitiveParams.None, Tensor.FromArray a)).ToArray2D<float>()
                  let upperZero = Seq.forall (fun (i, j) -> j <= i || l[i, j] = 0.0) [ for i in 0..2 do for j in 0..2 -> i, j ]
                  let product i j = Seq.sum (seq { for k in 0..2 -> l[i, k] * l[j, k] })
                  upperZero && Seq.forall (fun (i, j) -> abs (product i j - a[i, j]) < 1e-12) [ for i in 0..2 do for j in 0..2 -> i, j ])
          test "cholesky of a matrix that is not positive definite is NaN, as JAX on the CPU; the input is symmetrized" {
              let bad = LinearAlgebra.Cholesky.Instance.Bind(PrimitiveParams.None, Tensor.FromArray(array2D [ [ 1.0f; 2.0f ]; [ 2.0f; 1.0f ] ]))
              Expect.isTrue (bad.ToArray<float32>() |> Array.forall Single.IsNaN) "all NaN"
              // (a + aᵀ) / 2 of [[4, 1], [3, 2]] is [[4, 2], [2, 2]]: L = [[2, 0], [1, 1]]
              let l = LinearAlgebra.Cholesky.Instance.Bind(PrimitiveParams.None, Tensor.FromArray(array2D [ [ 4.0; 1.0 ]; [ 3.0; 2.0 ] ]))
              Expect.equal (l.ToArray<float>()) [| 2.0; 0.0; 1.0; 1.0 |] "factor of the symmetric part"
              RandomTests.expectArgumentError (fun () -> LinearAlgebra.Cholesky.Instance.Bind(PrimitiveParams.None, Tensor.FromArray [| 1.0 |])) "square matrices"
          }
          test "random_gamma and random_poisson need alpha and rates that start with the keys' batch shape" {
              RandomTests.expectArgumentError (fun () -> RandomGamma.Instance.Bind(RandomGammaParams(false, Random.ThreefryScheme.Partitionable), Rng.Split(Rng.Key 0, 2), Tensor.FromArray [| 1.0f; 2.0f; 3.0f |])) "batch shape"
              RandomTests.expectArgumentError (fun () -> RandomPoisson.Instance.Bind(RandomPoissonParams Random.ThreefryScheme.Partitionable, Rng.Key 0, Tensor.FromArray [| 1.0 |])) "float32"
          } ]
