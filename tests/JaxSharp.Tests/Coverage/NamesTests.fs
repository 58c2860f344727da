/// The names added for issue 15 against hand-computed values, numpy's documented examples and
/// MathNet, with gradient checks (finite differences) where they are differentiable.
module Coverage.NamesTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open Transforms.Checks
open TestHelpers

type SF = MathNet.Numerics.SpecialFunctions

let private v (xs: float list) = np.array (Array.ofList xs)
let private m (rows: float list list) = np.array (array2D rows)
let private close tol (expected: float list) (actual: Tensor) what = expectClose tol (Array.ofList expected) actual what
let private exact (expected: float list) (actual: Tensor) what = close 0.0 expected actual what
let private nan = Double.NaN
let private inf = Double.PositiveInfinity

[<Tests>]
let mathTests =
    testList
        "np math names"
        [ test "log2, log10 and exp2 invert each other's powers" {
              close 1e-15 [ 0.0; 3.0; -1.0 ] (np.log2 (v [ 1.0; 8.0; 0.5 ])) "log2"
              close 1e-15 [ 0.0; 2.0 ] (np.log10 (v [ 1.0; 100.0 ])) "log10"
              close 1e-15 [ 1.0; 8.0; 0.5 ] (np.exp2 (v [ 0.0; 3.0; -1.0 ])) "exp2"
          }
          test "logaddexp is stable for large inputs and gives -inf for two -inf" {
              close 1e-15 [ 1000.0 + log 2.0; log 2.0; -inf; inf ] (np.logaddexp (v [ 1000.0; 0.0; -inf; inf ]) (v [ 1000.0; 0.0; -inf; inf ])) "logaddexp"
              close 1e-15 [ 1001.0 ] (np.logaddexp2 (v [ 1000.0 ]) (v [ 1000.0 ])) "logaddexp2"
          }
          test "hypot does not overflow and copysign reads the sign bit of -0.0" {
              close 1e-15 [ 5.0; 5e300; 0.0 ] (np.hypot (v [ 3.0; 3e300; 0.0 ]) (v [ 4.0; 4e300; 0.0 ])) "hypot"
              exact [ -2.0; 2.0; -3.0 ] (np.copysign (v [ 2.0; -2.0; 3.0 ]) (v [ -1.0; 1.0; -0.0 ])) "copysign"
              exact [ 1.0; 0.0; 1.0 ] (np.signbit (v [ -1.0; 0.0; -0.0 ])) "signbit"
          }
          test "heaviside, sinc, trunc, fmax and fmod follow numpy" {
              exact [ 0.0; 0.5; 1.0 ] (np.heaviside (np.scalar 0.5) (v [ -2.0; 0.0; 3.0 ])) "heaviside"
              close 1e-15 [ 1.0; 0.0; 2.0 / Math.PI ] (np.sinc (v [ 0.0; 1.0; 0.5 ])) "sinc"
              exact [ -1.0; 1.0 ] (np.trunc (v [ -1.7; 1.7 ])) "trunc"
              exact [ 1.0; 2.0; nan ] (np.fmax (v [ nan; 2.0; nan ]) (v [ 1.0; nan; nan ])) "fmax"
              exact [ -1.0; 1.0 ] (np.fmod (v [ -7.0; 7.0 ]) (v [ 3.0; -3.0 ])) "fmod keeps the dividend's sign"
              close 1e-15 [ Math.PI ] (np.deg2rad (v [ 180.0 ])) "deg2rad"
          }
          test "isclose uses atol + rtol |b|, and allclose and arrayEqual are bool scalars" {
              exact [ 1.0; 0.0; 1.0; 0.0 ] (np.isclose 1e-5 1e-8 (v [ 1.0; 1.0; inf; nan ]) (v [ 1.000001; 1.1; inf; nan ])) "isclose"
              Expect.isTrue ((np.allclose 1e-5 1e-8 (v [ 1.0 ]) (v [ 1.000001 ])).Item<bool>()) "allclose"
              Expect.isFalse ((np.arrayEqual (v [ 1.0 ]) (v [ 1.0; 1.0 ])).Item<bool>()) "different shapes are not equal"
              Expect.isTrue ((np.arrayEquiv (v [ 1.0 ]) (v [ 1.0; 1.0 ])).Item<bool>()) "broadcastable and equal"
          }
          test "nanToNum replaces NaN and the infinities" {
              exact [ 0.0; Double.MaxValue; -Double.MaxValue; 1.0 ] (np.nanToNum (v [ nan; inf; -inf; 1.0 ])) "nan_to_num"
          }
          test "the compositions differentiate like their formulas" {
              let x = v [ 0.3; 1.7; -2.2 ]
              let y = v [ 1.1; -0.4; 0.9 ]
              checkGrads 1e-6 (fun a -> np.logaddexp a[0] a[1]) [| x; y |]
              checkGrads 1e-6 (fun a -> np.hypot a[0] a[1]) [| x; y |]
              checkGrads 1e-6 (fun a -> np.sinc a[0]) [| x |]
              checkGrads 1e-6 (fun a -> np.log2 (np.abs a[0])) [| x |]
          } ]

