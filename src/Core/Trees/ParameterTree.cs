using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace JaxSharp;

/// <summary>
/// A parameter tree (JAX's pytree): a value made of tensors inside tuples, arrays, F# lists,
/// and records (F# records, C# positional records, or any class with a constructor that takes
/// one argument per property). Transformations flatten a tree to its tensor leaves and
/// rebuild a tree of the same structure from new leaves, so <c>grad</c> of a function of a record
/// returns a record. Values that are neither tensors nor containers (ints, strings...) are static:
/// kept as they are, never differentiated.
/// </summary>
/// <example><c>var tree = ParameterTree.Flatten((w, b)); var doubled = tree.Rebuild(tree.Leaves.Select(t => t * 2).ToArray());</c></example>
public sealed partial class ParameterTree
{
    private readonly Node _root;

    private ParameterTree(Node root, Tensor[] leaves)
    {
        _root = root;
        Leaves = leaves;
    }

    /// <summary>The tensors of the tree, depth first, left to right.</summary>
    public IReadOnlyList<Tensor> Leaves { get; }

    /// <summary>Flattens <paramref name="tree"/> into its leaves and its structure.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="tree"/> is null.</exception>
    /// <exception cref="ArgumentException">The tree holds null, or a type that cannot be rebuilt.</exception>
    public static ParameterTree Flatten(object tree)
    {
        Arg.NotNull(tree, "ParameterTree.Flatten", nameof(tree));
        var leaves = new List<Tensor>();
        var root = Build(tree, leaves, "tree");
        return new ParameterTree(root, leaves.ToArray());
    }

    /// <summary>A tree of the same structure with <paramref name="leaves"/> in place of the tensors.</summary>
    /// <exception cref="ArgumentException">The number of leaves differs.</exception>
    public object Rebuild(IReadOnlyList<Tensor> leaves) => Rebuild(_root, leaves);

    /// <summary>The tree below <paramref name="root"/> with <paramref name="leaves"/> in place of its tensors.</summary>
    internal static object Rebuild(Node root, IReadOnlyList<Tensor> leaves)
    {
        Arg.NoNulls(leaves, "ParameterTree.Rebuild", nameof(leaves));
        if (leaves.Count != root.LeafCount)
            throw new ArgumentException($"parameter tree: {leaves.Count} leaves given for a tree of {root.LeafCount}");
        var next = 0;
        return root.Rebuild(leaves, ref next);
    }

    /// <summary>
    /// The structure: the containers' types and the static values, with a place per tensor
    /// (JAX's treedef). Structures compare by value (static values with <c>Equals</c>, arrays by
    /// content), and two trees with equal structures rebuild alike, so it keys caches (jit's).
    /// </summary>
    /// <exception cref="ArgumentException">A static value compares by reference only (see <see cref="TreeDef"/>).</exception>
    public TreeDef Structure => _structure ??= new TreeDef(_root);

    /// <summary>The structure as text (what <see cref="TreeDef.ToString"/> prints), for checks that compare structures without keying a cache.</summary>
    internal string StructureText => _root.Describe();
    /// <summary>
    /// Where each leaf sits, in the order of <see cref="Leaves"/>: <c>.W</c> for a record field,
    /// <c>.Item2</c> for a tuple item, <c>[3]</c> for an array or list element, chained
    /// (<c>.Hidden.W</c>); the empty string for a tree that is one tensor.
    /// </summary>
    public IReadOnlyList<string> LeafPaths
    {
        get
        {
            var paths = new List<string>(Leaves.Count);
            _root.Paths("", paths);
            return paths;
        }
    }

    /// <summary>The structure's root, for rebuilding with <see cref="Rebuild(Node, IReadOnlyList{Tensor})"/> where no key is needed (outputs).</summary>
    internal Node Root => _root;
    private TreeDef? _structure;

    /// <summary>A tree of the same structure with <paramref name="leaves"/>, as <typeparamref name="T"/>.</summary>
    public T Rebuild<T>(IReadOnlyList<Tensor> leaves) => (T)Rebuild(leaves);

    /// <summary>The structure with each tensor's shape and dtype, for messages: <c>(f32[3], f32[])</c>.</summary>
    public string Outline
    {
        get
        {
            var next = 0;
            return _root.Outline(Leaves, ref next);
        }
    }

    /// <summary>
    /// A tree of this structure holding <paramref name="leaves"/> (values of type
    /// <paramref name="leafType"/>, e.g. trees themselves) in place of its tensors: its tuples,
    /// arrays and lists get <paramref name="leafType"/> in place of <see cref="Tensor"/> in their
    /// types. This is how a Jacobian is a tree of the output's structure of trees of the input's
    /// (JAX's convention). Records hold tensors only, so they hold other leaves only as tensors.
    /// </summary>
    /// <exception cref="ArgumentException">A record would have to hold leaves that are not tensors.</exception>
    internal object RebuildOf(IReadOnlyList<object> leaves, Type leafType)
    {
        if (leaves.Count != Leaves.Count)
            throw new ArgumentException($"parameter tree: {leaves.Count} leaves given for a tree of {Leaves.Count}");
        var next = 0;
        return _root.RebuildOf(leaves, leafType, ref next);
    }

