using JaxSharp.Primitives.Control;

namespace JaxSharp;

public static partial class Lax
{
    private const string ScanOp = "lax.scan";

    /// <summary>
    /// <c>lax.scan</c>: loops <paramref name="f"/> over the leading axis of <paramref name="xs"/>,
    /// threading a carry: <c>(carry, y) = f(carry, x)</c> per slice <c>x</c>; returns the final carry
    /// and the <c>y</c>s stacked along a new leading axis. Carry, xs and ys are parameter trees
    /// (tensors, tuples, records, arrays, lists); <paramref name="xs"/> may be null when
    /// <paramref name="length"/> is given (then <paramref name="f"/> gets null), and ys may be null.
    /// The body is traced once and compiled to one loop, however long; it is differentiable in
    /// both modes (reverse mode stores the body's residuals per step: wrap the body in
    /// <see cref="Jax.Checkpoint(Func{Tensor[], Tensor})"/> to recompute them instead).
    /// </summary>
    /// <param name="f">The body: carry and one slice of xs to the new carry (same structure, shapes and dtypes) and this step's ys.</param>
    /// <param name="init">The initial carry.</param>
    /// <param name="xs">The sequences scanned over, each leaf with the length as its leading axis; null for none.</param>
    /// <param name="length">The number of steps: required without xs; with xs, it must equal their leading axis.</param>
    /// <param name="reverse">Run from the last slice to the first (ys stay at their slices' positions).</param>
    /// <param name="unroll">Steps per iteration of the compiled loop (values do not depend on it).</param>
    /// <example><c>var ((h, n), hs) = Lax.ScanTree(((Tensor H, Tensor N) c, Tensor x) => ((c.H * x, c.N + 1), c.H), (h0, n0), xs);</c></example>
    /// <exception cref="ArgumentException">The xs disagree on their length or with <paramref name="length"/>, neither is given, or the body changes the carry's structure, shape or dtype.</exception>
    public static (TCarry Carry, TY Ys) ScanTree<TCarry, TX, TY>(Func<TCarry, TX, (TCarry Carry, TY Y)> f, TCarry init, TX? xs, int? length = null, bool reverse = false, int unroll = 1)
        where TCarry : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        Arg.NotNull((object?)init, ScanOp, nameof(init));
        var initTree = ParameterTree.Flatten(init);
        var xsTree = xs is null ? null : ParameterTree.Flatten(xs);
        var (carries, ys, ysTree) = ScanTrees.Run(
            (carry, x) => { var (c, y) = f(initTree.Rebuild<TCarry>(carry), xsTree is null ? default! : xsTree.Rebuild<TX>(x)); return (c, y); },
            initTree, xsTree, length, reverse, unroll);
        return (initTree.Rebuild<TCarry>(carries), ysTree is null ? default! : (TY)ParameterTree.Rebuild(ysTree.Root, ys));
    }

    /// <summary><c>lax.scan</c> of one tensor carry over one tensor xs (see the tree form for the rules).</summary>
    /// <example><c>var (total, cumsum) = Lax.Scan((c, x) => (c + x, c + x), Np.Zeros(3), xs);</c></example>
    public static (Tensor Carry, Tensor Ys) Scan(Func<Tensor, Tensor, (Tensor Carry, Tensor Y)> f, Tensor init, Tensor? xs, int? length = null, bool reverse = false, int unroll = 1) =>
        ScanTree<Tensor, Tensor, Tensor>(f, init, xs, length, reverse, unroll);

    /// <summary><c>lax.scan</c> of arrays of tensors: carries, xs (null for none) and ys (see the tree form for the rules).</summary>
    /// <example><c>var (c, ys) = Lax.Scan((c, x) => ([c[0] + x[0]], [c[0] * x[0]]), [Np.Zeros(3)], [xs]);</c></example>
    public static (Tensor[] Carry, Tensor[] Ys) Scan(Func<Tensor[], Tensor[], (Tensor[] Carry, Tensor[] Y)> f, Tensor[] init, Tensor[]? xs, int? length = null, bool reverse = false, int unroll = 1) =>
        ScanTree<Tensor[], Tensor[], Tensor[]>(f, init, xs, length, reverse, unroll);

    /// <summary>
    /// <c>lax.map</c>: <paramref name="f"/> applied to each slice of <paramref name="xs"/> along its
    /// leading axis, the results stacked: a scan with no carry, so the body is traced and compiled once.
    /// </summary>
    /// <example><c>var norms = Lax.MapTree((Tensor row) => Np.Sqrt(Np.Sum(row * row)), matrix);</c></example>
    public static TY MapTree<TX, TY>(Func<TX, TY> f, TX xs) where TX : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        Arg.NotNull((object?)xs, "lax.map", nameof(xs));
        return ScanTree<Tensor[], TX, TY>((c, x) => (c, f(x)), [], xs).Ys;
    }

    /// <summary><c>lax.map</c> over one tensor (see the tree form).</summary>
    /// <example><c>var squares = Lax.Map(x => x * x, xs);</c></example>
    public static Tensor Map(Func<Tensor, Tensor> f, Tensor xs) => MapTree<Tensor, Tensor>(f, xs);
}
