namespace JaxSharp;

public static partial class Jax
{
    /// <summary>
    /// Every device, as <c>jax.devices()</c>: the host CPU first, then each OpenCL device when
    /// the <c>JaxSharp.OpenCL</c> package is referenced and an OpenCL platform is installed.
    /// </summary>
    /// <example><c>foreach (var d in Jax.Devices()) Console.WriteLine($"{d} {d.Kind} {d.MemoryBytes >> 20} MiB");</c></example>
    public static IReadOnlyList<Device> Devices() => DeviceRegistry.All;

    /// <summary>The devices of one platform (<c>cpu</c> or <c>opencl</c>), as <c>jax.devices("gpu")</c>.</summary>
    /// <exception cref="InvalidOperationException">The platform has no device here; the message says why and how to get one.</exception>
    /// <exception cref="ArgumentException">The platform is unknown.</exception>
    public static IReadOnlyList<Device> Devices(string platform) => DeviceRegistry.OfPlatform(Arg.NotNull(platform, "Jax.Devices", nameof(platform)));

    /// <summary>
    /// Where computation on values that were never placed runs: the CPU, or the first device
    /// of the platform that the environment variable <c>JAXSHARP_PLATFORM</c> names (as JAX_PLATFORMS).
    /// </summary>
    public static Device DefaultDevice => DeviceRegistry.Default;

    /// <summary>
    /// The tensor <paramref name="x"/> on <paramref name="device"/>, committed to it, as
    /// <c>jax.device_put</c>: every call on it (eager or jitted) then runs there, and values
    /// never placed join it. Reading its values (<c>ToArray</c>, printing) copies them back.
    /// </summary>
    /// <example><c>var xg = Jax.DevicePut(x, Jax.Devices("opencl")[0]); var y = Np.Exp(xg); // runs on the OpenCL device</c></example>
    /// <exception cref="InvalidOperationException"><paramref name="x"/> is a traced value, which lives in no memory yet.</exception>
    public static Tensor DevicePut(Tensor x, Device device)
    {
        Arg.NotNull(x, "Jax.DevicePut", nameof(x));
        Arg.NotNull(device, "Jax.DevicePut", nameof(device));
        if (x.IsTracer || x.IsShapeOnly)
            throw new InvalidOperationException($"Jax.DevicePut: {x} has no values to place (it is traced or shape-only); place the arguments before calling the transformed function");
        if (device.IsHost)
        {
            x.SharesBuffer = true;
            return new Tensor(x.Data, x.Aval, committed: true) { SharesBuffer = true };
        }
        var buffer = x.DeviceBuffer is { } b && b.Device == device ? b : device.Upload(x.Data, x.Aval);
        return new Tensor(buffer, x.Aval, committed: true);
    }
}