    /// <summary>A type as C# writes it: <c>ValueTuple&lt;Tensor, Tensor&gt;</c>.</summary>
    internal static string TypeName(Type type) => type switch
    {
        { IsArray: true } => TypeName(type.GetElementType()!) + "[]",
        { IsGenericType: true } => $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>",
        _ => type.Name,
    };

    /// <summary><paramref name="type"/> with <paramref name="leafType"/> in place of <see cref="Tensor"/> in its element and type arguments.</summary>
    internal static Type Substitute(Type type, Type leafType) =>
        type == typeof(Tensor) ? leafType
        : type.IsArray ? Substitute(type.GetElementType()!, leafType).MakeArrayType()
        : type.IsGenericType ? type.GetGenericTypeDefinition().MakeGenericType(type.GetGenericArguments().Select(a => Substitute(a, leafType)).ToArray())
        : type;

    /// <summary>Applies <paramref name="f"/> to every tensor of <paramref name="tree"/> (JAX's <c>tree_map</c>).</summary>
    public static T Map<T>(Func<Tensor, Tensor> f, T tree) where T : notnull
    {
        Arg.NotNull(f, "ParameterTree.Map", nameof(f));
        Arg.NotNull((object?)tree, "ParameterTree.Map", nameof(tree));
        var flat = Flatten(tree);
        return flat.Rebuild<T>(flat.Leaves.Select(f).ToArray());
    }

    /// <summary>A node of a tree's structure; <see cref="Key"/> is what compares (types, static values' keys, children's keys).</summary>
    internal abstract record Node
    {
        public abstract object Rebuild(IReadOnlyList<Tensor> leaves, ref int next);
        public abstract object RebuildOf(IReadOnlyList<object> leaves, Type leafType, ref int next);
        public abstract string Describe();
        public abstract object Key(string path);
        public abstract int LeafCount { get; }
        public abstract string Outline(IReadOnlyList<Tensor> leaves, ref int next);
        public virtual void Paths(string prefix, List<string> into) { }
        /// <summary>The direct children of a container; none for a leaf or a static value.</summary>
        public virtual IReadOnlyList<Node> ChildNodes => [];
    }

    private sealed record Leaf : Node
    {
        public override object Rebuild(IReadOnlyList<Tensor> leaves, ref int next) => leaves[next++];
        public override object RebuildOf(IReadOnlyList<object> leaves, Type leafType, ref int next) => leaves[next++];
        public override string Describe() => "*";
        public override object Key(string path) => "*";
        public override int LeafCount => 1;
        public override string Outline(IReadOnlyList<Tensor> leaves, ref int next) => leaves[next++].Aval.ToString();
        public override void Paths(string prefix, List<string> into) => into.Add(prefix);
    }

    private sealed record Static(object Value) : Node
    {
        public override object Rebuild(IReadOnlyList<Tensor> leaves, ref int next) => Value;
        public override object RebuildOf(IReadOnlyList<object> leaves, Type leafType, ref int next) => Value;
        public override string Describe() => $"{Value.GetType().FullName}={Value}";
        public override object Key(string path) => StaticKey.Of(Value, "jit", $"the static value {path}") ?? "null";
        public override int LeafCount => 0;
        public override string Outline(IReadOnlyList<Tensor> leaves, ref int next) => $"{Value}";
    }

    /// <summary>A container: <paramref name="Make"/> builds it of its type from its children's values.</summary>
    private sealed record Composite(Type Type, Func<object[], object> Make, Node[] Children, string[] Names) : Node
    {
        public override string Describe() => $"{Type.FullName}({string.Join(",", Children.Select(c => c.Describe()))})";
        public override IReadOnlyList<Node> ChildNodes => Children;
        public override int LeafCount
        {
            get
            {
                var count = 0;
                foreach (var child in Children) count += child.LeafCount;
                return count;
            }
        }

        public override object Key(string path)
        {
            var keys = new object[Children.Length];
            for (var i = 0; i < keys.Length; i++) keys[i] = Children[i].Key(path + Names[i]);
            return StaticKey.Composite(Type, keys);
        }

        public override string Outline(IReadOnlyList<Tensor> leaves, ref int next)
        {
            var parts = new string[Children.Length];
            for (var i = 0; i < parts.Length; i++) parts[i] = Children[i].Outline(leaves, ref next);
            return Type switch
            {
                _ when typeof(ITuple).IsAssignableFrom(Type) => $"({string.Join(", ", parts)})",
                { IsArray: true } => $"[|{string.Join("; ", parts)}|]",
                _ when IsFSharpList(Type) => $"[{string.Join("; ", parts)}]",
                _ => $"{Type.Name} {{ {string.Join("; ", parts)} }}",
            };
        }

