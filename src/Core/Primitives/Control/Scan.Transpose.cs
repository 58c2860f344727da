using JaxSharp.Transforms;
namespace JaxSharp.Primitives.Control;

public sealed partial class Scan
{
    /// <summary>
    /// JAX's <c>_scan_transpose</c>, for a scan linear in its carries and in the consts and xs given
    /// no primal value: a scan running the other way whose consts are the non-linear consts
    /// (residuals), whose carries are the cotangents of the linear consts (accumulated over the steps)
    /// and of the carries, and whose xs are the cotangents of the ys and the non-linear xs; its ys are
    /// the cotangents of the linear xs. Its body is the body transposed (<see cref="JaxprTranspose"/>).
    /// </summary>
    public override Tensor?[] TransposeMany(IReadOnlyList<Tensor?> cotangents, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var p = (ScanParams)parameters;
        var (c, k, n) = (p.ConstCount, p.CarryCount, primals.Count);
        var body = p.Body;
        var residualConsts = Enumerable.Range(0, c).Where(i => primals[i] is not null).ToArray();
        var linearConsts = Enumerable.Range(0, c).Where(i => primals[i] is null).ToArray();
        // carries are linear: a carry given a value is a zero tangent the JVP made concrete
        var residualXs = Enumerable.Range(c + k, n - c - k).Where(i => primals[i] is not null).ToArray();
        var linearXs = Enumerable.Range(c + k, n - c - k).Where(i => primals[i] is null).ToArray();
        var ysWithCotangent = Enumerable.Range(0, p.YsCount).Where(j => cotangents[k + j] is not null).ToArray();

        var avals = new List<AbstractValue>();
        avals.AddRange(residualConsts.Select(i => body.InputAvals[i]));
        avals.AddRange(linearConsts.Select(i => body.InputAvals[i].Strong));
        avals.AddRange(Enumerable.Range(c, k).Select(i => body.InputAvals[i].Strong));
        avals.AddRange(ysWithCotangent.Select(j => body.OutputAvals[k + j].Strong));
        avals.AddRange(residualXs.Select(i => body.InputAvals[i]));
        var (transposed, _) = ClosedJaxprs.Trace(a =>
        {
            var values = new Tensor?[n];
            var next = 0;
            foreach (var i in residualConsts) values[i] = a[next++];
            var constCts = a.Skip(next).Take(linearConsts.Length).ToArray();
            next += linearConsts.Length;
            var outputCts = new Tensor?[body.Outputs.Count];
            for (var j = 0; j < k; j++) outputCts[j] = a[next++];
            foreach (var j in ysWithCotangent) outputCts[k + j] = a[next++];
            foreach (var i in residualXs) values[i] = a[next++];
            var cts = JaxprTranspose.Backward(body, values, outputCts, Op);
            Tensor OrZeros(int i) => cts[i] ?? Rules.Zeros(body.InputAvals[i].Strong);
            return
            [
                .. linearConsts.Select((i, m) => cts[i] is { } ct ? Lax.Add(constCts[m], ct) : constCts[m]),
                .. Enumerable.Range(c, k).Select(OrZeros),
                .. linearXs.Select(OrZeros),
            ];
        }, avals, Op);

        Tensor[] args =
        [
            .. residualConsts.Select(i => primals[i]!),
            .. linearConsts.Select(i => Rules.Zeros(inputs[i].Strong)),
            .. Enumerable.Range(0, k).Select(j => cotangents[j] ?? Rules.Zeros(inputs[c + j].Strong)),
            .. ysWithCotangent.Select(j => cotangents[k + j]!),
            .. residualXs.Select(i => primals[i]!),
        ];
        var transposedParams = p with
        {
            Body = transposed, Reverse = !p.Reverse, ConstCount = residualConsts.Length, CarryCount = linearConsts.Length + k,
        };
        var outs = BindMany(transposedParams, args);
        var result = new Tensor?[n];
        for (var m = 0; m < linearConsts.Length; m++) result[linearConsts[m]] = outs[m];
        for (var j = 0; j < k; j++) result[c + j] = outs[linearConsts.Length + j];
        for (var m = 0; m < linearXs.Length; m++) result[linearXs[m]] = outs[linearConsts.Length + k + m];
        return result;
    }
}
