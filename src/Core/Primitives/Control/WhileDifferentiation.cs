using JaxSharp.IR;
using JaxSharp.Transforms;

namespace JaxSharp.Primitives.Control;

/// <summary>
/// The JVP of <see cref="While"/> (JAX's <c>_while_loop_jvp</c>): one loop over the primal carries
/// and the tangent carries, whose body is the JVP of the body and whose predicate reads the primal
/// carries only. Which carries have tangents is found by a fixed point: a carry whose tangent starts
/// at zero gets one if a step can give it one. Under <c>linearize</c> and <c>grad</c> the joint loop
/// is recorded in the tangent program (it cannot be split into a primal and a linear loop), and
/// the outputs come from the primal loop alone; transposing that record is refused.
/// </summary>
internal static class WhileDifferentiation
{
    /// <summary>The loop's outputs and their tangents (null: zero).</summary>
    public static (Tensor[] Outputs, Tensor?[] Tangents) Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, WhileParams p)
    {
        var (cc, bc, n) = (p.CondConstCount, p.BodyConstCount, p.CarryCount);
        var bodyConsts = p.BodyConsts(primals);
        var carries = p.Carries(primals);
        var constHas = bodyConsts.Select((c, i) => tangents[cc + i] is not null && c.DType.IsFloat()).ToArray();
        var carryHas = carries.Select((c, j) => tangents[cc + bc + j] is not null && c.DType.IsFloat()).ToArray();
        if (!constHas.Contains(true) && !carryHas.Contains(true))
            return (While.Instance.BindMany(p, primals.ToArray()), new Tensor?[n]);

        Jaxpr body;
        while (true)
        {
            var (traced, grown) = JvpBody(p.Body, bc, constHas, carryHas);
            if (grown.SequenceEqual(carryHas))
            {
                body = traced;
                break;
            }
            carryHas = grown;
        }
        var tangentAvals = carries.Where((_, j) => carryHas[j]).Select(c => c.Aval.Strong).ToArray();
        var cond = TraceClosed(a => ClosedJaxprs.Call(p.Cond, a[..(cc + n)]), [.. p.Cond.InputAvals, .. tangentAvals]);

        Tensor Tangent(int argument) => tangents[argument] ?? Jax.ZerosLike(primals[argument]);
        var constTangents = Enumerable.Range(0, bc).Where(i => constHas[i]).Select(i => Tangent(cc + i));
        var carryTangents = Enumerable.Range(0, n).Where(j => carryHas[j]).Select(j => Tangent(cc + bc + j));
        var args = p.CondConsts(primals).Concat(bodyConsts).Concat(constTangents).Concat(carries).Concat(carryTangents).ToArray();
        var joint = new WhileParams(cond, body, cc, bc + constHas.Count(h => h));
        var results = While.Instance.BindMany(joint, args);

        // Tangents that live in a deeper level than the primals (linearize's tangent program) put
        // the joint loop there: the outputs must then come from a loop over the primals alone.
        var primalLevel = Trace.Find(primals.ToArray(), While.Op);
        var outputs = Trace.Find(args, While.Op) == primalLevel ? results[..n] : While.Instance.BindMany(p, primals.ToArray());
        var outTangents = new Tensor?[n];
        for (int j = 0, k = n; j < n; j++)
            if (carryHas[j]) outTangents[j] = results[k++];
        return (outputs, outTangents);
    }

    /// <summary>
    /// The body's JVP as a closed program of (consts, const tangents, carries, carry tangents),
    /// returning (carries, carry tangents), for the tangents marked; and which carries' tangents can be
    /// nonzero after a step (those marked, and those a step gives one).
    /// </summary>
    private static (Jaxpr Program, bool[] CarryHas) JvpBody(Jaxpr body, int bc, bool[] constHas, bool[] carryHas)
    {
        var n = carryHas.Length;
        var outHas = (bool[])carryHas.Clone();
        var constAvals = body.InputAvals.Take(bc).ToArray();
        var carryAvals = body.InputAvals.Skip(bc).ToArray();
        AbstractValue[] avals =
        [
            .. constAvals, .. constAvals.Where((_, i) => constHas[i]).Select(a => a.Strong),
            .. carryAvals, .. carryAvals.Where((_, j) => carryHas[j]).Select(a => a.Strong),
        ];
        var program = TraceClosed(a =>
        {
            var next = 0;
            var consts = a[next..(next += bc)];
            var constTangents = new Tensor?[bc];
            for (var i = 0; i < bc; i++) if (constHas[i]) constTangents[i] = a[next++];
            var carries = a[next..(next += n)];
            var carryTangents = new Tensor?[n];
            for (var j = 0; j < n; j++) if (carryHas[j]) carryTangents[j] = a[next++];
            var (outputs, outTangents) = Linearization.Jvp(x => ClosedJaxprs.Call(body, x), [.. consts, .. carries], [.. constTangents, .. carryTangents]);
            for (var j = 0; j < n; j++) outHas[j] |= outTangents[j] is not null && outputs[j].DType.IsFloat();
            return [.. outputs, .. Enumerable.Range(0, n).Where(j => carryHas[j]).Select(j => outTangents[j] ?? Jax.ZerosLike(outputs[j]))];
        }, avals);
        return (program, outHas);
    }

    /// <summary>Traces a function of its inputs alone (it closes over no traced value) into a closed program.</summary>
    internal static Jaxpr TraceClosed(Func<Tensor[], Tensor[]> f, IReadOnlyList<AbstractValue> avals)
    {
        var (program, consts) = ClosedJaxprs.Trace(f, avals, While.Op);
        if (consts.Length != 0) throw new InvalidOperationException($"{While.Op}: a rule's program closed over {consts.Length} traced values");
        return program;
    }
}