[<Tests>]
let reductionTests =
    testList
        "nan reductions and quantiles"
        [ test "the nan reductions skip NaN" {
              let x = v [ 1.0; nan; 3.0 ]
              exact [ 4.0 ] (np.nansum x) "nansum"
              exact [ 3.0 ] (np.nanprod x) "nanprod"
              exact [ 2.0 ] (np.nanmean x) "nanmean"
              exact [ 1.0 ] (np.nanvar x) "nanvar"
              exact [ 3.0 ] (np.nanmax x) "nanmax"
              exact [ 1.0 ] (np.nanmin x) "nanmin"
              exact [ 2.0 ] (np.nanargmax x) "nanargmax"
              exact [ 1.0; 1.0; 4.0 ] (np.nancumsum 0 x) "nancumsum"
          }
          test "a slice of only NaN gives NaN (and -1 for nanargmax), as JAX" {
              exact [ nan; 2.0 ] (Np.Nanmax(m [ [ nan; nan ]; [ 1.0; 2.0 ] ], axis = 1)) "nanmax by row"
              exact [ -1.0; 1.0 ] (Np.Nanargmax(m [ [ nan; nan ]; [ 1.0; 2.0 ] ], axis = 1)) "nanargmax by row"
          }
          test "median, quantile and percentile interpolate linearly as numpy" {
              exact [ 2.5 ] (np.median (v [ 3.0; 1.0; 4.0; 2.0 ])) "median"
              exact [ 2.0 ] (np.quantile 0.25 (v [ 5.0; 1.0; 3.0; 2.0; 4.0 ])) "quantile"
              close 1e-15 [ 4.6 ] (np.percentile 90.0 (v [ 1.0; 2.0; 3.0; 4.0; 5.0 ])) "percentile"
              exact [ 2.0; 5.0 ] (np.medianAxis 1 (m [ [ 1.0; 2.0; 3.0 ]; [ 6.0; 5.0; 4.0 ] ])) "median by row"
              exact [ nan ] (np.median (v [ 1.0; nan ])) "NaN propagates"
              exact [ 2.0 ] (np.nanmedian (v [ 1.0; nan; 3.0 ])) "nanmedian"
          }
          test "a quantile outside [0, 1] is an error that names it" {
              throwsWith<ArgumentException> [ "quantile"; "1.5"; "[0, 1]" ] (fun () -> np.quantile 1.5 (v [ 1.0 ]) |> ignore)
              throwsWith<ArgumentException> [ "percentile"; "150"; "[0, 100]" ] (fun () -> np.percentile 150.0 (v [ 1.0 ]) |> ignore)
          }
          test "average weighs, ptp spans and countNonzero counts" {
              exact [ 2.5 ] (np.average (v [ 1.0; 3.0 ]) 0 (v [ 1.0; 3.0 ])) "average"
              exact [ 4.0 ] (np.ptp (v [ 3.0; -1.0; 2.0 ])) "ptp"
              exact [ 2.0 ] (np.countNonzero (v [ 0.0; 1.0; -2.0 ])) "count_nonzero"
              exact [ 1.0; 3.0 ] (np.cumulativeSum 0 (v [ 1.0; 2.0 ])) "cumulative_sum"
              exact [ 0.0; 1.0; 3.0 ] (Np.CumulativeSum(v [ 1.0; 2.0 ], 0, includeInitial = true)) "cumulative_sum with the initial 0"
          }
          test "average's 1-d weights of the wrong length are an error that names both lengths" {
              throwsWith<ArgumentException> [ "average"; "length 3"; "length 2" ] (fun () -> Np.Average(m [ [ 1.0; 2.0 ] ], v [ 1.0; 1.0; 1.0 ], 1) |> ignore)
          }
          test "nanmean and the median differentiate" {
              checkGrads 1e-6 (fun a -> np.nanmean a[0]) [| v [ 0.3; 1.7; -2.2 ] |]
              checkGrads 1e-6 (fun a -> np.median a[0]) [| v [ 0.3; 1.7; -2.2; 0.9 ] |]
          } ]

