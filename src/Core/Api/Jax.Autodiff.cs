using JaxSharp.Transforms;

namespace JaxSharp;

public static partial class Jax
{
    /// <summary>
    /// Forward mode: the outputs of <paramref name="f"/> at <paramref name="primals"/> and their
    /// directional derivatives along <paramref name="tangents"/> (JAX's <c>jax.jvp</c>). Outside
    /// jit, primals and tangents are concrete and computed op by op as <paramref name="f"/> runs,
    /// so <paramref name="f"/> may branch, loop and recurse on its values.
    /// </summary>
    /// <example><c>var (y, dy) = Jax.Jvp(Np.Sin, x, Np.OnesLike(x)); // dy = cos x</c></example>
    public static (Tensor[] Outputs, Tensor[] Tangents) Jvp(Func<Tensor[], Tensor[]> f, Tensor[] primals, Tensor[] tangents)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(primals);
        ArgumentNullException.ThrowIfNull(tangents);
        if (primals.Length != tangents.Length)
            throw new ArgumentException($"jvp: {primals.Length} primals but {tangents.Length} tangents; give one tangent per primal");
        for (var i = 0; i < primals.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(primals[i], $"{nameof(primals)}[{i}]");
            ArgumentNullException.ThrowIfNull(tangents[i], $"{nameof(tangents)}[{i}]");
            if (!tangents[i].Shape.Equals(primals[i].Shape) || tangents[i].DType != primals[i].DType)
                throw new ArgumentException($"jvp: tangent {i} is {tangents[i].Aval} but its primal is {primals[i].Aval.Strong}; a tangent must have its primal's shape and dtype");
        }
        var (outputs, outTangents) = Linearization.Jvp(f, primals, tangents);
        return (outputs, outTangents.Select((t, i) => t ?? ZerosLike(outputs[i])).ToArray());
    }

    /// <summary>Forward mode for a function of one tensor; see <see cref="Jvp(Func{Tensor[], Tensor[]}, Tensor[], Tensor[])"/>.</summary>
    public static (Tensor Output, Tensor Tangent) Jvp(Func<Tensor, Tensor> f, Tensor primal, Tensor tangent)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(primal);
        ArgumentNullException.ThrowIfNull(tangent);
        var (outputs, tangents) = Jvp(a => [f(a[0])], [primal], [tangent]);
        return (outputs[0], tangents[0]);
    }

    /// <summary>
    /// The outputs of <paramref name="f"/> at <paramref name="primals"/> and the linear map of its
    /// derivative there (JAX's <c>jax.linearize</c>). The primal values are computed once, now,
    /// as <paramref name="f"/> runs (so it may branch on them); the tangent computation of the path
    /// taken is recorded, and each call of the map runs only that.
    /// </summary>
    public static (Tensor[] Outputs, Func<Tensor[], Tensor[]> Linear) Linearize(Func<Tensor[], Tensor[]> f, params Tensor[] primals)
    {
        var (outputs, linear) = Linearized("linearize", f, primals, AllArguments(primals));
        return (outputs, tangents =>
        {
            CheckLike("linearize", "tangent", "primal", tangents, primals);
            return linear.Apply(tangents).Select((t, i) => t ?? ZerosLike(outputs[i])).ToArray();
        });
    }

    /// <summary>Linearizes a function of one tensor; see <see cref="Linearize(Func{Tensor[], Tensor[]}, Tensor[])"/>.</summary>
    /// <example><c>var (y, linear) = Jax.Linearize(Np.Exp, x); linear(t); // e^x t</c></example>
    public static (Tensor Output, Func<Tensor, Tensor> Linear) Linearize(Func<Tensor, Tensor> f, Tensor primal)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(primal);
        var (outputs, linear) = Linearize(a => [f(a[0])], primal);
        return (outputs[0], t => linear([t])[0]);
    }

    /// <summary>
    /// Reverse mode: the outputs of <paramref name="f"/> at <paramref name="primals"/> and the
    /// pullback, which maps cotangents of the outputs to cotangents of the inputs (JAX's
    /// <c>jax.vjp</c>). As with <see cref="Linearize(Func{Tensor[], Tensor[]}, Tensor[])"/>, the
    /// primal values are concrete while <paramref name="f"/> runs; the pullback transposes the
    /// recorded tangent computation, and may itself be jitted or differentiated.
    /// </summary>
    public static (Tensor[] Outputs, Func<Tensor[], Tensor[]> Pullback) Vjp(Func<Tensor[], Tensor[]> f, params Tensor[] primals)
    {
        var (outputs, linear) = Linearized("vjp", f, primals, AllArguments(primals));
        return (outputs, cotangents =>
        {
            CheckLike("vjp", "cotangent", "output", cotangents, outputs);
            return Materialize(linear.Transpose(cotangents), primals);
        });
    }

    /// <summary>Reverse mode for a function of one tensor; see <see cref="Vjp(Func{Tensor[], Tensor[]}, Tensor[])"/>.</summary>
    public static (Tensor Output, Func<Tensor, Tensor> Pullback) Vjp(Func<Tensor, Tensor> f, Tensor primal)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(primal);
        var (outputs, pullback) = Vjp(a => [f(a[0])], primal);
        return (outputs[0], ct => pullback([ct])[0]);
    }

    /// <summary>
    /// The gradient of a scalar-valued function (JAX's <c>jax.grad</c>): a function that returns
    /// d f / d x, of x's shape and dtype. Outside jit, <paramref name="f"/> runs on concrete
    /// values, so .NET <c>if</c>, loops and recursion on them work.
    /// </summary>
    /// <example><c>var df = Jax.Grad((Tensor x) => Np.Sum(x * x)); df(x); // 2 x</c></example>
    public static Func<Tensor, Tensor> Grad(Func<Tensor, Tensor> f)
    {
        var valueAndGrad = ValueAndGrad(f);
        return x => valueAndGrad(x).Grad;
    }

    /// <summary>The gradient with respect to both arguments of a scalar-valued function of two tensors.</summary>
    public static Func<Tensor, Tensor, (Tensor, Tensor)> Grad(Func<Tensor, Tensor, Tensor> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return (x, y) =>
        {
            var g = ValueAndGradCore("grad", a => (f(a[0], a[1]), []), [x, y], [0, 1]).Grads;
            return (g[0], g[1]);
        };
    }

    /// <summary>The gradient with respect to all three arguments of a scalar-valued function of three tensors.</summary>
    public static Func<Tensor, Tensor, Tensor, (Tensor, Tensor, Tensor)> Grad(Func<Tensor, Tensor, Tensor, Tensor> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return (x, y, z) =>
        {
            var g = ValueAndGradCore("grad", a => (f(a[0], a[1], a[2]), []), [x, y, z], [0, 1, 2]).Grads;
            return (g[0], g[1], g[2]);
        };
    }

    /// <summary>
    /// The gradient of a scalar-valued function of several tensors with respect to the arguments
    /// <paramref name="argnums"/> (JAX's <c>argnums</c>; default: argument 0), in that order.
    /// The other arguments are constants, concrete values <paramref name="f"/> may branch on.
    /// </summary>
    public static Func<Tensor[], Tensor[]> Grad(Func<Tensor[], Tensor> f, params int[] argnums)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(argnums);
        return args => ValueAndGradCore("grad", a => (f(a), []), args, Argnums(argnums, args)).Grads;
    }

    /// <summary>
    /// The gradient of a scalar-valued function of a parameter tree (a record, tuple or array of
    /// tensors; see <see cref="ParameterTree"/>): the result has the structure of the parameters.
    /// </summary>
    /// <example><c>var g = Jax.GradTree(((Tensor W, Tensor B) p) => Loss(p.W, p.B))((w, b));</c></example>
    public static Func<T, T> GradTree<T>(Func<T, Tensor> f) where T : notnull
    {
        var valueAndGrad = ValueAndGradTree(f);
        return parameters => valueAndGrad(parameters).Grad;
    }

    /// <summary>The value and the gradient of a scalar-valued function of a parameter tree.</summary>
    public static Func<T, (Tensor Value, T Grad)> ValueAndGradTree<T>(Func<T, Tensor> f) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        return parameters =>
        {
            ArgumentNullException.ThrowIfNull(parameters);
            var tree = ParameterTree.Flatten(parameters);
            var leaves = tree.Leaves.ToArray();
            var (value, _, grads) = ValueAndGradCore("grad", a => (f(tree.Rebuild<T>(a)), []), leaves, AllArguments(leaves));
            return (value, tree.Rebuild<T>(grads));
        };
    }

    /// <summary>The value and the gradient of a scalar-valued function (JAX's <c>jax.value_and_grad</c>).</summary>
    public static Func<Tensor, (Tensor Value, Tensor Grad)> ValueAndGrad(Func<Tensor, Tensor> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return x =>
        {
            var (value, _, grads) = ValueAndGradCore("grad", a => (f(a[0]), []), [x], [0]);
            return (value, grads[0]);
        };
    }

    /// <summary>The value and the gradients with respect to <paramref name="argnums"/> (default: argument 0).</summary>
    public static Func<Tensor[], (Tensor Value, Tensor[] Grads)> ValueAndGrad(Func<Tensor[], Tensor> f, params int[] argnums)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(argnums);
        return args =>
        {
            var (value, _, grads) = ValueAndGradCore("value_and_grad", a => (f(a), []), args, Argnums(argnums, args));
            return (value, grads);
        };
    }

    /// <summary>
    /// The gradient of a function that returns a scalar and auxiliary data (JAX's <c>has_aux=True</c>):
    /// the auxiliary output is returned as computed, not differentiated.
    /// </summary>
    public static Func<Tensor, (Tensor Grad, Tensor Aux)> GradWithAux(Func<Tensor, (Tensor Value, Tensor Aux)> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return x =>
        {
            var (_, aux, grads) = ValueAndGradCore("grad", a => { var (v, au) = f(a[0]); return (v, [au]); }, [x], [0]);
            return (grads[0], aux[0]);
        };
    }

    /// <summary>The value, auxiliary data and gradient of a function that returns a scalar and auxiliary data.</summary>
    public static Func<Tensor, ((Tensor Value, Tensor Aux) Value, Tensor Grad)> ValueAndGradWithAux(Func<Tensor, (Tensor Value, Tensor Aux)> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return x =>
        {
            var (value, aux, grads) = ValueAndGradCore("value_and_grad", a => { var (v, au) = f(a[0]); return (v, [au]); }, [x], [0]);
            return ((value, aux[0]), grads[0]);
        };
    }

    /// <summary>
    /// The value, the auxiliary outputs and the gradients of <paramref name="f"/> (which returns a
    /// scalar and auxiliary tensors) with respect to the arguments <paramref name="wrt"/>.
    /// The core of every grad form; <paramref name="op"/> names the caller in error messages.
    /// </summary>
    internal static (Tensor Value, Tensor[] Aux, Tensor[] Grads) ValueAndGradCore(
        string op, Func<Tensor[], (Tensor Value, Tensor[] Aux)> f, Tensor[] args, int[] wrt)
    {
        var auxCount = -1;
        Tensor[] Flat(Tensor[] a)
        {
            var (value, aux) = f(a);
            ArgumentNullException.ThrowIfNull(value, "the function's output");
            if (value.Rank != 0)
                throw new ArgumentException($"{op} requires a scalar output, got shape {value.Shape}; use vjp or jacrev for non-scalar outputs, or reduce it first (e.g. Np.Sum)");
            if (!value.DType.IsFloat())
                throw new ArgumentException($"{op} requires a float output, got {value.DType.Name()}; gradients of integer or bool outputs are zero: convert with Np.AsType(x, DType.Float32) if you meant a real function");
            auxCount = aux.Length;
            return [value, .. aux];
        }
        var (outputs, linear) = Linearized(op, Flat, args, wrt);
        var cotangents = new Tensor?[outputs.Length];
        cotangents[0] = PlacedLike(Np.Cast(Tensor.Scalar(1.0), outputs[0].DType), outputs[0]);
        var grads = linear.Transpose(cotangents);
        return (outputs[0], outputs[1..(1 + auxCount)], grads.Select((g, k) => g ?? ZerosLike(args[wrt[k]])).ToArray());
    }

    /// <summary>
    /// <paramref name="f"/> linearized at <paramref name="primals"/> with respect to the arguments
    /// <paramref name="wrt"/>: its primal outputs and the linear program of its tangents.
    /// </summary>
    private static (Tensor[] Outputs, LinearProgram Linear) Linearized(string op, Func<Tensor[], Tensor[]> f, Tensor[] primals, int[] wrt)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(primals);
        for (var i = 0; i < primals.Length; i++) ArgumentNullException.ThrowIfNull(primals[i], $"{nameof(primals)}[{i}]");
        foreach (var i in wrt)
            if (!primals[i].DType.IsFloat())
                throw new ArgumentException(
                    $"{op}: argument {i} is {primals[i].DType.Name()}{primals[i].Shape}, but differentiation needs float inputs; " +
                    "convert it with Np.AsType(x, DType.Float32), or leave it out of argnums if it is not a parameter");
        return Linearization.Linearize(f, primals, wrt);
    }

    private static int[] AllArguments(Tensor[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return Ints.Range(0, args.Length);
    }

    private static int[] Argnums(int[] argnums, Tensor[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var chosen = argnums.Length == 0 ? [0] : argnums;
        foreach (var a in chosen)
            if (a < 0 || a >= args.Length)
                throw new ArgumentException($"grad: argnums {Ints.Format(chosen)} names argument {a}, but the function was called with {args.Length} arguments");
        if (Ints.Repeats(chosen))
            throw new ArgumentException($"grad: argnums {Ints.Format(chosen)} repeats an argument");
        return chosen;
    }

    /// <summary>Checks that <paramref name="given"/> has one tensor of each shape and dtype of <paramref name="like"/>.</summary>
    private static void CheckLike(string op, string what, string likeWhat, Tensor[] given, Tensor[] like)
    {
        ArgumentNullException.ThrowIfNull(given);
        if (given.Length != like.Length)
            throw new ArgumentException($"{op}: {like.Length} {likeWhat}s but {given.Length} {what}s were given; give one {what} per {likeWhat}");
        for (var i = 0; i < like.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(given[i], $"{what}s[{i}]");
            if (!given[i].Shape.Equals(like[i].Shape) || given[i].DType != like[i].DType)
                throw new ArgumentException($"{op}: {what} {i} is {given[i].Aval} but {likeWhat} {i} is {like[i].Aval.Strong}; give {what}s of the {likeWhat}s' shapes and dtypes");
        }
    }

    private static Tensor[] Materialize(Tensor?[] cotangents, Tensor[] like) =>
        cotangents.Select((c, i) => c ?? ZerosLike(like[i])).ToArray();

    /// <summary>Zeros of the shape and dtype of <paramref name="x"/>: a broadcast scalar, so it works in any trace.</summary>
    internal static Tensor ZerosLike(Tensor x) => PlacedLike(Primitives.Rules.Zeros(x.Aval.Strong), x);

    /// <summary>
    /// <paramref name="value"/> (made on the host), committed to the device of <paramref name="like"/>
    /// when that is a concrete committed value: the derivatives of values on a device (a zero
    /// gradient, grad's seed cotangent and so everything computed from it) are on that device, as
    /// every other result of a call on them.
    /// </summary>
    private static Tensor PlacedLike(Tensor value, Tensor like) =>
        like.IsCommitted && !like.IsTracer && !like.IsShapeOnly ? DevicePut(value, like.Device) : value;

    /// <summary>
    /// <paramref name="x"/> itself, as a constant to differentiation: gradients do not flow
    /// through it (JAX's <c>jax.lax.stop_gradient</c>).
    /// </summary>
    public static Tensor StopGradient(Tensor x) => Primitives.Autodiff.StopGradient.Instance.Bind(Primitives.PrimitiveParams.None, x);
}
