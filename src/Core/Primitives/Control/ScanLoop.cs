using JaxSharp.IR;

namespace JaxSharp.Primitives.Control;

/// <summary>
/// The CPU loop of one <see cref="Scan"/> equation: the body compiled once (and, with
/// <see cref="ScanParams.Unroll"/> above 1, a body of that many steps compiled once too), run per
/// step on the consts, the current carries and a copy of each xs slice; each step's ys are copied
/// into their slice of the stacked outputs. Carries are replaced, not grown: memory does not depend
/// on the length beyond the stacked xs and ys.
/// </summary>
internal sealed class ScanLoop
{
    private readonly ScanParams _p;
    private readonly IReadOnlyList<AbstractValue> _inputs;
    private readonly CompiledBody _body;
    private readonly CompiledBody? _unrolled;
    private readonly int[] _xSizes;
    private readonly int[] _ySizes;

    public ScanLoop(ScanParams p, IReadOnlyList<AbstractValue> inputs)
    {
        _p = p;
        _inputs = inputs;
        _body = new CompiledBody(p.Body);
        _unrolled = p.Unroll > 1 && p.Length >= p.Unroll ? new CompiledBody(Unrolled(p)) : null;
        _xSizes = p.Body.InputAvals.Skip(p.ConstCount + p.CarryCount).Select(a => a.Shape.Size).ToArray();
        _ySizes = p.Body.OutputAvals.Skip(p.CarryCount).Select(a => a.Shape.Size).ToArray();
    }

    /// <summary>
    /// A body of <see cref="ScanParams.Unroll"/> steps: inputs consts, carries, then the xs slices of
    /// each step in the order the steps run; outputs the carries, then the ys slices of each step.
    /// </summary>
    private static Jaxpr Unrolled(ScanParams p)
    {
        var (c, k, x) = (p.ConstCount, p.CarryCount, p.XsCount);
        var slices = p.Body.InputAvals.Skip(c + k).ToArray();
        var avals = p.Body.InputAvals.Take(c + k).Concat(Enumerable.Range(0, p.Unroll).SelectMany(_ => slices)).ToArray();
        var (program, _) = ClosedJaxprs.Trace(a =>
        {
            var consts = a.Take(c).ToArray();
            var carries = a.Skip(c).Take(k).ToArray();
            var ys = new List<Tensor>();
            for (var s = 0; s < p.Unroll; s++)
            {
                var outs = ClosedJaxprs.Call(p.Body, [.. consts, .. carries, .. a.Skip(c + k + s * x).Take(x)]);
                carries = outs.Take(k).ToArray();
                ys.AddRange(outs.Skip(k));
            }
            return [.. carries, .. ys];
        }, avals, Scan.Instance.Name);
        return program;
    }

    /// <summary>The kernel: reads consts, carries and xs; writes the final carries and the stacked ys.</summary>
    public void Run(Array[] buffers, Array[] outputs)
    {
        var (c, k, x, length) = (_p.ConstCount, _p.CarryCount, _p.XsCount, _p.Length);
        var args = CompiledBody.Wrap(buffers, _inputs);
        var carries = args.Skip(c).Take(k).ToArray();
        var xs = args.Skip(c + k).Select(t => t.Data).ToArray();
        var step = 0;
        if (_unrolled is { } unrolled)
        {
            var u = _p.Unroll;
            var inputs = new Tensor[c + k + u * x];
            Array.Copy(args, inputs, c);
            for (; step + u <= length; step += u)
            {
                Array.Copy(carries, 0, inputs, c, k);
                for (var s = 0; s < u; s++) Slice(xs, Index(step + s), inputs, c + k + s * x);
                var outs = unrolled.Run(inputs);
                Array.Copy(outs, carries, k);
                for (var s = 0; s < u; s++) Store(outs, k + s * _ySizes.Length, outputs, Index(step + s));
            }
        }
        var stepInputs = new Tensor[c + k + x];
        Array.Copy(args, stepInputs, c);
        for (; step < length; step++)
        {
            Array.Copy(carries, 0, stepInputs, c, k);
            Slice(xs, Index(step), stepInputs, c + k);
            var outs = _body.Run(stepInputs);
            Array.Copy(outs, carries, k);
            Store(outs, k, outputs, Index(step));
        }
        for (var j = 0; j < k; j++) Array.Copy(carries[j].Data, outputs[j], carries[j].Aval.Shape.Size);
    }

    /// <summary>The slice index of the step that runs <paramref name="step"/>-th.</summary>
    private int Index(int step) => _p.Reverse ? _p.Length - 1 - step : step;

    /// <summary>Copies slice <paramref name="index"/> of each xs into a tensor at <c>into[at + j]</c>.</summary>
    private void Slice(Array[] xs, int index, Tensor[] into, int at)
    {
        for (var j = 0; j < xs.Length; j++)
        {
            var aval = _p.Body.InputAvals[_p.ConstCount + _p.CarryCount + j];
            var size = _xSizes[j];
            var slice = Array.CreateInstance(xs[j].GetType().GetElementType()!, size);
            Array.Copy(xs[j], index * size, slice, 0, size);
            into[at + j] = new Tensor(slice, aval);
        }
    }

    /// <summary>Copies the ys of one step (body outputs from <paramref name="from"/>) into slice <paramref name="index"/> of the stacked outputs.</summary>
    private void Store(Tensor[] outs, int from, Array[] outputs, int index)
    {
        for (var j = 0; j < _ySizes.Length; j++)
            Array.Copy(outs[from + j].Data, 0, outputs[_p.CarryCount + j], index * _ySizes[j], _ySizes[j]);
    }
}
