/// Creation functions against numpy's known results.
module CreationTests

open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators

let expectValues (expected: float list) (t: Tensor) = expectClose 1e-7 (Array.ofList expected) t "values"

[<Tests>]
let tests =
    testList "creation" [
        test "zeros and ones are float32 by default" {
            let z = np.zeros [| 2; 3 |]
            Expect.equal (z.Shape.ToArray()) [| 2; 3 |] "shape"
            Expect.equal z.DType DType.Float32 "dtype"
            expectValues (List.replicate 6 0.0) z
            expectValues [ 1.0; 1.0 ] (np.ones [| 2 |])
            Expect.equal (np.onesOf DType.Int32 [| 2 |]).DType DType.Int32 "onesOf int32"
            Expect.equal (Np.Zeros(3).Shape.ToArray()) [| 3 |] "C# params overload"
        }
        test "full takes the fill value's dtype, float32 for a .NET float" {
            let f = np.full [| 2; 2 |] 7.0
            Expect.equal f.DType DType.Float32 "a .NET float fills float32 (weakly typed, as jnp.full)"
            expectValues [ 7.0; 7.0; 7.0; 7.0 ] f
            Expect.equal (np.full [| 2 |] 3).DType DType.Int32 "an int fills int32"
            Expect.equal (np.full [| 2 |] (np.scalar 1.0)).DType DType.Float64 "a float64 tensor fills float64"
            Expect.equal (Np.Full(Shape [| 2 |], 1.0, DType.Float64)).DType DType.Float64 "an explicit dtype wins"
        }
        test "zerosLike, onesLike and fullLike follow the tensor" {
            let x = np.arange 4 |> np.reshape [| 2; 2 |]
            Expect.equal (np.zerosLike x).DType DType.Int32 "zerosLike dtype"
            Expect.equal ((np.onesLike x).Shape.ToArray()) [| 2; 2 |] "onesLike shape"
            expectValues [ 5.0; 5.0; 5.0; 5.0 ] (np.fullLike 5 x)
            Expect.equal (Np.ZerosLike(x, DType.Float64)).DType DType.Float64 "dtype override"
        }
        test "arange's dtype follows the number type" {
            let i = np.arange 3
            Expect.equal i.DType DType.Int32 "int"
            expectValues [ 0.0; 1.0; 2.0 ] i
            Expect.equal (np.arange 3.0f).DType DType.Float32 "float32"
            Expect.equal (np.arange 3.0).DType DType.Float64 "float64"
            expectValues [ 0.0; 1.0; 2.0 ] (np.arange 2.5)
            Expect.equal (np.arange -2).Size 0 "negative stop is empty"
        }
        test "arange with a step matches numpy" {
            expectValues [ 1.0; 4.0; 7.0 ] (np.arangeStep 1 10 3)
            expectValues [ 5.0; 3.0; 1.0 ] (np.arangeStep 5 0 -2)
            expectValues [ 0.0; 0.25; 0.5; 0.75 ] (np.arangeStep 0.0 1.0 0.25)
            Expect.equal (Np.Arange(0.0, 1.0, 0.1)).Size 10 "np.arange(0, 1, 0.1) has 10 elements"
            Expect.equal (np.arangeStep 0.0f 1.0f 0.5f).DType DType.Float32 "float32 step"
        }
        test "linspace includes the endpoint exactly, or leaves it out" {
            expectValues [ 0.0; 0.25; 0.5; 0.75; 1.0 ] (np.linspace 0.0 1.0 5)
            expectValues [ 0.0; 0.25; 0.5; 0.75 ] (Np.Linspace(0.0, 1.0, 4, endpoint = false))
            let l = Np.Linspace(0.1, 0.7, 7, dtype = DType.Float64)
            Expect.equal (l.ToArray<float>()[6]) 0.7 "the last value is stop itself"
            expectValues [ 2.0 ] (np.linspace 2.0 5.0 1)
            Expect.equal (np.linspace 0.0 1.0 0).Size 0 "num 0 is empty"
        }
        test "eye puts ones on the k-th diagonal" {
            expectValues [ 1.0; 0.0; 0.0; 0.0; 1.0; 0.0; 0.0; 0.0; 1.0 ] (np.eye 3)
            let e = np.eyeNM 3 4 1
            Expect.equal (e.Shape.ToArray()) [| 3; 4 |] "shape"
            expectValues [ 0.0; 1.0; 0.0; 0.0; 0.0; 0.0; 1.0; 0.0; 0.0; 0.0; 0.0; 1.0 ] e
            expectValues [ 0.0; 0.0; 0.0; 1.0; 0.0; 0.0; 0.0; 1.0; 0.0 ] (Np.Eye(3, k = -1))
        }
        test "array takes any .NET array" {
            let v = np.array [| -1.0f; 0.0f |]
            Expect.equal v.DType DType.Float32 "float32 vector"
            let m = np.array (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
            Expect.equal (m.Shape.ToArray()) [| 2; 2 |] "matrix shape"
            Expect.equal m.DType DType.Float64 "float64"
            Expect.equal (np.scalar 1.0f).DType DType.Float32 "scalar float32"
            Expect.equal (np.scalar 1).DType DType.Int32 "scalar int32"
        }
        test "creation inside jit gives the eager values" {
            let f = Jax.Jit(fun (x: Tensor) -> Np.Concatenate([ x; np.zeros [| 2 |]; np.linspace 0.0 1.0 3; np.arange 2.0f ]))
            let x = np.ones [| 1 |]
            let eager = Np.Concatenate([ x; np.zeros [| 2 |]; np.linspace 0.0 1.0 3; np.arange 2.0f ])
            expectClose 0.0 (toFloats eager) (f.Invoke x) "jit = eager"
        }
    ]
