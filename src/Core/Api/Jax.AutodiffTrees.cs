namespace JaxSharp;

public static partial class Jax
{
    /// <summary>
    /// Forward mode on parameter trees (tuples, records, arrays or lists of tensors; see
    /// <see cref="ParameterTree"/>): the output tree of <paramref name="f"/> at
    /// <paramref name="primals"/> and its tangent tree along <paramref name="tangents"/>, a tree
    /// of the primals' structure (JAX's <c>jax.jvp</c> on pytrees).
    /// </summary>
    /// <example><c>var (y, dy) = Jax.JvpTree(((Tensor A, Tensor B) p) => p.A * p.B, (a, b), (da, db));</c></example>
    public static (TOut Output, TOut Tangent) JvpTree<TIn, TOut>(Func<TIn, TOut> f, TIn primals, TIn tangents)
        where TIn : notnull where TOut : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(primals);
        ArgumentNullException.ThrowIfNull(tangents);
        var inputs = ParameterTree.Flatten(primals);
        var tangentTree = ParameterTree.Flatten(tangents);
        if (tangentTree.StructureText != inputs.StructureText)
            throw new ArgumentException(
                $"jvp: the tangents are {tangentTree.Outline} but the primals are {inputs.Outline}; give tangents in a tree of the primals' structure");
        var (outputs, call) = TreeFunction(f, inputs);
        var (values, outTangents) = Jvp(call, inputs.Leaves.ToArray(), tangentTree.Leaves.ToArray());
        return (outputs().Rebuild<TOut>(values), outputs().Rebuild<TOut>(outTangents));
    }

    /// <summary>
    /// <see cref="Linearize(Func{Tensor[], Tensor[]}, Tensor[])"/> on parameter trees: the output
    /// tree and the linear map from tangent trees of the input's structure to tangent trees of the output's.
    /// </summary>
    public static (TOut Output, Func<TIn, TOut> Linear) LinearizeTree<TIn, TOut>(Func<TIn, TOut> f, TIn primals)
        where TIn : notnull where TOut : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(primals);
        var inputs = ParameterTree.Flatten(primals);
        var (outputs, call) = TreeFunction(f, inputs);
        var (values, linear) = Linearize(call, inputs.Leaves.ToArray());
        var outTree = outputs();
        return (outTree.Rebuild<TOut>(values), tangents =>
        {
            ArgumentNullException.ThrowIfNull(tangents);
            return outTree.Rebuild<TOut>(linear(LeavesLike("linearize", "tangent", tangents, inputs)));
        });
    }

    /// <summary>
    /// <see cref="Vjp(Func{Tensor[], Tensor[]}, Tensor[])"/> on parameter trees: the output tree and
    /// the pullback from cotangent trees of the output's structure to cotangent trees of the input's.
    /// </summary>
    /// <example><c>var (y, pullback) = Jax.VjpTree(((Tensor W, Tensor B) p) => p.W * p.B, (w, b)); var (gw, gb) = pullback(ct);</c></example>
    public static (TOut Output, Func<TOut, TIn> Pullback) VjpTree<TIn, TOut>(Func<TIn, TOut> f, TIn primals)
        where TIn : notnull where TOut : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(primals);
        var inputs = ParameterTree.Flatten(primals);
        var (outputs, call) = TreeFunction(f, inputs);
        var (values, pullback) = Vjp(call, inputs.Leaves.ToArray());
        var outTree = outputs();
        return (outTree.Rebuild<TOut>(values), cotangents =>
        {
            ArgumentNullException.ThrowIfNull(cotangents);
            return inputs.Rebuild<TIn>(pullback(LeavesLike("vjp", "cotangent", cotangents, outTree)));
        });
    }

    /// <summary>
    /// <paramref name="f"/> as a function of the leaves of trees of the structure of
    /// <paramref name="inputs"/>, and the structure of its output, known once it has run.
    /// </summary>
    private static (Func<ParameterTree> Outputs, Func<Tensor[], Tensor[]> Call) TreeFunction<TIn, TOut>(Func<TIn, TOut> f, ParameterTree inputs)
        where TOut : notnull
    {
        ParameterTree? outputs = null;
        Tensor[] Call(Tensor[] leaves)
        {
            var output = f(inputs.Rebuild<TIn>(leaves));
            ArgumentNullException.ThrowIfNull(output, "the function's output");
            outputs = ParameterTree.Flatten(output);
            return outputs.Leaves.ToArray();
        }
        return (() => outputs!, Call);
    }

    /// <summary>The leaves of <paramref name="tree"/>, which must have the structure of <paramref name="like"/>.</summary>
    private static Tensor[] LeavesLike(string op, string what, object tree, ParameterTree like)
    {
        var flat = ParameterTree.Flatten(tree);
        if (flat.StructureText != like.StructureText)
            throw new ArgumentException($"{op}: the {what}s are {flat.Outline} but must be a tree of the structure of {like.Outline}");
        return flat.Leaves.ToArray();
    }
}
