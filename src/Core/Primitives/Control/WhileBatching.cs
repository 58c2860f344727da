using JaxSharp.IR;
using JaxSharp.Primitives.Elementwise;
using JaxSharp.Primitives.Shapes;
using JaxSharp.Transforms;

namespace JaxSharp.Primitives.Control;

/// <summary>
/// The batching rule of <see cref="While"/> (JAX's <c>_while_loop_batching_rule</c>). Carries that
/// are batched, or that a step makes batched (a fixed point), carry the batch axis in front, and
/// the predicate and body are batched programs. When the predicate itself is batched, each example
/// has its own trip count: the batched loop runs while any example's predicate holds, every carry
/// is batched, and a step keeps the carries of the examples that are done (a select between the
/// old and the new carry), so each example ends with the carries its own loop would.
/// </summary>
internal static class WhileBatching
{
    /// <summary>The batched loop's outputs and their batch axes (0, or null for an unbatched carry).</summary>
    public static (Tensor[] Results, int?[] BatchAxes) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> axes, WhileParams p)
    {
        var size = Rules.BatchSize(args, axes);
        var (cc, bc, n) = (p.CondConstCount, p.BodyConstCount, p.CarryCount);
        var batched = axes.Select(a => a is not null).ToArray();
        var condConstBatched = p.CondConsts(batched);
        var bodyConstBatched = p.BodyConsts(batched);
        var carryBatched = p.Carries(batched);
        while (true)
        {
            var step = OutputsBatched(p.Body, [.. bodyConstBatched, .. carryBatched], size);
            var grown = carryBatched.Zip(step, (a, b) => a || b).ToArray();
            if (grown.SequenceEqual(carryBatched)) break;
            carryBatched = grown;
        }
        var predicateBatched = OutputsBatched(p.Cond, [.. condConstBatched, .. carryBatched], size)[0];
        if (predicateBatched) carryBatched = Enumerable.Repeat(true, n).ToArray();

        var front = args.Select((x, i) => axes[i] is { } a ? Rules.MoveAxis(x, a, 0) : x).ToArray();
        for (var j = 0; j < n; j++)
            if (carryBatched[j] && axes[cc + bc + j] is null) front[cc + bc + j] = Rules.BatchToFront(front[cc + bc + j], null, size);
        var condConsts = p.CondConsts(front);
        var bodyConsts = p.BodyConsts(front);
        var carries = p.Carries(front);
        bool[] condIn = [.. condConstBatched, .. carryBatched];
        bool[] bodyIn = [.. bodyConstBatched, .. carryBatched];
        var carryAvals = carries.Select(c => c.Aval).ToArray();
        var condConstAvals = condConsts.Select(c => c.Aval).ToArray();
        var bodyConstAvals = bodyConsts.Select(c => c.Aval).ToArray();

        WhileParams batchedLoop;
        Tensor[] loopArgs;
        if (!predicateBatched)
        {
            var cond = WhileDifferentiation.TraceClosed(a => Batched(p.Cond, a, condIn, [false], size), [.. condConstAvals, .. carryAvals]);
            var body = WhileDifferentiation.TraceClosed(a => Batched(p.Body, a, bodyIn, carryBatched, size), [.. bodyConstAvals, .. carryAvals]);
            batchedLoop = new WhileParams(cond, body, cc, bc);
            loopArgs = front;
        }
        else
        {
            // predicate: any example still running; body: step every example, keep the finished ones
            var cond = WhileDifferentiation.TraceClosed(a => [Np.Any(Batched(p.Cond, a, condIn, [true], size)[0])], [.. condConstAvals, .. carryAvals]);
            var body = WhileDifferentiation.TraceClosed(a =>
            {
                var old = a[(cc + bc)..];
                var running = Batched(p.Cond, [.. a[..cc], .. old], condIn, [true], size)[0];
                var stepped = Batched(p.Body, a[cc..], bodyIn, carryBatched, size);
                return stepped.Select((s, j) => Select.Instance.Bind(PrimitiveParams.None,
                    BroadcastInDim.Instance.Bind(new BroadcastInDimParams(s.Shape, new Ints(0)), running), s, old[j])).ToArray();
            }, [.. condConstAvals, .. bodyConstAvals, .. carryAvals]);
            batchedLoop = new WhileParams(cond, body, cc, cc + bc);
            loopArgs = [.. condConsts, .. condConsts, .. bodyConsts, .. carries];
        }
        var results = While.Instance.BindMany(batchedLoop, loopArgs);
        return (results, carryBatched.Select(b => b ? (int?)0 : null).ToArray());
    }

    /// <summary>Which outputs of <paramref name="program"/> are batched when the inputs marked are (traced, then thrown away).</summary>
    private static bool[] OutputsBatched(Jaxpr program, bool[] inputBatched, int size)
    {
        var result = Array.Empty<bool>();
        Tracing.Trace(a =>
        {
            var (outputs, outAxes) = BatchInterpreter.Evaluate(program, a, inputBatched.Select(b => b ? (int?)0 : null).ToArray());
            result = outAxes.Select(x => x is not null).ToArray();
            return outputs;
        }, program.InputAvals.Select((a, i) => inputBatched[i] ? a with { Shape = new Shape([size, .. a.Shape]) } : a).ToArray(), While.Op);
        return result;
    }

    /// <summary>
    /// <paramref name="program"/> run on batched inputs (batch axis in front where marked); outputs marked
    /// in <paramref name="outputBatched"/> come with the batch axis in front, the others unbatched.
    /// </summary>
    private static Tensor[] Batched(Jaxpr program, Tensor[] inputs, bool[] inputBatched, bool[] outputBatched, int size)
    {
        var (outputs, outAxes) = BatchInterpreter.Evaluate(program, inputs, inputBatched.Select(b => b ? (int?)0 : null).ToArray());
        return outputs.Select((o, k) => outputBatched[k] ? Rules.BatchToFront(o, outAxes[k], size)
            : outAxes[k] is null ? o
            : throw new InvalidOperationException($"{While.Op}: output {k} of a loop program is batched although the fixed point said it is not")).ToArray();
    }
}
