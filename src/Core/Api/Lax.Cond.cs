using JaxSharp.IR;
using JaxSharp.Primitives.Control;

namespace JaxSharp;

public static partial class Lax
{
    /// <summary>
    /// <c>lax.cond</c>: <paramref name="trueFun"/>(<paramref name="operand"/>) where the scalar
    /// <paramref name="pred"/> is true (nonzero), else <paramref name="falseFun"/>(<paramref name="operand"/>).
    /// Both functions are traced (their errors surface, and they must return the same shapes and
    /// dtypes); only the chosen one runs, under <c>jit</c> too. For a choice per element use <see cref="Np.Where"/>.
    /// </summary>
    /// <example><c>Lax.Cond(x.Sum() > 0, v => v * 2, v => -v, x)</c></example>
    public static Tensor Cond(Tensor pred, Func<Tensor, Tensor> trueFun, Func<Tensor, Tensor> falseFun, Tensor operand) =>
        CondTree<Tensor, Tensor>(pred, trueFun, falseFun, operand);

    /// <summary><see cref="Cond(Tensor, Func{Tensor, Tensor}, Func{Tensor, Tensor}, Tensor)"/> of several operands and outputs.</summary>
    public static Tensor[] Cond(Tensor pred, Func<Tensor[], Tensor[]> trueFun, Func<Tensor[], Tensor[]> falseFun, Tensor[] operands) =>
        CondTree<Tensor[], Tensor[]>(pred, trueFun, falseFun, NotNull(operands));

    /// <summary>
    /// <see cref="Cond(Tensor, Func{Tensor, Tensor}, Func{Tensor, Tensor}, Tensor)"/> of parameter trees (the <c>Tree</c> suffix, as <c>Jax.JitTree</c>)
    /// (tensors, tuples, records, arrays, lists): both branches take the operand's structure and
    /// must return trees of one structure, shapes and dtypes.
    /// </summary>
    public static TOut CondTree<TIn, TOut>(Tensor pred, Func<TIn, TOut> trueFun, Func<TIn, TOut> falseFun, TIn operand) where TIn : notnull
    {
        NotNull(pred);
        NotNull(trueFun);
        NotNull(falseFun);
        OperandNotNull(operand);
        if (pred.Rank != 0)
            throw new ArgumentException($"lax.cond: the predicate is {pred.Aval}; it must be a scalar (for a choice per element use Np.Where, np.where in F#)");
        var index = pred.DType == DType.Bool ? ConvertElementType(pred, DType.Int32) : ConvertElementType(Ne(pred, Np.Zeros(Shape.Scalar, pred.DType)), DType.Int32);
        // JAX's order: branch 0 runs for false, branch 1 for true
        return Branch(Primitives.Control.Cond.Op, index, [falseFun, trueFun], ["false branch", "true branch"], operand);
    }

    /// <summary>
    /// <c>lax.switch</c>: <paramref name="branches"/>[<paramref name="index"/>](<paramref name="operand"/>), the
    /// integer scalar index clamped into range (as JAX). Every branch is traced; one runs.
    /// </summary>
    /// <example><c>Lax.Switch(k, [v => v, v => v * 2, v => Np.Sin(v)], x)</c></example>
    public static Tensor Switch(Tensor index, IReadOnlyList<Func<Tensor, Tensor>> branches, Tensor operand) =>
        SwitchTree<Tensor, Tensor>(index, branches, operand);

    /// <summary><see cref="Switch(Tensor, IReadOnlyList{Func{Tensor, Tensor}}, Tensor)"/> of several operands and outputs.</summary>
    public static Tensor[] Switch(Tensor index, IReadOnlyList<Func<Tensor[], Tensor[]>> branches, Tensor[] operands) =>
        SwitchTree<Tensor[], Tensor[]>(index, branches, NotNull(operands));

