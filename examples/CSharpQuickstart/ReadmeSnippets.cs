using JaxSharp;
using JaxSharp.FsCheck;

namespace CSharpQuickstart;

/// <summary>The README's C# snippets, verbatim, each returning what it computes (the tests call these).</summary>
public static class ReadmeSnippets
{
    /// <summary>The selu of the first look.</summary>
    public static Tensor Selu()
    {
        var x = Np.Array(new float[] { -1f, 0f, 2f });
        Tensor y = 1.05 * Np.Where(x > 0, x, 1.67 * Np.Exp(x) - 1.67);
        return y;
    }

    /// <summary>The OpenCL quickstart: a jitted function and its gradient on the first OpenCL device.</summary>
    public static (Device Device, Tensor Energy, Tensor Gradient) OnOpenCL()
    {
        Device device = Jax.Devices("opencl")[0];
        Tensor xs = Jax.DevicePut(Np.Linspace(0, 1, 1000), device);
        Func<Tensor, Tensor> energy = Jax.Jit((Tensor x) => Np.Sum(Np.Tanh(x * 2.0)));
        Tensor e = energy(xs);
        Tensor g = Jax.Jit(Jax.Grad(energy))(xs);
        return (device, e, g);
    }

    /// <summary>grad, jacfwd and hessian of the transformations section.</summary>
    public static (Tensor Grad, Tensor Jacobian, Tensor Hessian) Transformations()
    {
        Func<Tensor, Tensor> f = x => Np.Sum(Np.Sin(x) * x);
        Tensor g = Jax.Grad(f)(Np.Arange(3f));         // sin x + x cos x
        Tensor j = Jax.Jacfwd(Np.Sin)(Np.Arange(3f));  // the diagonal matrix of cos x
        Tensor h = Jax.Hessian(f)(Np.Arange(3f));      // diag(2 cos x - x sin x)
        return (g, j, h);
    }

    /// <summary>The control-flow snippet: 500 gradient steps as one jitted fori_loop, and an RNN-like scan over xs.</summary>
    public static (Tensor Fitted, Tensor Last, Tensor States) ControlFlow(Tensor w, Tensor x, Tensor y, Tensor xs)
    {
        var fit = Jax.Jit((Tensor w0, Tensor x, Tensor y) =>
            Lax.ForiLoop(0, 500, (i, w) => w - 0.1 * Jax.Grad((Tensor v) => Np.Mean(Np.Square(Np.Matmul(x, v) - y)))(w), w0));
        var (last, states) = Lax.Scan((h, x) => (Np.Tanh(0.5 * h + x), Np.Tanh(0.5 * h + x)), Np.Zeros(4), xs);
        return (fit(w, x, y), last, states);
    }

    /// <summary>grad through a C# conditional on the value, below and above the branch point.</summary>
    public static (Tensor Below, Tensor Above) GradThroughIf()
    {
        Func<Tensor, Tensor> piecewise = x => x < 3.0 ? 3.0 * x * x : -4.0 * x;
        Tensor below = Jax.Grad(piecewise)(Np.Scalar(2f)); // 12
        Tensor above = Jax.Grad(piecewise)(Np.Scalar(4f)); // -4
        return (below, above);
    }

    /// <summary>Per-example gradients with vmap of grad.</summary>
    public static Tensor PerExampleGradients()
    {
        var xs = Rng.Normal(Rng.Key(0), new Shape(8, 3));
        var w = Np.Ones(new Shape(3));
        Tensor perExample = Jax.Vmap((Tensor x) => Jax.Grad((Tensor v) => Np.Sum(Np.Tanh(x * v)))(w))(xs);
        return perExample;
    }

    /// <summary>A custom JVP rule that keeps log(1 + e^x) stable.</summary>
    public static Tensor CustomRule()
    {
        var log1pexp = Jax.CustomJvp((Tensor x) => Np.Log(1.0 + Np.Exp(x)), (x, t) => (Np.Log(1.0 + Np.Exp(x)), t * Nn.Sigmoid(x)));
        Tensor slope = Jax.Grad(log1pexp)(Np.Scalar(100f));
        return slope;
    }

    /// <summary>A linear model's parameters (a C# record is a parameter tree).</summary>
    public sealed record Linear(Tensor W, Tensor B);

    /// <summary>The mean squared error of the linear model.</summary>
    public static Tensor Loss(Linear p, Tensor x, Tensor y) => Np.Mean(Np.Square(Np.Matmul(x, p.W) + p.B - y));

    /// <summary>Inputs and targets of a known linear map (made before any tracing starts).</summary>
    private static (Tensor X, Tensor Y) Data()
    {
        var x = Rng.Normal(Rng.Key(1), new Shape(16, 3), DType.Float64);
        return (x, Np.Matmul(x, Np.Array(new[] { 1.0, -2.0, 0.5 })));
    }

    /// <summary>One Adam step of the README; returns the loss before and after.</summary>
    public static (double Before, double After) OptimizerStep()
    {
        var (x, y) = Data();
        var parameters = new Linear(Np.Zeros(new Shape(3), DType.Float64), Np.Scalar(0.0));
        var opt = Optim.Adam(3e-3);
        var state = opt.Init(parameters);
        var (value, grads) = Jax.ValueAndGradTree((Linear p) => Loss(p, x, y))(parameters);
        (var updates, state) = opt.Update(grads, state, parameters);
        parameters = Optim.ApplyUpdates(parameters, updates);
        return (value.Item<double>(), Loss(parameters, x, y).Item<double>());
    }

    /// <summary>checkGrads of the README on the linear model.</summary>
    public static void CheckGradsOfLinear()
    {
        var (x, y) = Data();
        var parameters = new Linear(Np.Array(new[] { 0.5, 0.25, -1.0 }), Np.Scalar(0.1));
        GradCheck.CheckGrads((Linear p) => Loss(p, x, y), parameters, order: 2);
    }
}
