using System.Linq.Expressions;

namespace JaxSharp.Cpu;

/// <summary>
/// The inner loops of a fused loop over the columns of a row: a vector loop, then a scalar
/// loop for the remaining columns. Each stores its values, or combines them into reductions,
/// one per target buffer: the side outputs' buffers, then the result's.
/// </summary>
internal sealed partial class LoopCompiler
{
    /// <summary>
    /// Elementwise: store each column's values; a column reduction among the side outputs
    /// combines its value into its own buffer instead, at the offsets of its strides.
    /// </summary>
    private List<Expression> StoreLoops(List<Expression> scalarBody, Expression[] scalars, List<Expression> vectorBody, Expression[]? vectors, Expression[] targets, int lanes)
    {
        var index = Expression.Add(_outBase, _col);
        var columnSums = _loop.SideOutputs.Select((s, k) => s.ReductionStrides is { } strides ? ColumnIndex(k, strides) : null).ToArray();
        Expression VectorWrite(Expression target, int k, Expression value) =>
            k < columnSums.Length && columnSums[k] is { } at
                ? Store(_loop.SideOutputs[k].Reduction!.VectorCombine!(Load(value.Type, target, at), value), target, at)
                : Store(value, target, index);
        Expression ScalarWrite(Expression target, int k, Expression value) =>
            k < columnSums.Length && columnSums[k] is { } at
                ? Expression.Assign(Expression.ArrayAccess(target, at), _loop.SideOutputs[k].Reduction!.Combine(Expression.ArrayAccess(target, at), value))
                : Expression.Assign(Expression.ArrayAccess(target, index), value);
        var loops = new List<Expression>();
        if (vectors is not null)
            loops.Add(While(Expression.LessThanOrEqual(_col, Expression.Subtract(_colHi, Expression.Constant(lanes))),
                Expression.Block([.. vectorBody, .. targets.Select((t, k) => VectorWrite(t, k, vectors[k])), Expression.AddAssign(_col, Expression.Constant(lanes))])));
        loops.Add(While(Expression.LessThan(_col, _colHi),
            Expression.Block([.. scalarBody, .. targets.Select((t, k) => ScalarWrite(t, k, scalars[k])), Expression.PreIncrementAssign(_col)])));
        return loops;
    }

    /// <summary>The index of the current column in side output <paramref name="k"/>'s buffer, a reduction at <paramref name="strides"/> (its row's start set once per row).</summary>
    private Expression ColumnIndex(int k, int[] strides)
    {
        var offset = Offset(strides);
        Expression start = offset;
        if (offset is not ConstantExpression)
        {
            var local = Expression.Variable(typeof(int), $"{_nameOf(_loop.SideOutputs[k].Variable)}Start");
            _variables.Add(local);
            _rowSetup.Add(Expression.Assign(local, offset));
            start = local;
        }
        var column = Mul(_col, strides[^1]);
        return start is ConstantExpression { Value: 0 } ? column : Expression.Add(start, column);
    }

    /// <summary>The reductions, in the order of the targets: the side outputs', then the result's.</summary>
    private ReductionLowering[] Reductions => [.. _loop.SideOutputs.Select(s => s.Reduction!), _loop.Reduction!];

    /// <summary>Reductions along the row: accumulate the row's columns, then combine into each row's output element.</summary>
    private List<Expression> ReduceRowLoops(List<Expression> scalarBody, Expression[] scalars, List<Expression> vectorBody, Expression[]? vectors, Expression[] targets, int lanes)
    {
        var reductions = Reductions;
        var element = _out.Type.GetElementType()!;
        var identities = reductions.Select(r => Expression.Constant(r.Identity, element)).ToArray();
        var accs = reductions.Select((_, k) => Expression.Variable(element, k == reductions.Length - 1 ? "acc" : $"acc{k}")).ToArray();
        _variables.AddRange(accs);
        var loops = new List<Expression>(accs.Select((a, k) => Expression.Assign(a, identities[k])));
        if (vectors is not null)
        {
            var accVs = reductions.Select((_, k) => Expression.Variable(vectors[k].Type, k == reductions.Length - 1 ? "accV" : $"accV{k}")).ToArray();
            _variables.AddRange(accVs);
            // loops, not LINQ's Range and Select over int, whose instantiations every process would JIT-compile
            var lanesFolded = new List<Expression>();
            for (var k = 0; k < reductions.Length; k++)
                for (var i = 0; i < lanes; i++)
                    lanesFolded.Add(Expression.Assign(accs[k], reductions[k].Combine(accs[k], VectorExpressions.Call("GetElement", accVs[k], Expression.Constant(i)))));
            var limit = Expression.Subtract(_colHi, Expression.Constant(lanes));
            loops.Add(Expression.IfThen(Expression.LessThanOrEqual(_col, limit), Expression.Block(
            [
                .. accVs.Select((a, k) => Expression.Assign(a, VectorExpressions.Broadcast(identities[k], a.Type))),
                While(Expression.LessThanOrEqual(_col, limit), Expression.Block(
                    [.. vectorBody, .. accVs.Select((a, k) => Expression.Assign(a, reductions[k].VectorCombine!(a, vectors[k]))), Expression.AddAssign(_col, Expression.Constant(lanes))])),
                .. lanesFolded,
            ])));
        }
        loops.Add(While(Expression.LessThan(_col, _colHi),
            Expression.Block([.. scalarBody, .. accs.Select((a, k) => Expression.Assign(a, reductions[k].Combine(a, scalars[k]))), Expression.PreIncrementAssign(_col)])));
        for (var k = 0; k < targets.Length; k++)
        {
            var target = Expression.ArrayAccess(targets[k], _outBase);
            loops.Add(Expression.Assign(target, reductions[k].Combine(target, accs[k])));
        }
        return loops;
    }

    /// <summary>Reductions across rows: combine each column's values into their output elements.</summary>
    private List<Expression> ReduceColumnLoops(List<Expression> scalarBody, Expression[] scalars, List<Expression> vectorBody, Expression[]? vectors, Expression[] targets, int lanes)
    {
        var reductions = Reductions;
        var index = Expression.Add(_outBase, _col);
        var loops = new List<Expression>();
        if (vectors is not null)
            loops.Add(While(Expression.LessThanOrEqual(_col, Expression.Subtract(_colHi, Expression.Constant(lanes))),
                Expression.Block([.. vectorBody,
                    .. targets.Select((t, k) => Store(reductions[k].VectorCombine!(Load(vectors[k].Type, t, index), vectors[k]), t, index)),
                    Expression.AddAssign(_col, Expression.Constant(lanes))])));
        loops.Add(While(Expression.LessThan(_col, _colHi),
            Expression.Block([.. scalarBody,
                .. targets.Select((t, k) => (Expression)Expression.Assign(Expression.ArrayAccess(t, index), reductions[k].Combine(Expression.ArrayAccess(t, index), scalars[k]))),
                Expression.PreIncrementAssign(_col)])));
        return loops;
    }
}
