using System.Collections.Concurrent;

namespace JaxSharp;

public static partial class Jax
{
    /// <summary>
    /// Compiles a function of a parameter tree (a tuple, record, array or list of tensors, with
    /// static fields allowed) returning a tree: the tensors are the program's inputs and outputs;
    /// the structure and static values key the cache, so a new static value traces anew.
    /// </summary>
    /// <example><c>var step = Jax.JitTree(((Tensor W, Tensor X) p) => (p.W - 0.1 * p.X, Np.Sum(p.X)));</c></example>
    public static Func<TIn, TOut> JitTree<TIn, TOut>(Func<TIn, TOut> f) where TIn : notnull where TOut : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        var compiled = new ConcurrentDictionary<string, TreeJit<TIn, TOut>>();
        return input =>
        {
            var tree = ParameterTree.Flatten(input);
            var jitted = compiled.GetOrAdd(tree.Structure, _ => new TreeJit<TIn, TOut>(f, tree));
            return jitted.Call(tree.Leaves);
        };
    }

    /// <summary>A function of trees of one structure, jitted over its tensor leaves.</summary>
    private sealed class TreeJit<TIn, TOut> where TOut : notnull
    {
        private readonly JitFunction _jit;
        private ParameterTree? _outputs;

        public TreeJit(Func<TIn, TOut> f, ParameterTree inputs) => _jit = new JitFunction(leaves =>
        {
            var outputs = ParameterTree.Flatten(f(inputs.Rebuild<TIn>(leaves)));
            _outputs = outputs;
            return outputs.Leaves.ToArray();
        });

        public TOut Call(IReadOnlyList<Tensor> leaves)
        {
            var results = _jit.Call(leaves.ToArray());
            return _outputs!.Rebuild<TOut>(results);
        }
    }
}
