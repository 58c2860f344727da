namespace JaxSharp.FSharp

open System
open JaxSharp

/// jax.tree_util for F#: functions over parameter trees (records, tuples, arrays and lists of
/// tensors), forwarding to JaxSharp.Tree.
[<RequireQualifiedAccess>]
module tree =
    /// f applied to every tensor of a tree, as jax.tree_util.tree_map.
    let map (f: Tensor -> Tensor) (tree: 't) : 't = Tree.Map(Func<Tensor, Tensor>(f), tree)

    /// f applied to the tensors of two trees of the same structure, pairwise.
    let map2 (f: Tensor -> Tensor -> Tensor) (first: 't) (second: 't) : 't = Tree.Map(Func<Tensor, Tensor, Tensor>(f), first, second)

    /// f applied to the tensors of three trees of the same structure.
    let map3 (f: Tensor -> Tensor -> Tensor -> Tensor) (first: 't) (second: 't) (third: 't) : 't =
        Tree.Map(Func<Tensor, Tensor, Tensor, Tensor>(f), first, second, third)

    /// f applied to one tensor of each tree, for any number of trees of the same structure.
    let mapMany (f: Tensor list -> Tensor) (trees: 't list) : 't =
        Tree.MapMany(Func<Tensor[], Tensor>(List.ofArray >> f), Array.ofList trees)

    /// The tensors of a tree, depth first, left to right, as jax.tree_util.tree_leaves.
    let leaves (tree: 't) : Tensor list = Tree.Leaves tree |> List.ofSeq

    /// The structure of a tree (equal for trees of the same shape of containers), as jax.tree_util.tree_structure.
    let structure (tree: 't) : TreeDef = Tree.Structure tree

    /// A tree of a structure with these leaves, as jax.tree_util.tree_unflatten.
    let unflatten (structure: TreeDef) (leaves: Tensor list) : 't = structure.Rebuild<'t>(Array.ofList leaves)

    /// The whole tree as one vector, and the function back, as jax.flatten_util.ravel_pytree.
    let ravelPytree (tree: 't) : Tensor * (Tensor -> 't) =
        let struct (flat, unravel) = Tree.RavelPytree tree
        flat, unravel.Invoke

    /// The leaves and the structure, as jax.tree_util.tree_flatten.
    let flatten (tree: 't) : Tensor list * TreeDef =
        let struct (leaves, structure) = Tree.Flatten tree
        List.ofSeq leaves, structure

    /// The leaves combined left to right from an initial value, as jax.tree_util.tree_reduce.
    let reduce (f: Tensor -> Tensor -> Tensor) (initializer: Tensor) (tree: 't) : Tensor =
        Tree.Reduce(Func<Tensor, Tensor, Tensor>(f), tree, initializer)

    /// Whether every element of every leaf is true, as jax.tree_util.tree_all.
    let all (tree: 't) : bool = Tree.All tree

    /// Each tensor with its path (".W", ".Item2[3]"), as jax.tree_util.tree_leaves_with_path.
    let leavesWithPath (tree: 't) : (string * Tensor) list =
        Tree.LeavesWithPath tree |> Seq.map (fun struct (path, leaf) -> path, leaf) |> List.ofSeq

    /// f applied to every tensor and its path, as jax.tree_util.tree_map_with_path.
    let mapWithPath (f: string -> Tensor -> Tensor) (tree: 't) : 't = Tree.MapWithPath(Func<string, Tensor, Tensor>(f), tree)

    /// The leaves combined by an associative f in a balanced tree of calls.
    let reduceAssociative (f: Tensor -> Tensor -> Tensor) (tree: 't) : Tensor = Tree.ReduceAssociative(Func<Tensor, Tensor, Tensor>(f), tree)

    /// Whether every item is a tensor.
    let allLeaves (items: obj list) : bool = Tree.AllLeaves(Array.ofList items)

    /// Whether a value is a container of a tree rather than a leaf.
    let isTreeNode (value: obj) : bool = Tree.IsTreeNode value

    /// The path as text (JaxSharp's paths are strings).
    let keystr (path: string) : string = Tree.Keystr path

    /// The leaves with their paths, and the structure.
    let flattenWithPath (tree: 't) : (string * Tensor) list * TreeDef =
        let struct (leaves, structure) = Tree.FlattenWithPath tree
        (leaves |> Seq.map (fun struct (path, leaf) -> path, leaf) |> List.ofSeq), structure

    /// Whether the structure is a single tensor.
    let treedefIsLeaf (structure: TreeDef) : bool = Tree.TreedefIsLeaf structure

    /// The structures of the root's children.
    let treedefChildren (structure: TreeDef) : TreeDef list = Tree.TreedefChildren structure |> List.ofSeq
