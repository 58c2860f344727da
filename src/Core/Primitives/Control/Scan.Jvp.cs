using JaxSharp.IR;

namespace JaxSharp.Primitives.Control;

public sealed partial class Scan
{
    /// <summary>Refused: <see cref="JvpWithOutputs"/> computes the outputs and tangents together.</summary>
    public override Tensor?[] JvpMany(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, IReadOnlyList<Tensor> outputs, PrimitiveParams parameters) =>
        throw new InvalidOperationException($"{Op}: its JVP computes outputs and tangents together (JvpWithOutputs)");

    /// <summary>
    /// JAX's <c>_scan_jvp</c> by partial evaluation (<c>_scan_partial_eval</c>): the body's JVP is split
    /// into a primal body, which also returns residuals, and a linear tangent body; the carries with a
    /// tangent are found by splitting until they are stable (a carry gets one when the body gives it
    /// one). The primal scan stacks the residuals as extra ys, except those that are a const or an xs
    /// unchanged, which the tangent scan takes as they are. Tangent scan: consts = [const residuals,
    /// const tangents], carries = carry tangents, xs = [stacked residuals, xs residuals, xs tangents].
    /// </summary>
    public override (Tensor[] Outputs, Tensor?[] Tangents)? JvpWithOutputs(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, PrimitiveParams parameters)
    {
        var p = (ScanParams)parameters;
        var (c, k, n) = (p.ConstCount, p.CarryCount, primals.Count);
        bool Differentiable(int i) => p.Body.InputAvals[i].DType.IsFloat();
        var has = Enumerable.Range(0, n).Select(i => tangents[i] is not null && Differentiable(i)).ToArray();
        if (!has.Any(h => h)) return (BindMany(p, [.. primals]), new Tensor?[p.CarryCount + p.YsCount]);

        LinearizedBody split;
        while (true)
        {
            split = LinearizedBody.Split(p.Body, has, Op);
            var grown = false;
            for (var j = 0; j < k; j++)
                if (split.OutputHasTangent[j] && !has[c + j] && Differentiable(c + j)) has[c + j] = grown = true;
            if (!grown) break;
        }

        // residuals: a const or an xs input is passed as it is; any other is stacked per step
        var kinds = split.ResidualInput.Select(r => r is { } i && (i < c || i >= c + k) ? r : null).ToArray();
        var stacked = Enumerable.Range(0, split.ResidualCount).Where(r => kinds[r] is null).ToArray();
        var constResiduals = Enumerable.Range(0, split.ResidualCount).Where(r => kinds[r] < c).ToArray();
        var xsResiduals = Enumerable.Range(0, split.ResidualCount).Where(r => kinds[r] >= c + k).ToArray();
        var outputCount = split.OutputCount;

        var (primalBody, _) = ClosedJaxprs.Trace(a =>
        {
            var outs = ClosedJaxprs.Call(split.Primal, a);
            return [.. outs.Take(outputCount), .. stacked.Select(r => outs[outputCount + r])];
        }, p.Body.InputAvals, Op);
        var primalOuts = BindMany(p with { Body = primalBody }, [.. primals]);
        var outputs = primalOuts.Take(outputCount).ToArray();
        var stackedValues = primalOuts.Skip(outputCount).ToArray();

        var constTangents = Enumerable.Range(0, c).Where(i => has[i]).ToArray();
        var carryTangents = Enumerable.Range(c, k).Where(i => has[i]).ToArray();
        var xsTangents = Enumerable.Range(c + k, n - c - k).Where(i => has[i]).ToArray();
        var residualAvals = split.Primal.OutputAvals.Skip(outputCount).ToArray();
        var avals = new List<AbstractValue>();
        avals.AddRange(constResiduals.Select(r => residualAvals[r]));
        avals.AddRange(constTangents.Select(i => p.Body.InputAvals[i].Strong));
        avals.AddRange(carryTangents.Select(i => p.Body.InputAvals[i].Strong));
        avals.AddRange(stacked.Select(r => residualAvals[r]));
        avals.AddRange(xsResiduals.Select(r => residualAvals[r]));
        avals.AddRange(xsTangents.Select(i => p.Body.InputAvals[i].Strong));
        var tangentOutputs = Enumerable.Range(0, outputCount).Where(o => o < k ? has[c + o] : split.OutputHasTangent[o]).ToArray();
        if (tangentOutputs.Length == 0) return (outputs, new Tensor?[outputCount]);

        var (tangentBody, _) = ClosedJaxprs.Trace(a =>
        {
            var next = 0;
            var residuals = new Tensor[split.ResidualCount];
            foreach (var r in constResiduals) residuals[r] = a[next++];
            var inputTangents = a.Skip(next).Take(constTangents.Length + carryTangents.Length).ToList();
            next += inputTangents.Count;
            foreach (var r in stacked) residuals[r] = a[next++];
            foreach (var r in xsResiduals) residuals[r] = a[next++];
            inputTangents.AddRange(a.Skip(next));
            var outs = ClosedJaxprs.Call(split.Tangent, [.. residuals, .. inputTangents]);
            var result = new Tensor[outputCount];
            for (int o = 0, t = 0; o < outputCount; o++)
                if (split.OutputHasTangent[o]) result[o] = outs[t++];
            return tangentOutputs.Select(o => result[o] ?? Rules.Zeros(p.Body.OutputAvals[o].Strong)).ToArray();
        }, avals, Op);

        Tensor[] args =
        [
            .. constResiduals.Select(r => primals[kinds[r]!.Value]),
            .. constTangents.Select(i => tangents[i]!),
            .. carryTangents.Select(i => tangents[i] ?? Rules.Zeros(primals[i].Aval.Strong)),
            .. stackedValues,
            .. xsResiduals.Select(r => primals[kinds[r]!.Value]),
            .. xsTangents.Select(i => tangents[i]!),
        ];
        var tangentParams = p with { Body = tangentBody, ConstCount = constResiduals.Length + constTangents.Length, CarryCount = carryTangents.Length };
        var tangentOuts = BindMany(tangentParams, args);
        var outTangents = new Tensor?[outputCount];
        for (var t = 0; t < tangentOutputs.Length; t++) outTangents[tangentOutputs[t]] = tangentOuts[t];
        return (outputs, outTangents);
    }
}
