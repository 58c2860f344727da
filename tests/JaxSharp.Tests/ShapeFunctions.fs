/// The numpy-level shape functions (np.reshape ... np.takeAlongAxis) against numpy's known
/// results and against loops, eagerly and under jit.
module ShapeFunctions

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open OpTable.ShapeOps

let m23 () = np.arange 6 |> np.reshape [| 2; 3 |] // [[0 1 2] [3 4 5]]

[<Tests>]
let tests =
    testList "np shape functions" [
        test "reshape infers one -1 size and ravel flattens" {
            Expect.equal (np.arange 12 |> np.reshape [| 3; -1 |] |> shapeOf) [| 3; 4 |] "inferred"
            Expect.equal (m23 () |> np.ravel |> values) [ 0.0 .. 5.0 ] "ravel"
        }
        test "transpose reverses the axes by default" {
            let x = np.arange 24 |> np.reshape [| 2; 3; 4 |]
            let t = np.transpose x
            Expect.equal (shapeOf t) [| 4; 3; 2 |] "shape"
            Expect.equal (values t[1, 2, 0]) (values x[0, 2, 1]) "element"
            Expect.equal (m23 () |> np.transpose |> values) [ 0.0; 3.0; 1.0; 4.0; 2.0; 5.0 ] "matrix transpose"
        }
        test "swapaxes and moveaxis move axes" {
            let x = np.zeros [| 2; 3; 4 |]
            Expect.equal (x |> np.swapaxes 0 2 |> shapeOf) [| 4; 3; 2 |] "swapaxes"
            Expect.equal (x |> np.moveaxis 0 -1 |> shapeOf) [| 3; 4; 2 |] "moveaxis to the end"
            Expect.equal (x |> np.moveaxis -1 0 |> shapeOf) [| 4; 2; 3 |] "moveaxis to the front"
            Expect.equal (Np.Moveaxis(x, [| 0; 1 |], [| -1; -2 |]) |> shapeOf) [| 4; 3; 2 |] "several axes"
        }
        test "expandDims and squeeze add and remove axes of size 1" {
            let v = np.arange 3
            Expect.equal (v |> np.expandDims 0 |> shapeOf) [| 1; 3 |] "front"
            Expect.equal (v |> np.expandDims -1 |> shapeOf) [| 3; 1 |] "back"
            Expect.equal (np.zeros [| 1; 3; 1 |] |> np.squeeze |> shapeOf) [| 3 |] "all"
            Expect.equal (np.zeros [| 1; 3; 1 |] |> np.squeezeAxes [| -1 |] |> shapeOf) [| 1; 3 |] "one"
        }
        test "broadcastTo and broadcastArrays follow numpy's rules" {
            let b = np.arange 3 |> np.broadcastTo [| 2; 3 |]
            Expect.equal (values b) [ 0.0; 1.0; 2.0; 0.0; 1.0; 2.0 ] "rows"
            let xs = np.broadcastArrays [ np.zeros [| 2; 1 |]; np.zeros [| 3 |] ]
            Expect.equal (xs |> Array.map shapeOf) [| [| 2; 3 |]; [| 2; 3 |] |] "common shape"
        }
        test "concatenate promotes and stack adds an axis" {
            let c = np.concatenate 0 [ np.arange 2; np.ones [| 1 |] ]
            Expect.equal c.DType DType.Float32 "int32 with float32 is float32"
            Expect.equal (values c) [ 0.0; 1.0; 1.0 ] "values"
            Expect.equal (np.concatenate -1 [ m23 (); m23 () ] |> shapeOf) [| 2; 6 |] "last axis"
            let s = np.stack 1 [ np.arange 2; np.arange 2 ]
            Expect.equal (shapeOf s) [| 2; 2 |] "stack shape"
            Expect.equal (values s) [ 0.0; 0.0; 1.0; 1.0 ] "stack values"
        }
        test "split cuts into sections or at indices" {
            let parts = np.arange 6 |> np.split 3
            Expect.equal (parts |> Array.map values) [| [ 0.0; 1.0 ]; [ 2.0; 3.0 ]; [ 4.0; 5.0 ] |] "sections"
            let cut = np.arange 6 |> np.splitAt 0 [| 1; 3; 10 |]
            Expect.equal (cut |> Array.map values) [| [ 0.0 ]; [ 1.0; 2.0 ]; [ 3.0; 4.0; 5.0 ]; [] |] "indices, clamped as Python slices"
            Expect.equal (m23 () |> np.splitAxis 1 3 |> Array.map shapeOf) [| [| 2; 1 |]; [| 2; 1 |]; [| 2; 1 |] |] "axis 1"
        }
        test "tile and repeat match numpy" {
            Expect.equal (np.arange 2 |> np.tile [| 2 |] |> values) [ 0.0; 1.0; 0.0; 1.0 ] "tile"
            Expect.equal (np.arange 2 |> np.tile [| 2; 1 |] |> shapeOf) [| 2; 2 |] "tile adds leading axes"
            Expect.equal (np.arange 2 |> np.repeat 2 |> values) [ 0.0; 0.0; 1.0; 1.0 ] "repeat"
            Expect.equal (m23 () |> np.repeatAxis 1 2 |> values) [ 0.0; 0.0; 1.0; 1.0; 2.0; 2.0; 3.0; 3.0; 4.0; 4.0; 5.0; 5.0 ] "repeat along axis 1"
            Expect.equal (Np.Repeat(np.arange 3, [| 2; 0; 1 |]) |> values) [ 0.0; 0.0; 2.0 ] "counts per element"
        }
        testPropertyWithConfig config "tile equals the loop out[i] = x[i mod n]" (fun () ->
            Prop.forAll (Arb.fromGen (Gen.zip (shapeGen 2 3) (Gen.arrayOfLength 2 (Gen.choose (0, 2))))) (fun (shape, reps) ->
                let x = tensorOf DType.Float32 shape (Array.init (size shape) float)
                let t = x |> np.tile reps
                let rank = max shape.Length 2
                let dims = Array.append (Array.create (rank - shape.Length) 1) shape
                let r = Array.append (Array.create (rank - reps.Length) 1) reps
                let outShape = Array.map2 (*) dims r
                let expected = build outShape (fun o -> float (ravel dims (Array.map2 (%) o dims)))
                Expect.equal (shapeOf t) outShape "shape"
                expectClose 0.0 expected t "tile"))
        test "flip reverses and pad adds constants" {
            Expect.equal (m23 () |> np.flip |> values) [ 5.0; 4.0; 3.0; 2.0; 1.0; 0.0 ] "flip all"
            Expect.equal (m23 () |> np.flipAxis 1 |> values) [ 2.0; 1.0; 0.0; 5.0; 4.0; 3.0 ] "flip axis 1"
            Expect.equal (np.arange 2 |> np.pad [ (1, 2) ] |> values) [ 0.0; 0.0; 1.0; 0.0; 0.0 ] "pad"
            Expect.equal (np.arange 2 |> np.padWith 9 [ (0, 1) ] |> values) [ 0.0; 1.0; 9.0 ] "pad with a value"
            Expect.equal (m23 () |> np.pad [ (1, 1) ] |> shapeOf) [| 4; 5 |] "one pair for all axes"
        }
        test "take wraps negative indices and fills out-of-range ones, as jnp.take" {
            let x = np.arange 4.0f
            let idx = np.array [| 0; -1; 7 |]
            let t = x |> np.take idx
            Expect.equal (values t |> List.take 2) [ 0.0; 3.0 ] "negative wraps"
            Expect.isTrue (Double.IsNaN(List.item 2 (values t))) "out of range is NaN"
            Expect.equal (Np.Take(x, idx, mode = GatherScatterMode.Clip) |> values) [ 0.0; 0.0; 3.0 ] "clip clamps"
            Expect.equal (Np.Take(np.arange 4, idx) |> values |> List.last) (float Int32.MinValue) "int fill is the lowest int32"
            let cols = m23 () |> np.takeAxis 1 (np.array (array2D [ [ 2; 0 ] ]))
            Expect.equal (shapeOf cols) [| 2; 1; 2 |] "shape x.shape[:1] + indices.shape + x.shape[2:]"
            Expect.equal (values cols) [ 2.0; 0.0; 5.0; 3.0 ] "columns"
        }
        test "takeAlongAxis with argsort sorts each row" {
            let x = np.array (array2D [ [ 3.0; 1.0; 2.0 ]; [ 0.0; 5.0; -1.0 ] ])
            let sorted = x |> np.takeAlongAxis 1 (np.argsortAxis 1 x)
            Expect.equal (values sorted) [ 1.0; 2.0; 3.0; -1.0; 0.0; 5.0 ] "sorted rows"
            Expect.equal (values (np.sort x)) (values sorted) "np.sort agrees"
            let firsts = x |> np.takeAlongAxis 1 (np.array (array2D [ [ 0 ] ]))
            Expect.equal (values firsts) [ 3.0; 0.0 ] "indices broadcast along the other axes"
        }
        test "the shape functions give the same values under jit" {
            let f (x: Tensor) =
                let y = x |> np.reshape [| 2; 3 |] |> np.transpose |> np.flipAxis 0
                let z = np.concatenate 1 [ y; y |> np.tile [| 1; 2 |] ]
                np.stack 0 [ z |> np.pad [ (1, 0) ] |> np.sortAxis 0; np.zerosLike z |> np.pad [ (1, 0) ] ]
                |> np.takeAxis 2 (np.array [| 4; 0; -1; 9 |])
            let x = np.array [| 3.0f; 1.0f; 4.0f; 1.0f; 5.0f; 9.0f |]
            expectClose 0.0 (toFloats (f x)) ((Jax.Jit(Func<Tensor, Tensor> f)).Invoke x) "jit = eager"
        }
    ]
