namespace JaxSharp.Primitives.Control;

/// <summary>
/// The tree side of <c>lax.scan</c>: the length from the xs (or given), the body traced once at
/// the carry's and the slices' types into a closed program, the checks that the body keeps its
/// carry (a weakly typed init is promoted to the dtype the body gives it, as JAX), and the bind.
/// </summary>
internal static class ScanTrees
{
    private const string Op = "lax.scan";
    private const string CarryFix = "the body must return a carry of the init's structure, shapes and dtypes (cast or reshape inside the body)";

    /// <summary>
    /// Runs the scan of <paramref name="f"/> (carry leaves and slice leaves to the new carry tree and
    /// this step's ys tree, null for none); returns the final carry leaves, the stacked ys leaves and
    /// the ys' structure (null when the body returns no ys).
    /// </summary>
    public static (Tensor[] Carries, Tensor[] Ys, ParameterTree? YsTree) Run(
        Func<Tensor[], Tensor[], (object Carry, object? Y)> f, ParameterTree init, ParameterTree? xs, int? length, bool reverse, int unroll)
    {
        var n = Length(xs, length);
        var xsLeaves = xs?.Leaves ?? [];
        var sliceAvals = xsLeaves.Select(l => l.Aval with { Shape = new Shape(l.Shape.Skip(1)) }).ToArray();
        var carries = init.Leaves.ToArray();
        var k = carries.Length;
        while (true)
        {
            ParameterTree? carryOut = null, ysOut = null;
            var (program, consts) = ClosedJaxprs.Trace(a =>
            {
                var (c, y) = f(a.Take(k).ToArray(), a.Skip(k).ToArray());
                if (c is null) throw new ArgumentException($"{Op}: the body returned a null carry; return the new carry and this step's ys");
                carryOut = ParameterTree.Flatten(c);
                ysOut = y is null ? null : ParameterTree.Flatten(y);
                return [.. carryOut.Leaves, .. ysOut?.Leaves ?? []];
            }, [.. carries.Select(t => t.Aval), .. sliceAvals], Op);
            if (carryOut!.StructureText != init.StructureText)
                throw new ArgumentException($"{Op}: the body's carry output is {carryOut.Outline} but the init carry is {init.Outline}; {CarryFix}");
            var outAvals = carryOut.Leaves.Select(l => l.Aval).ToArray();
            if (TreeTracing.PromoteWeak(carries, outAvals)) continue;
            TreeTracing.CheckAgree(Op, "init carry", carries.Select(t => t.Aval).ToArray(), "body's carry output", outAvals, init.LeafPaths, CarryFix);
            var parameters = new ScanParams(program, n, reverse, unroll, consts.Length, k);
            var outs = Scan.Instance.BindMany(parameters, [.. consts, .. carries, .. xsLeaves]);
            return (outs.Take(k).ToArray(), outs.Skip(k).ToArray(), ysOut);
        }
    }

    /// <summary>The number of steps: the xs' common leading axis, which must agree with <paramref name="length"/> when both are given.</summary>
    private static int Length(ParameterTree? xs, int? length)
    {
        if (length is < 0) throw new ArgumentException($"{Op}: length {length} is negative; give the number of steps (0 or more)");
        if (xs is null || xs.Leaves.Count == 0)
            return length ?? throw new ArgumentException($"{Op}: there are no xs to scan over and no length; pass length (the number of steps)");
        var paths = xs.LeafPaths;
        string Leaf(int i) => paths[i].Length == 0 ? "xs" : $"xs at {paths[i]}";
        for (var i = 0; i < xs.Leaves.Count; i++)
            if (xs.Leaves[i].Rank == 0)
                throw new ArgumentException($"{Op}: {Leaf(i)} is a scalar {xs.Leaves[i].Aval.Strong}; every xs leaf needs a leading axis to scan over (reshape it, or close over it in the body)");
        var n = xs.Leaves[0].Shape[0];
        for (var i = 1; i < xs.Leaves.Count; i++)
            if (xs.Leaves[i].Shape[0] != n)
                throw new ArgumentException(
                    $"{Op}: {Leaf(i)} is {xs.Leaves[i].Aval.Strong} but {Leaf(0)} is {xs.Leaves[0].Aval.Strong}; every xs leaf must have the same leading axis (the number of steps)");
        if (length is { } given && given != n)
            throw new ArgumentException($"{Op}: length {given} differs from the xs' leading axis {n} ({Leaf(0)} is {xs.Leaves[0].Aval.Strong}); drop length or make them agree");
        return n;
    }
}