[<Tests>]
let arrayTests =
    testList
        "array functions"
        [ test "diff, ediff1d and roll" {
              exact [ 3.0; 5.0 ] (np.diff 1 (v [ 1.0; 4.0; 9.0 ])) "diff"
              exact [ 2.0 ] (np.diff 2 (v [ 1.0; 4.0; 9.0 ])) "second difference"
              exact [ 3.0; 4.0; 0.0; 1.0; 2.0 ] (np.roll 2 (np.arange 5)) "roll"
              exact [ 1.0; 2.0; 3.0; 4.0; 0.0 ] (np.roll -1 (np.arange 5)) "negative roll"
              exact [ 1.0; 1.0; -3.0 ] (np.ediff1d (m [ [ 1.0; 2.0 ]; [ 3.0; 0.0 ] ])) "ediff1d flattens"
          }
          test "rot90 turns from the first axis toward the second, as numpy" {
              let x = m [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ]
              exact [ 2.0; 4.0; 1.0; 3.0 ] (np.rot90 1 x) "k = 1"
              exact [ 4.0; 3.0; 2.0; 1.0 ] (np.rot90 2 x) "k = 2"
              exact [ 3.0; 1.0; 4.0; 2.0 ] (np.rot90 -1 x) "k = -1"
          }
          test "tri, tril, triu, diagonal, trace and diag" {
              exact [ 1.0; 0.0; 0.0; 1.0; 1.0; 0.0; 1.0; 1.0; 1.0 ] (np.tri 3 0) "tri"
              let x = m [ [ 1.0; 2.0; 3.0 ]; [ 4.0; 5.0; 6.0 ]; [ 7.0; 8.0; 9.0 ] ]
              exact [ 1.0; 0.0; 0.0; 4.0; 5.0; 0.0; 7.0; 8.0; 9.0 ] (np.tril 0 x) "tril"
              exact [ 0.0; 2.0; 3.0; 0.0; 0.0; 6.0; 0.0; 0.0; 0.0 ] (np.triu 1 x) "triu 1"
              exact [ 2.0; 6.0 ] (np.diagonal 1 x) "diagonal 1"
              exact [ 4.0; 8.0 ] (np.diagonal -1 x) "diagonal -1"
              exact [ 15.0 ] (np.trace x) "trace"
              exact [ 0.0; 1.0; 0.0; 0.0; 0.0; 2.0; 0.0; 0.0; 0.0 ] (np.diag 1 (v [ 1.0; 2.0 ])) "diag of a vector above the diagonal"
              Expect.equal (shapeOf (np.diag -1 (v [ 1.0; 2.0 ]))) [| 3; 3 |] "diag below the diagonal"
          }
          test "kron, meshgrid and the stacks" {
              exact [ 1.0; 2.0; 2.0; 4.0 ] (np.kron (v [ 1.0; 2.0 ]) (v [ 1.0; 2.0 ])) "kron of vectors"
              let kron2 = np.kron (np.identity 2) (m [ [ 1.0; 2.0 ] ])
              Expect.equal (shapeOf kron2) [| 2; 4 |] "kron of matrices"
              let grid = np.meshgrid [ v [ 1.0; 2.0; 3.0 ]; v [ 4.0; 5.0 ] ]
              Expect.equal (shapeOf grid[0]) [| 2; 3 |] "xy indexing swaps the first two axes"
              exact [ 1.0; 2.0; 3.0; 1.0; 2.0; 3.0 ] grid[0] "x varies along columns"
              exact [ 4.0; 4.0; 4.0; 5.0; 5.0; 5.0 ] grid[1] "y varies along rows"
              Expect.equal (shapeOf (np.vstack [ v [ 1.0; 2.0 ]; v [ 3.0; 4.0 ] ])) [| 2; 2 |] "vstack"
              Expect.equal (shapeOf (np.hstack [ v [ 1.0; 2.0 ]; v [ 3.0 ] ])) [| 3 |] "hstack"
              Expect.equal (shapeOf (np.columnStack [ v [ 1.0; 2.0 ]; v [ 3.0; 4.0 ] ])) [| 2; 2 |] "column_stack"
              Expect.equal (shapeOf (np.atleast3d (v [ 1.0; 2.0 ]))) [| 1; 2; 1 |] "atleast_3d"
          }
          test "mistakes name the function, the shape and the fix" {
              throwsWith<ArgumentException> [ "rot90"; "shape"; "two axes" ] (fun () -> np.rot90 1 (v [ 1.0; 2.0; 3.0 ]) |> ignore)
              throwsWith<ArgumentException> [ "diag"; "1-d"; "2-d" ] (fun () -> np.diag 0 (np.zeros [| 2; 2; 2 |]) |> ignore)
              throwsWith<ArgumentException> [ "meshgrid"; "1-d"; "Ravel" ] (fun () -> np.meshgrid [ np.zeros [| 2; 2 |] ] |> ignore)
          }
          test "roll, tril and diagonal differentiate" {
              let x = m [ [ 0.3; 1.7 ]; [ -2.2; 0.5 ] ]
              checkGrads 1e-6 (fun a -> np.roll 1 a[0]) [| x |]
              checkGrads 1e-6 (fun a -> np.tril 0 a[0]) [| x |]
              checkGrads 1e-6 (fun a -> np.diagonal 0 a[0]) [| x |]
          } ]

