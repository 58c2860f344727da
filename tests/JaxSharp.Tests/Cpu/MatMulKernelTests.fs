/// dot_general's blocked matrix-multiply kernel against a naive float64 loop: odd sizes on
/// both sides of every block edge, every operand layout, batch axes, each micro-kernel.
module Cpu.MatMulKernelTests

open System
open Expecto
open JaxSharp
open JaxSharp.Cpu
open JaxSharp.Cpu.Gemm
open JaxSharp.Primitives.LinearAlgebra
open OpTable.Generators

/// Small integers as floats: exact in every dtype, so only summation order can differ.
let private valuesOf seed n =
    let r = Random(seed: int)
    Array.init n (fun _ -> float (r.Next(-4, 5)))

/// C[b, i, j] = sum_p A[b, i, p] B[b, p, j] over canonical row-major arrays, in float64.
let private naive batch m k n (a: float[]) (b: float[]) =
    Array.init (batch * m * n) (fun q ->
        let bb, i, j = q / (m * n), q / n % m, q % n
        let mutable s = 0.0
        for p in 0 .. k - 1 do
            s <- s + a.[(bb * m + i) * k + p] * b.[(bb * k + p) * n + j]
        s)

/// The canonical row-major array of shape dims laid out with its axes in `order`.
let private permute (dims: int[]) (order: int[]) (data: float[]) =
    let shape = order |> Array.map (fun d -> dims.[d])
    let strides = Array.init dims.Length (fun d -> Array.fold (*) 1 dims.[d + 1 ..])
    let physical =
        Array.init data.Length (fun q ->
            let mutable rest, source = q, 0
            for pos in shape.Length - 1 .. -1 .. 0 do
                source <- source + rest % shape.[pos] * strides.[order.[pos]]
                rest <- rest / shape.[pos]
            data.[source])
    shape, physical

let private position (order: int[]) axis = Array.findIndex ((=) axis) order

/// The product of (batch, m, k) by (batch, k, n) with the operands' axes laid out in the given
/// orders of their canonical axes (batch 0, rows 1, columns 2; no batch axis when batch = 0).
let private product dtype batch m k n (lhsOrder: int[]) (rhsOrder: int[]) =
    let b1 = max batch 1
    let a, b = valuesOf (m * 31 + k) (b1 * m * k), valuesOf (n * 17 + k) (b1 * k * n)
    let withBatch (dims: int[]) (order: int[]) = if batch = 0 then dims.[1..], order |> Array.map (fun d -> d - 1) else dims, order
    let lhsDims, lhsOrder = withBatch [| b1; m; k |] lhsOrder
    let rhsDims, rhsOrder = withBatch [| b1; k; n |] rhsOrder
    let lhsShape, lhs = permute lhsDims lhsOrder a
    let rhsShape, rhs = permute rhsDims rhsOrder b
    let offset = if batch = 0 then 1 else 0
    let axis order canonical = position order (canonical - offset)
    let batchAxes order = if batch = 0 then [||] else [| axis order 0 |]
    let dims =
        DotDimensionNumbers(Ints([| axis lhsOrder 2 |]), Ints([| axis rhsOrder 1 |]), Ints(batchAxes lhsOrder), Ints(batchAxes rhsOrder))
    let result = Lax.DotGeneral(tensorOf dtype lhsShape lhs, tensorOf dtype rhsShape rhs, dims)
    let expectedShape = if batch = 0 then [ m; n ] else [ batch; m; n ]
    Expect.sequenceEqual result.Shape expectedShape "batch, rows, columns"
    expectClose 0.0 (naive b1 m k n a b) result $"{dtype} ({batch}, {m}, {k}, {n})"

