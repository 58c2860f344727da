using System.Runtime.CompilerServices;
using JaxSharp.IR;

namespace JaxSharp;

/// <summary>
/// JAX's transformations for C#: <c>Jit</c>, <c>MakeJaxpr</c> (and, with their issues, grad,
/// jvp, vjp, vmap). Each takes a function of tensors and returns a function of tensors.
/// </summary>
public static partial class Jax
{
    /// <summary>
    /// The program <paramref name="f"/> computes, traced at the shapes and dtypes of
    /// <paramref name="args"/> (their values are not used). Print it to read it as a jaxpr.
    /// </summary>
    /// <example><c>Console.WriteLine(Jax.MakeJaxpr(x => Np.Sin(x), Np.Zeros(3)));</c></example>
    public static Jaxpr MakeJaxpr(Func<Tensor[], Tensor[]> f, params Tensor[] args)
    {
        NotNull(f);
        return Tracing.Trace(f, NoNulls(args).Select(a => a.Aval).ToArray(), "make_jaxpr");
    }

    /// <summary>The program of a function of one tensor; see <see cref="MakeJaxpr(Func{Tensor[], Tensor[]}, Tensor[])"/>.</summary>
    public static Jaxpr MakeJaxpr(Func<Tensor, Tensor> f, Tensor x)
    {
        NotNull(f);
        return MakeJaxpr(a => [f(a[0])], NotNull(x));
    }

    /// <summary>The program of a function of two tensors.</summary>
    public static Jaxpr MakeJaxpr(Func<Tensor, Tensor, Tensor> f, Tensor x, Tensor y)
    {
        NotNull(f);
        return MakeJaxpr(a => [f(a[0], a[1])], NotNull(x), NotNull(y));
    }

    /// <summary>
    /// Compiles <paramref name="f"/>: the first call at given shapes and dtypes traces it and
    /// compiles the program; later calls at the same shapes and dtypes run the compiled code
    /// without tracing.
    /// </summary>
    /// <example><c>var fast = Jax.Jit((Tensor x) => Np.Sum(x * x)); fast(Np.Ones(1000));</c></example>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> is null, or (when called) an argument is.</exception>
    public static Func<Tensor[], Tensor[]> Jit(Func<Tensor[], Tensor[]> f)
    {
        NotNull(f);
        var jitted = new JitFunction(a => Tracing.CheckOutputs(f(a), "jit"));
        return args => jitted.Call(JitArguments(args));
    }

    /// <summary>Compiles a function of one tensor; see <see cref="Jit(Func{Tensor[], Tensor[]})"/>.</summary>
    public static Func<Tensor, Tensor> Jit(Func<Tensor, Tensor> f)
    {
        NotNull(f);
        var jitted = new JitFunction(a => [Tracing.CheckOutput(f(a[0]), "jit")]);
        return x => jitted.Call([JitArgument(x)])[0];
    }

    /// <summary>Compiles a function of two tensors.</summary>
    public static Func<Tensor, Tensor, Tensor> Jit(Func<Tensor, Tensor, Tensor> f)
    {
        NotNull(f);
        var jitted = new JitFunction(a => [Tracing.CheckOutput(f(a[0], a[1]), "jit")]);
        return (x, y) => jitted.Call([JitArgument(x), JitArgument(y)])[0];
    }

    /// <summary>Compiles a function of three tensors.</summary>
    public static Func<Tensor, Tensor, Tensor, Tensor> Jit(Func<Tensor, Tensor, Tensor, Tensor> f)
    {
        NotNull(f);
        var jitted = new JitFunction(a => [Tracing.CheckOutput(f(a[0], a[1], a[2]), "jit")]);
        return (x, y, z) => jitted.Call([JitArgument(x), JitArgument(y), JitArgument(z)])[0];
    }

    /// <summary>
    /// Compiles <paramref name="f"/> with a static argument, as JAX's <c>static_argnums</c>: the
    /// function is traced and compiled once per value of <paramref name="f"/>'s second argument
    /// (compared with <c>Equals</c>), which it may use as an ordinary .NET value (a shape, a
    /// flag, a count for a host loop); only the tensor is traced.
    /// </summary>
    /// <example><c>var power = Jax.Jit((Tensor x, int n) => Enumerable.Repeat(x, n).Aggregate((a, b) => a * b)); power(x, 3);</c></example>
    public static Func<Tensor, TStatic, Tensor> Jit<TStatic>(Func<Tensor, TStatic, Tensor> f)
    {
        NotNull(f);
        var jitted = new JitFunction((a, s) => [Tracing.CheckOutput(f(a[0], (TStatic)s!), "jit")]);
        return (x, s) => jitted.Call([JitArgument(x)], s)[0];
    }

    /// <summary>An argument of a jitted function, which must not be null.</summary>
    private static Tensor JitArgument(Tensor? x, [CallerArgumentExpression(nameof(x))] string parameter = "") =>
        Arg.NotNull(x, "a function compiled by Jax.Jit", parameter);

    private static Tensor[] JitArguments(Tensor[]? args) => Arg.NoNulls(args, "a function compiled by Jax.Jit", nameof(args));

    /// <summary>
    /// How <c>jit</c> compiles <paramref name="f"/> for arguments shaped like <paramref name="args"/>:
    /// the simplified program, its fused groups (the equations each loop computes), and each
    /// loop's generated code as C#-like text. For arguments on an OpenCL device (committed there
    /// with <see cref="DevicePut"/>, or the default device), the OpenCL C source of each kernel
    /// the device runs, in launch order.
    /// </summary>
    /// <example><c>Console.WriteLine(Jax.Lower(x => Nn.Selu(x), Tensor.FromArray(new float[1000])));</c></example>
    public static string Lower(Func<Tensor[], Tensor[]> f, params Tensor[] args)
    {
        NotNull(f);
        var jaxpr = Tracing.Trace(f, NoNulls(args).Select(a => a.Aval).ToArray(), "lower");
        var (device, _) = Placement.Of(args, "lower");
        return device.IsHost ? Cpu.ProgramListing.Print(Cpu.ProgramCache.Get(jaxpr)) : device.Compile(jaxpr).Listing;
    }

    /// <summary>How <c>jit</c> compiles a function of one tensor; see <see cref="Lower(Func{Tensor[], Tensor[]}, Tensor[])"/>.</summary>
    public static string Lower(Func<Tensor, Tensor> f, Tensor x)
    {
        NotNull(f);
        return Lower(a => [f(a[0])], NotNull(x));
    }
}