[<Tests>]
let specialTests =
    testList
        "scipy.special"
        [ test "gammaln, digamma and the gamma function match MathNet" {
              let xs = [ 0.1; 0.5; 1.0; 2.5; 7.3; 30.0; -0.5; -2.7 ]
              close 1e-12 [ for x in xs -> log (abs (SF.Gamma x)) ] (special.gammaln (v xs)) "gammaln"
              close 1e-12 [ for x in xs -> SF.DiGamma x ] (special.digamma (v xs)) "digamma"
              close 1e-12 [ for x in xs -> SF.Gamma x ] (special.gamma (v xs)) "gamma"
              close 1e-12 [ SF.BetaLn(2.5, 3.5) ] (special.betaln (v [ 2.5 ]) (v [ 3.5 ])) "betaln"
          }
          test "zeta and polygamma meet their closed forms" {
              close 1e-12 [ Math.PI ** 2.0 / 6.0; 1.2020569031595942 ] (special.zeta (v [ 2.0; 3.0 ]) (v [ 1.0; 1.0 ])) "zeta"
              close 1e-12 [ Math.PI ** 2.0 / 6.0 ] (special.polygamma 1 (v [ 1.0 ])) "trigamma at 1"
              close 1e-12 [ -2.0 * 1.2020569031595942 ] (special.polygamma 2 (v [ 1.0 ])) "tetragamma at 1"
          }
          test "the normal distribution's functions match MathNet, far into the tails" {
              let xs = [ -30.0; -5.0; -1.0; 0.0; 0.7; 3.0 ]
              close 2e-7 [ for x in xs -> MathNet.Numerics.Distributions.Normal.CDF(0.0, 1.0, x) ] (special.ndtr (v xs)) "ndtr"
              close 2e-7 [ for x in [ -5.0; -1.0; 0.0; 0.7; 3.0 ] -> log (MathNet.Numerics.Distributions.Normal.CDF(0.0, 1.0, x)) ] (special.logNdtr (v [ -5.0; -1.0; 0.0; 0.7; 3.0 ])) "log_ndtr"
              close 1e-8 [ -30.0 * 30.0 / 2.0 - log 30.0 - 0.5 * log (2.0 * Math.PI) + log (1.0 - 1.0 / 900.0 + 3.0 / 810000.0) ] (special.logNdtr (v [ -30.0 ])) "log_ndtr's asymptote"
              close 2e-7 [ for x in [ -1.0; 0.2; 2.0; 10.0 ] -> SF.Erfc x ] (special.erfc (v [ -1.0; 0.2; 2.0; 10.0 ])) "erfc"
              close 1e-6 [ -1.0; 0.0; 2.0 ] (special.ndtri (special.ndtr (v [ -1.0; 0.0; 2.0 ]))) "ndtri inverts ndtr"
          }
          test "xlogy and entr are 0 at 0, and logit inverts expit" {
              exact [ 0.0; 0.0 ] (special.xlogy (v [ 0.0; 0.0 ]) (v [ 0.0; 2.0 ])) "xlogy at x = 0"
              close 1e-15 [ 2.0 * log 3.0 ] (special.xlogy (v [ 2.0 ]) (v [ 3.0 ])) "xlogy"
              close 1e-15 [ 2.0 * log 4.0 ] (special.xlog1py (v [ 2.0 ]) (v [ 3.0 ])) "xlog1py"
              exact [ 0.0; -inf ] (special.entr (v [ 0.0; -1.0 ])) "entr"
              close 1e-12 [ -2.0; 0.0; 3.0 ] (special.logit (special.expit (v [ -2.0; 0.0; 3.0 ]))) "logit of expit"
              close 1e-15 [ 0.5 * log 2.0 - 0.25 ] (special.klDiv (v [ 0.5 ]) (v [ 0.25 ])) "kl_div"
          }
          test "gammaln's gradient is digamma, and xlogy's gradient at x = 0 is finite" {
              let g = grad (fun (x: Tensor) -> np.sum (special.gammaln x)) (v [ 3.5; 0.2 ])
              close 1e-10 [ SF.DiGamma 3.5; SF.DiGamma 0.2 ] g "d gammaln / dx"
              checkGrads 1e-6 (fun a -> special.digamma a[0]) [| v [ 0.7; 3.5; 12.0 ] |]
              checkGrads 1e-6 (fun a -> special.ndtr a[0]) [| v [ -0.7; 0.3; 1.9 ] |]
              let gx = grad (fun (x: Tensor) -> np.sum (special.xlogy x (v [ 0.0 ]))) (v [ 0.0 ])
              exact [ 0.0 ] gx "no NaN from log 0"
          } ]