/// Runs one micro-kernel's blocked product directly on row-major operands.
let private withKernel<'T, 'K when 'T: unmanaged and 'T: (new: unit -> 'T) and 'T: struct and 'T :> ValueType
                                 and 'T :> Numerics.INumber<'T> and 'K :> IMicroKernel<'T>>
    (convert: float -> 'T) (back: 'T -> float) batch m k n =
    let a, b = valuesOf 5 (batch * m * k), valuesOf 6 (batch * k * n)
    let plan =
        MatMulKernel.Plan(GemmOperand(Shape(batch, m, k), [ 0 ], [ 1 ], [ 2 ]), GemmOperand(Shape(batch, k, n), [ 0 ], [ 1 ], [ 2 ]))
    let c = Array.create (batch * m * n) (convert 99.0)
    MatMulKernel.Batched<'T, 'K>(plan, Array.map convert a, Array.map convert b, c)
    Expect.sequenceEqual (Array.map back c) (naive batch m k n a b) $"{typeof<'K>.Name} ({batch}, {m}, {k}, {n})"

let private sizes = [ 1; 7; 17; 33; 129 ]

/// Shapes (m, k, n) with a side below the micro-kernel's tile or a short contraction; some
/// large enough to be split across cores, some with odd tails of vectors.
let private thinShapes =
    [ (1, 784, 512); (1, 33, 1); (5, 100, 40); (128, 50, 10); (77, 3, 129); (300, 1, 200); (2, 9, 3)
      (11, 20, 7); (33, 17, 1); (1, 1, 1); (1, 600, 31); (2000, 1, 300); (700, 300, 5); (3, 1000, 1); (1, 17, 9)
      // Around the split across cores (65536 multiply-adds), and contractions one short of, at and one
      // past two float32 vectors (the matrix-vector loop's step) and one vector (its tail).
      (1, 255, 256); (1, 256, 256); (256, 256, 1); (9, 15, 1); (9, 16, 1); (9, 17, 1); (9, 23, 1); (9, 24, 1); (9, 25, 1)
      // Outer products: a column and a row shorter than a vector, and long ones split across cores.
      (1, 1, 7); (7, 1, 1); (5, 1, 9); (1, 1, 300); (300, 1, 1); (257, 1, 256); (784, 1, 512)
      // Vector-matrix products whose contraction is split across cores (an odd k halves unevenly), with
      // four rows and a rest, columns with a vector tail, and a contraction too short to split.
      (1, 129, 512); (5, 40, 400); (3, 2000, 11); (4, 33, 1001); (1, 17, 4000)
      // Vector-matrix rows streamed through output blocks of 1024 columns: contractions shorter than the
      // four-row step and with a rest, a block and a partial one, one column past two blocks; parallel ones
      // split along the contraction (four rows and a rest) or, with a contraction too short, along the columns.
      (1, 2, 37); (1, 3, 9); (1, 7, 1030); (2, 5, 2049); (3, 300, 1100); (5, 70, 200); (2, 40, 1000)
      // Eight rows (or columns) at a time, then four, then one: exactly eight, eight and a rest of each
      // kind, below and above a vector's worth of the long side.
      (200, 30, 8); (64, 40, 15); (300, 20, 13); (8, 50, 300); (9, 50, 300); (15, 64, 100); (13, 7, 5) ]

/// The element-type parameters (named T) of the product kernels' generic types and methods, by name.
let private elementTypeParameters () =
    let assembly = typeof<MatMulKernel.Plan>.Assembly
    let all = Reflection.BindingFlags.Static ||| Reflection.BindingFlags.Instance ||| Reflection.BindingFlags.Public ||| Reflection.BindingFlags.NonPublic ||| Reflection.BindingFlags.DeclaredOnly
    let ofType (t: Type) = t.GetGenericArguments() |> Array.map (fun p -> $"{t.Name}'s {p.Name}", p)
    let ofMethods (t: Type) =
        t.GetMethods all
        |> Array.filter (fun m -> m.IsGenericMethodDefinition)
        |> Array.collect (fun m -> m.GetGenericArguments() |> Array.map (fun p -> $"{t.Name}.{m.Name}'s {p.Name}", p))
    let gemm name = assembly.GetType($"JaxSharp.Cpu.Gemm.{name}", true)
    [| for name in [ "BlockedGemm`2"; "ThinKernels`1"; "Vector256Kernel`1"; "Vector512Kernel`1"; "PackBuffer`1"; "IMicroKernel`1" ] do yield! ofType (gemm name)
       for t in [ gemm "Packing"; gemm "ThinProduct"; gemm "SymmetricMirror"; gemm "GemmArithmetic"; typeof<TransposeKernel> ] do yield! ofMethods t
       yield! ofMethods typeof<MatMulKernel> |> Array.filter (fun (name, _) -> name.StartsWith "MatMulKernel.Multiply" || name.StartsWith "MatMulKernel.Batched") |]
    |> Array.filter (fun (_, p) -> p.Name = "T")

[<Tests>]
let tests =
    testList "matmul kernel" [
        test "the float kernels' element types are unconstrained, so crossgen2 can precompile them" {
            // crossgen2 compiles a generic's instantiation over float or double into the library's
            // ReadyToRun image only when that type parameter has no constraint at all (docs/jit.md,
            // "First result in a fresh process").
            let parameters = elementTypeParameters ()
            Expect.isGreaterThan parameters.Length 10 "the kernels' type parameters are found"
            for name, p in parameters do
                Expect.isEmpty (p.GetGenericParameterConstraints()) $"{name} has no type constraint"
                Expect.equal p.GenericParameterAttributes Reflection.GenericParameterAttributes.None $"{name} has no struct, class or new() constraint"
        }
        test "under the JIT the kernels' hot loops ask for full optimisation on first use" {
            // A plain build (these tests) marks them AggressiveOptimization through KernelCompilation.Hot;
            // a ReadyToRun build leaves them to crossgen2, which skips such methods.
            Expect.equal KernelCompilation.Hot Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization "a plain build asks for AggressiveOptimization"
            let assembly = typeof<MatMulKernel.Plan>.Assembly
            let all = Reflection.BindingFlags.Static ||| Reflection.BindingFlags.Instance ||| Reflection.BindingFlags.Public ||| Reflection.BindingFlags.NonPublic ||| Reflection.BindingFlags.DeclaredOnly
            // The thin products' gathers and copies too: left to tiering, they ran at tier 0 through a
            // bench's timed calls, and the 784 values of a matrix-vector product's vector took
            // several microseconds to gather.
            for typeName, methodName in [ "BlockedGemm`2", "MacroKernel"; "Vector256Kernel`1", "Multiply"; "ThinKernels`1", "DotFourByOne"; "Packing", "Pack"
                                          "ThinProduct", "GatherRows"; "ThinProduct", "CopyTransposed"; "ThinProduct", "AddInto" ] do
                let m = assembly.GetType($"JaxSharp.Cpu.Gemm.{typeName}", true).GetMethod(methodName, all)
                Expect.isTrue (m.MethodImplementationFlags.HasFlag Reflection.MethodImplAttributes.AggressiveOptimization) $"{typeName}.{methodName} asks for AggressiveOptimization"
        }
        for dtype in [ DType.Float32; DType.Float64; DType.Int32 ] do
            test $"{dtype} products of odd sizes equal a naive loop" {
                for m in sizes do
                    for k in sizes do
                        for n in sizes do
                            product dtype 0 m k n [| 1; 2 |] [| 1; 2 |]
            }
            test $"{dtype} products across block edges (k past a 512-deep step, rows past a block, B in chunks and column blocks, parallel by rows or by columns) equal a naive loop" {
                // At most 64 MiB of B is packed at once: k = 600000 with 20 columns takes two
                // chunks of depth, and 40000 columns several blocks of columns. On several cores,
                // tall products share B by rows, each step of B packed by the cores that first need
                // it: one row panel (one core packs and multiplies it all), two (each core one), and
                // many steps of many columns (700 x 40 by 40 x 100). The others split B's columns
                // (a partial panel in the last core's share: 97 columns), also with A taller than one
                // block (400 x 50 by 50 x 600).
                for (m, k, n) in [ (300, 700, 97); (61, 1100, 530); (1, 1000, 1); (2, 600000, 20); (2, 40, 40000)
                                   (6, 3000, 70); (12, 1500, 41); (100, 2100, 900); (700, 40, 100); (400, 50, 600) ] do
                    product dtype 0 m k n [| 1; 2 |] [| 1; 2 |]
            }
            test $"{dtype} transposed operands are read in place" {
                for lhsOrder, rhsOrder in [ [| 2; 1 |], [| 1; 2 |]; [| 1; 2 |], [| 2; 1 |]; [| 2; 1 |], [| 2; 1 |] ] do
                    for (m, k, n) in [ (33, 17, 129); (130, 300, 45) ] do
                        product dtype 0 m k n lhsOrder rhsOrder
            }
            test $"{dtype} batch axes in any position equal one product per batch index" {
                for lhsOrder, rhsOrder in [ [| 0; 1; 2 |], [| 0; 1; 2 |]; [| 2; 0; 1 |], [| 1; 0; 2 |]; [| 1; 2; 0 |], [| 2; 1; 0 |] ] do
                    for (batch, m, k, n) in [ (3, 7, 33, 17); (2, 129, 65, 40); (40, 9, 30, 33) ] do
                        product dtype batch m k n lhsOrder rhsOrder
            }
        for dtype in [ DType.Float32; DType.Float64; DType.Int32 ] do
            test $"{dtype} thin products (matrix-vector, vector-matrix, outer, a side below the tile) in every layout equal a naive loop" {
                let layouts = [ [| 1; 2 |], [| 1; 2 |]; [| 2; 1 |], [| 1; 2 |]; [| 1; 2 |], [| 2; 1 |]; [| 2; 1 |], [| 2; 1 |] ]
                for lhsOrder, rhsOrder in layouts do
                    for (m, k, n) in thinShapes do
                        product dtype 0 m k n lhsOrder rhsOrder
                for lhsOrder, rhsOrder in [ [| 2; 0; 1 |], [| 1; 0; 2 |]; [| 1; 2; 0 |], [| 2; 1; 0 |] ] do
                    for (batch, m, k, n) in [ (3, 1, 40, 17); (40, 2, 30, 3); (5, 300, 20, 1); (2, 1, 5, 1); (3, 40, 1, 17); (2, 300, 1, 250); (2, 1, 9, 1100) ] do
                        product dtype batch m k n lhsOrder rhsOrder
            }
        test "thin products take the dedicated path for each layout and shape it serves" {
            // (lhs order, rhs order, m, k, n): B row-major with few rows; B stored n x k with few
            // rows; A row-major with few columns; A stored k x m with few columns; outer products;
            // a matrix-vector and a vector-matrix product of the bench's shapes; outer products of
            // long vectors in both layouts, and of short ones.
            for lhsOrder, rhsOrder, m, k, n in
                [ [| 0; 1 |], [| 0; 1 |], 1, 784, 512; [| 0; 1 |], [| 1; 0 |], 3, 300, 33; [| 0; 1 |], [| 0; 1 |], 700, 300, 10
                  [| 1; 0 |], [| 0; 1 |], 517, 128, 3; [| 1; 0 |], [| 0; 1 |], 2, 1, 300; [| 0; 1 |], [| 1; 0 |], 90, 1, 7
                  [| 0; 1 |], [| 0; 1 |], 512, 784, 1; [| 0; 1 |], [| 1; 0 |], 1, 512, 784
                  [| 0; 1 |], [| 0; 1 |], 784, 1, 512; [| 1; 0 |], [| 1; 0 |], 784, 1, 512; [| 0; 1 |], [| 0; 1 |], 3, 1, 5
                  [| 0; 1 |], [| 0; 1 |], 1, 7, 1030; [| 1; 0 |], [| 0; 1 |], 3, 300, 1100; [| 0; 1 |], [| 0; 1 |], 2, 40, 1000 ] do
                let lhsShape = if lhsOrder.[0] = 0 then Shape(m, k) else Shape(k, m)
                let rhsShape = if rhsOrder.[0] = 0 then Shape(k, n) else Shape(n, k)
                let plan = MatMulKernel.Plan(GemmOperand(lhsShape, [], [ lhsOrder.[0] ], [ lhsOrder.[1] ]), GemmOperand(rhsShape, [], [ rhsOrder.[0] ], [ rhsOrder.[1] ]))
                let a, b = valuesOf (m + k) (m * k), valuesOf (k + n) (k * n)
                let canonicalA = Array.init (m * k) (fun q -> let i, p = q / k, q % k in if lhsOrder.[0] = 0 then a.[q] else a.[p * m + i])
                let canonicalB = Array.init (k * n) (fun q -> let p, j = q / n, q % n in if rhsOrder.[0] = 0 then b.[q] else b.[j * k + p])
                let expected = naive 1 m k n canonicalA canonicalB
                let single = Array.create (m * n) 99.0f
                Expect.isTrue (ThinProduct.TryMultiply(plan, Array.map float32 a, Array.map float32 b, single, 6, 16)) $"float32 thin ({m}, {k}, {n})"
                Expect.sequenceEqual (Array.map float single) expected $"float32 ({m}, {k}, {n}) {lhsOrder} {rhsOrder}"
                let double = Array.create (m * n) 99.0
                Expect.isTrue (ThinProduct.TryMultiply(plan, a, b, double, 6, 16)) $"float64 thin ({m}, {k}, {n})"
                Expect.sequenceEqual double expected $"float64 ({m}, {k}, {n}) {lhsOrder} {rhsOrder}"
        }
        test "products thick on every side, or with a layout neither thin loop reads in place, are left to the blocked kernel" {
            let square = MatMulKernel.Plan(GemmOperand(Shape(40, 40), [], [ 0 ], [ 1 ]), GemmOperand(Shape(40, 40), [], [ 0 ], [ 1 ]))
            Expect.isFalse (ThinProduct.TryMultiply(square, Array.zeroCreate<float32> 1600, Array.zeroCreate 1600, Array.zeroCreate 1600, 6, 16)) "40 x 40 x 40"
            // A short contraction with both sides long packs well: each tile of C is written once.
            let shortK = MatMulKernel.Plan(GemmOperand(Shape(128, 10), [], [ 0 ], [ 1 ]), GemmOperand(Shape(10, 512), [], [ 0 ], [ 1 ]))
            Expect.isFalse (ThinProduct.TryMultiply(shortK, Array.zeroCreate<float32> 1280, Array.zeroCreate 5120, Array.zeroCreate (128 * 512), 6, 16)) "128 x 10 x 512"
            // A's rows and columns both strided (every other element of a 2 x 100 x 60 buffer), 5 output columns.
            let strided = MatMulKernel.Plan(GemmOperand([| 0 |], Array.init 100 (fun i -> 2 * i), Array.init 60 (fun p -> 200 * p)), GemmOperand(Shape(60, 5), [], [ 0 ], [ 1 ]))
            Expect.isFalse (ThinProduct.TryMultiply(strided, Array.zeroCreate<float32> 12000, Array.zeroCreate 300, Array.zeroCreate 500, 6, 16)) "strided A, n = 5"
        }
        test "packing lines with adjacent steps (register transposes) equals a copy value by value, zero-padded" {
            // Lines 37 apart (a row-major matrix read by rows), panels of each width the kernels
            // use, a partial last panel, depths on both sides of 4, 8 and 16 steps.
            for width in [ 2; 6; 8; 12; 16; 32 ] do
                for kc in [ 1; 4; 7; 8; 9; 17; 33 ] do
                    let lines = Array.init (2 * width + 3) (fun i -> 5 + 37 * i)
                    let depth = Array.init kc (fun p -> 3 + p)
                    let source = valuesOf (width * 100 + kc) (5 + 37 * lines.Length + 40)
                    let panels = (lines.Length + width - 1) / width
                    let expected =
                        Array.init (panels * width * kc) (fun q ->
                            let panel, p, r = q / (width * kc), q % (width * kc) / width, q % width
                            let line = panel * width + r
                            if line < lines.Length then source.[lines.[line] + depth.[p]] else 0.0)
                    let single = Array.create expected.Length 99.0f
                    Packing.Pack(Array.map float32 source, 0, ReadOnlySpan lines, false, ReadOnlySpan depth, width, Span single)
                    Expect.sequenceEqual (Array.map float single) expected $"float32, width {width}, depth {kc}"
                    let double = Array.create expected.Length 99.0
                    Packing.Pack(source, 0, ReadOnlySpan lines, false, ReadOnlySpan depth, width, Span double)
                    Expect.sequenceEqual double expected $"float64, width {width}, depth {kc}"
        }
        test "x @ x.T reads one buffer as both operands" {
            let x = valuesOf 7 (70 * 45)
            let t = Tensor.FromArray(Array.map float32 x, Shape(70, 45))
            let dims = DotDimensionNumbers(Ints([| 1 |]), Ints([| 1 |]), Ints.Empty, Ints.Empty)
            let xt = Array.init (45 * 70) (fun q -> x.[q % 70 * 45 + q / 70])
            expectClose 0.0 (naive 1 70 45 70 x xt) (Lax.DotGeneral(t, t, dims)) "x @ x.T"
        }
        test "the symmetric mirror copies every value below the diagonal above it, in float32 blocks and value by value" {
            for n in [ 1; 15; 16; 17; 70; 129 ] do
                let lower = valuesOf n (n * n)
                let expected = Array.init (n * n) (fun q -> let i, j = q / n, q % n in if j > i then lower.[j * n + i] else lower.[q])
                let single = Array.map float32 lower
                SymmetricMirror.LowerToUpper(single, 0, n, true)
                Expect.sequenceEqual (Array.map float single) expected $"float32, n = {n}"
                let double = Array.copy lower
                SymmetricMirror.LowerToUpper(double, 0, n, false)
                Expect.sequenceEqual double expected $"float64, n = {n}"
        }
        test "contracting several axes pairs them in the order given" {
            // lhs (2, 3, 4) contracting axes [2; 0] with rhs (4, 2, 5) axes [0; 1]
            let a, b = valuesOf 8 24, valuesOf 9 40
            let lhs, rhs = Tensor.FromArray(a, Shape(2, 3, 4)), Tensor.FromArray(b, Shape(4, 2, 5))
            let dims = DotDimensionNumbers(Ints([| 2; 0 |]), Ints([| 0; 1 |]), Ints.Empty, Ints.Empty)
            let expected =
                [| for i in 0 .. 2 do
                       for j in 0 .. 4 -> Seq.sum (seq { for p in 0 .. 3 do for q in 0 .. 1 -> a.[(q * 3 + i) * 4 + p] * b.[(p * 2 + q) * 5 + j] }) |]
            expectClose 0.0 expected (Lax.DotGeneral(lhs, rhs, dims)) "pairs (2, 0) and (0, 1)"
        }
        test "empty products (no rows, no columns, no batch) run" {
            for dtype in [ DType.Float32; DType.Int32 ] do
                for (m, k, n) in [ (0, 3, 4); (5, 3, 0); (0, 0, 0) ] do
                    product dtype 0 m k n [| 1; 2 |] [| 1; 2 |]
                product dtype 2 0 1 3 [| 0; 1; 2 |] [| 0; 1; 2 |]
            let empty = Lax.DotGeneral(Tensor.FromArray(Array.empty<float32>, Shape(0, 3, 2)), Tensor.FromArray(Array.empty<float32>, Shape(0, 2, 4)),
                                       DotDimensionNumbers(Ints([| 2 |]), Ints([| 1 |]), Ints([| 0 |]), Ints([| 0 |])))
            Expect.sequenceEqual empty.Shape [ 0; 3; 4 ] "an empty batch"
        }
        test "an empty contraction writes zeros over whatever the output held" {
            let plan = MatMulKernel.Plan(GemmOperand(Shape(1, 3, 0), [ 0 ], [ 1 ], [ 2 ]), GemmOperand(Shape(1, 0, 2), [ 0 ], [ 1 ], [ 2 ]))
            let c = Array.create 6 7.0f
            MatMulKernel.Run(plan, Array.empty<float32>, Array.empty<float32>, c)
            Expect.sequenceEqual c (Array.zeroCreate 6) "zeros"
        }
        for batch, m, k, n in [ (1, 13, 300, 35); (2, 200, 260, 150); (5, 7, 3, 70) ] do
            test $"every micro-kernel gives the naive products ({batch}, {m}, {k}, {n})" {
                withKernel<float32, Vector512Kernel<float32>> float32 float batch m k n
                withKernel<float, Vector512Kernel<float>> id id batch m k n
                withKernel<float32, Vector256Kernel<float32>> float32 float batch m k n
                withKernel<float, Vector256Kernel<float>> id id batch m k n
                withKernel<float, ScalarKernel<float>> id id batch m k n
                withKernel<int, ScalarKernel<int>> int float batch m k n
            }
        test "the fork-join runs every part once and rethrows a part's exception" {
            for parts in [ 0; 1; 2; 3; 17 ] do
                let runs = Array.zeroCreate<int> parts
                ForkJoin.Run(parts, fun part -> Threading.Interlocked.Increment(&runs.[part]) |> ignore)
                Expect.equal runs (Array.create parts 1) $"{parts} parts, each once"
            Expect.throwsC (fun () -> ForkJoin.Run(4, fun part -> if part = 2 then invalidOp "part 2 failed")) (fun e ->
                Expect.isTrue (e :? InvalidOperationException && e.Message = "part 2 failed") $"the part's own exception, not {e}")
        }
        test "the fork-join, called from several threads at once and after its pooled threads went idle, runs every part once" {
            // More parts than cores, claimed one at a time by callers and pooled threads of eight bursts at once.
            let callers, rounds, parts = 8, 50, 37
            let runs = Array.init callers (fun _ -> Array.zeroCreate<int> parts)
            Threading.Tasks.Parallel.For(0, callers, fun c ->
                for _ in 1..rounds do
                    ForkJoin.Run(parts, fun part -> Threading.Interlocked.Increment(&runs.[c].[part]) |> ignore)) |> ignore
            for c in 0 .. callers - 1 do
                Expect.equal runs.[c] (Array.create parts rounds) $"caller {c}: each part once per round"
            for round in 1 .. 3 do
                Threading.Thread.Sleep 5
                let once = Array.zeroCreate<int> parts
                ForkJoin.Run(parts, fun part -> Threading.Interlocked.Increment(&once.[part]) |> ignore)
                Expect.equal once (Array.create parts 1) $"after the pool went idle, round {round}"
        }
        for n, k in [ (1, 5); (13, 7); (33, 300); (129, 64); (700, 90) ] do
            test $"x @ x.T from one buffer computes the lower triangle and mirrors it, bit for bit ({n}, {k})" {
                let r = Random(n + k)
                let x = Tensor.FromArray(Array.init (n * k) (fun _ -> float32 (r.NextDouble() * 2.0 - 1.0)), Shape(n, k))
                let copy = Tensor.FromArray(x.ToArray<float32>(), Shape(n, k))
                let dims = DotDimensionNumbers(Ints [| 1 |], Ints [| 1 |], Ints.Empty, Ints.Empty)
                let symmetric, general = Lax.DotGeneral(x, x, dims), Lax.DotGeneral(x, copy, dims)
                let mismatch = Array.zip (symmetric.ToArray<float32>()) (general.ToArray<float32>()) |> Array.tryFindIndex (fun (s, g) -> BitConverter.SingleToInt32Bits s <> BitConverter.SingleToInt32Bits g)
                Expect.isNone mismatch "the same bits as the general product"
                let xs = toFloats x
                let expected = Array.init (n * n) (fun q -> Seq.sum (seq { for p in 0 .. k - 1 -> xs[q / n * k + p] * xs[q % n * k + p] }))
                expectClose 1e-5 expected symmetric "x x^T"
            }
    ]
