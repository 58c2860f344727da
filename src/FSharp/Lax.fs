namespace JaxSharp.FSharp

open JaxSharp

/// jax.lax for F#: the primitives themselves, with strict dtypes (no promotion).
[<RequireQualifiedAccess>]
module lax =
    // ---- shapes and indexing (shapes owner) ----

    /// broadcast_in_dim: operand axis i becomes output axis dims[i] of the shape.
    let broadcastInDim (shape: int[]) (dims: int[]) (x: Tensor) = Lax.BroadcastInDim(x, Shape shape, Ints dims)

    /// reshape to a shape of the same size.
    let reshape (shape: int[]) (x: Tensor) = Lax.Reshape(x, Shape shape)

    /// transpose: output axis i is input axis permutation[i].
    let transpose (permutation: int[]) (x: Tensor) = Lax.Transpose(x, Ints permutation)

    /// squeeze: removes the given axes of size 1.
    let squeeze (dims: int[]) (x: Tensor) = Lax.Squeeze(x, Ints dims)

    /// expand_dims: inserts axes of size 1 at the given output positions.
    let expandDims (dims: int[]) (x: Tensor) = Lax.ExpandDims(x, Ints dims)

    /// rev: reverses the given axes.
    let rev (dims: int[]) (x: Tensor) = Lax.Rev(x, Ints dims)

    /// concatenate along a dimension (one dtype).
    let concatenate (dimension: int) (xs: Tensor seq) = Lax.Concatenate(xs, dimension)

    /// pad with a scalar: one (low, high, interior) triple per axis; negative low/high crop.
    let pad (paddingValue: Tensor) (config: (int * int * int) list) (x: Tensor) =
        Lax.Pad(x, paddingValue, config |> List.map (fun (l, h, i) -> struct (l, h, i)) |> List.toArray)

    /// iota: 0, 1, ..., size - 1 of the dtype.
    let iota (dtype: DType) (size: int) = Lax.Iota(dtype, size)

    /// An iota of the shape counting along a dimension.
    let broadcastedIota (dtype: DType) (shape: int[]) (dimension: int) = Lax.BroadcastedIota(dtype, Shape shape, dimension)

    /// sort along a dimension: stable, NaNs last.
    let sort (dimension: int) (x: Tensor) = Lax.Sort(x, dimension)

    /// sort of several operands of one shape along a dimension, by the first numKeys of them
    /// (lexicographically), stable, NaNs last; every operand is permuted alike (JAX's lax.sort).
    let sortMany (dimension: int) (numKeys: int) (operands: Tensor list) = Lax.Sort(Array.ofList operands, dimension, numKeys) |> List.ofArray

    /// top_k: the k largest elements along the last axis, largest first, and their int32 indices
    /// (equal elements in index order), as jax.lax.top_k.
    let topK (k: int) (operand: Tensor) =
        let struct (values, indices) = Lax.TopK(operand, k)
        values, indices
    /// sort_key_val: keys sorted stably along a dimension and values (same shape) permuted alike.
    let sortKeyVal (dimension: int) (keys: Tensor) (values: Tensor) =
        let struct (sortedKeys, sortedValues) = Lax.SortKeyVal(keys, values, dimension)
        sortedKeys, sortedValues
    /// argsort along a dimension: the int32 positions of a stable sort.
    let argsort (dimension: int) (x: Tensor) = Lax.Argsort(x, dimension)

    /// slice: x[start:limit] along every axis.
    let slice (startIndices: int[]) (limitIndices: int[]) (x: Tensor) = Lax.Slice(x, Ints startIndices, Ints limitIndices)

    /// slice with strides: x[start:limit:stride] along every axis.
    let sliceStrided (startIndices: int[]) (limitIndices: int[]) (strides: int[]) (x: Tensor) =
        Lax.Slice(x, Ints startIndices, Ints limitIndices, Ints strides)

    /// dynamic_slice: the box of sliceSizes at run-time int32 scalar starts (clamped to fit).
    let dynamicSlice (startIndices: Tensor list) (sliceSizes: int[]) (x: Tensor) =
        Lax.DynamicSlice(x, List.toArray startIndices, Ints sliceSizes)

    /// dynamic_update_slice: x with the box at run-time int32 scalar starts (clamped) replaced by update.
    let dynamicUpdateSlice (startIndices: Tensor list) (update: Tensor) (x: Tensor) =
        Lax.DynamicUpdateSlice(x, update, List.toArray startIndices)

    /// gather: XLA's gather; indices end in the index vector.
    let gather (dimensionNumbers: GatherDimensionNumbers) (sliceSizes: int[]) (mode: GatherScatterMode) (x: Tensor) (indices: Tensor) =
        Lax.Gather(x, indices, dimensionNumbers, Ints sliceSizes, mode)

    /// scatter: x with the updates written at the indexed windows.
    let scatter (dimensionNumbers: ScatterDimensionNumbers) (mode: GatherScatterMode) (x: Tensor) (indices: Tensor) (updates: Tensor) =
        Lax.Scatter(x, indices, updates, dimensionNumbers, mode)

    /// scatter_add: x with the updates added at the indexed windows (duplicates accumulate).
    let scatterAdd (dimensionNumbers: ScatterDimensionNumbers) (mode: GatherScatterMode) (x: Tensor) (indices: Tensor) (updates: Tensor) =
        Lax.ScatterAdd(x, indices, updates, dimensionNumbers, mode)

    /// scatter_mul: x with the indexed elements multiplied by the updates.
    let scatterMul (dimensionNumbers: ScatterDimensionNumbers) (mode: GatherScatterMode) (x: Tensor) (indices: Tensor) (updates: Tensor) =
        Lax.ScatterMul(x, indices, updates, dimensionNumbers, mode)

    /// scatter_min: x with the indexed elements lowered to smaller updates.
    let scatterMin (dimensionNumbers: ScatterDimensionNumbers) (mode: GatherScatterMode) (x: Tensor) (indices: Tensor) (updates: Tensor) =
        Lax.ScatterMin(x, indices, updates, dimensionNumbers, mode)

    /// scatter_max: x with the indexed elements raised to larger updates.
    let scatterMax (dimensionNumbers: ScatterDimensionNumbers) (mode: GatherScatterMode) (x: Tensor) (indices: Tensor) (updates: Tensor) =
        Lax.ScatterMax(x, indices, updates, dimensionNumbers, mode)

    // ---- elementwise (elementwise owner) ----

    /// Lax.Neg: the primitive, strict dtypes.
    let neg (x: Tensor) = Lax.Neg x
    /// Lax.Exp: the primitive, strict dtypes.
    let exp (x: Tensor) = Lax.Exp x
    /// Lax.Log: the primitive, strict dtypes.
    let log (x: Tensor) = Lax.Log x
    /// Lax.Log1p: the primitive, strict dtypes.
    let log1p (x: Tensor) = Lax.Log1p x
    /// Lax.Expm1: the primitive, strict dtypes.
    let expm1 (x: Tensor) = Lax.Expm1 x
    /// Lax.Sin: the primitive, strict dtypes.
    let sin (x: Tensor) = Lax.Sin x
    /// Lax.Cos: the primitive, strict dtypes.
    let cos (x: Tensor) = Lax.Cos x
    /// Lax.Tan: the primitive, strict dtypes.
    let tan (x: Tensor) = Lax.Tan x
    /// Lax.Asin: the primitive, strict dtypes.
    let asin (x: Tensor) = Lax.Asin x
    /// Lax.Acos: the primitive, strict dtypes.
    let acos (x: Tensor) = Lax.Acos x
    /// Lax.Atan: the primitive, strict dtypes.
    let atan (x: Tensor) = Lax.Atan x
    /// Lax.Sinh: the primitive, strict dtypes.
    let sinh (x: Tensor) = Lax.Sinh x
    /// Lax.Cosh: the primitive, strict dtypes.
    let cosh (x: Tensor) = Lax.Cosh x
    /// Lax.Tanh: the primitive, strict dtypes.
    let tanh (x: Tensor) = Lax.Tanh x
    /// Lax.Asinh: the primitive, strict dtypes.
    let asinh (x: Tensor) = Lax.Asinh x
    /// Lax.Acosh: the primitive, strict dtypes.
    let acosh (x: Tensor) = Lax.Acosh x
    /// Lax.Atanh: the primitive, strict dtypes.
    let atanh (x: Tensor) = Lax.Atanh x
    /// Lax.Logistic: the primitive, strict dtypes.
    let logistic (x: Tensor) = Lax.Logistic x
    /// Lax.Sqrt: the primitive, strict dtypes.
    let sqrt (x: Tensor) = Lax.Sqrt x
    /// Lax.Rsqrt: the primitive, strict dtypes.
    let rsqrt (x: Tensor) = Lax.Rsqrt x
    /// Lax.Cbrt: the primitive, strict dtypes.
    let cbrt (x: Tensor) = Lax.Cbrt x
    /// Lax.Abs: the primitive, strict dtypes.
    let abs (x: Tensor) = Lax.Abs x
    /// Lax.Sign: the primitive, strict dtypes.
    let sign (x: Tensor) = Lax.Sign x
    /// Lax.Floor: the primitive, strict dtypes.
    let floor (x: Tensor) = Lax.Floor x
    /// Lax.Ceil: the primitive, strict dtypes.
    let ceil (x: Tensor) = Lax.Ceil x
    /// Lax.Erf: the primitive, strict dtypes.
    let erf (x: Tensor) = Lax.Erf x
    /// Lax.Erfinv: the primitive, strict dtypes.
    let erfinv (x: Tensor) = Lax.Erfinv x
    /// Lax.IsFinite: the primitive, strict dtypes.
    let isFinite (x: Tensor) = Lax.IsFinite x
    /// Lax.BitwiseNot: the primitive, strict dtypes.
    let bitwiseNot (x: Tensor) = Lax.BitwiseNot x
    /// Lax.Add: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline add a b = Lax.Add(tensor a, tensor b)
    /// Lax.Sub: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline sub a b = Lax.Sub(tensor a, tensor b)
    /// Lax.Mul: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline mul a b = Lax.Mul(tensor a, tensor b)
    /// Lax.Div: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline div a b = Lax.Div(tensor a, tensor b)
    /// Lax.Rem: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline rem a b = Lax.Rem(tensor a, tensor b)
    /// Lax.Pow: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline pow a b = Lax.Pow(tensor a, tensor b)
    /// Lax.Max: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline max a b = Lax.Max(tensor a, tensor b)
    /// Lax.Min: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline min a b = Lax.Min(tensor a, tensor b)
    /// Lax.Atan2: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline atan2 a b = Lax.Atan2(tensor a, tensor b)
    /// Lax.Eq: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline eq a b = Lax.Eq(tensor a, tensor b)
    /// Lax.Ne: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline ne a b = Lax.Ne(tensor a, tensor b)
    /// Lax.Lt: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline lt a b = Lax.Lt(tensor a, tensor b)
    /// Lax.Le: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline le a b = Lax.Le(tensor a, tensor b)
    /// Lax.Gt: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline gt a b = Lax.Gt(tensor a, tensor b)
    /// Lax.Ge: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline ge a b = Lax.Ge(tensor a, tensor b)
    /// Lax.BitwiseAnd: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline bitwiseAnd a b = Lax.BitwiseAnd(tensor a, tensor b)
    /// Lax.BitwiseOr: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline bitwiseOr a b = Lax.BitwiseOr(tensor a, tensor b)
    /// Lax.BitwiseXor: the primitive, equal dtypes (a .NET scalar takes the other's dtype).
    let inline bitwiseXor a b = Lax.BitwiseXor(tensor a, tensor b)
    /// Lax.Round: ties away from zero or to even, `x |> lax.round RoundingMethod.ToNearestEven`.
    let round (method: RoundingMethod) (x: Tensor) = Lax.Round(x, method)
    /// Lax.Select: onTrue where pred holds, else onFalse (equal dtypes).
    let inline select pred onTrue onFalse = Lax.Select(tensor pred, tensor onTrue, tensor onFalse)
    /// Lax.Clamp: min(max(x, min), max), bounds scalars or of x's shape and dtype: `lax.clamp 0.0 x 1.0`.
    let inline clamp min x max = Lax.Clamp(tensor min, tensor x, tensor max)
    /// Lax.SelectN: cases[which] elementwise, which bool (two cases) or int32: `lax.selectN which [ a; b; c ]`.
    let selectN (which: Tensor) (cases: Tensor list) = Lax.SelectN(which, Array.ofList cases)
    /// Lax.ConvertElementType: `x |> lax.convertElementType DType.Int32`.
    let convertElementType (dtype: DType) (x: Tensor) = Lax.ConvertElementType(x, dtype)

    // ---- reductions, cumulative ops, dot_general (reductions owner) ----

    /// reduce_sum over the axes.
    let reduceSum (axes: int[]) (x: Tensor) = Lax.ReduceSum(x, axes)
    /// reduce_max over the axes (-inf over no elements).
    let reduceMax (axes: int[]) (x: Tensor) = Lax.ReduceMax(x, axes)
    /// reduce_min over the axes (+inf over no elements).
    let reduceMin (axes: int[]) (x: Tensor) = Lax.ReduceMin(x, axes)
    /// reduce_prod over the axes.
    let reduceProd (axes: int[]) (x: Tensor) = Lax.ReduceProd(x, axes)
    /// reduce_and of a bool array over the axes.
    let reduceAnd (axes: int[]) (x: Tensor) = Lax.ReduceAnd(x, axes)
    /// reduce_or of a bool array over the axes.
    let reduceOr (axes: int[]) (x: Tensor) = Lax.ReduceOr(x, axes)
    /// argmax along an axis, giving indices of indexDType.
    let argmax (axis: int) (indexDType: DType) (x: Tensor) = Lax.Argmax(x, axis, indexDType)
    /// argmin along an axis, giving indices of indexDType.
    let argmin (axis: int) (indexDType: DType) (x: Tensor) = Lax.Argmin(x, axis, indexDType)
    /// cumsum along an axis, from the end when reverse.
    let cumsum (axis: int) (reverse: bool) (x: Tensor) = Lax.Cumsum(x, axis, reverse)
    /// cumprod along an axis.
    let cumprod (axis: int) (reverse: bool) (x: Tensor) = Lax.Cumprod(x, axis, reverse)
    /// cummax along an axis.
    let cummax (axis: int) (reverse: bool) (x: Tensor) = Lax.Cummax(x, axis, reverse)
    /// cummin along an axis.
    let cummin (axis: int) (reverse: bool) (x: Tensor) = Lax.Cummin(x, axis, reverse)
    /// dot_general with dimension numbers ((lhsContracting, rhsContracting), (lhsBatch, rhsBatch)).
    let dotGeneral ((lc: int[], rc: int[]), (lb: int[], rb: int[])) (lhs: Tensor) (rhs: Tensor) =
        Lax.DotGeneral(lhs, rhs, Primitives.LinearAlgebra.DotDimensionNumbers(Ints lc, Ints rc, Ints lb, Ints rb))
    /// dot_general accumulating in and returning preferred.
    let dotGeneralPreferred (preferred: DType) ((lc: int[], rc: int[]), (lb: int[], rb: int[])) (lhs: Tensor) (rhs: Tensor) =
        Lax.DotGeneral(lhs, rhs, Primitives.LinearAlgebra.DotDimensionNumbers(Ints lc, Ints rc, Ints lb, Ints rb), preferred)
    // ---- bits (random owner) ----
    /// x << y elementwise on int32 or uint32 of one dtype; 0 where y is negative or at least 32.
    let inline shiftLeft x y = Lax.ShiftLeft(tensor x, tensor y)
    /// x >> y elementwise filling with zero bits (int32 shifts as unsigned); 0 where y is negative or at least 32.
    let inline shiftRightLogical x y = Lax.ShiftRightLogical(tensor x, tensor y)
    /// The bits of x read as newDType (numpy's view); float64 <-> 32-bit pairs on a trailing axis of 2, low word first.
    let bitcastConvertType (newDType: DType) (x: Tensor) = Lax.BitcastConvertType(x, newDType)
    // ---- linear algebra (linalg owner) ----
    let private pair (struct (a, b)) = (a, b)
    let private triple (struct (a, b, c)) = (a, b, c)
    /// cholesky: the lower factor L with L Lᵀ = x (x symmetrized first; NaNs when not positive definite).
    let cholesky (x: Tensor) = Lax.Cholesky(x)
    /// triangular_solve: x with op(a) x = b (leftSide) or x op(a) = b, op(a) = aᵀ when transposeA, reading a's lower or upper triangle.
    let triangularSolve (leftSide: bool) (lower: bool) (transposeA: bool) (unitDiagonal: bool) (a: Tensor) (b: Tensor) =
        Lax.TriangularSolve(a, b, leftSide, lower, transposeA, unitDiagonal)
    /// lu: (lu, pivots, permutation), the LU decomposition with partial pivoting; a[permutation] = L U.
    let lu (x: Tensor) = triple (Lax.Lu(x))
    /// lu_pivots_to_permutation: the permutation of permutationSize rows that the row swaps pivots apply.
    let luPivotsToPermutation (permutationSize: int) (pivots: Tensor) = Lax.LuPivotsToPermutation(pivots, permutationSize)
    /// eigh: (v, w), eigenvectors as columns and eigenvalues ascending, of symmetric matrices (lower triangle, symmetrized).
    let eigh (x: Tensor) = pair (Lax.Eigh(x))
    /// svd: (u, s, vt) with x = u diag(s) vt; fullMatrices gives square u and vt.
    let svd (fullMatrices: bool) (x: Tensor) = triple (Lax.Svd(x, fullMatrices))
    /// qr: (q, r) with x = q r; fullMatrices gives square q.
    let qr (fullMatrices: bool) (x: Tensor) = pair (Lax.Qr(x, fullMatrices))
    // ---- control flow: while loops (issue 12, WHILE part) ----
    /// lax.while_loop: bodyFun applied to the carry (a tensor or a parameter tree) while condFun
    /// (a bool scalar) holds; a real loop, under jit too. Forward-differentiable only.
    let whileLoop (condFun: 'a -> Tensor) (bodyFun: 'a -> 'a) (init: 'a) : 'a =
        Lax.WhileLoop(System.Func<'a, Tensor>(condFun), System.Func<'a, 'a>(bodyFun), init)
    /// lax.fori_loop: carry <- body i carry for i in [lower, upper), the index an int32 scalar.
    let foriLoop (lower: int) (upper: int) (body: Tensor -> 'a -> 'a) (init: 'a) : 'a =
        Lax.ForiLoop(lower, upper, System.Func<Tensor, 'a, 'a>(body), init)
    /// lax.fori_loop with integer scalar tensor bounds, which may be traced (a data-dependent trip
    /// count under jit); such a loop is not reverse-differentiable.
    let foriLoopDynamic (lower: Tensor) (upper: Tensor) (body: Tensor -> 'a -> 'a) (init: 'a) : 'a =
        Lax.ForiLoop(lower, upper, System.Func<Tensor, 'a, 'a>(body), init)
    // ---- control flow: scan, scanWith, map, associativeScan (issue 12, SCAN part) ----

    /// How lax.scanWith runs: Length is the number of steps (needed when there are no xs; with
    /// xs it must equal their leading axis), Reverse runs from the last slice to the first, Unroll
    /// is the number of steps per iteration of the compiled loop. Start from lax.scanOptions.
    type ScanOptions = { Length: int option; Reverse: bool; Unroll: int }

    /// The default options of lax.scanWith: length from the xs, forward, no unrolling.
    let scanOptions = { Length = None; Reverse = false; Unroll = 1 }

    /// lax.scan with options: `lax.scanWith { lax.scanOptions with Length = Some 10 } f init ()`
    /// loops f ten times with no xs (f gets ()); f may return () as its ys.
    let scanWith (options: ScanOptions) (f: 'c -> 'x -> 'c * 'y) (init: 'c) (xs: 'x) : 'c * 'y =
        let body = System.Func<'c, 'x, struct ('c * 'y)>(fun c x -> let c', y = f c x in struct (c', y))
        let struct (carry, ys) = Lax.ScanTree<'c, 'x, 'y>(body, init, xs, Option.toNullable options.Length, options.Reverse, options.Unroll)
        carry, ys

    /// lax.scan: `let total, sums = lax.scan (fun c x -> c + x, c + x) init xs` loops f over the
    /// leading axis of xs (a tree), threading the carry; returns the final carry and the stacked ys.
    /// Traced once and compiled to one loop; differentiable in both modes.
    let scan (f: 'c -> 'x -> 'c * 'y) (init: 'c) (xs: 'x) : 'c * 'y = scanWith scanOptions f init xs

    /// lax.map: f on each slice of xs (a tree) along its leading axis, stacked; one compiled loop.
    let map (f: 'x -> 'y) (xs: 'x) : 'y = Lax.MapTree<'x, 'y>(System.Func<'x, 'y>(f), xs)

    /// lax.associative_scan: the prefix combinations of elems (a tree) along axis 0 with an
    /// associative f, computed in parallel: `lax.associativeScan (+) x` is the cumulative sum.
    let associativeScan (f: 'a -> 'a -> 'a) (elems: 'a) : 'a = Lax.AssociativeScanTree<'a>(System.Func<'a, 'a, 'a>(f), elems)

    /// lax.associative_scan along an axis (negative from the end), from the end when reverse.
    let associativeScanWith (reverse: bool) (axis: int) (f: 'a -> 'a -> 'a) (elems: 'a) : 'a =
        Lax.AssociativeScanTree<'a>(System.Func<'a, 'a, 'a>(f), elems, reverse, axis)
    // ---- end of the SCAN part ----
    // ---- control flow: cond and switch (issue 12, COND part) ----
    /// lax.cond: trueFun operand where the scalar pred is true (nonzero), else falseFun operand. Both are
    /// traced and must return the same structure, shapes and dtypes; only one runs (under jit too).
    /// Operands and outputs are parameter trees (tensors, tuples, records, arrays, lists).
    let cond (pred: Tensor) (trueFun: 'a -> 'b) (falseFun: 'a -> 'b) (operand: 'a) : 'b =
        Lax.CondTree<'a, 'b>(pred, System.Func<'a, 'b>(trueFun), System.Func<'a, 'b>(falseFun), operand)
    /// lax.switch: branches[index] operand, the integer scalar index clamped into range (as JAX).
    let switch (index: Tensor) (branches: ('a -> 'b) list) (operand: 'a) : 'b =
        Lax.SwitchTree<'a, 'b>(index, branches |> List.map (fun f -> System.Func<'a, 'b>(f)) |> Array.ofList, operand)
    // ---- convolutions and windows (conv owner) ----
    /// JAX's layout strings as Lax's optional argument takes them.
    let private layouts (dimensionNumbers: string * string * string) : System.Nullable<struct (string * string * string)> =
        let l, r, o = dimensionNumbers
        if isNull l || isNull r || isNull o then nullArg (nameof dimensionNumbers)
        System.Nullable(struct (l, r, o))
    /// conv_general_dilated with "SAME", "SAME_LOWER" or "VALID" padding and layouts as JAX's strings:
    /// lax.convGeneralDilated [|1; 1|] "SAME" ("NHWC", "HWIO", "NHWC") x w.
    let convGeneralDilated (windowStrides: int[]) (padding: string) (dimensionNumbers: string * string * string) (lhs: Tensor) (rhs: Tensor) =
        Lax.ConvGeneralDilated(lhs, rhs, windowStrides, padding, dimensionNumbers = layouts dimensionNumbers)
    /// conv_general_dilated in full: explicit (low, high) padding, lhs and rhs dilation, layouts, feature and batch group counts.
    let convGeneralDilatedPadded (windowStrides: int[]) (padding: (int * int)[]) (lhsDilation: int[]) (rhsDilation: int[]) (dimensionNumbers: string * string * string) (featureGroupCount: int) (batchGroupCount: int) (lhs: Tensor) (rhs: Tensor) =
        if isNull lhsDilation then nullArg (nameof lhsDilation)
        if isNull rhsDilation then nullArg (nameof rhsDilation)
        let pads = padding |> Array.map (fun (a, b) -> struct (a, b))
        Lax.ConvGeneralDilated(lhs, rhs, windowStrides, pads, lhsDilation, rhsDilation, layouts dimensionNumbers, featureGroupCount, batchGroupCount)
    /// conv: NCHW input, OIHW kernel, "SAME" or "VALID" padding: lax.conv [|1; 1|] "SAME" x w.
    let conv (windowStrides: int[]) (padding: string) (lhs: Tensor) (rhs: Tensor) = Lax.Conv(lhs, rhs, windowStrides, padding)
    /// conv_transpose: the fractionally strided convolution ("SAME": input size times stride), layouts as JAX's strings.
    let convTranspose (strides: int[]) (padding: string) (dimensionNumbers: string * string * string) (lhs: Tensor) (rhs: Tensor) =
        Lax.ConvTranspose(lhs, rhs, strides, padding, dimensionNumbers = layouts dimensionNumbers)
    /// reduce_window with "sum", "max" or "min" over windows (one size per axis), strides and "VALID"/"SAME" padding.
    let reduceWindow (computation: string) (windowDimensions: int[]) (windowStrides: int[]) (padding: string) (x: Tensor) =
        if isNull windowStrides then nullArg (nameof windowStrides)
        Lax.ReduceWindow(x, computation, windowDimensions, windowStrides, padding)
    ()