[<Tests>]
let nnTests =
    testList
        "nn names"
        [ test "the activations meet their formulas" {
              let xs = [ -3.0; -0.5; 0.0; 0.5; 3.0 ]
              let x = v xs
              close 1e-15 [ for x in xs -> max x 0.0 + min 0.0 (exp x - 1.0) ] (nn.celu x) "celu"
              close 1e-15 [ for x in xs -> max -1.0 (min 1.0 x) ] (nn.hardTanh x) "hard_tanh"
              close 1e-15 [ for x in xs -> (min 6.0 (max 0.0 (x + 3.0))) / 6.0 ] (nn.hardSigmoid x) "hard_sigmoid"
              close 1e-15 [ for x in xs -> x * tanh (log (1.0 + exp x)) ] (nn.mish x) "mish"
              close 1e-15 [ for x in xs -> x / (abs x + 1.0) ] (nn.softSign x) "soft_sign"
              close 1e-15 [ for x in xs -> (x + sqrt (x * x + 4.0)) / 2.0 ] (nn.squareplus x) "squareplus"
              close 1e-15 [ for x in xs -> (if x <= -1.0 then 0.0 elif x >= 1.0 then x else (x + 1.0) ** 2.0 / 4.0) ] (nn.sparsePlus x) "sparse_plus"
              close 1e-14 [ for x in [ -3.0; -0.5; -0.1 ] -> log (1.0 - exp x) ] (nn.log1mexp (v [ -3.0; -0.5; -0.1 ])) "log1mexp"
          }
          test "glu gates the first half by the sigmoid of the second" {
              close 1e-15 [ 2.0 / (1.0 + exp -1.0) ] (nn.glu (v [ 2.0; 1.0 ])) "glu"
              throwsWith<ArgumentException> [ "glu"; "odd length 3" ] (fun () -> nn.glu (v [ 1.0; 2.0; 3.0 ]) |> ignore)
          }
          test "standardize gives mean 0 and variance 1" {
              let s = nn.standardize (v [ 1.0; 2.0; 3.0; 6.0 ])
              close 1e-12 [ 0.0 ] (np.mean s) "mean"
              close 1e-4 [ 1.0 ] (np.mean (np.square s)) "variance"
          }
          test "dot_product_attention is softmax(q kᵀ / √H) v, and causal attention sees no later keys" {
              let q = np.reshape [| 1; 2; 1; 2 |] (v [ 1.0; 0.0; 0.0; 1.0 ])
              let k = np.reshape [| 1; 2; 1; 2 |] (v [ 1.0; 0.0; 0.0; 1.0 ])
              let value = np.reshape [| 1; 2; 1; 2 |] (v [ 1.0; 2.0; 3.0; 4.0 ])
              let w = exp (1.0 / sqrt 2.0)
              let first = (w * 1.0 + 1.0 * 3.0) / (w + 1.0)
              close 1e-12 [ first; (w * 2.0 + 4.0) / (w + 1.0); (1.0 + w * 3.0) / (w + 1.0); (2.0 + w * 4.0) / (w + 1.0) ] (nn.dotProductAttention q k value) "attention"
              close 1e-12 [ 1.0; 2.0; (1.0 + w * 3.0) / (w + 1.0); (2.0 + w * 4.0) / (w + 1.0) ] (nn.dotProductAttentionCausal q k value) "causal attention"
          }
          test "the activations differentiate" {
              let x = v [ -2.3; -0.4; 0.6; 2.1 ]
              for f in [ nn.celu; nn.mish; nn.softSign; nn.squareplus; nn.standardize ] do
                  checkGrads 1e-6 (fun a -> f a[0]) [| x |]
          } ]