    /// <summary><see cref="Switch(Tensor, IReadOnlyList{Func{Tensor, Tensor}}, Tensor)"/> of parameter trees; every branch must return one structure, shapes and dtypes.</summary>
    public static TOut SwitchTree<TIn, TOut>(Tensor index, IReadOnlyList<Func<TIn, TOut>> branches, TIn operand) where TIn : notnull
    {
        NotNull(index);
        NotNull(branches);
        OperandNotNull(operand);
        if (branches.Count == 0) throw new ArgumentException("lax.switch: no branches; give at least one function");
        if (index.Rank != 0 || !index.DType.IsInteger())
            throw new ArgumentException($"lax.switch: the index is {index.Aval}; it must be an integer scalar (convert it with Lax.ConvertElementType(index, DType.Int32))");
        var asInt = ConvertElementType(index, DType.Int32);
        var clamped = Min(Max(asInt, Tensor.Scalar(0)), Tensor.Scalar(branches.Count - 1));
        return Branch("lax.switch", clamped, branches.ToArray(), branches.Select((_, i) => $"branch {i}").ToArray(), operand);
    }

    private static void OperandNotNull<TIn>(TIn operand)
    {
        if (operand is null) throw new ArgumentNullException(nameof(operand), "lax.cond: the operand is null; give a tree of tensors");
    }

    /// <summary>Traces every branch at the operand's tree, checks that their outputs agree, and binds <c>cond</c>.</summary>
    private static TOut Branch<TIn, TOut>(string op, Tensor index, Func<TIn, TOut>[] branches, string[] names, TIn operand) where TIn : notnull
    {
        for (var b = 0; b < branches.Length; b++)
            if (branches[b] is null) throw new ArgumentNullException(nameof(branches), $"{op}: the {names[b]} is null; give a function");
        var tree = ParameterTree.Flatten(operand);
        var traced = branches.Select((f, b) => TreeTracing.Trace(f, tree, op, names[b])).ToArray();
        if (WeakOutputsToPromote(traced.Select(t => t.Output).ToArray()) is { } targets)
            traced = branches.Select((f, b) => TreeTracing.Trace<TIn, TOut>(x => Convert(f(x), targets), tree, op, names[b])).ToArray();
        const string fix = "make every branch return the same structure, shapes and dtypes (convert with Np.AsType, broadcast with Np.BroadcastTo)";
        for (var b = 1; b < traced.Length; b++)
            TreeTracing.CheckAgree(op, names[0] + " output", traced[0].Output, names[b] + " output", traced[b].Output, fix);
        var (programs, consts) = Branches.Join(traced.Select(t => (t.Program, t.Consts)).ToArray());
        var outputs = Primitives.Control.Cond.Apply(index, programs, [.. consts, .. tree.Leaves]);
        return (TOut)ParameterTree.Rebuild(traced[0].Output.Root, outputs);
    }

    /// <summary>
    /// For each output leaf, the dtype its weakly typed values are promoted to when the branches disagree
    /// only there (a weak f64 scalar against a strong f32, as JAX's <c>_promote_weak_typed_inputs</c>); null when nothing is promoted.
    /// </summary>
    private static DType?[]? WeakOutputsToPromote(ParameterTree[] outputs)
    {
        if (outputs.Any(o => o.StructureText != outputs[0].StructureText)) return null;
        var targets = new DType?[outputs[0].Leaves.Count];
        for (var k = 0; k < targets.Length; k++)
        {
            var avals = outputs.Select(o => o.Leaves[k].Aval).ToArray();
            var strong = avals.Where(a => !a.Weak).Select(a => a.DType).Distinct().ToArray();
            if (strong.Length == 1 && avals.Any(a => a.Weak && a.DType != strong[0])) targets[k] = strong[0];
        }
        return targets.Any(t => t is not null) ? targets : null;
    }

    private static TOut Convert<TOut>(TOut output, DType?[] targets)
    {
        var tree = ParameterTree.Flatten(output!);
        return tree.Rebuild<TOut>(tree.Leaves.Select((x, k) => targets[k] is { } d && x.DType != d ? ConvertElementType(x, d) : x).ToArray());
    }
}
