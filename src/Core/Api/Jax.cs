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
    public static Jaxpr MakeJaxpr(Func<Tensor[], Tensor[]> f, params Tensor[] args) =>
        Tracing.Trace(f, args.Select(a => a.Aval).ToArray());

    /// <summary>The program of a function of one tensor; see <see cref="MakeJaxpr(Func{Tensor[], Tensor[]}, Tensor[])"/>.</summary>
    public static Jaxpr MakeJaxpr(Func<Tensor, Tensor> f, Tensor x) => MakeJaxpr(a => [f(a[0])], x);

    /// <summary>The program of a function of two tensors.</summary>
    public static Jaxpr MakeJaxpr(Func<Tensor, Tensor, Tensor> f, Tensor x, Tensor y) => MakeJaxpr(a => [f(a[0], a[1])], x, y);

    /// <summary>
    /// Compiles <paramref name="f"/>: the first call at given shapes and dtypes traces it and
    /// compiles the program; later calls at the same shapes and dtypes run the compiled code
    /// without tracing.
    /// </summary>
    /// <example><c>var fast = Jax.Jit((Tensor x) => Np.Sum(x * x)); fast(Np.Ones(1000));</c></example>
    public static Func<Tensor[], Tensor[]> Jit(Func<Tensor[], Tensor[]> f)
    {
        var jitted = new JitFunction(f);
        return args => jitted.Call(args);
    }

    /// <summary>Compiles a function of one tensor; see <see cref="Jit(Func{Tensor[], Tensor[]})"/>.</summary>
    public static Func<Tensor, Tensor> Jit(Func<Tensor, Tensor> f)
    {
        var jitted = new JitFunction(a => [f(a[0])]);
        return x => jitted.Call([x])[0];
    }

    /// <summary>Compiles a function of two tensors.</summary>
    public static Func<Tensor, Tensor, Tensor> Jit(Func<Tensor, Tensor, Tensor> f)
    {
        var jitted = new JitFunction(a => [f(a[0], a[1])]);
        return (x, y) => jitted.Call([x, y])[0];
    }

    /// <summary>Compiles a function of three tensors.</summary>
    public static Func<Tensor, Tensor, Tensor, Tensor> Jit(Func<Tensor, Tensor, Tensor, Tensor> f)
    {
        var jitted = new JitFunction(a => [f(a[0], a[1], a[2])]);
        return (x, y, z) => jitted.Call([x, y, z])[0];
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
        var jitted = new JitFunction((a, s) => [f(a[0], (TStatic)s!)]);
        return (x, s) => jitted.Call([x], s)[0];
    }

    /// <summary>
    /// How <c>jit</c> compiles <paramref name="f"/> for arguments shaped like <paramref name="args"/>:
    /// the simplified program, its fused groups (the equations each loop computes), and each
    /// loop's generated code as C#-like text.
    /// </summary>
    /// <example><c>Console.WriteLine(Jax.Lower(x => Nn.Selu(x), Tensor.FromArray(new float[1000])));</c></example>
    public static string Lower(Func<Tensor[], Tensor[]> f, params Tensor[] args)
    {
        var jaxpr = Tracing.Trace(f, args.Select(a => a.Aval).ToArray());
        return Cpu.ProgramListing.Print(Cpu.ProgramCache.Get(jaxpr));
    }

    /// <summary>How <c>jit</c> compiles a function of one tensor; see <see cref="Lower(Func{Tensor[], Tensor[]}, Tensor[])"/>.</summary>
    public static string Lower(Func<Tensor, Tensor> f, Tensor x) => Lower(a => [f(a[0])], x);
}
