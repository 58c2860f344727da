namespace JaxSharp;

// jax.tree_util's functions over leaves with their paths. A path is a string such as
// ".Hidden.W" or ".Item2[3]" (see ParameterTree.LeafPaths), where JAX has a tuple of key objects.
public static partial class Tree
{
    /// <summary>Each tensor of <paramref name="tree"/> with its path (<c>jax.tree_util.tree_leaves_with_path</c>).</summary>
    /// <example><c>foreach (var (path, leaf) in Tree.LeavesWithPath(model)) Console.WriteLine($"{path}: {leaf.Shape}");</c></example>
    public static IReadOnlyList<(string Path, Tensor Leaf)> LeavesWithPath(object tree)
    {
        var flat = ParameterTree.Flatten(Required(tree, "Tree.LeavesWithPath", nameof(tree)));
        return flat.LeafPaths.Zip(flat.Leaves, (path, leaf) => (path, leaf)).ToArray();
    }

    /// <summary>The leaves with their paths, and the structure (<c>jax.tree_util.tree_flatten_with_path</c>).</summary>
    public static (IReadOnlyList<(string Path, Tensor Leaf)> Leaves, TreeDef Structure) FlattenWithPath(object tree)
    {
        var flat = ParameterTree.Flatten(Required(tree, "Tree.FlattenWithPath", nameof(tree)));
        return (flat.LeafPaths.Zip(flat.Leaves, (path, leaf) => (path, leaf)).ToArray(), flat.Structure);
    }

    /// <summary>Applies <paramref name="f"/> to every tensor and its path (<c>jax.tree_util.tree_map_with_path</c>).</summary>
    /// <example><c>Tree.MapWithPath((path, w) => path.EndsWith(".B") ? w : w * 0.99, parameters)</c> decays all but the biases.</example>
    public static T MapWithPath<T>(Func<string, Tensor, Tensor> f, T tree) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        var flat = ParameterTree.Flatten(Required(tree, "Tree.MapWithPath", nameof(tree)));
        return flat.Rebuild<T>(flat.LeafPaths.Zip(flat.Leaves, f).ToArray());
    }

    /// <summary>
    /// The leaves combined by the associative <paramref name="f"/> in a balanced tree of calls
    /// (<c>jax.tree_util.tree_reduce_associative</c>): depth log n instead of n.
    /// </summary>
    /// <exception cref="ArgumentException">The tree has no leaves.</exception>
    public static Tensor ReduceAssociative(Func<Tensor, Tensor, Tensor> f, object tree)
    {
        ArgumentNullException.ThrowIfNull(f);
        var level = Leaves(Required(tree, "Tree.ReduceAssociative", nameof(tree))).ToList();
        if (level.Count == 0)
            throw new ArgumentException("Tree.ReduceAssociative: the tree has no tensors; use Tree.Reduce with an initializer");
        while (level.Count > 1)
        {
            var next = new List<Tensor>((level.Count + 1) / 2);
            for (var i = 0; i + 1 < level.Count; i += 2) next.Add(f(level[i], level[i + 1]));
            if (level.Count % 2 == 1) next.Add(level[^1]);
            level = next;
        }
        return level[0];
    }

    /// <summary>Whether every item is a leaf, that is a tensor (<c>jax.tree_util.all_leaves</c>).</summary>
    public static bool AllLeaves(IReadOnlyList<object> items) =>
        Required(items, "Tree.AllLeaves", nameof(items)) is IReadOnlyList<object> all && all.All(item => item is Tensor);

    /// <summary>
    /// Whether <paramref name="value"/> is a container of a tree (<c>jax.tree_util.is_tree_node</c>):
    /// a tuple, array or list, or a record that holds tensors; not a tensor, a number or a string.
    /// </summary>
    public static bool IsTreeNode(object value) =>
        Required(value, "Tree.IsTreeNode", nameof(value)) switch
        {
            Tensor or string => false,
            System.Collections.IEnumerable or System.Runtime.CompilerServices.ITuple => true,
            _ => !value.GetType().IsPrimitive && ParameterTree.Flatten(value).Leaves.Count > 0,
        };

    /// <summary>The path as text (<c>jax.tree_util.keystr</c>): JaxSharp's paths are already strings, such as ".W[0]".</summary>
    public static string Keystr(string path) => Required(path, "Tree.Keystr", nameof(path)) as string ?? "";

    /// <summary>Whether the structure is a single leaf, a tree that is one tensor (<c>jax.tree_util.treedef_is_leaf</c>).</summary>
    public static bool TreedefIsLeaf(TreeDef structure)
    {
        ArgumentNullException.ThrowIfNull(structure);
        return structure.Root.ChildNodes.Count == 0 && structure.Root.LeafCount == 1;
    }

    /// <summary>The structures of the root container's children, in order (<c>jax.tree_util.treedef_children</c>); none for a leaf.</summary>
    public static IReadOnlyList<TreeDef> TreedefChildren(TreeDef structure)
    {
        ArgumentNullException.ThrowIfNull(structure);
        return structure.Root.ChildNodes.Select(child => new TreeDef(child)).ToArray();
    }
}
