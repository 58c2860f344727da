namespace JaxSharp;

/// <summary>
/// JAX's <c>jax.tree_util</c> for C#: functions over parameter trees (tensors inside tuples,
/// arrays, F# lists and records; see <see cref="ParameterTree"/>). Map one tree or several
/// trees of the same structure leaf by leaf, list the leaves, read the structure, and flatten
/// a whole tree into one vector and back (<see cref="RavelPytree{T}"/>).
/// </summary>
/// <example><c>var sum = Tree.Map((a, b) => a + b, grads1, grads2);</c></example>
public static partial class Tree
{
    /// <summary>The tensors of <paramref name="tree"/>, depth first, left to right (<c>jax.tree_util.tree_leaves</c>).</summary>
    /// <exception cref="ArgumentException">The tree holds null, or a type that cannot be rebuilt.</exception>
    public static IReadOnlyList<Tensor> Leaves(object tree) => ParameterTree.Flatten(Required(tree, "Tree.Leaves", nameof(tree))).Leaves;

    /// <summary>
    /// The structure of <paramref name="tree"/> (<c>jax.tree_util.tree_structure</c>): equal for
    /// trees of the same containers and static values; <see cref="TreeDef.Rebuild{T}"/> makes a
    /// tree of it from new leaves.
    /// </summary>
    public static TreeDef Structure(object tree) => ParameterTree.Flatten(Required(tree, "Tree.Structure", nameof(tree))).Structure;

    /// <summary>Applies <paramref name="f"/> to every tensor of <paramref name="tree"/> (<c>jax.tree_util.tree_map</c>).</summary>
    /// <example><c>Tree.Map(t => t * 0.5, parameters)</c></example>
    public static T Map<T>(Func<Tensor, Tensor> f, T tree) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        var flat = ParameterTree.Flatten(Required(tree, "Tree.Map", nameof(tree)));
        return flat.Rebuild<T>(flat.Leaves.Select(f).ToArray());
    }

    /// <summary>Applies <paramref name="f"/> to the leaves of two trees of the same structure, pairwise.</summary>
    /// <example><c>Tree.Map((p, u) => p + u, parameters, updates)</c></example>
    /// <exception cref="ArgumentException">The structures differ (the message names both).</exception>
    public static T Map<T>(Func<Tensor, Tensor, Tensor> f, T first, T second) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        return MapMany(leaves => f(leaves[0], leaves[1]), "Tree.Map", [nameof(first), nameof(second)], first, second);
    }

    /// <summary>Applies <paramref name="f"/> to the leaves of three trees of the same structure.</summary>
    /// <exception cref="ArgumentException">The structures differ (the message names them).</exception>
    public static T Map<T>(Func<Tensor, Tensor, Tensor, Tensor> f, T first, T second, T third) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        return MapMany(leaves => f(leaves[0], leaves[1], leaves[2]), "Tree.Map", [nameof(first), nameof(second), nameof(third)], first, second, third);
    }

    /// <summary>
    /// Applies <paramref name="f"/> to the leaves of any number of trees of the same structure:
    /// it receives one leaf of each tree, in the order of <paramref name="trees"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No trees, or their structures differ.</exception>
    public static T MapMany<T>(Func<Tensor[], Tensor> f, params T[] trees) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(trees);
        return MapMany(f, "Tree.MapMany", trees.Select((_, i) => $"trees[{i}]").ToArray(), trees);
    }

    /// <summary>
    /// Flattens <paramref name="tree"/> into one vector (<c>jax.flatten_util.ravel_pytree</c>):
    /// the leaves, each raveled, concatenated in order, in their promoted dtype; and the function
    /// that cuts such a vector back into a tree of the same structure, shapes and dtypes.
    /// </summary>
    /// <example><c>var (flat, unravel) = Tree.RavelPytree((w, b)); var again = unravel(flat * 2);</c></example>
    /// <remarks>A tree without tensors ravels to an empty float32 vector.</remarks>
    public static (Tensor Flat, Func<Tensor, T> Unravel) RavelPytree<T>(T tree) where T : notnull
    {
        var flat = ParameterTree.Flatten(Required(tree, "Tree.RavelPytree", nameof(tree)));
        var leaves = flat.Leaves;
        var shapes = leaves.Select(l => l.Shape).ToArray();
        var dtypes = leaves.Select(l => l.DType).ToArray();
        var total = shapes.Sum(s => s.Size);
        var dtype = leaves.Count == 0 ? DType.Float32 : TypePromotion.Join(leaves.Select(l => l.Aval)).DType;
        var vector = leaves.Count == 0
            ? Np.Zeros(new Shape(0), dtype)
            : Np.Concatenate(leaves.Select(l => Np.Reshape(Np.AsType(l, dtype), -1)));
        Tensor[] Cut(Tensor v)
        {
            if (v.Rank != 1 || v.Shape[0] != total)
                throw new ArgumentException(
                    $"Tree.RavelPytree's unravel: the vector is {v.DType.Name()}{v.Shape}, but the tree it came from has {total} elements in {leaves.Count} leaves; pass a vector of shape ({total},)");
            var parts = new Tensor[shapes.Length];
            var start = 0;
            for (var i = 0; i < parts.Length; i++)
            {
                var piece = Lax.Slice(v, new[] { start }, new[] { start + shapes[i].Size });
                parts[i] = Np.AsType(Np.Reshape(piece, shapes[i].ToArray()), dtypes[i]);
                start += shapes[i].Size;
            }
            return parts;
        }
        return (vector, v => flat.Rebuild<T>(Cut(v)));
    }

    /// <summary>Maps over several trees after checking that their structures agree; <paramref name="names"/> name them in errors.</summary>
    internal static T MapMany<T>(Func<Tensor[], Tensor> f, string op, string[] names, params T[] trees) where T : notnull
    {
        if (trees.Length == 0) throw new ArgumentException($"{op}: no trees given; pass at least one");
        var flats = trees.Select((t, i) => ParameterTree.Flatten(Required(t, op, names[i]))).ToArray();
        CheckSameStructure(op, flats);
        var mapped = Enumerable.Range(0, flats[0].Leaves.Count)
            .Select(i => f(flats.Select(t => t.Leaves[i]).ToArray())).ToArray();
        return flats[0].Rebuild<T>(mapped);
    }

    /// <summary>Throws unless every tree has the first one's structure (compared as text, so any static value can take part).</summary>
    internal static void CheckSameStructure(string op, params ParameterTree[] trees)
    {
        var first = trees[0].Root.Describe();
        for (var i = 1; i < trees.Length; i++)
        {
            var other = trees[i].Root.Describe();
            if (other != first)
                throw new ArgumentException(
                    $"{op}: tree {i + 1} has another structure than tree 1 ({other} against {first}); " +
                    "every tree must have the same containers and number of tensors");
        }
    }

    private static object Required(object? tree, string op, string name) =>
        tree ?? throw new ArgumentNullException(name, $"{op}: {name} is null; pass a tensor, tuple, array, list or record of tensors");
}
