using System.Numerics;
using JaxSharp.Cpu;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp.Primitives.Indexing;

/// <summary>The parameters of the scatter primitives.</summary>
/// <param name="DimensionNumbers">How indices map to windows of the operand.</param>
/// <param name="Mode">Clamp out-of-range starts, or drop the updates whose window leaves the operand.</param>
public sealed record ScatterParams(ScatterDimensionNumbers DimensionNumbers, GatherScatterMode Mode) : PrimitiveParams;

/// <summary>
/// The common part of the scatter primitives: <c>op(operand, scatter_indices, updates)</c>
/// returns a copy of the operand where each update is combined into the element it is
/// scattered to, in order (so duplicate indices accumulate). The operand is not changed.
/// </summary>
public abstract class ScatterCombine : Primitive
{
    /// <summary>The element after an update: the old element combined with the update.</summary>
    protected abstract T Combine<T>(T old, T update) where T : INumber<T>;

    /// <summary>Whether bool operands are accepted (only by plain <c>scatter</c>, which replaces).</summary>
    protected virtual bool AcceptsBool => false;

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        ShapeChecks.Arity(Name, inputs, 3, "operand, scatter_indices, updates");
        var (x, indices, updates) = (inputs[0], inputs[1], inputs[2]);
        var dn = ((ScatterParams)parameters).DimensionNumbers;
        IndexingChecks.Indices(Name, indices, dn.ScatterDimsToOperandDims.Count, "scatter_dims_to_operand_dims", dn.ScatterDimsToOperandDims);
        ShapeChecks.SameDType(Name, x, "the operand", updates, "the updates");
        if (x.DType == DType.Bool && !AcceptsBool)
            throw new ArgumentException($"{Name}: bool operands cannot be combined; convert with AsType(DType.Int32), or use scatter to replace");
        var windowDims = IndexingChecks.WindowDims(Name, x.Shape, indices.Shape, "inserted_window_dims", dn.InsertedWindowDims,
            dn.OperandBatching, dn.IndicesBatching, "scatter_indices_batching_dims", dn.ScatterDimsToOperandDims, "scatter_dims_to_operand_dims");
        var batch = indices.Shape.Take(indices.Rank - 1).ToArray();
        var expected = batch.Length + windowDims.Length;
        if (updates.Rank != expected || dn.UpdateWindowDims.Count != windowDims.Length)
            throw new ArgumentException($"{Name}: updates of shape {updates.Shape} must have rank {expected} ({batch.Length} batch axes of indices {indices.Shape} and {windowDims.Length} window axes), with update_window_dims {dn.UpdateWindowDims} naming the window axes");
        ShapeChecks.Axes(Name, "update_window_dims", dn.UpdateWindowDims, updates.Rank, $"updates {updates.Shape}", sorted: true);
        for (int d = 0, b = 0, w = 0; d < updates.Rank; d++)
        {
            var fits = dn.UpdateWindowDims.Contains(d) ? updates.Shape[d] <= x.Shape[windowDims[w++]] : updates.Shape[d] == batch[b++];
            if (!fits)
                throw new ArgumentException($"{Name}: updates of shape {updates.Shape} do not fit: axis {d} must match the batch axes of indices {indices.Shape} or fit in operand {x.Shape}");
        }
        return x with { Weak = x.Weak && updates.Weak };
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var p = (ScatterParams)context.Params;
        var dn = p.DimensionNumbers;
        var (operand, indices, updates) = (context.Inputs[0].Shape, context.Inputs[1].Shape, context.Inputs[2].Shape);
        var windowDims = Enumerable.Range(0, operand.Rank).Where(d => !dn.InsertedWindowDims.Contains(d) && !dn.OperandBatching.Contains(d)).ToArray();
        var sizes = Enumerable.Repeat(1, operand.Rank).ToArray();
        for (var i = 0; i < windowDims.Length; i++) sizes[windowDims[i]] = updates[dn.UpdateWindowDims[i]];
        var plan = new WindowPlan(operand, indices, updates, dn.UpdateWindowDims, windowDims, sizes,
            dn.ScatterDimsToOperandDims, dn.OperandBatching, dn.IndicesBatching, p.Mode);
        return new KernelLowering((inputs, output) =>
        {
            switch (output)
            {
                case float[] f: Apply(plan, inputs, f, Combine); break;
                case double[] d: Apply(plan, inputs, d, Combine); break;
                case int[] i: Apply(plan, inputs, i, Combine); break;
                case uint[] u: Apply(plan, inputs, u, Combine); break;
                case bool[] b: Apply(plan, inputs, b, (_, update) => update); break;
                default: throw new NotSupportedException($"{Name} kernel: {output.GetType().Name}");
            }
        });
    }

    private static void Apply<T>(WindowPlan plan, Array[] inputs, T[] output, Func<T, T, T> combine)
    {
        var (indices, updates) = ((int[])inputs[1], (T[])inputs[2]);
        Array.Copy(inputs[0], output, output.Length);
        for (var g = 0; g < plan.BatchOffsets.Length; g++)
        {
            var start = plan.Start(indices, g);
            if (start < 0) continue; // fill-or-drop: the window leaves the operand
            var source = plan.BatchOffsets[g];
            for (var w = 0; w < plan.WindowOffsets.Length; w++)
            {
                var target = start + plan.OperandWindow[w];
                output[target] = combine(output[target], updates[source + plan.WindowOffsets[w]]);
            }
        }
    }
}

/// <summary><c>scatter</c>: each update replaces the element it is scattered to (the last one wins for duplicates).</summary>
public sealed class Scatter : ScatterCombine
{
    /// <summary>The primitive.</summary>
    public static readonly Scatter Instance = new();
    private Scatter() { }
    /// <inheritdoc/>
    public override string Name => "scatter";
    /// <inheritdoc/>
    protected override bool AcceptsBool => true;
    /// <inheritdoc/>
    protected override T Combine<T>(T old, T update) => update;
}
