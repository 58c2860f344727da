using JaxSharp.OpenCL.Runtime;
using JaxSharp.Primitives.Control;

namespace JaxSharp.OpenCL.ControlFlow;

/// <summary>
/// <c>while</c> on an OpenCL device: the predicate and the body compiled as device programs. The
/// carries stay on the device; each step reads the predicate's bool back, runs the body into fresh
/// buffers and gives the previous carries back to the pool (which hands them to the next step:
/// double buffering). A batched loop (from <c>vmap</c>) is such a loop too.
/// </summary>
internal sealed class DeviceWhile(OpenCLDevice device, WhileParams parameters) : HostConstruct
{
    private readonly OpenCLProgram _cond = Compile(device, parameters.Cond);
    private readonly OpenCLProgram _body = Compile(device, parameters.Body);

    /// <inheritdoc/>
    public override IEnumerable<string> Sources => _cond.Sources.Concat(_body.Sources);

    /// <inheritdoc/>
    public override ClBuffer[] Run(IReadOnlyList<ClBuffer> arguments)
    {
        var condConsts = parameters.CondConsts(arguments);
        var bodyConsts = parameters.BodyConsts(arguments);
        var carries = parameters.Carries(arguments);
        var owned = false;
        while (Holds(condConsts, carries))
        {
            var next = _body.RunOn([.. bodyConsts, .. carries]);
            if (owned) Release(carries);
            (carries, owned) = (next, true);
        }
        return owned ? carries : carries.Select((c, k) => device.Duplicate(c, parameters.Body.OutputAvals[k])).ToArray();
    }

    private bool Holds(ClBuffer[] consts, ClBuffer[] carries)
    {
        var predicate = _cond.RunOn([.. consts, .. carries])[0];
        var holds = ReadScalar<bool>(device, predicate, DType.Bool);
        predicate.Release();
        return holds;
    }
}
