namespace JaxSharp.FsCheck

open System
open JaxSharp

/// What checkGrads compares and how closely: an analytic derivative a passes against the
/// numeric n when |a - n| <= Atol + Rtol * |n|.
type GradCheckOptions =
    { /// Absolute tolerance (JAX's float64 default, 1e-5).
      Atol: float
      /// Relative tolerance.
      Rtol: float
      /// The step of the central differences (JAX's 1e-4).
      Eps: float
      /// Elements checked per leaf; larger leaves are sampled (seeded).
      SamplesPerLeaf: int
      /// The seed of the random directions and samples.
      Seed: int
      /// Check forward mode (jvp).
      Forward: bool
      /// Check reverse mode (vjp).
      Reverse: bool }

    /// Atol = Rtol = 1e-5, Eps = 1e-4, 32 samples per leaf, seed 0, both modes.
    static member Default =
        { Atol = 1e-5; Rtol = 1e-5; Eps = 1e-4; SamplesPerLeaf = 32; Seed = 0; Forward = true; Reverse = true }

    /// These options with other tolerances.
    member o.WithTolerance(atol: float, rtol: float) = { o with Atol = atol; Rtol = rtol }
    /// These options with another finite-difference step.
    member o.WithEps(eps: float) = { o with Eps = eps }
    /// These options with another number of elements checked per leaf.
    member o.WithSamplesPerLeaf(samples: int) = { o with SamplesPerLeaf = samples }
    /// These options with another seed.
    member o.WithSeed(seed: int) = { o with Seed = seed }
    /// These options checking only the modes named.
    member o.WithModes(forward: bool, reverse: bool) = { o with Forward = forward; Reverse = reverse }

/// A derivative that disagrees with finite differences; the message starts with `checkGrads:`
/// and names the mode, the order, the leaf, the index, both values and the tolerance.
type GradCheckException(message: string) =
    inherit Exception(message)

