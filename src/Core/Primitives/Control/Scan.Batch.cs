using JaxSharp.IR;
using JaxSharp.Transforms;

namespace JaxSharp.Primitives.Control;

public sealed partial class Scan
{
    /// <summary>
    /// JAX's <c>_scan_batching_rule</c>: the body batched, every batched value with its batch axis in
    /// front of the body's view (consts and carries at axis 0, xs at axis 1, behind the steps' axis).
    /// A carry is batched when its init is or when the body makes it so, found by batching the body
    /// until the batched carries are stable; an unbatched init of a batched carry is broadcast.
    /// Outputs: carries batched at 0, ys at 1.
    /// </summary>
    public override (Tensor[] Results, int?[] BatchAxes) BatchMany(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var p = (ScanParams)parameters;
        var (c, k, n) = (p.ConstCount, p.CarryCount, args.Count);
        var size = Rules.BatchSize(args, batchAxes);
        var batched = batchAxes.Select(a => a is not null).ToArray();
        Jaxpr body;
        bool[] ysBatched;
        while (true)
        {
            (body, var carriesBatched, ysBatched) = BatchedBody(p, batched, size);
            var grown = false;
            for (var j = 0; j < k; j++)
                if (carriesBatched[j] && !batched[c + j]) batched[c + j] = grown = true;
            if (!grown) break;
        }

        var moved = new Tensor[n];
        for (var i = 0; i < n; i++)
            moved[i] = !batched[i] ? args[i]
                : i < c + k ? Rules.BatchToFront(args[i], batchAxes[i], size)
                : Rules.MoveAxis(args[i], batchAxes[i]!.Value, 1);
        var results = BindMany(p with { Body = body }, moved);
        var axes = new int?[results.Length];
        for (var j = 0; j < k; j++) axes[j] = batched[c + j] ? 0 : null;
        for (var j = 0; j < p.YsCount; j++) axes[k + j] = ysBatched[j] ? 1 : null;
        return (results, axes);
    }

    /// <summary>
    /// The body on inputs batched at axis 0 where <paramref name="batched"/> says; a carry output is
    /// batched at 0 when its input is (broadcast if the body left it unbatched).
    /// </summary>
    private static (Jaxpr Body, bool[] CarriesBatched, bool[] YsBatched) BatchedBody(ScanParams p, bool[] batched, int size)
    {
        var k = p.CarryCount;
        var avals = p.Body.InputAvals.Select((a, i) => batched[i] ? a with { Shape = new Shape([size, .. a.Shape]) } : a).ToArray();
        var carriesBatched = new bool[k];
        var ysBatched = new bool[p.YsCount];
        var (body, _) = ClosedJaxprs.Trace(a =>
        {
            var (outs, axes) = BatchInterpreter.Evaluate(p.Body, a, batched.Select(b => b ? (int?)0 : null).ToArray());
            var results = new Tensor[outs.Length];
            for (var o = 0; o < outs.Length; o++)
            {
                var mustBatch = o < k && batched[p.ConstCount + o];
                if (o < k) carriesBatched[o] = axes[o] is not null;
                else ysBatched[o - k] = axes[o] is not null;
                results[o] = axes[o] is { } axis ? Rules.MoveAxis(outs[o], axis, 0)
                    : mustBatch ? Rules.BatchToFront(outs[o], null, size) : outs[o];
            }
            return results;
        }, avals, Op);
        return (body, carriesBatched, ysBatched);
    }
}
