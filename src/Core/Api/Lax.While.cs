using JaxSharp.Primitives.Control;

namespace JaxSharp;

public static partial class Lax
{
    /// <summary>
    /// <c>lax.while_loop</c>: runs <paramref name="bodyFun"/> on the carry for as long as
    /// <paramref name="condFun"/> returns true, and returns the last carry, as a real loop (under
    /// <c>jit</c> too: the trip count may depend on data). The carry is a parameter tree (a tensor,
    /// an array or tuple of tensors, a record); the body must return one of the same structure,
    /// shapes and dtypes (a weakly typed leaf of <paramref name="init"/> takes the dtype the body
    /// gives it), and the predicate a bool scalar. Differentiable forward (<c>jvp</c>,
    /// <c>jacfwd</c>, <c>linearize</c>); reverse mode is refused, as in JAX: use a scan.
    /// </summary>
    /// <example><c>Lax.WhileLoop(x => x &lt; 100.0, x => x * 2.0, Tensor.Scalar(1.0))</c> is 128.</example>
    public static T WhileLoop<T>(Func<T, Tensor> condFun, Func<T, T> bodyFun, T init) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(condFun);
        ArgumentNullException.ThrowIfNull(bodyFun);
        ArgumentNullException.ThrowIfNull(init);
        var tree = ParameterTree.Flatten(init);
        var (body, bodyConsts, output) = TreeTracing.Trace(bodyFun, tree, While.Op, "body function");
        var leaves = tree.Leaves.ToArray();
        if (tree.StructureText == output.StructureText && TreeTracing.PromoteWeak(leaves, output.Leaves.Select(l => l.Aval).ToArray()))
        {
            tree = ParameterTree.Flatten(tree.Rebuild(leaves));
            (body, bodyConsts, output) = TreeTracing.Trace(bodyFun, tree, While.Op, "body function");
        }
        TreeTracing.CheckAgree(While.Op, "carry (init_val)", tree, "body function's output", output,
            "the body must return a carry of the structure, shapes and dtypes it is given; convert a leaf with np.astype, or start from a value of the body's dtype");
        var (cond, condConsts, predicate) = TreeTracing.Trace(condFun, tree, While.Op, "cond function");
        While.CheckPredicate(predicate.Leaves.Select(l => l.Aval).ToArray());
        var parameters = new WhileParams(cond, body, condConsts.Length, bodyConsts.Length);
        var results = While.Instance.BindMany(parameters, [.. condConsts, .. bodyConsts, .. tree.Leaves]);
        return tree.Rebuild<T>(results);
    }

    /// <summary>
    /// <c>lax.fori_loop</c>: <c>carry = bodyFun(i, carry)</c> for <c>i</c> from <paramref name="lower"/>
    /// (included) to <paramref name="upper"/> (excluded), the index an int32 scalar; returns the last carry.
    /// A loop, not an unrolled copy of the body per step: a million steps trace and compile as one.
    /// </summary>
    /// <example><c>Lax.ForiLoop(0, 10, (i, acc) => acc + i, Tensor.Scalar(0))</c> is 45.</example>
    public static T ForiLoop<T>(int lower, int upper, Func<Tensor, T, T> bodyFun, T init) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(bodyFun);
        ArgumentNullException.ThrowIfNull(init);
        return ForiLoopOf(Tensor.Scalar(lower), Tensor.Scalar(upper), staticBounds: true, bodyFun, init);
    }

    /// <summary>
    /// <c>lax.fori_loop</c> with bounds that are integer scalar tensors, possibly traced (computed from
    /// the inputs of a jitted function): the trip count is then known only when the loop runs. As
    /// <c>lax.while_loop</c>, such a loop is not reverse-differentiable.
    /// </summary>
    public static T ForiLoop<T>(Tensor lower, Tensor upper, Func<Tensor, T, T> bodyFun, T init) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(upper);
        ArgumentNullException.ThrowIfNull(bodyFun);
        ArgumentNullException.ThrowIfNull(init);
        var (lo, hi) = (LoopIndex(lower, "lower"), LoopIndex(upper, "upper"));
        var staticBounds = lo.Owner is null && hi.Owner is null;
        return ForiLoopOf(lo, hi, staticBounds, bodyFun, init);
    }

    /// <summary>
    /// The one place that chooses how a fori_loop runs, as JAX: with static (concrete) bounds a
    /// <c>scan</c> of <c>upper - lower</c> steps over (index, carry), which reverse mode
    /// differentiates; with traced bounds a while loop over (index, upper, carry), which it does not.
    /// </summary>
    private static T ForiLoopOf<T>(Tensor lower, Tensor upper, bool staticBounds, Func<Tensor, T, T> bodyFun, T init) where T : notnull
    {
        if (staticBounds)
        {
            var steps = upper.Item<int>() - lower.Item<int>();
            if (steps <= 0) return init;
            var ((_, last), _) = ScanTree<(Tensor Index, T Carry), object?, object?>(
                (s, _) => ((s.Index + 1, bodyFun(s.Index, s.Carry)), null), (lower, init), null, length: steps);
            return last;
        }
        var (_, _, carry) = WhileLoop(
            s => s.Index < s.Upper,
            s => (s.Index + 1, s.Upper, bodyFun(s.Index, s.Carry)),
            (Index: lower, Upper: upper, Carry: init));
        return carry;
    }

    /// <summary>A fori_loop bound as the int32 scalar index it starts or stops.</summary>
    private static Tensor LoopIndex(Tensor bound, string name)
    {
        if (bound.Rank != 0 || !bound.DType.IsInteger())
            throw new ArgumentException($"lax.fori_loop: {name} must be an integer scalar, but it is {bound.Aval.Strong}; pass an int, or a scalar int32 tensor");
        return bound.DType == DType.Int32 ? bound : Np.AsType(bound, DType.Int32);
    }
}
