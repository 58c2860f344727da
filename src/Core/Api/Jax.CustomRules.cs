using JaxSharp.Primitives.Autodiff;

namespace JaxSharp;

public static partial class Jax
{
    /// <summary>
    /// <paramref name="f"/> with a differentiation rule of your own (JAX's <c>jax.custom_jvp</c>):
    /// <paramref name="jvp"/> maps (primals, tangents) to (outputs, output tangents), one tangent
    /// per output. Reverse mode transposes the rule, so it must be linear in the tangents. Values
    /// the function closes over are constants to the rule. The call is one equation with one
    /// output per output of <paramref name="f"/>.
    /// </summary>
    /// <example><c>var polar = Jax.CustomJvpMany(a => [a[0] * Np.Cos(a[1]), a[0] * Np.Sin(a[1])], (p, t) => (..., ...));</c></example>
    public static Func<Tensor[], Tensor[]> CustomJvpMany(Func<Tensor[], Tensor[]> f, Func<Tensor[], Tensor[], (Tensor[] Outputs, Tensor[] Tangents)> jvp)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(jvp);
        return args =>
        {
            var (program, callArgs) = ClosedProgram.Trace(f, args, "custom_jvp");
            return CustomJvpCall.Instance.BindMany(new CustomJvpParams(program, jvp), callArgs);
        };
    }

    /// <summary>
    /// <paramref name="f"/> with a differentiation rule of your own (JAX's <c>jax.custom_jvp</c>):
    /// <paramref name="jvp"/> maps (primals, tangents) to (output, output tangent). Reverse mode
    /// transposes the rule, so it must be linear in the tangents. Values the function closes over
    /// are constants to the rule.
    /// </summary>
    /// <example><c>var safeLog = Jax.CustomJvp(a => Np.Log(a[0]), (p, t) => (Np.Log(p[0]), t[0] / p[0]));</c></example>
    public static Func<Tensor[], Tensor> CustomJvp(Func<Tensor[], Tensor> f, Func<Tensor[], Tensor[], (Tensor Output, Tensor Tangent)> jvp)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(jvp);
        var g = CustomJvpMany(a => [f(a)], (p, t) =>
        {
            var (output, tangent) = jvp(p, t);
            return ([output], [tangent]);
        });
        return args => g(args)[0];
    }

    /// <summary>A function of one tensor with a custom JVP rule; see <see cref="CustomJvp(Func{Tensor[], Tensor}, Func{Tensor[], Tensor[], ValueTuple{Tensor, Tensor}})"/>.</summary>
    public static Func<Tensor, Tensor> CustomJvp(Func<Tensor, Tensor> f, Func<Tensor, Tensor, (Tensor Output, Tensor Tangent)> jvp)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(jvp);
        var g = CustomJvp((Tensor[] a) => f(a[0]), (Tensor[] p, Tensor[] t) => jvp(p[0], t[0]));
        return x => g([x]);
    }

    /// <summary>
    /// A function of a parameter tree (tuples, records, arrays or lists of tensors; see
    /// <see cref="ParameterTree"/>) returning a tree, with a JVP rule of your own: <paramref name="jvp"/>
    /// maps (primals, tangents), trees of the input's structure, to (output, output tangent), trees of
    /// the output's structure. One equation binds every leaf of the output.
    /// </summary>
    /// <example><c>var f = Jax.CustomJvpTree(((Tensor X, Tensor Y) p) => (p.X * p.Y, p.X + p.Y), (p, t) => ((p.X * p.Y, p.X + p.Y), (t.X * p.Y + p.X * t.Y, t.X + t.Y)));</c></example>
    public static Func<TIn, TOut> CustomJvpTree<TIn, TOut>(Func<TIn, TOut> f, Func<TIn, TIn, (TOut Output, TOut Tangent)> jvp)
        where TIn : notnull where TOut : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(jvp);
        return primals =>
        {
            ArgumentNullException.ThrowIfNull(primals);
            var inputs = ParameterTree.Flatten(primals);
            var (outputs, call) = TreeFunction(f, inputs);
            var g = CustomJvpMany(call, (p, t) =>
            {
                var (output, tangent) = jvp(inputs.Rebuild<TIn>(p), inputs.Rebuild<TIn>(t));
                ArgumentNullException.ThrowIfNull(output, "the rule's output");
                ArgumentNullException.ThrowIfNull(tangent, "the rule's tangent");
                return (LeavesLike("custom_jvp", "rule output", output, outputs()), LeavesLike("custom_jvp", "rule tangent", tangent, outputs()));
            });
            var values = g(inputs.Leaves.ToArray());
            return outputs().Rebuild<TOut>(values);
        };
    }

    /// <summary>
    /// <paramref name="f"/> with a reverse-mode rule of your own (JAX's <c>jax.custom_vjp</c>):
    /// <paramref name="forward"/> returns the outputs and residuals; <paramref name="backward"/> maps
    /// (residuals, output cotangents) to one cotangent per input. Forward mode is not available.
    /// The call is one equation with one output per output of <paramref name="f"/>.
    /// </summary>
    public static Func<Tensor[], Tensor[]> CustomVjpMany(
        Func<Tensor[], Tensor[]> f, Func<Tensor[], (Tensor[] Outputs, Tensor[] Residuals)> forward, Func<Tensor[], Tensor[], Tensor[]> backward)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(backward);
        return args =>
        {
            var (program, callArgs) = ClosedProgram.Trace(f, args, "custom_vjp");
            return CustomVjpCall.Instance.BindMany(new CustomVjpParams(program, forward, backward), callArgs);
        };
    }

    /// <summary>
    /// <paramref name="f"/> with a reverse-mode rule of your own (JAX's <c>jax.custom_vjp</c>):
    /// <paramref name="forward"/> returns the output and residuals; <paramref name="backward"/> maps
    /// (residuals, output cotangent) to one cotangent per input. Forward mode is not available.
    /// </summary>
    public static Func<Tensor[], Tensor> CustomVjp(
        Func<Tensor[], Tensor> f, Func<Tensor[], (Tensor Output, Tensor[] Residuals)> forward, Func<Tensor[], Tensor, Tensor[]> backward)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(backward);
        var g = CustomVjpMany(a => [f(a)], a =>
        {
            var (output, residuals) = forward(a);
            return ([output], residuals);
        }, (r, cts) => backward(r, cts[0]));
        return args => g(args)[0];
    }

    /// <summary>A function of one tensor with a custom VJP rule.</summary>
    public static Func<Tensor, Tensor> CustomVjp(Func<Tensor, Tensor> f, Func<Tensor, (Tensor Output, Tensor[] Residuals)> forward, Func<Tensor[], Tensor, Tensor> backward)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(backward);
        var g = CustomVjp(a => f(a[0]), a => forward(a[0]), (r, ct) => [backward(r, ct)]);
        return x => g([x]);
    }

    /// <summary>
    /// A function of a parameter tree returning a tree, with a reverse-mode rule of your own:
    /// <paramref name="forward"/> returns the output tree and a tree of residuals;
    /// <paramref name="backward"/> maps (residuals, output cotangent tree) to a cotangent tree of
    /// the input's structure. Forward mode is not available.
    /// </summary>
    /// <example><c>var f = Jax.CustomVjpTree(((Tensor X, Tensor Y) p) => (p.X * p.Y, p.X), p => ((p.X * p.Y, p.X), p), (r, ct) => (ct.Item1 * r.Y + ct.Item2, ct.Item1 * r.X));</c></example>
    public static Func<TIn, TOut> CustomVjpTree<TIn, TOut, TRes>(Func<TIn, TOut> f, Func<TIn, (TOut Output, TRes Residuals)> forward, Func<TRes, TOut, TIn> backward)
        where TIn : notnull where TOut : notnull where TRes : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(backward);
        return primals =>
        {
            ArgumentNullException.ThrowIfNull(primals);
            var inputs = ParameterTree.Flatten(primals);
            var (outputs, call) = TreeFunction(f, inputs);
            ParameterTree? residualTree = null;
            var g = CustomVjpMany(call, p =>
            {
                var (output, residuals) = forward(inputs.Rebuild<TIn>(p));
                ArgumentNullException.ThrowIfNull(output, "the forward pass's output");
                ArgumentNullException.ThrowIfNull(residuals, "the forward pass's residuals");
                residualTree = ParameterTree.Flatten(residuals);
                return (LeavesLike("custom_vjp", "forward output", output, outputs()), residualTree.Leaves.ToArray());
            }, (r, cts) =>
            {
                var cotangents = backward(residualTree!.Rebuild<TRes>(r), outputs().Rebuild<TOut>(cts));
                ArgumentNullException.ThrowIfNull(cotangents, "the backward pass's cotangents");
                return LeavesLike("custom_vjp", "backward cotangent", cotangents, inputs);
            });
            var values = g(inputs.Leaves.ToArray());
            return outputs().Rebuild<TOut>(values);
        };
    }

    /// <summary>
    /// <paramref name="f"/>, recomputed rather than stored under reverse-mode differentiation
    /// (JAX's <c>jax.checkpoint</c>): its intermediate values are not kept for the backward pass,
    /// which trades memory for a second forward computation.
    /// </summary>
    public static Func<Tensor[], Tensor> Checkpoint(Func<Tensor[], Tensor> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return args =>
        {
            var (program, callArgs) = ClosedProgram.Trace(a => [f(a)], args, "checkpoint");
            return Primitives.Autodiff.Checkpoint.Instance.BindMany(new CheckpointParams(program), callArgs)[0];
        };
    }

    /// <summary>A function of one tensor, checkpointed; see <see cref="Checkpoint(Func{Tensor[], Tensor})"/>.</summary>
    public static Func<Tensor, Tensor> Checkpoint(Func<Tensor, Tensor> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var g = Checkpoint((Tensor[] a) => f(a[0]));
        return x => g([x]);
    }
}
