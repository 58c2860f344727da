/// Transposes folded into the loops that read them: every permutation of ranks 2 to 4 feeding
/// elementwise loops and reductions, float32, float64 and int32, jitted against the eager
/// result, with the plan `lower` prints holding no separate transpose step (but for an
/// elementwise loop of 32K elements or more, where the blocked copy is faster); and a transpose
/// that must be written runs as a copy in register-transposed blocks, against a naive index loop.
module Cpu.StridedFusionTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open Cpu.FusionTests

let rec private permutations (axes: int list) =
    match axes with
    | [] -> [ [] ]
    | _ -> axes |> List.collect (fun a -> permutations (List.except [ a ] axes) |> List.map (fun rest -> a :: rest))

/// Every permutation of a shape's axes but the identity.
let private transposesOf (shape: int[]) =
    permutations [ 0 .. shape.Length - 1 ] |> List.map Array.ofList |> List.filter (fun p -> p <> Array.sort p)

/// Shapes with sides that are not multiples of the vector lanes; the last two are large enough
/// to run tiled on several cores.
let private shapes = [ [| 37; 21 |]; [| 5; 17; 9 |]; [| 2; 3; 17; 10 |]; [| 300; 200 |]; [| 40; 30; 50 |] ]

let private dtypes = [ DType.Float32; DType.Float64; DType.Int32 ]

/// A tensor of random values of the dtype (small integers for int32, so sums stay exact).
let private random (r: Random) (dtype: DType) (shape: int[]) =
    let size = Array.fold (*) 1 shape

    let data: Array =
        if dtype = DType.Float32 then Array.init size (fun _ -> float32 (r.NextDouble() * 2.0 - 1.0))
        elif dtype = DType.Float64 then Array.init size (fun _ -> r.NextDouble() * 2.0 - 1.0)
        else Array.init size (fun _ -> r.Next(-50, 50))

    Tensor.FromArray(data, Shape shape)

/// The values as float (exact for the test's int32 values).
let private values (t: Tensor) : float[] =
    if t.DType = DType.Float32 then t.ToArray<float32>() |> Array.map float
    elif t.DType = DType.Float64 then t.ToArray<float>()
    else t.ToArray<int>() |> Array.map float

/// Jitted and eager results agree: exactly for int32, within rounding for floats (a vectorised
/// exp, or a sum added in another order).
let private agree (what: string) (jitted: Tensor) (eager: Tensor) =
    Expect.equal jitted.Shape eager.Shape $"{what}: shape"
    Expect.equal jitted.DType eager.DType $"{what}: dtype"
    let tolerance = if eager.DType = DType.Float32 then 1e-4 elif eager.DType = DType.Float64 then 1e-12 else 0.0

    Array.iteri2
        (fun i (a: float) (b: float) ->
            if abs (a - b) > tolerance * (1.0 + abs b) then
                failtestf "%s: element %d is %g jitted, %g eager" what i a b)
        (values jitted)
        (values eager)

/// The plan's steps: every one a loop of the given kind (no copy, no kernel), one per expected kind.
let private expectFolded (what: string) (kinds: string list) (listing: string) =
    let steps = groups listing |> List.map (fun g -> g.Split(':').[1].Trim().Split(' ').[0..1] |> String.concat " ")
    Expect.equal steps kinds $"{what}: the transpose is read in the loop, not stored\n{listing}"

let private lower2 (f: Tensor -> Tensor -> Tensor) (x: Tensor) (y: Tensor) =
    Jax.Lower(Func<Tensor[], Tensor[]>(fun a -> [| f a.[0] a.[1] |]), x, y)

/// Checks f x y jitted against eager, and that its plan is the expected loops.
let private check (what: string) (kinds: string list) (f: Tensor -> Tensor -> Tensor) (x: Tensor) (y: Tensor) =
    agree what (jit (fun (a: Tensor, b: Tensor) -> f a b) (x, y)) (f x y)
    expectFolded what kinds (lower2 f x y)

let private transposed (perm: int[]) (shape: int[]) = perm |> Array.map (fun a -> shape.[a])