/// jax.test_util.check_grads for parameter trees.
[<AutoOpen>]
module GradChecks =
    /// A function of float64 leaves (non-float leaves as given) to a float64 tensor.
    type private Fn = Tensor[] -> Tensor

    let private isFloat (t: Tensor) = t.DType = DType.Float32 || t.DType = DType.Float64

    let private values (t: Tensor) = Np.AsType(t, DType.Float64).ToArray<float>()

    let private tensor (shape: Shape) (xs: float[]) = Tensor.FromArray(xs, shape)

    let private randomLike (rng: Random) (t: Tensor) = tensor t.Shape (Array.init t.Size (fun _ -> rng.NextDouble() * 2.0 - 1.0))

    let private inner (a: Tensor) (b: Tensor) = Array.fold2 (fun s x y -> s + x * y) 0.0 (values a) (values b)

    let private indexText (shape: Shape) (flat: int) =
        let dims = shape.ToArray()
        let index = Array.zeroCreate dims.Length
        let mutable rest = flat
        for axis in dims.Length - 1 .. -1 .. 0 do
            index[axis] <- rest % dims[axis]
            rest <- rest / dims[axis]
        "[" + String.Join(", ", index) + "]"

    /// The elements to check in a leaf: all, or a seeded sample.
    let private sampled (rng: Random) (samples: int) (size: int) =
        if size <= samples then [| 0 .. size - 1 |]
        else Array.init size id |> Array.sortBy (fun _ -> rng.Next()) |> Array.truncate samples |> Array.sort

    /// xs with element k of leaf i moved by h.
    let private nudged (xs: Tensor[]) i k h =
        xs |> Array.mapi (fun j x -> if j <> i then x else let v = values x in v[k] <- v[k] + h; tensor x.Shape v)

    /// First-order check of both modes of g at xs, derivatives of <u, g> per element.
    let private check (options: GradCheckOptions) (order: int) (what: string) (paths: string[]) (g: Fn) (xs: Tensor[]) =
        let rng = Random(options.Seed + 7919 * order)
        let u = randomLike rng (g xs)
        let s (a: Tensor[]) = inner u (g a)
        let floats = [| for i in 0 .. xs.Length - 1 do if isFloat xs[i] then i |]
        let asFunc = Func<Tensor[], Tensor[]>(fun a -> [| g a |])
        let cotangents =
            if options.Reverse then
                let struct (_, pullback) = Jax.Vjp(asFunc, xs)
                Some(pullback.Invoke [| u |])
            else None
        for i in floats do
            for k in sampled rng options.SamplesPerLeaf xs[i].Size do
                // central differences, Richardson-extrapolated: (4 D(h/2) - D(h)) / 3
                let central h = (s (nudged xs i k h) - s (nudged xs i k -h)) / (2.0 * h)
                let numeric = (4.0 * central (options.Eps / 2.0) - central options.Eps) / 3.0
                let report mode (analytic: float) =
                    if not (abs (analytic - numeric) <= options.Atol + options.Rtol * abs numeric) then
                        let leaf = if paths[i] = "" then "the input" else $"leaf x{paths[i]}"
                        raise (
                            GradCheckException(
                                $"checkGrads: {mode} mode, order {order}{what}: {leaf}, index {indexText xs[i].Shape k}: " +
                                $"analytic %.10g{analytic}, numeric %.10g{numeric}, tolerance %g{options.Atol} + %g{options.Rtol} * |numeric|"
                            )
                        )
                if options.Forward then
                    let basis = xs |> Array.mapi (fun j x -> if j = i then (let e = Array.zeroCreate x.Size in e[k] <- 1.0; tensor x.Shape e) else Np.ZerosLike(x))
                    let struct (_, tangents) = Jax.Jvp(asFunc, xs, basis)
                    report "forward" (inner u tangents[0])
                match cotangents with
                | Some c -> report "reverse" (values c[i]).[k]
                | None -> ()
        (floats, rng)

    /// Checks up to `order`: at order n + 1, the derivative functions of order n (the JVP along a
    /// fixed random tangent; the gradient of <u, g> for a fixed random u) are checked in turn.
    let rec private checkUpTo (options: GradCheckOptions) (order: int) (maxOrder: int) (what: string) (paths: string[]) (g: Fn) (xs: Tensor[]) =
        let floats, rng = check options order what paths g xs
        if order < maxOrder then
            let asFunc = Func<Tensor[], Tensor[]>(fun a -> [| g a |])
            if options.Forward then
                let v = xs |> Array.mapi (fun j x -> if isFloat x then randomLike rng x else x)
                let jvpOf (a: Tensor[]) =
                    let struct (_, t) = Jax.Jvp(asFunc, a, v)
                    t[0]
                checkUpTo options (order + 1) maxOrder $"{what} (of the forward derivative)" paths jvpOf xs
            if options.Reverse then
                let u = randomLike rng (g xs)
                let pullbackOf (a: Tensor[]) =
                    let struct (_, pullback) = Jax.Vjp(asFunc, a)
                    let c = pullback.Invoke [| u |]
                    Np.Concatenate(floats |> Array.map (fun i -> Np.Reshape(c[i], -1)))
                checkUpTo options (order + 1) maxOrder $"{what} (of the reverse derivative)" paths pullbackOf xs

    /// checkGrads with options: forward and reverse mode of f at x against central finite
    /// differences in float64, up to `order` (1 or 2), per element of every float leaf of the
    /// parameter tree x. Throws a GradCheckException naming the first mismatch.
    let checkGradsWith (options: GradCheckOptions) (order: int) (f: 'p -> Tensor) (x: 'p) : unit =
        if order < 1 || order > 3 then
            invalidArg (nameof order) $"checkGrads: order is {order}; check order 1 (first derivatives), 2 or 3"
        if options.SamplesPerLeaf < 1 then
            invalidArg (nameof options) $"checkGrads: SamplesPerLeaf is {options.SamplesPerLeaf}; check at least one element per leaf"
        let tree = ParameterTree.Flatten(box x)
        let xs = tree.Leaves |> Seq.map (fun l -> if isFloat l then Np.AsType(l, DType.Float64) else l) |> Array.ofSeq
        if not (xs |> Array.exists isFloat) then
            invalidArg (nameof x) "checkGrads: the input has no float tensors to differentiate; pass float32 or float64 parameters"
        let g (a: Tensor[]) = Np.AsType(f (tree.Rebuild<'p> a), DType.Float64)
        checkUpTo options 1 order "" (Array.ofSeq tree.LeafPaths) g xs

    /// jax.test_util.check_grads: forward and reverse mode of f at the parameter tree x against
    /// float64 central finite differences, up to `order`, with the default tolerances (1e-5).
    /// `checkGrads 2 loss parameters` throws a GradCheckException ("checkGrads: ...") on a mismatch.
    let checkGrads (order: int) (f: 'p -> Tensor) (x: 'p) : unit = checkGradsWith GradCheckOptions.Default order f x
