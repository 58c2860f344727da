/// Printing tensors as numpy does: past 1000 elements each axis longer than six shows its
/// first and last three entries around "...", and an empty tensor prints as [] with its shape.
/// The expected strings are numpy 1.24's own (str for values, repr for empty arrays), taken
/// verbatim; JaxSharp prints on one line, so numpy's line breaks and padding are collapsed.
module TensorPrintingTests

open System.Text.RegularExpressions
open Expecto
open JaxSharp
open JaxSharp.FSharp

/// numpy's str on one line: runs of spaces and line breaks become one space, none next to brackets.
let oneLine (numpyText: string) =
    let collapsed = Regex.Replace(numpyText.Trim(), @"\s+", " ")
    Regex.Replace(Regex.Replace(collapsed, @"\[ ", "["), @" \]", "]")

let int32Range (shape: int[]) = np.arange (Array.fold (*) 1 shape) |> np.reshape shape
let f32Zeros (shape: int[]) = np.zeros shape

/// (what numpy printed, the tensor, numpy's str of it)
let summarised =
    [ "np.arange(2000, dtype=np.int32)", int32Range [| 2000 |], "[   0    1    2 ... 1997 1998 1999]"
      "np.arange(1001, dtype=np.int32)", int32Range [| 1001 |], "[   0    1    2 ...  998  999 1000]"
      "np.arange(12, dtype=np.int32) (under the threshold)", int32Range [| 12 |], "[ 0  1  2  3  4  5  6  7  8  9 10 11]"
      "np.arange(2000, dtype=np.int32).reshape(1000, 2)",
      int32Range [| 1000; 2 |],
      "[[   0    1]\n [   2    3]\n [   4    5]\n ...\n [1994 1995]\n [1996 1997]\n [1998 1999]]"
      "np.arange(2000, dtype=np.int32).reshape(2, 1000)",
      int32Range [| 2; 1000 |],
      "[[   0    1    2 ...  997  998  999]\n [1000 1001 1002 ... 1997 1998 1999]]"
      "np.arange(4000, dtype=np.int32).reshape(40, 100)",
      int32Range [| 40; 100 |],
      "[[   0    1    2 ...   97   98   99]\n [ 100  101  102 ...  197  198  199]\n [ 200  201  202 ...  297  298  299]\n ...\n [3700 3701 3702 ... 3797 3798 3799]\n [3800 3801 3802 ... 3897 3898 3899]\n [3900 3901 3902 ... 3997 3998 3999]]"
      "np.arange(1200, dtype=np.int32).reshape(2, 3, 200)",
      int32Range [| 2; 3; 200 |],
      "[[[   0    1    2 ...  197  198  199]\n  [ 200  201  202 ...  397  398  399]\n  [ 400  401  402 ...  597  598  599]]\n\n [[ 600  601  602 ...  797  798  799]\n  [ 800  801  802 ...  997  998  999]\n  [1000 1001 1002 ... 1197 1198 1199]]]"
      "np.arange(3000, dtype=np.int32).reshape(10, 10, 30)",
      int32Range [| 10; 10; 30 |],
      "[[[   0    1    2 ...   27   28   29]\n  [  30   31   32 ...   57   58   59]\n  [  60   61   62 ...   87   88   89]\n  ...\n  [ 210  211  212 ...  237  238  239]\n  [ 240  241  242 ...  267  268  269]\n  [ 270  271  272 ...  297  298  299]]\n\n [[ 300  301  302 ...  327  328  329]\n  [ 330  331  332 ...  357  358  359]\n  [ 360  361  362 ...  387  388  389]\n  ...\n  [ 510  511  512 ...  537  538  539]\n  [ 540  541  542 ...  567  568  569]\n  [ 570  571  572 ...  597  598  599]]\n\n [[ 600  601  602 ...  627  628  629]\n  [ 630  631  632 ...  657  658  659]\n  [ 660  661  662 ...  687  688  689]\n  ...\n  [ 810  811  812 ...  837  838  839]\n  [ 840  841  842 ...  867  868  869]\n  [ 870  871  872 ...  897  898  899]]\n\n ...\n\n [[2100 2101 2102 ... 2127 2128 2129]\n  [2130 2131 2132 ... 2157 2158 2159]\n  [2160 2161 2162 ... 2187 2188 2189]\n  ...\n  [2310 2311 2312 ... 2337 2338 2339]\n  [2340 2341 2342 ... 2367 2368 2369]\n  [2370 2371 2372 ... 2397 2398 2399]]\n\n [[2400 2401 2402 ... 2427 2428 2429]\n  [2430 2431 2432 ... 2457 2458 2459]\n  [2460 2461 2462 ... 2487 2488 2489]\n  ...\n  [2610 2611 2612 ... 2637 2638 2639]\n  [2640 2641 2642 ... 2667 2668 2669]\n  [2670 2671 2672 ... 2697 2698 2699]]\n\n [[2700 2701 2702 ... 2727 2728 2729]\n  [2730 2731 2732 ... 2757 2758 2759]\n  [2760 2761 2762 ... 2787 2788 2789]\n  ...\n  [2910 2911 2912 ... 2937 2938 2939]\n  [2940 2941 2942 ... 2967 2968 2969]\n  [2970 2971 2972 ... 2997 2998 2999]]]"
      "np.arange(1001) % 2 == 0", np.equal (np.remainder (np.arange 1001) 2) 0, "[ True False  True ...  True False  True]"
      "(np.arange(2000, dtype=np.float32) % 8) / 2",
      np.divide (np.remainder (np.arangeStep 0.0f 2000.0f 1.0f) 8.0f) 2.0f,
      "[0.  0.5 1.  ... 2.5 3.  3.5]" ]

/// (what numpy printed, the tensor, numpy's repr of it)
let empty =
    [ "np.zeros((100000, 0), dtype=np.float32)", f32Zeros [| 100000; 0 |], "array([], shape=(100000, 0), dtype=float32)"
      "np.zeros((0,), dtype=np.float32)", f32Zeros [| 0 |], "array([], dtype=float32)"
      "np.zeros((2, 0, 3), dtype=np.int32)", np.zerosOf DType.Int32 [| 2; 0; 3 |], "array([], shape=(2, 0, 3), dtype=int32)" ]

[<Tests>]
let tests =
    testList
        "printing"
        [ for name, tensor, numpyStr in summarised ->
              test $"{name} prints as numpy's str" {
                  Expect.equal (tensor.ToString()) $"Tensor({oneLine numpyStr}, {tensor.DType.Name()})" "numpy's text on one line"
              }
          for name, tensor, numpyRepr in empty ->
              test $"{name} prints as numpy's repr" {
                  Expect.equal (tensor.ToString()) (numpyRepr.Replace("array(", "Tensor(").Replace("dtype=", "")) "[] and the shape, not a [] per row"
              }
          yield test "a million elements print in a line" {
              Expect.isLessThan ((f32Zeros [| 1000; 1000 |]).ToString().Length) 200 "three rows of three and three, around ..."
          } ]
