namespace JaxSharp;

/// <summary>
/// The structure of a <see cref="ParameterTree"/> (JAX's treedef): its containers' types, its
/// static values and a place for each tensor. Structures are equal when their types and
/// places match and their static values are equal by <c>Equals</c> (arrays by content), so a
/// structure keys jit's cache as JAX's static arguments do. Made from a tree whose static value
/// compares by reference only (a mutable collection, a plain class, a closure), it is refused.
/// </summary>
public sealed class TreeDef : IEquatable<TreeDef>
{
    private readonly ParameterTree.Node _root;
    private readonly object _key;

    internal TreeDef(ParameterTree.Node root)
    {
        _root = root;
        _key = root.Key("tree");
    }

    /// <summary>The root node, for the structure's children.</summary>
    internal ParameterTree.Node Root => _root;

    /// <summary>A tree of this structure with <paramref name="leaves"/> in place of the tensors.</summary>
    /// <exception cref="ArgumentException">The number of leaves differs from the structure's.</exception>
    public T Rebuild<T>(IReadOnlyList<Tensor> leaves) => (T)ParameterTree.Rebuild(_root, leaves);

    /// <inheritdoc/>
    public bool Equals(TreeDef? other) => other is not null && _key.Equals(other._key);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TreeDef);

    /// <inheritdoc/>
    public override int GetHashCode() => _key.GetHashCode();

    /// <summary>The structure as text: containers' types, static values, and <c>*</c> for each tensor.</summary>
    public override string ToString() => _root.Describe();
}