[<Tests>]
let treeTests =
    testList
        "tree_util names"
        [ test "flatten and unflatten round-trip, reduce folds the leaves, all reads them" {
              let parameters = (v [ 1.0; 2.0 ], [ v [ 3.0 ]; v [ 4.0 ] ])
              let leaves, structure = tree.flatten parameters
              Expect.equal leaves.Length 3 "three leaves"
              let again: Tensor * Tensor list = tree.unflatten structure leaves
              exact [ 3.0 ] (snd again).Head "the same tree"
              exact [ 10.0 ] (tree.reduce (fun acc leaf -> acc + np.sum leaf) (np.scalar 0.0) parameters) "reduce"
              Expect.isTrue (tree.all parameters) "all leaves are non-zero"
              Expect.isFalse (tree.all (v [ 1.0; 0.0 ], v [ 1.0 ])) "a zero element"
          } ]

[<Tests>]
let seriesTests =
    testList
        "scipy.special series"
        [ test "the modified Bessel functions match MathNet to A&S's 2e-7" {
              let xs = [ -5.0; -1.0; 0.0; 0.5; 3.0; 3.75; 4.0; 20.0 ]
              close 2e-7 [ for x in xs -> SF.BesselI0 x * exp (-(abs x)) ] (special.i0e (v xs)) "i0e"
              close 2e-7 [ for x in xs -> SF.BesselI1 x * exp (-(abs x)) ] (special.i1e (v xs)) "i1e"
              close 2e-7 [ for x in [ 0.5; 3.0 ] -> SF.BesselI0 x ] (special.i0 (v [ 0.5; 3.0 ])) "i0"
          }
          test "exp1 and the incomplete gamma functions meet known values" {
              close 1e-13 [ 0.21938393439552029; 0.0011482955912753257; inf ] (special.exp1 (v [ 1.0; 5.0; 0.0 ])) "exp1"
              let cases = [ (0.5, 0.3); (1.0, 2.0); (3.0, 2.5); (5.0, 9.0); (20.0, 15.0); (40.0, 60.0) ]
              let a = v (cases |> List.map fst)
              let x = v (cases |> List.map snd)
              close 1e-12 [ for a, x in cases -> SF.GammaLowerRegularized(a, x) ] (special.gammainc a x) "gammainc"
              close 1e-12 [ for a, x in cases -> SF.GammaUpperRegularized(a, x) ] (special.gammaincc a x) "gammaincc"
          }
          test "comb, bernoulli and loggamma" {
              close 1e-12 [ 10.0; 0.0 ] (special.comb (v [ 5.0; 5.0 ]) (v [ 2.0; 6.0 ])) "comb"
              close 1e-7 [ 1.0; -0.5; 1.0 / 6.0; 0.0; -1.0 / 30.0 ] (special.bernoulli 4) "bernoulli"
              exact [ nan ] (special.loggamma (v [ -1.5 ])) "loggamma of a negative number"
          }
          test "i0e and gammainc differentiate in x" {
              checkGrads 1e-5 (fun a -> special.i0e a[0]) [| v [ 0.7; 2.0; 5.0 ] |]
              checkGrads 1e-5 (fun a -> special.gammainc (v [ 2.0; 3.0; 4.0 ]) a[0]) [| v [ 0.7; 2.0; 6.5 ] |]
          } ]

