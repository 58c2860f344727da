using JaxSharp.IR;

namespace JaxSharp.Primitives.Control;

/// <summary>
/// The tree side of the control-flow API: functions of parameter trees (tensors, tuples, records,
/// arrays, lists) traced into closed programs of their leaves, and the checks that branch outputs
/// and loop carries agree, with messages that name the primitive, the part, the leaf and both types.
/// </summary>
internal static class TreeTracing
{
    /// <summary>
    /// Traces <paramref name="f"/> at a tree of the structure of <paramref name="input"/> (leaves of
    /// <paramref name="inputAvals"/>' types, the input's own when null); returns the closed program of the leaves
    /// (consts first), the consts, and the output tree (its leaves are tracers: read its structure and types only).
    /// </summary>
    public static (Jaxpr Program, Tensor[] Consts, ParameterTree Output) Trace<TIn, TOut>(
        Func<TIn, TOut> f, ParameterTree input, string op, string what, IReadOnlyList<AbstractValue>? inputAvals = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ParameterTree? output = null;
        var (program, consts) = ClosedJaxprs.Trace(leaves =>
        {
            var result = f(input.Rebuild<TIn>(leaves));
            if (result is null) throw new ArgumentException($"{op}: the {what} returned null; return a tree of tensors");
            output = ParameterTree.Flatten(result);
            return output.Leaves.ToArray();
        }, inputAvals ?? input.Leaves.Select(l => l.Aval).ToArray(), op);
        return (program, consts, output!);
    }

    /// <summary>
    /// Checks that <paramref name="actual"/> has the structure of <paramref name="expected"/> and, leaf by
    /// leaf, the same shape and dtype (weak types aside).
    /// </summary>
    /// <exception cref="ArgumentException">They differ: the message names <paramref name="op"/>, both parts, the leaf and both types.</exception>
    public static void CheckAgree(string op, string expectedWhat, ParameterTree expected, string actualWhat, ParameterTree actual, string fix)
    {
        if (expected.StructureText != actual.StructureText)
            throw new ArgumentException($"{op}: the {actualWhat} is {actual.Outline} but the {expectedWhat} is {expected.Outline}; {fix}");
        CheckAgree(op, expectedWhat, expected.Leaves.Select(l => l.Aval).ToArray(), actualWhat, actual.Leaves.Select(l => l.Aval).ToArray(), expected.LeafPaths, fix);
    }

    /// <summary>Checks leaf types pairwise; <paramref name="paths"/> name the leaves (empty for a tree that is one tensor).</summary>
    public static void CheckAgree(string op, string expectedWhat, IReadOnlyList<AbstractValue> expected, string actualWhat, IReadOnlyList<AbstractValue> actual, IReadOnlyList<string> paths, string fix)
    {
        if (expected.Count != actual.Count)
            throw new ArgumentException($"{op}: the {actualWhat} has {actual.Count} tensors but the {expectedWhat} has {expected.Count}; {fix}");
        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i].Shape.Equals(actual[i].Shape) && expected[i].DType == actual[i].DType) continue;
            var leaf = paths[i].Length == 0 ? "" : $" at {paths[i]}";
            throw new ArgumentException($"{op}: the {actualWhat}{leaf} is {actual[i].Strong} but the {expectedWhat}{leaf} is {expected[i].Strong}; {fix}");
        }
    }

    /// <summary>
    /// Converts in place each weakly typed leaf whose counterpart in <paramref name="outputs"/> has its
    /// shape but another dtype to that dtype (JAX's <c>_promote_weak_typed_inputs</c>: a bare .NET number
    /// as a loop's initial carry takes the body's dtype); whether any was converted.
    /// </summary>
    public static bool PromoteWeak(Tensor[] leaves, IReadOnlyList<AbstractValue> outputs)
    {
        var promoted = false;
        for (var i = 0; i < leaves.Length && i < outputs.Count; i++)
        {
            var (input, output) = (leaves[i].Aval, outputs[i]);
            if (!input.Weak || input.DType == output.DType || !input.Shape.Equals(output.Shape)) continue;
            leaves[i] = Lax.ConvertElementType(leaves[i], output.DType);
            promoted = true;
        }
        return promoted;
    }
}
