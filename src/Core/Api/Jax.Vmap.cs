using JaxSharp.IR;
using JaxSharp.Primitives;
using JaxSharp.Transforms;

namespace JaxSharp;

public static partial class Jax
{
    /// <summary>
    /// Maps <paramref name="f"/> over an axis of its arguments without a loop (JAX's <c>jax.vmap</c>):
    /// the per-example program is traced once and rewritten by every primitive's batching rule.
    /// Only the per-example values are abstract: unmapped arguments, and what is computed from
    /// them and from concrete values alone, stay concrete and can be branched on.
    /// <paramref name="inAxes"/> gives each argument's mapped axis (null: not mapped; default: 0 for
    /// all); <paramref name="outAxes"/> where each output's mapped axis goes (default: 0; null: the
    /// output must not depend on a mapped argument).
    /// </summary>
    /// <example><c>var matvecs = Jax.Vmap(a => [Np.Dot(mat, a[0])])(new[] { vs })[0];</c></example>
    public static Func<Tensor[], Tensor[]> Vmap(Func<Tensor[], Tensor[]> f, int?[]? inAxes = null, int?[]? outAxes = null)
    {
        NotNull(f);
        return args => VmapCore(f, VmapArguments(args), inAxes ?? Enumerable.Repeat<int?>(0, args.Length).ToArray(), outAxes);
    }

    /// <summary>Maps a function of one tensor over axis <paramref name="inAxis"/>, stacking results along <paramref name="outAxis"/>.</summary>
    public static Func<Tensor, Tensor> Vmap(Func<Tensor, Tensor> f, int inAxis = 0, int outAxis = 0)
    {
        NotNull(f);
        return x => VmapCore(a => [f(a[0])], [VmapArgument(x)], [inAxis], [outAxis])[0];
    }

    /// <summary>Maps a function of two tensors; an axis of null leaves that argument unmapped.</summary>
    public static Func<Tensor, Tensor, Tensor> Vmap(Func<Tensor, Tensor, Tensor> f, int? inAxis0 = 0, int? inAxis1 = 0, int outAxis = 0)
    {
        NotNull(f);
        return (x, y) => VmapCore(a => [f(a[0], a[1])], [VmapArgument(x), VmapArgument(y)], [inAxis0, inAxis1], [outAxis])[0];
    }

    /// <summary>
    /// Maps a function of a parameter tree (a tuple, record, array or list of tensors; see
    /// <see cref="ParameterTree"/>) returning a tree. <paramref name="inAxes"/> and
    /// <paramref name="outAxes"/> give one axis (or null) per leaf, in flattening order; default 0 for all.
    /// </summary>
    /// <example><c>Jax.VmapTree(((Tensor X, Tensor Y) p) => p.X * p.Y, inAxes: [0, null])((xs, y))</c></example>
    public static Func<TIn, TOut> VmapTree<TIn, TOut>(Func<TIn, TOut> f, int?[]? inAxes = null, int?[]? outAxes = null)
        where TIn : notnull where TOut : notnull
    {
        NotNull(f);
        return input =>
        {
            var inTree = ParameterTree.Flatten(input);
            ParameterTree? outTree = null;
            var leaves = inTree.Leaves.ToArray();
            var outputs = VmapCore(a =>
            {
                var output = f(inTree.Rebuild<TIn>(a))
                    ?? throw new ArgumentException("vmap: the function returned null; return its output tensors (a tree of them)");
                outTree = ParameterTree.Flatten(output);
                return outTree.Leaves.ToArray();
            }, leaves, inAxes ?? Enumerable.Repeat<int?>(0, leaves.Length).ToArray(), outAxes);
            return outTree!.Rebuild<TOut>(outputs);
        };
    }

    /// <summary>An argument of a vectorised function, which must not be null.</summary>
    private static Tensor VmapArgument(Tensor? x, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(x))] string parameter = "") =>
        Arg.NotNull(x, "a function made by Jax.Vmap", parameter);

    private static Tensor[] VmapArguments(Tensor[]? args) => Arg.NoNulls(args, "a function made by Jax.Vmap", nameof(args));

    private static Tensor[] VmapCore(Func<Tensor[], Tensor[]> f, Tensor[] args, int?[] inAxes, int?[]? outAxes)
    {
        if (inAxes.Length != args.Length)
            throw new ArgumentException($"vmap: in_axes has {inAxes.Length} entries but the function was called with {args.Length} arguments; give one axis (or null) per argument");
        var axes = new int?[args.Length];
        int? size = null;
        var sizeFrom = -1;
        for (var i = 0; i < args.Length; i++)
        {
            if (inAxes[i] is not { } a) continue;
            if (a < -args[i].Rank || a >= args[i].Rank)
                throw new ArgumentException($"vmap: in_axes {a} is out of range for argument {i} of shape {args[i].Shape}; use an axis in [{-args[i].Rank}, {args[i].Rank}) or null");
            axes[i] = a < 0 ? a + args[i].Rank : a;
            var n = args[i].Shape[axes[i]!.Value];
            if (size is { } s && s != n)
                throw new ArgumentException($"vmap: axis {inAxes[sizeFrom]} of argument {sizeFrom} has size {s} but axis {a} of argument {i} has size {n}; mapped axes must have the same size");
            (size, sizeFrom) = (n, i);
        }
        if (size is not { } batch)
            throw new ArgumentException("vmap: no argument is mapped (every in_axes entry is null); map at least one argument");

        // Only what depends on the mapped values is traced; unmapped arguments and everything
        // computed from them alone stay as they are (concrete, if they are), as in JAX.
        var mapped = Enumerable.Range(0, args.Length).Where(i => axes[i] is not null).ToArray();
        var mappedArgs = mapped.Select(i => args[i]).ToArray();
        var mappedAxes = mapped.Select(i => axes[i]).ToArray();
        var jaxpr = Tracing.TraceDependent(perExample =>
        {
            var full = (Tensor[])args.Clone();
            for (var k = 0; k < mapped.Length; k++) full[mapped[k]] = perExample[k];
            return f(full);
        }, BatchInterpreter.PerExampleAvals(mappedArgs, mappedAxes), "vmap");
        var (outputs, outBatchAxes) = BatchInterpreter.Evaluate(jaxpr, mappedArgs, mappedAxes);
        var targets = outAxes ?? Enumerable.Repeat<int?>(0, outputs.Length).ToArray();
        if (targets.Length != outputs.Length)
            throw new ArgumentException($"vmap: out_axes has {targets.Length} entries but the function returned {outputs.Length} outputs");
        return outputs.Select((y, k) => PlaceBatchAxis(y, outBatchAxes[k], targets[k], batch, k)).ToArray();
    }

    private static Tensor PlaceBatchAxis(Tensor y, int? axis, int? target, int size, int output)
    {
        if (target is not { } t)
            return axis is null ? y : throw new ArgumentException(
                $"vmap: out_axes is null for output {output}, but that output depends on the mapped arguments (it is batched, shape {y.Shape}); give it an axis");
        var rank = axis is null ? y.Rank + 1 : y.Rank;
        if (t < -rank || t >= rank)
            throw new ArgumentException($"vmap: out_axes {t} is out of range for output {output}, whose batched rank is {rank}");
        var to = t < 0 ? t + rank : t;
        return axis is { } a ? Rules.MoveAxis(y, a, to) : Rules.MoveAxis(Rules.BatchToFront(y, null, size), 0, to);
    }
}
