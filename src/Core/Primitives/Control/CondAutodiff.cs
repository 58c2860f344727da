using JaxSharp.IR;
using JaxSharp.Transforms;

namespace JaxSharp.Primitives.Control;

public sealed partial class Cond
{
    /// <summary>
    /// As JAX's cond JVP by partial evaluation: every branch is split into a primal part (outputs and
    /// residuals) and a linear tangent part. The primal cond returns the outputs and every branch's
    /// residuals (zeros where another branch ran); the tangent cond, over the tangent parts, takes the
    /// index, the residuals and the operands' tangents. An output has a tangent when it has one in
    /// some branch (the others give zeros).
    /// </summary>
    public override (Tensor[] Outputs, Tensor?[] Tangents)? JvpWithOutputs(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, PrimitiveParams parameters)
    {
        var branches = ((CondParams)parameters).Branches;
        var index = primals[0];
        var operands = primals.Skip(1).ToArray();
        var hasTangent = operands.Select((x, i) => tangents[i + 1] is not null && x.DType.IsFloat()).ToArray();
        var outputCount = branches[0].Outputs.Count;
        if (!hasTangent.Any(h => h)) return (Apply(index, branches, operands), new Tensor?[outputCount]);

        var splits = branches.Select(b => LinearizedBody.Split(b, hasTangent, Op)).ToArray();
        var outputHasTangent = Enumerable.Range(0, outputCount).Select(k => splits.Any(s => s.OutputHasTangent[k])).ToArray();
        var residualAvals = splits.Select(s => s.Primal.OutputAvals.Skip(outputCount).ToArray()).ToArray();
        var allResiduals = residualAvals.SelectMany(r => r).ToArray();

        var primalBranches = splits.Select((s, b) => Branches.TraceClosed(inputs =>
        {
            var values = ClosedJaxprs.Call(s.Primal, inputs);
            return [.. values.Take(outputCount), .. ResidualsOf(b, values.Skip(outputCount).ToArray(), residualAvals)];
        }, branches[b].InputAvals, Op)).ToArray();
        var primalOut = Apply(index, primalBranches, operands);
        var outputs = primalOut.Take(outputCount).ToArray();
        if (!outputHasTangent.Any(h => h)) return (outputs, new Tensor?[outputCount]);
        var residuals = primalOut.Skip(outputCount).ToArray();

        var tangentArgs = tangents.Skip(1).Where((_, i) => hasTangent[i]).Select(t => t!).ToArray();
        var tangentAvals = splits[0].Tangent.InputAvals.Skip(splits[0].ResidualCount).ToArray();
        var outputAvals = branches[0].OutputAvals;
        var tangentBranches = splits.Select((s, b) => Branches.TraceClosed(inputs =>
        {
            var own = inputs.Skip(residualAvals.Take(b).Sum(r => r.Length)).Take(s.ResidualCount);
            var values = ClosedJaxprs.Call(s.Tangent, [.. own, .. inputs.Skip(allResiduals.Length)]);
            var next = 0;
            return Enumerable.Range(0, outputCount).Where(k => outputHasTangent[k])
                .Select(k => s.OutputHasTangent[k] ? values[next++] : Rules.Zeros(outputAvals[k].Strong)).ToArray();
        }, [.. allResiduals, .. tangentAvals], Op)).ToArray();
        var tangentOut = Apply(index, tangentBranches, [.. residuals, .. tangentArgs]);
        var t = 0;
        return (outputs, outputHasTangent.Select(h => h ? tangentOut[t++] : null).ToArray());
    }

    /// <summary>Branch <paramref name="branch"/>'s residuals in the list of every branch's, zeros in the others' places.</summary>
    private static IEnumerable<Tensor> ResidualsOf(int branch, Tensor[] own, AbstractValue[][] residualAvals) =>
        residualAvals.SelectMany((avals, b) => b == branch ? own : avals.Select(Rules.Zeros));

    /// <summary>
    /// The transpose of a cond linear in some operands (the tangent cond of <see cref="JvpWithOutputs"/>):
    /// a cond of the branches' transposes over the known operands and the output cotangents, returning
    /// the linear operands' cotangents (zeros where a branch gives none).
    /// </summary>
    public override Tensor?[] TransposeMany(IReadOnlyList<Tensor?> cotangents, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var branches = ((CondParams)parameters).Branches;
        var index = primals[0] ?? throw new InvalidOperationException($"{Op}: the index was given as a linear input; an integer index has no cotangent");
        var linear = primals.Skip(1).Select(p => p is null).ToArray();
        var known = primals.Skip(1).Where(p => p is not null).Select(p => p!).ToArray();
        var givenCts = cotangents.Where(c => c is not null).Select(c => c!).ToArray();
        var linearPositions = Enumerable.Range(0, linear.Length).Where(i => linear[i]).ToArray();
        var linearAvals = linearPositions.Select(i => inputs[i + 1]).ToArray();
        var transposed = branches.Select(branch => Branches.TraceClosed(values =>
        {
            var next = 0;
            var programInputs = linear.Select(l => l ? null : values[next++]).ToArray();
            var cts = cotangents.Select(c => c is null ? null : values[next++]).ToArray();
            var result = JaxprTranspose.Backward(branch, programInputs, cts, Op);
            return linearPositions.Select((i, l) => result[i] ?? Rules.Zeros(linearAvals[l])).ToArray();
        }, [.. known.Select(k => k.Aval), .. givenCts.Select(c => c.Aval)], Op)).ToArray();
        var outs = Apply(index, transposed, [.. known, .. givenCts]);
        var o = 0;
        return [null, .. linear.Select(l => l ? outs[o++] : null)];
    }
}
