namespace JaxSharp;

// jax.tree_util's flatten/unflatten pair and the reductions over a tree's leaves.
public static partial class Tree
{
    /// <summary>The leaves of <paramref name="tree"/> and its structure (<c>jax.tree_util.tree_flatten</c>); <see cref="Unflatten{T}"/> inverts it.</summary>
    /// <example><c>var (leaves, structure) = Tree.Flatten((w, b));</c></example>
    public static (IReadOnlyList<Tensor> Leaves, TreeDef Structure) Flatten(object tree)
    {
        var flat = ParameterTree.Flatten(Required(tree, "Tree.Flatten", nameof(tree)));
        return (flat.Leaves, flat.Structure);
    }

    /// <summary>A tree of <paramref name="structure"/> with these leaves (<c>jax.tree_util.tree_unflatten</c>).</summary>
    /// <exception cref="ArgumentException">The number of leaves differs from the structure's.</exception>
    public static T Unflatten<T>(TreeDef structure, IReadOnlyList<Tensor> leaves)
    {
        ArgumentNullException.ThrowIfNull(structure);
        ArgumentNullException.ThrowIfNull(leaves);
        return structure.Rebuild<T>(leaves);
    }

    /// <summary>
    /// The leaves combined left to right by <paramref name="f"/> (<c>jax.tree_util.tree_reduce</c>),
    /// starting from <paramref name="initializer"/> when given.
    /// </summary>
    /// <example><c>Tree.Reduce((a, b) => a + Np.Sum(b), grads, Np.Scalar(0f))</c></example>
    /// <exception cref="ArgumentException">The tree has no leaves and no initializer is given.</exception>
    public static Tensor Reduce(Func<Tensor, Tensor, Tensor> f, object tree, Tensor? initializer = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        var leaves = Leaves(Required(tree, "Tree.Reduce", nameof(tree)));
        if (initializer is null && leaves.Count == 0)
            throw new ArgumentException("Tree.Reduce: the tree has no tensors and no initializer was given; pass an initializer");
        return initializer is null ? leaves.Skip(1).Aggregate(leaves[0], f) : leaves.Aggregate(initializer, f);
    }

    /// <summary>Whether every element of every leaf is true (non-zero) (<c>jax.tree_util.tree_all</c>); true for a tree without leaves. Needs concrete values.</summary>
    public static bool All(object tree) =>
        Leaves(Required(tree, "Tree.All", nameof(tree))).All(leaf => (bool)Np.All(leaf));
}