/// The sample moments of the added distributions against their closed forms.
[<Tests>]
let distributionTests =
    let seed = 15
    let n = 40000
    let keys = random.split (random.key seed) 10
    let key (i: int) = keys[Ix.op_Implicit i]
    let meanOf (x: Tensor) = (np.mean (np.astype DType.Float64 x)).Item<float>()
    let expectMean tol expected (x: Tensor) what =
        let m = meanOf x
        Expect.isTrue (abs (m - expected) <= tol * max 1.0 (abs expected)) $"{what}: mean {m}, expected {expected} (seed {seed}, {n} draws)"
    testList
        "random names"
        [ test "the added distributions have their means" {
              let s = [| n |]
              let rademacher = random.rademacher (key 0) s
              Expect.equal (set (toFloats rademacher)) (set [ -1.0; 1.0 ]) $"rademacher draws -1 and 1 (seed {seed})"
              expectMean 0.02 0.0 rademacher "rademacher"
              expectMean 0.03 1.5 (random.pareto (np.scalar 3.0f) (key 1) s) "pareto(3)"
              expectMean 0.03 1.0 (random.weibullMin (np.scalar 1.0f) (np.scalar 1.0f) (key 2) s) "weibull_min(1, 1)"
              expectMean 0.02 (2.0 * sqrt (2.0 / Math.PI)) (random.maxwell (key 3) s) "maxwell"
              expectMean 0.02 (sqrt (Math.PI / 2.0)) (random.rayleigh (np.scalar 1.0f) (key 4) s) "rayleigh(1)"
              expectMean 0.02 (exp 0.125) (random.lognormal (np.scalar 0.5f) (key 5) s) "lognormal(0.5)"
              expectMean 0.03 3.0 (random.chisquare (np.scalar 3.0f) (key 6) s) "chisquare(3)"
              expectMean 0.03 4.0 (random.geometric (np.scalar 0.25f) (key 7) s) "geometric(0.25)"
              expectMean 0.05 (5.0 / 3.0) (np.square (random.t (np.scalar 5.0f) (key 8) s)) "t(5)'s variance"
              let median = (np.median (random.cauchy (key 9) s)).Item<float32>() |> float
              Expect.isTrue (abs median < 0.03) $"cauchy's median {median} (seed {seed})"
          } ]