[<Tests>]
let tests =
    testList
        "strided fusion"
        [
            test "a transpose feeding an elementwise loop is read through permuted strides: every permutation of ranks 2 to 4, float32, float64, int32" {
                let seed = 1616
                printfn $"strided fusion seed {seed}"
                let r = Random(seed)

                for shape in shapes do
                    for perm in transposesOf shape do
                        for dtype in dtypes do
                            let what = $"{dtype} {shape |> Array.toList} by {perm |> Array.toList}"
                            let x = random r dtype shape
                            let z = random r dtype shape
                            let y = random r dtype (transposed perm shape)
                            let t = lax.transpose perm
                            // from CompiledLoop.ParallelElements (32K), a transpose that moves the innermost axis is written by the blocked copy and read contiguously
                            let copies k = if x.Size >= JaxSharp.Cpu.CompiledLoop.ParallelElements && perm.[perm.Length - 1] <> shape.Length - 1 then List.replicate k "copy over" else []
                            check $"{what}: x.T * 3 + y" (copies 1 @ [ "loop over" ]) (fun x y -> t x * 3 + y) x y
                            check $"{what}: x.T * z.T" (copies 2 @ [ "loop over" ]) (fun x z -> t x * t z) x z

                            if dtype <> DType.Int32 then
                                check $"{what}: exp x.T + y" (copies 1 @ [ "loop over" ]) (fun x y -> np.exp (t x) + y) x y
            }
            test "a transpose feeding a reduction is read through permuted strides: every permutation of ranks 2 to 4, each end axis reduced" {
                let seed = 1617
                printfn $"strided fusion seed {seed}"
                let r = Random(seed)

                for shape in shapes do
                    for perm in transposesOf shape do
                        for dtype in dtypes do
                            let x = random r dtype shape
                            let t = lax.transpose perm

                            for axis in [ 0; shape.Length - 1 ] do
                                let f (x: Tensor) (_: Tensor) = np.sumAxis axis (t x * 2)
                                check $"{dtype} {shape |> Array.toList} by {perm |> Array.toList}: sum over axis {axis} of x.T * 2" [ "reduction loop" ] f x x
            }
            test "a written transpose is a copy in register-transposed blocks, equal to a naive index loop, with no kernel step" {
                let seed = 1618
                printfn $"strided fusion seed {seed}"
                let r = Random(seed)

                for shape in [ [| 512; 784 |]; [| 13; 9 |]; [| 2; 33; 65 |]; [| 2; 3; 17; 10 |] ] do
                    for perm in transposesOf shape do
                        for dtype in dtypes do
                            let x = random r dtype shape
                            let what = $"{dtype} {shape |> Array.toList} by {perm |> Array.toList}"
                            let listing = lower (lax.transpose perm) x
                            Expect.isFalse (listing.Contains "kernel:") $"{what}: no kernel step\n{listing}"

                            if perm.[perm.Length - 1] <> shape.Length - 1 then
                                Expect.stringContains listing "register-transposed blocks" $"{what}: a blocked copy"

                            let expected = TransposeKernelTests.naive shape perm (values x)
                            Expect.sequenceEqual (values (jit (lax.transpose perm) x)) expected what
            }
            test "a transpose of a transpose, and one read by two loops, stay in the loops" {
                let x = f32 [| 40; 24 |]
                let listing = lower (fun x -> lax.transpose [| 1; 0 |] (lax.transpose [| 1; 0 |] x * 2.0) + x) x
                expectFolded "double transpose" [ "loop over" ] listing
                agree "double transpose" (jit (fun x -> lax.transpose [| 1; 0 |] (lax.transpose [| 1; 0 |] x * 2.0) + x) x) (x * 3.0)
            }
            test "a reduction of a transpose reorders its loop to read the operand contiguously" {
                for axis in [ 0; 1 ] do
                    let listing = lower (fun x -> np.sumAxis axis (lax.transpose [| 1; 0 |] x)) (f32 [| 64; 48 |])
                    Expect.stringContains listing "Create(aData, " $"axis {axis}: a contiguous vector load"
                    Expect.isFalse (listing.Contains "Create(aData[") $"axis {axis}: no lane-by-lane load\n{listing}"
            }
            test "the vector loop reads a transposed leaf one lane at a time" {
                let listing = lower (fun x -> lax.transpose [| 1; 0 |] x + 1.0) (f32 [| 64; 64 |])
                Expect.equal (groups listing) [ $"group 0: loop over [64,64], {lanes32} lanes, one core: b c -> c" ] listing
            }
        ]
