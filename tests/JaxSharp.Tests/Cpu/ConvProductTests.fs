/// The wide-product path of the CPU convolution kernel (ConvProduct, taken from 8 output features
/// per group): random layouts, strides, padding, dilations and groups, and fixed cases shaped like a
/// training step's three convolutions (forward, input gradient, kernel gradient: panels copied by runs,
/// gathered, transposed, from a copy with the batch axis innermost; partial tiles and panels, several
/// depth steps, steps split across cores), against the naive loop.
module Cpu.ConvProductTests

open System
open Expecto
open JaxSharp
open JaxSharp.Primitives.Convolution
open OpTable.Generators
open OpTable.ConvCases

/// The case's kernel plan, padding into a copy of at most `maxPaddedCopy` elements.
let private plan (case: ConvCase) (lhs: Tensor) (rhs: Tensor) (output: Shape) (maxPaddedCopy: int64) =
    let l, r, o = case.Layouts
    let p =
        ConvParams(Ints case.Strides, Ints(Array.map fst case.Padding), Ints(Array.map snd case.Padding), Ints case.LhsDilation, Ints case.RhsDilation,
                   ConvDimensionNumbers.Parse(l, r, o, case.Input.Length + 2), case.FeatureGroups, case.BatchGroups)
    Cpu.ConvKernel.Plan(lhs.Shape, rhs.Shape, output, p, maxPaddedCopy)

/// The case run on the CPU kernel straight from a plan that copies at most `maxPaddedCopy` elements, over `cores` cores.
let private runPlan (case: ConvCase) (lhs: Tensor) (rhs: Tensor) (output: Shape) (maxPaddedCopy: int64) (cores: int) =
    let plan = plan case lhs rhs output maxPaddedCopy
    let values = Array.CreateInstance(lhs.Data.GetType().GetElementType(), output.Size)
    Cpu.ConvKernel.Run(plan, lhs.Data, rhs.Data, values, cores)
    Tensor.FromArray(values, output)

/// Checks a case in both float dtypes against the reference loop, operands drawn from `seed`: as
/// the public op runs it (a padded input copied, a kernel gradient's with its batch axis innermost);
/// on one core with the input read in place (no copy: clipped at the edges, or transposed along
/// runs of steps); and over three cores, so that long contractions are split by steps on any machine.
let private check (seed: int) (case: ConvCase) =
    for dtype in [ DType.Float32; DType.Float64 ] do
        let rng = Random seed
        let lhs, rhs = operands rng dtype case
        let shape, expected = reference case (toFloats lhs) (toFloats rhs)
        let actual = apply case lhs rhs
        Expect.equal (actual.Shape.ToArray()) shape $"shape, seed {seed}, {dtype}: {describe case}"
        expectClose (20.0 * defaultTolerance dtype) expected actual $"seed {seed}, {dtype}: {describe case}"
        let tolerance = 20.0 * defaultTolerance dtype
        expectClose tolerance expected (runPlan case lhs rhs actual.Shape 0L 1) $"read in place, one core, seed {seed}, {dtype}: {describe case}"
        expectClose tolerance expected (runPlan case lhs rhs actual.Shape Cpu.ConvKernel.MaxPaddedCopy 3) $"three cores, seed {seed}, {dtype}: {describe case}"

/// A 2-d case with the given sizes and layouts, stride 1 and no dilation unless changed.
let private case2d batch features outFeatures (input: int[]) (window: int[]) (padding: (int * int)[]) layouts =
    { Batch = batch
      Features = features
      OutFeatures = outFeatures
      Input = input
      Window = window
      Strides = [| 1; 1 |]
      Padding = padding
      LhsDilation = [| 1; 1 |]
      RhsDilation = [| 1; 1 |]
      FeatureGroups = 1
      BatchGroups = 1
      Layouts = layouts }

let private same = [| (1, 1); (1, 1) |]

