using JaxSharp.OpenCL.Runtime;
using JaxSharp.Primitives.Control;

namespace JaxSharp.OpenCL.ControlFlow;

/// <summary>
/// <c>cond</c> (and <c>switch</c>) on an OpenCL device: every branch compiled as a device program;
/// a call reads the int32 index back, clamps it into range as the CPU does, and runs that branch
/// on the operands' device buffers.
/// </summary>
internal sealed class DeviceCond(OpenCLDevice device, CondParams parameters) : HostConstruct
{
    private readonly OpenCLProgram[] _branches = parameters.Branches.Select(b => Compile(device, b)).ToArray();

    /// <inheritdoc/>
    public override IEnumerable<string> Sources => _branches.SelectMany(b => b.Sources);

    /// <inheritdoc/>
    public override ClBuffer[] Run(IReadOnlyList<ClBuffer> arguments)
    {
        var index = Math.Clamp(ReadScalar<int>(device, arguments[0], DType.Int32), 0, _branches.Length - 1);
        return _branches[index].RunOn(arguments.Skip(1).ToArray());
    }
}
