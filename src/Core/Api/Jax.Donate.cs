using JaxSharp.IR;

namespace JaxSharp;

public static partial class Jax
{
    /// <summary>
    /// Compiles <paramref name="f"/> as <see cref="Jit(Func{Tensor[], Tensor[]})"/> does, donating the
    /// arguments at the indices <paramref name="donate"/> (JAX's <c>donate_argnums</c>): a call
    /// consumes them, and on the CPU writes outputs of the same shape and dtype into their buffers
    /// instead of fresh arrays where the program allows (an output computed after the program's
    /// last read of the input, or by the elementwise loop that reads it in place), so a training
    /// step <c>params -> params'</c> updates in place. Reading a donated tensor afterwards is an
    /// error naming the argument; use the call's output in its place. Inside another
    /// transformation's trace, and on OpenCL devices, donation does nothing.
    /// </summary>
    /// <example><c>var step = Jax.Jit(a => [a[0] - 0.1 * a[1]], donate: [0]); w = step([w, g])[0];</c></example>
    /// <exception cref="ArgumentOutOfRangeException">(When called) an index in <paramref name="donate"/> is not an argument's.</exception>
    public static Func<Tensor[], Tensor[]> Jit(Func<Tensor[], Tensor[]> f, int[] donate)
    {
        NotNull(f);
        var indices = DonateIndices(donate);
        var jitted = new JitFunction(a => Tracing.CheckOutputs(f(a), "jit"));
        Donation? last = null;
        return args =>
        {
            args = JitArguments(args);
            var donation = last is { } known && known.Inputs.Length == args.Length ? known : last = Donation.OfArguments(indices, args.Length, "Jax.Jit");
            return jitted.Call(args, donation: donation);
        };
    }

    /// <summary>Compiles a function of one tensor, donating it when <paramref name="donate"/> holds 0; see <see cref="Jit(Func{Tensor[], Tensor[]}, int[])"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index in <paramref name="donate"/> is not 0.</exception>
    public static Func<Tensor, Tensor> Jit(Func<Tensor, Tensor> f, int[] donate)
    {
        NotNull(f);
        var donation = Donation.OfArguments(DonateIndices(donate), 1, "Jax.Jit");
        var jitted = new JitFunction(a => [Tracing.CheckOutput(f(a[0]), "jit")]);
        return x => jitted.Call([JitArgument(x)], donation: donation)[0];
    }

    /// <summary>Compiles a function of two tensors, donating those at the indices <paramref name="donate"/>; see <see cref="Jit(Func{Tensor[], Tensor[]}, int[])"/>.</summary>
    /// <example><c>var sgd = Jax.Jit((Tensor w, Tensor g) => w - 0.01 * g, donate: [0]); w = sgd(w, g);</c></example>
    /// <exception cref="ArgumentOutOfRangeException">An index in <paramref name="donate"/> is not 0 or 1.</exception>
    public static Func<Tensor, Tensor, Tensor> Jit(Func<Tensor, Tensor, Tensor> f, int[] donate)
    {
        NotNull(f);
        var donation = Donation.OfArguments(DonateIndices(donate), 2, "Jax.Jit");
        var jitted = new JitFunction(a => [Tracing.CheckOutput(f(a[0], a[1]), "jit")]);
        return (x, y) => jitted.Call([JitArgument(x), JitArgument(y)], donation: donation)[0];
    }

    /// <summary>Compiles a function of three tensors, donating those at the indices <paramref name="donate"/>; see <see cref="Jit(Func{Tensor[], Tensor[]}, int[])"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index in <paramref name="donate"/> is not 0, 1 or 2.</exception>
    public static Func<Tensor, Tensor, Tensor, Tensor> Jit(Func<Tensor, Tensor, Tensor, Tensor> f, int[] donate)
    {
        NotNull(f);
        var donation = Donation.OfArguments(DonateIndices(donate), 3, "Jax.Jit");
        var jitted = new JitFunction(a => [Tracing.CheckOutput(f(a[0], a[1], a[2]), "jit")]);
        return (x, y, z) => jitted.Call([JitArgument(x), JitArgument(y), JitArgument(z)], donation: donation)[0];
    }

    /// <summary>
    /// Compiles a function of a parameter tree as <see cref="JitTree{TIn, TOut}(Func{TIn, TOut})"/>
    /// does, donating the arguments at the indices <paramref name="donate"/>: the items of a tuple
    /// input (<c>(params, x, y)</c>: 0 donates every tensor of <c>params</c>), or, for any other
    /// input, 0 for the whole tree. See <see cref="Jit(Func{Tensor[], Tensor[]}, int[])"/> for what
    /// donation does.
    /// </summary>
    /// <example><c>var step = Jax.JitTree(((Tensor W, Tensor G) p) => p.W - 0.1 * p.G, donate: [0]);</c></example>
    /// <exception cref="ArgumentOutOfRangeException">(When called) an index in <paramref name="donate"/> is not an argument's.</exception>
    public static Func<TIn, TOut> JitTree<TIn, TOut>(Func<TIn, TOut> f, int[] donate) where TIn : notnull where TOut : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        var indices = DonateIndices(donate);
        var jitted = new JitFunction((leaves, structure) =>
        {
            var outputs = ParameterTree.Flatten(f(((TreeDef)structure!).Rebuild<TIn>(leaves)));
            return (outputs.Leaves.ToArray(), outputs.Root);
        });
        return input =>
        {
            var tree = ParameterTree.Flatten(input);
            var (outputs, outputStructure) = jitted.CallWithInfo(tree.Leaves.ToArray(), tree.Structure, tree.DonationOf(indices, "jitDonate"));
            return (TOut)ParameterTree.Rebuild((ParameterTree.Node)outputStructure!, outputs);
        };
    }

    private static int[] DonateIndices(int[]? donate) => [.. Arg.NotNull(donate, "Jax.Jit", nameof(donate)).Distinct()];
}
