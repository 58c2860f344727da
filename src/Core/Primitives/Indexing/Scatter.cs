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
            throw new ArgumentException($"{Name}: bool operands cannot be combined; convert with Np.AsType(x, DType.Int32), or use scatter to replace");
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
                case float[] f: Apply(plan, operand.Size, inputs, f, Combine); break;
                case double[] d: Apply(plan, operand.Size, inputs, d, Combine); break;
                // the runtime lets a uint[] pass as an int[] (and back): check the exact type
                case int[] i when i.GetType() == typeof(int[]): Apply(plan, operand.Size, inputs, i, Combine); break;
                case uint[] u: Apply(plan, operand.Size, inputs, u, Combine); break;
                case bool[] b: Apply(plan, operand.Size, inputs, b, (_, update) => update); break;
                default: throw new NotSupportedException($"{Name} kernel: {output.GetType().Name}");
            }
        });
    }

    /// <summary>
    /// As JAX's <c>_scatter_batching_rule</c>, with batch axes moved to the front (an unbatched
    /// operand or updates broadcast). Unbatched indices: the batch axis is one more window axis of
    /// the updates. Batched indices: it is a batching axis of the operand, indexed by the indices'
    /// batch axis.
    /// </summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var p = (ScatterParams)parameters;
        var dn = p.DimensionNumbers;
        var size = Rules.BatchSize(args, batchAxes);
        var operand = Rules.BatchToFront(args[0], batchAxes[0], size);
        var updates = Rules.BatchToFront(args[2], batchAxes[2], size);
        static Ints Shift(Ints xs) => new(xs.Select(d => d + 1));
        if (batchAxes[1] is null)
        {
            var windowDn = new ScatterDimensionNumbers(new Ints([0, .. Shift(dn.UpdateWindowDims)]), Shift(dn.InsertedWindowDims),
                Shift(dn.ScatterDimsToOperandDims), Shift(dn.OperandBatching), dn.IndicesBatching);
            return (Bind(p with { DimensionNumbers = windowDn }, operand, args[1], updates), 0);
        }
        var indices = Rules.MoveAxis(args[1], batchAxes[1]!.Value, 0);
        var batchingDn = new ScatterDimensionNumbers(Shift(dn.UpdateWindowDims), Shift(dn.InsertedWindowDims), Shift(dn.ScatterDimsToOperandDims),
            new Ints([0, .. Shift(dn.OperandBatching)]), new Ints([0, .. Shift(dn.IndicesBatching)]));
        return (Bind(p with { DimensionNumbers = batchingDn }, operand, indices, updates), 0);
    }

    /// <summary>
    /// For a scatter that replaces (last update wins), which operand elements survive and which
    /// updates win, as JAX's <c>_scatter_jvp</c> finds them: each update gets a positive id, the ids
    /// are scattered the same way, and an update wins where its id is read back at its window.
    /// </summary>
    protected static (Tensor OperandKept, Tensor UpdateWon) Winners(Shape operand, Tensor indices, Shape updates, ScatterParams p)
    {
        var dn = p.DimensionNumbers;
        // one id per update window: size 1 along the window axes, broadcast over them
        var idShape = new Shape(Enumerable.Range(0, updates.Rank).Select(d => dn.UpdateWindowDims.Contains(d) ? 1 : updates[d]));
        var iota = Iota.Instance.Bind(new IotaParams(DType.Int32, new Shape(idShape.Size), 0));
        var ids = Lax.Add(Reshape.Instance.Bind(new ReshapeParams(idShape), iota), Rules.Full(1, DType.Int32, Shape.Scalar));
        ids = BroadcastInDim.Instance.Bind(new BroadcastInDimParams(updates, new Ints(Enumerable.Range(0, updates.Rank))), ids);
        var scattered = Scatter.Instance.Bind(p, Rules.Full(0, DType.Int32, operand), indices, ids);
        var readBack = IndexingRules.InverseGather(scattered, indices, dn, updates, p.Mode);
        return (Lax.Eq(scattered, Rules.Full(0, DType.Int32, Shape.Scalar)), Lax.Eq(ids, readBack));
    }

    /// <summary>
    /// The JVP of scatter_min and scatter_max, as JAX's <c>_scatter_extremal_jvp</c>: an output
    /// element takes the tangent of whichever of the operand element and its updates it equals,
    /// averaged over ties (the same convention as max and min).
    /// </summary>
    protected Tensor? ExtremalJvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, ScatterParams p)
    {
        if (tangents[0] is null && tangents[2] is null) return null;
        var (operand, indices, updates) = (primals[0], primals[1], primals[2]);
        var dn = p.DimensionNumbers;
        var dx = tangents[0] ?? Rules.Zeros(operand.Aval.Strong);
        var du = tangents[2] ?? Rules.Zeros(updates.Aval.Strong);
        var (dtype, shape) = (operand.DType, updates.Shape);
        Tensor Read(Tensor x) => IndexingRules.InverseGather(x, indices, dn, shape, p.Mode);
        Tensor Const(double v) => Rules.Full(v, dtype, Shape.Scalar);
        var zeros = Rules.Zeros(new AbstractValue(shape, dtype));
        var ones = Rules.Full(1, dtype, shape);
        var target = Read(output);
        var won = Lax.Eq(updates, target);                 // the update equals the result at its element
        var retained = Lax.Eq(Read(operand), target);      // the operand element equals it too
        var operandZeros = Rules.Zeros(operand.Aval.Strong);
        var winners = Read(ScatterAdd.Instance.Bind(p, operandZeros, indices, Lax.Select(won, ones, zeros)));
        var references = Lax.Max(Read(ScatterAdd.Instance.Bind(p, operandZeros, indices, ones)), Const(1));
        // the tangent is the mean over the tied candidates: 1/(winners + 1) each when the operand ties, else 1/winners
        var updatesShare = Lax.Select(retained, Lax.Div(Const(1), Lax.Add(winners, Const(1))), Lax.Div(Const(1), Lax.Max(winners, Const(1))));
        var updatesCoef = Lax.Select(won, updatesShare, zeros);
        var operandShare = Lax.Select(retained, Lax.Div(Const(1), Lax.Add(winners, Const(1))), zeros);
        // dx reaches each referenced element once per reference: spread (share - 1) over them, and add dx everywhere
        var operandCoef = Lax.Div(Lax.Add(Const(-1), operandShare), references);
        var tangentUpdates = Lax.Add(Lax.Mul(Read(dx), operandCoef), Lax.Mul(du, updatesCoef));
        return ScatterAdd.Instance.Bind(p, dx, indices, tangentUpdates);
    }

    private static void Apply<T>(WindowPlan plan, int size, Array[] inputs, T[] output, Func<T, T, T> combine)
    {
        var (indices, updates) = ((int[])inputs[1], (T[])inputs[2]);
        Array.Copy(inputs[0], output, size);
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

    /// <summary>
    /// As JAX's <c>_scatter_jvp</c>: d scatter(x, i, u) = scatter_add(dx where x survives, i, du
    /// where u wins), so that duplicate indices give the tangent of the update that won.
    /// </summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        if (tangents[0] is null && tangents[2] is null) return null;
        var p = (ScatterParams)parameters;
        var (operand, indices, updates) = (primals[0], primals[1], primals[2]);
        var (kept, won) = Winners(operand.Shape, indices, updates.Shape, p);
        var dx = tangents[0] is { } tx ? Lax.Select(kept, tx, Rules.Zeros(tx.Aval)) : Rules.Zeros(operand.Aval.Strong);
        var du = tangents[2] is { } tu ? Lax.Select(won, tu, Rules.Zeros(tu.Aval)) : Rules.Zeros(updates.Aval.Strong);
        return ScatterAdd.Instance.Bind(p, dx, indices, du);
    }

    /// <summary>
    /// Linear in operand and updates together: the operand's cotangent is the cotangent with the
    /// overwritten elements zeroed; each update's is the cotangent at its window where it won, else 0.
    /// </summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var p = (ScatterParams)parameters;
        var indices = primals[1] ?? throw new InvalidOperationException("scatter: the indices cannot be linear");
        var updates = inputs[2].Shape;
        var operandCt = primals[0] is null ? Bind(p, cotangent, indices, Rules.Zeros(inputs[2].Strong)) : null;
        Tensor? updatesCt = null;
        if (primals[2] is null)
        {
            var (_, won) = Winners(inputs[0].Shape, indices, updates, p);
            var read = IndexingRules.InverseGather(cotangent, indices, p.DimensionNumbers, updates, p.Mode);
            updatesCt = Lax.Select(won, read, Rules.Zeros(read.Aval));
        }
        return [operandCt, null, updatesCt];
    }
    /// <inheritdoc/>
    protected override T Combine<T>(T old, T update) => update;
}
