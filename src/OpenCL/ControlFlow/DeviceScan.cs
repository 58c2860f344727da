using JaxSharp.OpenCL.Runtime;
using JaxSharp.Primitives.Control;

namespace JaxSharp.OpenCL.ControlFlow;

/// <summary>
/// <c>scan</c> on an OpenCL device: the body compiled as a device program, run once per step on
/// the consts, the device-resident carries and each xs' slice (a device-side copy at the step's
/// offset); each step's ys are copied into their slice of the stacked outputs, and its previous
/// carries go back to the pool. Nothing is read back to the host. <c>reverse</c> walks the slices
/// from the last; a scan without xs is a counted loop. The unroll factor is a CPU lowering choice
/// and changes no value, so it is not used here.
/// </summary>
internal sealed class DeviceScan : HostConstruct
{
    private readonly OpenCLDevice _device;
    private readonly ScanParams _p;
    private readonly OpenCLProgram _body;
    private readonly AbstractValue[] _carryAvals;
    private readonly long[] _xBytes;
    private readonly long[] _yBytes;

    public DeviceScan(OpenCLDevice device, ScanParams parameters, IReadOnlyList<AbstractValue> inputs)
    {
        _device = device;
        _p = parameters;
        _body = Compile(device, parameters.Body);
        _carryAvals = inputs.Skip(parameters.ConstCount).Take(parameters.CarryCount).ToArray();
        _xBytes = parameters.Body.InputAvals.Skip(parameters.ConstCount + parameters.CarryCount).Select(BytesOf).ToArray();
        _yBytes = parameters.Body.OutputAvals.Skip(parameters.CarryCount).Select(BytesOf).ToArray();
    }

    /// <inheritdoc/>
    public override IEnumerable<string> Sources => _body.Sources;

    /// <inheritdoc/>
    public override ClBuffer[] Run(IReadOnlyList<ClBuffer> arguments)
    {
        var (c, k, x, length) = (_p.ConstCount, _p.CarryCount, _p.XsCount, _p.Length);
        var carries = arguments.Skip(c).Take(k).ToArray();
        var xs = arguments.Skip(c + k).ToArray();
        var ys = _yBytes.Select(bytes => new ClBuffer(_device, length * bytes)).ToArray();
        var stepInputs = new ClBuffer[c + k + x];
        for (var i = 0; i < c; i++) stepInputs[i] = arguments[i];
        var owned = false;
        for (var step = 0; step < length; step++)
        {
            var index = _p.Reverse ? length - 1 - step : step;
            carries.CopyTo(stepInputs, c);
            for (var j = 0; j < x; j++)
            {
                var slice = new ClBuffer(_device, _xBytes[j]);
                _device.Copy(xs[j], index * _xBytes[j], slice, 0, _xBytes[j]);
                stepInputs[c + k + j] = slice;
            }
            var outs = _body.RunOn(stepInputs);
            Release(stepInputs.Skip(c + k));
            if (owned) Release(carries);
            (carries, owned) = (outs.Take(k).ToArray(), true);
            for (var j = 0; j < _yBytes.Length; j++)
            {
                _device.Copy(outs[k + j], 0, ys[j], index * _yBytes[j], _yBytes[j]);
                outs[k + j].Release();
            }
        }
        if (!owned) carries = carries.Select((carry, j) => _device.Duplicate(carry, _carryAvals[j])).ToArray();
        return [.. carries, .. ys];
    }
}
