using JaxSharp.OpenCL.Runtime;

namespace JaxSharp.OpenCL.ControlFlow;

/// <summary>
/// A loop of scalars (a <c>while</c>, or a scan without sequences such as <c>fori_loop</c> with
/// static bounds) as one launch of its <see cref="ScalarLoopKernel"/>: one work item runs every
/// step, with no read back and no launch per step.
/// </summary>
internal sealed class DeviceScalarLoop : HostConstruct
{
    private readonly OpenCLDevice _device;
    private readonly string _source;
    private readonly CompiledKernel _kernel;
    private readonly AbstractValue[] _carries;

    private DeviceScalarLoop(OpenCLDevice device, string source, IReadOnlyList<AbstractValue> carries)
    {
        (_device, _source, _carries) = (device, source, carries.ToArray());
        _kernel = device.Kernels.Get(source, ScalarLoopKernel.Name);
    }

    /// <summary>The construct of a loop's kernel <paramref name="source"/>, or null when the loop has none.</summary>
    public static HostConstruct? TryCreate(OpenCLDevice device, string? source, IReadOnlyList<AbstractValue> carries) =>
        source is null ? null : new DeviceScalarLoop(device, source, carries);

    /// <inheritdoc/>
    public override IEnumerable<string> Sources => [_source];

    /// <inheritdoc/>
    public override ClBuffer[] Run(IReadOnlyList<ClBuffer> arguments)
    {
        var outputs = _carries.Select(a => new ClBuffer(_device, BytesOf(a))).ToArray();
        _device.Launch(_kernel, [.. arguments, .. outputs], 1);
        return outputs;
    }
}
