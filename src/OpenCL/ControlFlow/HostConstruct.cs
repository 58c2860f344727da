using JaxSharp.Cpu;
using JaxSharp.IR;
using JaxSharp.OpenCL.Runtime;
using JaxSharp.Primitives.Control;

namespace JaxSharp.OpenCL.ControlFlow;

/// <summary>
/// A control-flow equation (cond, while, scan) of an OpenCL program, driven from the host: its
/// branches or bodies are compiled once as device programs of their own, and run on buffers that
/// stay on the device. Only what decides the control (a branch index, a loop predicate) is read
/// back; a scan's slices and stacked outputs are device-side copies.
/// </summary>
internal abstract class HostConstruct
{
    /// <summary>Runs on the equation's argument buffers, which the caller keeps; returns its outputs as fresh buffers the caller owns.</summary>
    public abstract ClBuffer[] Run(IReadOnlyList<ClBuffer> arguments);

    /// <summary>The OpenCL C source of the kernels of its device programs.</summary>
    public abstract IEnumerable<string> Sources { get; }

    /// <summary>The construct that runs <paramref name="application"/> on <paramref name="device"/>, or null when it is no control flow.</summary>
    /// <remarks>A loop of scalars is one in-kernel loop (<see cref="ScalarLoopKernel"/>); any other loop is driven from the host.</remarks>
    public static HostConstruct? TryCreate(OpenCLDevice device, PrimitiveExpression application, ProgramFacts facts) => application.Params switch
    {
        CondParams cond when application.Primitive is Cond => new DeviceCond(device, cond),
        WhileParams loop when application.Primitive is While =>
            DeviceScalarLoop.TryCreate(device, ScalarLoopKernel.TryWrite(loop.Cond, loop.CondConstCount, loop.Body, loop.BodyConstCount, loop.CarryCount, null), loop.Body.OutputAvals)
            ?? new DeviceWhile(device, loop),
        ScanParams scan when application.Primitive is Scan =>
            (scan.XsCount == 0 && scan.YsCount == 0
                ? DeviceScalarLoop.TryCreate(device, ScalarLoopKernel.TryWrite(null, 0, scan.Body, scan.ConstCount, scan.CarryCount, scan.Length), scan.Body.OutputAvals)
                : null)
            ?? new DeviceScan(device, scan, application.Arguments.Select(facts.AvalOf).ToArray()),
        _ => null,
    };

    /// <summary>A branch or body compiled for the device (simplified first, as <c>jit</c> does).</summary>
    protected static OpenCLProgram Compile(OpenCLDevice device, Jaxpr program) => (OpenCLProgram)device.Compile(program);

    /// <summary>Reads a scalar back to the host (waiting for the work that computes it).</summary>
    protected static T ReadScalar<T>(OpenCLDevice device, ClBuffer buffer, DType dtype) =>
        ((T[])device.Download(buffer, new AbstractValue(Shape.Scalar, dtype)))[0];

    /// <summary>Gives back buffers the construct owns.</summary>
    protected static void Release(IEnumerable<ClBuffer> owned)
    {
        foreach (var buffer in owned) buffer.Release();
    }

    /// <summary>Byte size of one value of <paramref name="aval"/>.</summary>
    protected static long BytesOf(AbstractValue aval) => (long)aval.Shape.Size * aval.DType.ByteSize();
}
