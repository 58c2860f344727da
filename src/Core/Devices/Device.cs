using JaxSharp.IR;
using JaxSharp.Primitives;

namespace JaxSharp;

/// <summary>What kind of processor a <see cref="Device"/> is.</summary>
public enum DeviceKind
{
    /// <summary>A CPU: the host, or an OpenCL CPU device such as PoCL's.</summary>
    Cpu,
    /// <summary>A graphics processor.</summary>
    Gpu,
    /// <summary>Another accelerator (an FPGA, a DSP).</summary>
    Accelerator,
}

/// <summary>
/// A device that holds tensors and runs programs, as JAX's <c>jax.Device</c>: the host CPU
/// (always <see cref="Jax.Devices()"/>[0]) or, with the <c>JaxSharp.OpenCL</c> package
/// referenced, each OpenCL device. Computation follows its inputs: a tensor placed with
/// <see cref="Jax.DevicePut"/> is committed to its device, and every call on it runs there.
/// </summary>
/// <example><c>var gpu = Jax.Devices("opencl")[0]; var y = Np.Sin(Jax.DevicePut(x, gpu));</c></example>
public abstract class Device
{
    /// <summary>The platform: <c>cpu</c> or <c>opencl</c>.</summary>
    public abstract string Platform { get; }

    /// <summary>The device's name, as its driver reports it.</summary>
    public abstract string Name { get; }

    /// <summary>What kind of processor it is.</summary>
    public abstract DeviceKind Kind { get; }

    /// <summary>Its global memory in bytes (the host's memory for the CPU).</summary>
    public abstract long MemoryBytes { get; }

    /// <summary>Its index in <see cref="Jax.Devices()"/>.</summary>
    public int Id { get; internal set; }

    /// <summary>Whether this is the host CPU, where tensors are plain .NET arrays.</summary>
    internal bool IsHost => this is CpuDevice;

    /// <summary>Copies a host array (of the tensor's element type, row-major) to a new buffer on this device.</summary>
    internal abstract DeviceBuffer Upload(Array values, AbstractValue aval);

    /// <summary>Runs one primitive on <paramref name="args"/> (on this device or host values) and returns its outputs on this device.</summary>
    internal abstract Tensor[] Execute(Primitive primitive, PrimitiveParams parameters, Tensor[] args, bool committed);

    /// <summary>Compiles a closed program for this device.</summary>
    internal abstract DeviceProgram Compile(Jaxpr jaxpr);

    /// <summary>Waits until every piece of work queued on this device is done.</summary>
    internal abstract void Synchronize();

    /// <inheritdoc/>
    public override string ToString() => $"{Platform}:{Id} ({Name})";
}

/// <summary>A program compiled for one device (see <see cref="Device.Compile"/>).</summary>
internal abstract class DeviceProgram
{
    /// <summary>Runs the program on <paramref name="inputs"/>; the outputs live on the program's device.</summary>
    public abstract Tensor[] Run(IReadOnlyList<Tensor> inputs, bool committed);

    /// <summary>The program as <c>Jax.Lower</c> prints it: its groups and each one's generated code.</summary>
    public abstract string Listing { get; }
}

/// <summary>
/// Memory on a device holding one tensor's elements. Tensors own their buffers; a buffer goes
/// back to its device when the tensor holding it is collected.
/// </summary>
internal abstract class DeviceBuffer
{
    /// <summary>The device the memory is on.</summary>
    public abstract Device Device { get; }

    /// <summary>Copies the elements back to a fresh host array of <paramref name="aval"/>'s element type.</summary>
    public abstract Array Download(AbstractValue aval);
}
