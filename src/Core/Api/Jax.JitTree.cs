namespace JaxSharp;

public static partial class Jax
{
    /// <summary>
    /// Compiles a function of a parameter tree (a tuple, record, array or list of tensors, with
    /// static fields allowed) returning a tree: the tensors are the program's inputs and outputs;
    /// the structure and static values (compared with <c>Equals</c>, arrays by content) key the
    /// cache, so a new static value traces anew. The output's structure, static values included,
    /// is kept per signature: a static output that depends on a shape is right for every shape.
    /// </summary>
    /// <example><c>var step = Jax.JitTree(((Tensor W, Tensor X) p) => (p.W - 0.1 * p.X, Np.Sum(p.X)));</c></example>
    /// <exception cref="ArgumentException">A static value compares by reference only (a mutable collection, a plain class, a closure).</exception>
    public static Func<TIn, TOut> JitTree<TIn, TOut>(Func<TIn, TOut> f) where TIn : notnull where TOut : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        var jitted = new JitFunction((leaves, structure) =>
        {
            var outputs = ParameterTree.Flatten(f(((TreeDef)structure!).Rebuild<TIn>(leaves)));
            return (outputs.Leaves.ToArray(), outputs.Root);
        });
        return input =>
        {
            var tree = ParameterTree.Flatten(input);
            var (outputs, outputStructure) = jitted.CallWithInfo(tree.Leaves.ToArray(), tree.Structure);
            return (TOut)ParameterTree.Rebuild((ParameterTree.Node)outputStructure!, outputs);
        };
    }
}
