using JaxSharp.Cpu;
using JaxSharp.IR;
using JaxSharp.Primitives;

namespace JaxSharp;

/// <summary>The host CPU: tensors are .NET arrays, programs are fused loops (<see cref="CpuProgram"/>).</summary>
internal sealed class CpuDevice : Device
{
    public static readonly CpuDevice Instance = new();

    private CpuDevice() { }

    public override string Platform => "cpu";

    public override string Name => $"{Environment.ProcessorCount} cores";

    public override DeviceKind Kind => DeviceKind.Cpu;

    public override long MemoryBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    internal override DeviceBuffer Upload(Array values, AbstractValue aval) =>
        throw new InvalidOperationException("cpu: host values need no buffer");

    internal override Tensor[] Execute(Primitive primitive, PrimitiveParams parameters, Tensor[] args, bool committed) =>
        CpuExecutor.Execute(primitive, parameters, args);

    internal override DeviceProgram Compile(Jaxpr jaxpr) => new HostProgram(ProgramCache.Get(jaxpr));

    internal override void Synchronize() { }

    /// <summary>A CPU program as a device program.</summary>
    private sealed class HostProgram(CpuProgram program) : DeviceProgram
    {
        public override Tensor[] Run(IReadOnlyList<Tensor> inputs, bool committed) => program.Run(inputs);

        public override string Listing => ProgramListing.Print(program);
    }

    public override string ToString() => $"cpu:0 ({Name})";
}
