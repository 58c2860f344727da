namespace JaxSharp.FSharp

open System
open JaxSharp

/// JAX's transformations for F#: curried, composable in any order (`f |> grad |> jit`).
/// Functions of several parameters take them as a parameter tree: a tuple, record, array or
/// list of tensors (see JaxSharp.ParameterTree); gradients come back in the same structure.
[<AutoOpen>]
module Transformations =

    /// The gradient of a scalar-valued function of a tensor or a parameter tree
    /// (`grad (fun (w, b) -> loss w b)` returns a tuple), as jax.grad.
    let grad (f: 'p -> Tensor) : 'p -> 'p = Jax.GradTree(Func<'p, Tensor>(f)).Invoke

    /// The value and the gradient, as jax.value_and_grad.
    let valueAndGrad (f: 'p -> Tensor) : 'p -> Tensor * 'p =
        let g = Jax.ValueAndGradTree(Func<'p, Tensor>(f))
        fun p -> g.Invoke p |> fun struct (v, d) -> v, d

    /// The gradient of a function returning (scalar, auxiliary data), with the auxiliary data
    /// returned as computed (jax.grad with has_aux=True).
    let gradWithAux (f: Tensor -> Tensor * Tensor) : Tensor -> Tensor * Tensor =
        let g = Jax.GradWithAux(Func<Tensor, struct (Tensor * Tensor)>(fun x -> let v, a = f x in struct (v, a)))
        fun x -> g.Invoke x |> fun struct (d, a) -> d, a

    /// Forward mode: (output, directional derivative along the tangents), as jax.jvp. The input
    /// and output may be tensors or parameter trees; the tangents have the input's structure.
    /// Outside jit, f runs on concrete values: `if`, loops and recursion on them work.
    let jvp (f: 'a -> 'b) (primals: 'a) (tangents: 'a) : 'b * 'b =
        let struct (y, dy) = Jax.JvpTree(Func<'a, 'b>(f), primals, tangents)
        y, dy

    /// The output and the linear map of the derivative at a point, as jax.linearize: the primal
    /// values are computed once, now; the map runs the recorded tangent computation only.
    let linearize (f: 'a -> 'b) (primals: 'a) : 'b * ('a -> 'b) =
        let struct (y, linear) = Jax.LinearizeTree(Func<'a, 'b>(f), primals)
        y, linear.Invoke

    /// Reverse mode: (output, pullback from output cotangents to input cotangents), as jax.vjp;
    /// tensors or parameter trees. The pullback can itself be jitted or differentiated.
    let vjp (f: 'a -> 'b) (primals: 'a) : 'b * ('b -> 'a) =
        let struct (y, pullback) = Jax.VjpTree(Func<'a, 'b>(f), primals)
        y, pullback.Invoke

    /// The transpose of a linear function, as jax.linear_transpose: from cotangents of its output
    /// to cotangents of its input; only the shapes and dtypes of `primals` are used.
    let linearTranspose (f: 'a -> 'b) (primals: 'a) : 'b -> 'a =
        Jax.LinearTransposeTree(Func<'a, 'b>(f), primals).Invoke

    /// The shapes and dtypes of f's outputs, without computing them, as jax.eval_shape: a tree of
    /// shape-only tensors. The inputs may be shape-only too (`shapeDtypeStruct`).
    let evalShape (f: 'a -> 'b) (args: 'a) : 'b = Jax.EvalShapeTree(Func<'a, 'b>(f), args)

    /// A tensor with a shape and dtype but no values, as jax.ShapeDtypeStruct: an input for
    /// evalShape or linearTranspose that allocates nothing.
    let shapeDtypeStruct (shape: int[]) (dtype: DType) : Tensor = Tensor.ShapeDtypeStruct(Shape(shape), dtype)

    /// Compiles a function of a tensor or a parameter tree (`jit (fun (w, x) -> ...)`): traced
    /// once per input structure, shapes and dtypes, then run from the cache.
    let jit (f: 'a -> 'b) : 'a -> 'b =
        match box f with
        | :? (Tensor -> Tensor) as g -> unbox (box (Jax.Jit(Func<Tensor, Tensor>(g)).Invoke))
        | _ -> Jax.JitTree(Func<'a, 'b>(f)).Invoke

    /// Compiles f as jit does, donating the arguments at the indices `donate` (jax.jit's
    /// donate_argnums): the items of a tuple input (`jitDonate [0] (fun (p, x, y) -> ...)` donates
    /// every tensor of p), or 0 for any other input. A call consumes them and, on the CPU, writes
    /// outputs of the same shape and dtype into their buffers where the program allows, so a
    /// training step `p -> p'` updates in place; reading a donated tensor afterwards is an error.
    let jitDonate (donate: int list) (f: 'a -> 'b) : 'a -> 'b =
        let indices = Array.ofList donate
        match box f with
        | :? (Tensor -> Tensor) as g -> unbox (box (Jax.Jit(Func<Tensor, Tensor>(g), indices).Invoke))
        | _ -> Jax.JitTree(Func<'a, 'b>(f), indices).Invoke

    /// Compiles a function with a static argument, as jax.jit with static_argnums: traced and
    /// compiled once per value of 's (compared with Equals), which f may use as a plain value.
    let jitStatic (f: Tensor -> 's -> Tensor) : Tensor -> 's -> Tensor =
        let jitted = Jax.Jit<'s>(Func<Tensor, 's, Tensor>(f))
        fun x s -> jitted.Invoke(x, s)

    /// How jit compiles f for inputs shaped like x: the simplified program, its fused groups and
    /// their loops as C#-like text (jax.jit(f).lower(x).as_text()); for x on an OpenCL device,
    /// each kernel's OpenCL C.
    let lower (f: Tensor -> Tensor) (x: Tensor) : string = Jax.Lower(Func<Tensor, Tensor>(f), x)

    /// Every device, as jax.devices(): the CPU first, then each OpenCL device when the
    /// JaxSharp.OpenCL package is referenced and an OpenCL platform is installed.
    let devices () : Device list = Jax.Devices() |> List.ofSeq

    /// The devices of one platform ("cpu" or "opencl"); an error that says why and how to get
    /// one when there are none.
    let devicesOf (platform: string) : Device list = Jax.Devices(platform) |> List.ofSeq

    /// x on the device, committed to it, as jax.device_put: calls on it run there
    /// (`x |> devicePut gpu |> np.sin`). Reading its values copies them back.
    let devicePut (device: Device) (x: Tensor) : Tensor = Jax.DevicePut(x, device)

    /// The program a function computes, traced at the shape and dtype of x; print it to read it.
    let makeJaxpr (f: Tensor -> Tensor) (x: Tensor) = Jax.MakeJaxpr(Func<Tensor, Tensor>(f), x)

    /// Empties the caches (compiled programs, eager kernels, pooled buffers), as
    /// jax.clear_caches; jitted functions keep working and compile again on their next call.
    /// Bounds are set in CacheLimits (`CacheLimits.EagerKernels <- 2000`).
    let clearCaches () = Jax.ClearCaches()

    /// The current sizes of the caches: live jitted functions, shared programs, eager kernels,
    /// pooled buffers and their bytes.
    let cacheStatistics () : CacheStatistics = Jax.CacheStatistics()

    /// x as a constant to differentiation, as jax.lax.stop_gradient.
    let stopGradient (x: Tensor) = Jax.StopGradient x

    /// A function with a JVP rule of your own, as jax.custom_jvp: rule primal tangent = (output, tangent).
    let customJvp (f: Tensor -> Tensor) (rule: Tensor -> Tensor -> Tensor * Tensor) : Tensor -> Tensor =
        Jax.CustomJvp(Func<Tensor, Tensor>(f), Func<Tensor, Tensor, struct (Tensor * Tensor)>(fun p t -> let y, dy = rule p t in struct (y, dy))).Invoke

    /// A function with a reverse-mode rule of your own, as jax.custom_vjp: forward x = (output,
    /// residuals); backward residuals cotangent = input cotangent.
    let customVjp (f: Tensor -> Tensor) (forward: Tensor -> Tensor * Tensor[]) (backward: Tensor[] -> Tensor -> Tensor) : Tensor -> Tensor =
        Jax.CustomVjp(
            Func<Tensor, Tensor>(f),
            Func<Tensor, struct (Tensor * Tensor[])>(fun x -> let y, r = forward x in struct (y, r)),
            Func<Tensor[], Tensor, Tensor>(backward)
        ).Invoke

    /// customJvp of a function of a parameter tree (tuples, records, arrays, lists of tensors)
    /// returning a tree: rule primals tangents = (output, output tangent), trees of the input's and
    /// the output's structures. The call is one equation with an output per leaf.
    let customJvpTree (f: 'a -> 'b) (rule: 'a -> 'a -> 'b * 'b) : 'a -> 'b =
        Jax.CustomJvpTree(Func<'a, 'b>(f), Func<'a, 'a, struct ('b * 'b)>(fun p t -> let y, dy = rule p t in struct (y, dy))).Invoke

    /// customVjp of a function of a parameter tree returning a tree: forward x = (output,
    /// residuals), backward residuals cotangent = input cotangent; residuals are a tree too.
    let customVjpTree (f: 'a -> 'b) (forward: 'a -> 'b * 'r) (backward: 'r -> 'b -> 'a) : 'a -> 'b =
        Jax.CustomVjpTree(
            Func<'a, 'b>(f),
            Func<'a, struct ('b * 'r)>(fun x -> let y, r = forward x in struct (y, r)),
            Func<'r, 'b, 'a>(backward)
        ).Invoke

    /// The function, recomputed instead of stored under reverse mode, as jax.checkpoint.
    let checkpoint (f: Tensor -> Tensor) : Tensor -> Tensor = Jax.Checkpoint(Func<Tensor, Tensor>(f)).Invoke

    /// Maps f over axis 0 of its input (a tensor or a parameter tree of tensors) without a loop,
    /// as jax.vmap; the output may be a tensor or a tree too.
    let vmap (f: 'a -> 'b) : 'a -> 'b = Jax.VmapTree(Func<'a, 'b>(f)).Invoke

    /// vmap with JAX's in_axes and out_axes: one entry per tensor leaf of the input and of the
    /// output, in order; None leaves that leaf unmapped (`vmapWith [ Some 0; None ] [ Some 0 ] f`).
    let vmapWith (inAxes: int option list) (outAxes: int option list) (f: 'a -> 'b) : 'a -> 'b =
        let toNullable = List.map Option.toNullable >> Array.ofList
        Jax.VmapTree(Func<'a, 'b>(f), toNullable inAxes, toNullable outAxes).Invoke

    /// The Jacobian by forward mode (one batched program), as jax.jacfwd: output shape + input shape.
    let jacfwd (f: Tensor -> Tensor) : Tensor -> Tensor = Jax.Jacfwd(Func<Tensor, Tensor>(f)).Invoke

    /// The Jacobian by reverse mode (one batched pullback), as jax.jacrev.
    let jacrev (f: Tensor -> Tensor) : Tensor -> Tensor = Jax.Jacrev(Func<Tensor, Tensor>(f)).Invoke

    /// The Hessian of a scalar function, jacfwd (jacrev f), as jax.hessian.
    let hessian (f: Tensor -> Tensor) : Tensor -> Tensor = Jax.Hessian(Func<Tensor, Tensor>(f)).Invoke

    /// jacfwd between parameter trees, in JAX's layout: the output's structure holding, for each
    /// output tensor, a tree of the input's structure of blocks (output shape + input shape).
    /// Name the result's type: `let jw, jb = jacfwdTree f (w, b) : Tensor * Tensor`.
    let jacfwdTree (f: 'a -> 'b) : 'a -> 'j = Jax.JacfwdTree<'a, 'b, 'j>(Func<'a, 'b>(f)).Invoke

    /// jacrev between parameter trees, in the layout of jacfwdTree.
    let jacrevTree (f: 'a -> 'b) : 'a -> 'j = Jax.JacrevTree<'a, 'b, 'j>(Func<'a, 'b>(f)).Invoke

    /// The Hessian of a scalar function of a parameter tree: the input's structure of the input's
    /// structure (for a pair, `(hww, hwb), (hbw, hbb)`), as jax.hessian.
    let hessianTree (f: 'a -> Tensor) : 'a -> 'h = Jax.HessianTree<'a, 'h>(Func<'a, Tensor>(f)).Invoke
