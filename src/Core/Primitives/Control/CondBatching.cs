using JaxSharp.IR;
using JaxSharp.Primitives.Elementwise;
using JaxSharp.Primitives.Shapes;
using JaxSharp.Transforms;

namespace JaxSharp.Primitives.Control;

public sealed partial class Cond
{
    /// <summary>
    /// As JAX: with one index for the whole batch, a cond of the batched branches (an output batched
    /// in any branch is batched, at axis 0, in all); with an index per example, every branch runs
    /// batched and each example takes the outputs of its own branch (a select per branch).
    /// </summary>
    public override (Tensor[] Results, int?[] BatchAxes) BatchMany(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var branches = ((CondParams)parameters).Branches;
        var size = Rules.BatchSize(args, batchAxes);
        var operands = args.Skip(1).ToArray();
        var operandAxes = batchAxes.Skip(1).ToArray();
        return batchAxes[0] is { } indexAxis
            ? SelectPerExample(Rules.MoveAxis(args[0], indexAxis, 0), branches, operands, operandAxes, size)
            : CondOfBatchedBranches(args[0], branches, operands, operandAxes, size);
    }

    private static (Tensor[], int?[]) CondOfBatchedBranches(Tensor index, Jaxpr[] branches, Tensor[] operands, int?[] operandAxes, int size)
    {
        var avals = operands.Select(x => x.Aval).ToArray();
        bool[]? batchedInSome = null;
        for (var pass = 0; pass < 2; pass++)
        {
            var batchedOutputs = new List<bool[]>();
            var programs = branches.Select(branch => Branches.TraceClosed(inputs =>
            {
                var (outputs, axes) = BatchInterpreter.Evaluate(branch, inputs, operandAxes);
                var batched = batchedInSome ?? axes.Select(a => a is not null).ToArray();
                batchedOutputs.Add(batched);
                return outputs.Select((y, k) => batched[k] ? Rules.BatchToFront(y, axes[k], size) : y).ToArray();
            }, avals, Op)).ToArray();
            var union = Enumerable.Range(0, branches[0].Outputs.Count).Select(k => batchedOutputs.Any(b => b[k])).ToArray();
            if (batchedOutputs.All(b => b.SequenceEqual(union)))
                return (Apply(index, programs, operands), union.Select(b => b ? (int?)0 : null).ToArray());
            batchedInSome = union;
        }
        throw new InvalidOperationException($"{Op}: the batched branches did not agree on their outputs' batch axes");
    }

    private static (Tensor[], int?[]) SelectPerExample(Tensor index, Jaxpr[] branches, Tensor[] operands, int?[] operandAxes, int size)
    {
        var last = Rules.Full(branches.Length - 1, DType.Int32, Shape.Scalar);
        var clamped = Max.Instance.Bind(PrimitiveParams.None, Min.Instance.Bind(PrimitiveParams.None, index, last), Rules.Zeros(new AbstractValue(Shape.Scalar, DType.Int32)));
        var results = branches.Select(branch =>
        {
            var (outputs, axes) = BatchInterpreter.Evaluate(branch, operands, operandAxes);
            return outputs.Select((y, k) => Rules.BatchToFront(y, axes[k], size)).ToArray();
        }).ToArray();
        var chosen = results[0];
        for (var b = 1; b < branches.Length; b++)
        {
            var isB = Eq.Instance.Bind(PrimitiveParams.None, clamped, Rules.Full(b, DType.Int32, Shape.Scalar));
            chosen = chosen.Select((y, k) =>
            {
                var pred = BroadcastInDim.Instance.Bind(new BroadcastInDimParams(y.Shape, new Ints(0)), isB);
                return Select.Instance.Bind(PrimitiveParams.None, pred, results[b][k], y);
            }).ToArray();
        }
        return (chosen, chosen.Select(_ => (int?)0).ToArray());
    }
}
