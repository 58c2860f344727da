using System.Runtime.CompilerServices;

namespace JaxSharp;

public sealed partial class ParameterTree
{
    /// <summary>
    /// Which leaves the donated arguments <paramref name="arguments"/> hold: the items of a tuple
    /// (each item an argument, as in <c>jit (fun (params, x, y) -> ...)</c>), or, for any other
    /// tree, argument 0 for the whole tree. Messages name a leaf by argument and path.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is not an argument's.</exception>
    internal Donation DonationOf(IReadOnlyCollection<int> arguments, string function)
    {
        var items = _root is Composite { Type: var type } tuple && typeof(ITuple).IsAssignableFrom(type) ? tuple.Children : [_root];
        var argumentOfLeaf = new int[Leaves.Count];
        var donated = new bool[Leaves.Count];
        var donatedItems = arguments.Select(i => Donation.CheckIndex(i, items.Length, function)).ToHashSet();
        for (int item = 0, next = 0; item < items.Length; item++)
            for (var end = next + items[item].LeafCount; next < end; next++)
            {
                argumentOfLeaf[next] = item;
                donated[next] = donatedItems.Contains(item);
            }
        IReadOnlyList<string>? paths = null;
        return new Donation(donated, leaf =>
        {
            paths ??= LeafPaths;
            return paths[leaf].Length == 0 ? $"argument {argumentOfLeaf[leaf]}" : $"argument {argumentOfLeaf[leaf]} (leaf {paths[leaf]})";
        });
    }
}