        public override void Paths(string prefix, List<string> into)
        {
            for (var i = 0; i < Children.Length; i++) Children[i].Paths(prefix + Names[i], into);
        }

        public override object Rebuild(IReadOnlyList<Tensor> leaves, ref int next)
        {
            var values = new object[Children.Length];
            for (var i = 0; i < values.Length; i++) values[i] = Children[i].Rebuild(leaves, ref next);
            return Make(values);
        }

        public override object RebuildOf(IReadOnlyList<object> leaves, Type leafType, ref int next)
        {
            var first = next;
            var values = new object[Children.Length];
            for (var i = 0; i < values.Length; i++) values[i] = Children[i].RebuildOf(leaves, leafType, ref next);
            if (leafType == typeof(Tensor) || next == first) return Make(values);
            var type = Substitute(Type, leafType);
            if (type == Type)
                throw new ArgumentException(
                    $"parameter tree: a {TypeName(Type)} holds tensors, so it cannot hold a {TypeName(leafType)} in place of each; " +
                    "use a tuple, array or list of tensors for this part of the tree");
            if (type.IsArray)
            {
                var array = Array.CreateInstance(type.GetElementType()!, values.Length);
                for (var i = 0; i < values.Length; i++) array.SetValue(values[i], i);
                return array;
            }
            if (IsFSharpList(type))
            {
                var result = type.GetProperty("Empty", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
                var cons = type.GetMethod("Cons", BindingFlags.Public | BindingFlags.Static)!;
                for (var i = values.Length - 1; i >= 0; i--) result = cons.Invoke(null, [values[i], result])!;
                return result;
            }
            return Activator.CreateInstance(type, values)!;
        }
    }

    private static Node Build(object? value, List<Tensor> leaves, string path)
    {
        switch (value)
        {
            case null:
                throw new ArgumentException($"parameter tree: {path} is null; trees hold tensors, tuples, arrays, lists and records");
            case Tensor t:
                leaves.Add(t);
                return new Leaf();
            case ITuple tuple when tuple.Length <= 7:
                {
                    var type = value.GetType();
                    var children = new Node[tuple.Length];
                    for (var i = 0; i < children.Length; i++) children[i] = Build(tuple[i], leaves, path + s_itemNames[i]);
                    return new Composite(type, TupleMaker(type), children, s_itemNameLists[children.Length]);
                }
            case Array array when array.Rank == 1:
                {
                    var elementType = array.GetType().GetElementType()!;
                    var (children, names) = (new Node[array.Length], new string[array.Length]);
                    for (var i = 0; i < children.Length; i++)
                    {
                        names[i] = $"[{i}]";
                        children[i] = Build(array.GetValue(i), leaves, path + names[i]);
                    }
                    return new Composite(array.GetType(), items =>
                    {
                        var result = Array.CreateInstance(elementType, items.Length);
                        for (var i = 0; i < items.Length; i++) result.SetValue(items[i], i);
                        return result;
                    }, children, names);
                }
            case IEnumerable list when PlanOf(value.GetType()) is FSharpListPlan listPlan:
                {
                    var (children, names) = (new List<Node>(), new List<string>());
                    foreach (var item in list)
                    {
                        names.Add($"[{names.Count}]");
                        children.Add(Build(item, leaves, path + names[^1]));
                    }
                    return new Composite(value.GetType(), listPlan.Make, children.ToArray(), names.ToArray());
                }
            default:
                switch (PlanOf(value.GetType()))
                {
                    case RecordPlan record:
                        {
                            var children = new Node[record.Properties.Length];
                            for (var i = 0; i < children.Length; i++) children[i] = Build(record.Properties[i].GetValue(value), leaves, path + record.Names[i]);
                            return new Composite(value.GetType(), record.Make, children, record.Names);
                        }
                    case OpaquePlan { TensorProperties.Length: > 0 } opaque:
                        // A value kept as is that holds tensors it cannot give back is an error, never a silent constant.
                        throw new ArgumentException(
                            $"parameter tree: {path} is a {value.GetType().Name} holding tensors ({string.Join(", ", opaque.TensorProperties)}), but it cannot be rebuilt: " +
                            "give it a public constructor with one parameter per public property (a record), or pass a tuple of its tensors");
                    default:
                        return new Static(value);
                }
        }
    }

    /// <summary>Instance members of any visibility: records of private F# types have internal properties and constructors.</summary>
    private const BindingFlags Members = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;

    private static bool IsFSharpList(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition().FullName == "Microsoft.FSharp.Collections.FSharpList`1";
}