[<Tests>]
let treePathTests =
    testList
        "tree_util paths"
        [ test "leaves carry their paths, and mapWithPath sees them" {
              let parameters = (v [ 1.0 ], [ v [ 2.0 ]; v [ 3.0 ] ])
              Expect.equal (tree.leavesWithPath parameters |> List.map fst) [ ".Item1"; ".Item2[0]"; ".Item2[1]" ] "paths"
              let scaled = tree.mapWithPath (fun path leaf -> if path.StartsWith ".Item2" then leaf * 10.0 else leaf) parameters
              exact [ 20.0 ] (snd scaled).Head "mapped by path"
              exact [ 6.0 ] (tree.reduceAssociative (+) parameters) "balanced reduction"
              Expect.isTrue (tree.allLeaves [ box (v [ 1.0 ]) ]) "tensors are leaves"
              Expect.isTrue (tree.isTreeNode (box parameters)) "a tuple is a node"
              Expect.isFalse (tree.isTreeNode (box (v [ 1.0 ]))) "a tensor is not"
              let structure = tree.structure parameters
              Expect.equal (tree.treedefChildren structure).Length 2 "a pair has two children"
              Expect.isTrue (tree.treedefIsLeaf (tree.structure (v [ 1.0 ]))) "one tensor is a leaf"
              Expect.isFalse (tree.treedefIsLeaf structure) "a pair is not"
          } ]

[<Tests>]
let staticSizeTests =
    testList
        "static size"
        [ test "nonzero, argwhere and flatnonzero find the non-zero elements, padded to a static size" {
              let x = m [ [ 0.0; 2.0 ]; [ 3.0; 0.0 ] ]
              let rows, cols = match np.nonzero x with [ r; c ] -> r, c | _ -> failwith "two axes"
              exact [ 0.0; 1.0 ] rows "rows"
              exact [ 1.0; 0.0 ] cols "columns"
              exact [ 1.0; 2.0; -1.0 ] (np.flatnonzeroSized 3 -1 x) "flat, padded with -1"
              exact [ 0.0; 1.0; 1.0; 0.0 ] (np.argwhere x) "argwhere rows"
          }
          test "under jit a static size is needed, and the error says so" {
              let f = jit (fun (x: Tensor) -> np.flatnonzeroSized 2 -1 x)
              exact [ 1.0; -1.0 ] (f (v [ 0.0; 5.0; 0.0 ])) "jit with a size"
              throwsWith<ArgumentException> [ "flatnonzero"; "traced"; "static size" ] (fun () -> jit (fun (x: Tensor) -> np.flatnonzero x) (v [ 1.0 ]) |> ignore)
          }
          test "unique sorts and removes repeats, padding with the smallest element" {
              exact [ 1.0; 2.0; 5.0 ] (np.unique (v [ 5.0; 1.0; 2.0; 1.0; 5.0 ])) "unique"
              exact [ 1.0; 2.0; 5.0; 1.0 ] (np.uniqueSized 4 (v [ 5.0; 1.0; 2.0; 1.0; 5.0 ])) "padded"
          }
          test "topK gives the largest first, ties in index order" {
              let values, indices = np.topK 2 (v [ 1.0; 3.0; 2.0; 3.0 ])
              exact [ 3.0; 3.0 ] values "values"
              exact [ 1.0; 3.0 ] indices "indices"
          }
          test "histogram counts equal bins, the last one closed" {
              let counts, edges = np.histogram 2 (v [ 0.0; 0.5; 1.0; 2.0 ])
              exact [ 2.0; 2.0 ] counts "counts"
              exact [ 0.0; 1.0; 2.0 ] edges "edges"
          } ]