[<Tests>]
let tests =
    testList
        "conv wide product"
        [ testPropertyWithConfig { FsCheckConfig.defaultConfig with maxTest = 30 } "8 to 20 output features per group equal the definition for random layouts, strides, padding, dilations and groups" (fun (seed: int) ->
              let rng = Random seed
              let random = randomCase rng 2
              let groups = random.FeatureGroups * random.BatchGroups
              check seed { random with OutFeatures = groups * rng.Next(8, 21) })
          testPropertyWithConfig { FsCheckConfig.defaultConfig with maxTest = 100 } "8 to 12 batch entries and output features per group (copied with the batch axis innermost where rows are short) equal the definition for random layouts" (fun (seed: int) ->
              let rng = Random seed
              let random = randomCase rng 2
              check seed { random with Batch = random.BatchGroups * rng.Next(8, 13); OutFeatures = random.FeatureGroups * random.BatchGroups * rng.Next(8, 13) })
          test "a forward pass, NCHW / OIHW: several depth steps, panels across rows, a partial tile, on all cores" {
              // K = 30 x 9 = 270 (two steps), N = 2 x 12 x 13 = 312 columns, 14 rows; 1.2M multiply-adds
              check 1 (case2d 2 30 14 [| 12; 13 |] [| 3; 3 |] same ("NCHW", "OIHW", "NCHW"))
          }
          test "an input gradient's layouts (IOHW kernel) and channels last (NHWC / HWIO / NHWC, gathered panels, the output written by one transpose)" {
              check 2 (case2d 2 12 10 [| 9; 7 |] [| 3; 3 |] same ("NCHW", "IOHW", "NCHW"))
              check 3 (case2d 2 12 10 [| 9; 7 |] [| 3; 3 |] same ("NHWC", "HWIO", "NHWC"))
          }
          test "a kernel gradient's layouts: batch and features swapped, the window as large as the input" {
              // x of 4 examples, 12 features, 10 x 10 as CNHW; the cotangent (16 features) as the kernel
              check 4 (case2d 12 4 16 [| 10; 10 |] [| 10; 10 |] same ("CNHW", "IOHW", "CNHW"))
          }
          test "kernel gradients' panels transposed along runs of steps: read in place through padding, partial blocks and panels, depth steps across rows" {
              // window rows of 13 (a block of 8 and one of 5), 3-wide output rows, K = 5 x 8 x 13 = 520 (three depth steps), 11 x 4 x 3 = 132 columns
              let c = case2d 11 5 10 [| 9; 13 |] [| 8; 13 |] same ("CNHW", "IOHW", "CNHW")
              check 11 c
              check 12 { c with Padding = [| (0, 0); (0, 0) |]; Input = [| 9; 15 |] } // no padding: read in place unclipped
              check 13 { c with Padding = [| (2, 0); (1, 2) |]; RhsDilation = [| 2; 1 |]; Window = [| 4; 13 |] } // uneven padding, dilation across rows
              check 14 { c with LhsDilation = [| 1; 2 |]; Input = [| 9; 7 |] } // a dilated input: transposed from the padded copy
              check 15 { c with Strides = [| 2; 1 |]; FeatureGroups = 1; BatchGroups = 1; Features = 3; Batch = 4; OutFeatures = 16 }
              // 21 x 3 = 63 output positions, more than a panel's columns at any vector width: each column's extent found on its own
              check 16 { c with Input = [| 24; 13 |]; Window = [| 6; 13 |] }
          }
          test "a padded input is copied up to ConvKernel.MaxPaddedCopy elements and read in place beyond, where its rows allow" {
              let c = case2d 2 12 16 [| 9; 7 |] [| 3; 3 |] same ("NCHW", "OIHW", "NCHW")
              let lhs, rhs = operands (Random 20) DType.Float32 c
              let output = (apply c lhs rhs).Shape
              let padded = int64 (2 * 12 * 11 * 9)
              Expect.isTrue (plan c lhs rhs output Cpu.ConvKernel.MaxPaddedCopy).Padded "copied at the default bound"
              Expect.isTrue (plan c lhs rhs output padded).Padded "copied at a bound of its size"
              let beyond = plan c lhs rhs output (padded - 1L)
              Expect.isFalse beyond.Padded "read in place beyond the bound"
              Expect.isNotNull beyond.Product.Clip "read in place by the wide product, clipped at the edges"
              Expect.isTrue (plan { c with LhsDilation = [| 1; 2 |] } lhs rhs (apply { c with LhsDilation = [| 1; 2 |] } lhs rhs).Shape 0L).Padded "a dilated input is always copied"
          }
          test "a kernel gradient reads a copy with its batch axis innermost, or the input in place where that axis is contiguous" {
              // 12 input features as the batch axis: runs of 12 at each of the 3 x 3 window offsets, in place of runs of 3
              let c = case2d 12 4 16 [| 10; 10 |] [| 10; 10 |] same ("CNHW", "IOHW", "CNHW")
              let planOf (case: ConvCase) maxPaddedCopy =
                  let lhs, rhs = operands (Random 21) DType.Float32 case
                  plan case lhs rhs (apply case lhs rhs).Shape maxPaddedCopy
              let copied = planOf c Cpu.ConvKernel.MaxPaddedCopy
              Expect.isTrue copied.BatchInnermost "copied with the batch axis innermost"
              Expect.isFalse copied.Direct "columns position by position: the product is scattered into the output"
              Expect.isFalse (planOf c 0L).BatchInnermost "not copied beyond the bound"
              Expect.isFalse (planOf { c with Batch = 7; Features = 12 } Cpu.ConvKernel.MaxPaddedCopy).BatchInnermost "not for fewer batch entries than a run"
              Expect.isFalse (planOf { c with Padding = [| (1, 1); (-1, 1) |] } Cpu.ConvKernel.MaxPaddedCopy).BatchInnermost "not where padding crops the input"
              // the batch axis contiguous (an NHWC input's kernel gradient): no copy, columns reordered; the product written in place when the output's batch axis is innermost too
              let contiguous = { c with Padding = [| (0, 0); (0, 0) |]; Input = [| 12; 12 |]; Layouts = ("CHWN", "IOHW", "CNHW") }
              let inPlace = planOf contiguous Cpu.ConvKernel.MaxPaddedCopy
              Expect.isTrue (not inPlace.BatchInnermost && not inPlace.Padded && not inPlace.Direct) "read in place, scattered"
              Expect.isTrue (planOf { contiguous with Layouts = ("CHWN", "IOHW", "CHWN") } Cpu.ConvKernel.MaxPaddedCopy).Direct "written in place"
              check 22 c
              check 23 contiguous
              check 24 { contiguous with Layouts = ("CHWN", "IOHW", "CHWN") }
              check 25 { c with LhsDilation = [| 2; 1 |]; Input = [| 6; 10 |] }
              // the batch axis contiguous but padded: copied all the same (the batch axis stays innermost)
              let paddedContiguous = { c with Layouts = ("CHWN", "IOHW", "CNHW") }
              Expect.isTrue (planOf paddedContiguous Cpu.ConvKernel.MaxPaddedCopy).BatchInnermost "a padded NHWC input's kernel gradient copied with its batch axis innermost"
              check 29 paddedContiguous
              // 8 x 9 = 72 columns, 8 x 16 x 16 = 2048 steps (over 4 per column): split by steps across cores, into separate copies of the output
              check 26 (case2d 8 8 8 [| 16; 16 |] [| 16; 16 |] same ("CNHW", "IOHW", "CNHW"))
              // a grouped convolution's kernel gradient: two batch groups of 8 entries each, their steps split too
              let grouped = { case2d 16 8 16 [| 16; 16 |] [| 16; 16 |] same ("CNHW", "IOHW", "CNHW") with BatchGroups = 2 }
              Expect.isTrue (planOf grouped Cpu.ConvKernel.MaxPaddedCopy).BatchInnermost "batch groups copied with the batch axis innermost"
              check 27 grouped
              check 28 { grouped with Batch = 8; BatchGroups = 1; FeatureGroups = 2 }
          }
          test "a channels-last input is padded by blocked transposes, and a channels-last output written once by one" {
              let c = case2d 2 12 16 [| 9; 7 |] [| 3; 3 |] same ("NHWC", "HWIO", "NHWC")
              let planOf (case: ConvCase) =
                  let lhs, rhs = operands (Random 30) DType.Float32 case
                  plan case lhs rhs (apply case lhs rhs).Shape Cpu.ConvKernel.MaxPaddedCopy
              let nhwc = planOf c
              Expect.isTrue (nhwc.Padded && not (isNull nhwc.Copy)) "padded by transposes"
              Expect.isTrue (not nhwc.Direct && not (isNull nhwc.WriteOutput)) "the product written row-major, then transposed into the output"
              Expect.isTrue (planOf { c with Layouts = ("NCHW", "OIHW", "NCHW") }).Direct "an NCHW output written tile by tile"
              Expect.isTrue (isNull (planOf { c with LhsDilation = [| 1; 2 |] }).Copy) "dilated along rows: element by element"
              Expect.isTrue (isNull (planOf { c with Padding = [| (1, 1); (-1, 1) |] }).Copy) "cropped: element by element"
              check 30 c
              check 31 { c with LhsDilation = [| 2; 1 |] } // dilated across rows: by transposes too
              check 32 { c with LhsDilation = [| 1; 2 |] }
              check 33 { c with Padding = [| (1, 1); (-1, 1) |] }
              check 34 { c with Layouts = ("NHWC", "HWIO", "NCHW") }
              check 35 { c with Layouts = ("NCHW", "OIHW", "NHWC") }
          }
          test "output features in eights and in twelves: each on the micro-kernel whose tiles waste fewest rows" {
              // 64 (a training step's: AVX-512's 8-row tiles), 24 (its 12-row tiles), 40 (8-row tiles, several); deep enough for depth steps
              for features, seed in [ 64, 17; 24, 18; 40, 19 ] do
                  check seed (case2d 2 20 features [| 7; 9 |] [| 3; 3 |] same ("NCHW", "OIHW", "NCHW"))
          }
          test "strides, input and kernel dilation, cropping, feature and batch groups" {
              let c = case2d 3 6 9 [| 11; 10 |] [| 3; 2 |] [| (2, 1); (-1, 2) |] ("NCHW", "OIHW", "NCHW")
              check 5 { c with Strides = [| 2; 1 |]; RhsDilation = [| 1; 2 |] }
              check 6 { c with LhsDilation = [| 2; 1 |] }
              check 7 { c with Features = 6; OutFeatures = 20; FeatureGroups = 2 }
              check 8 { c with Batch = 4; OutFeatures = 18; BatchGroups = 2 }
          }
          test "one and three spatial axes" {
              check 9
                  { case2d 2 5 9 [| 20 |] [| 3 |] [| (1, 1) |] ("NCH", "OIH", "NCH") with
                      Strides = [| 1 |]
                      LhsDilation = [| 1 |]
                      RhsDilation = [| 1 |] }
              check 10
                  { case2d 1 3 8 [| 5; 4; 6 |] [| 2; 3; 2 |] [| (1, 0); (0, 1); (1, 1) |] ("NCDHW", "OIDHW", "NCDHW") with
                      Strides = [| 1; 1; 1 |]
                      LhsDilation = [| 1; 1; 1 |]
                      RhsDilation = [| 1; 1; 1 |] }
          } ]
