using System.Reflection;

namespace JaxSharp;

/// <summary>
/// Marks an assembly that adds devices (as <c>JaxSharp.OpenCL</c> does): the core loads it by
/// name when devices are first asked for and asks its provider for them.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
internal sealed class DeviceProviderAttribute(Type provider) : Attribute
{
    /// <summary>A type derived from <see cref="DeviceProvider"/> with a public constructor without parameters.</summary>
    public Type Provider { get; } = provider;
}

/// <summary>A source of devices of one platform.</summary>
internal abstract class DeviceProvider
{
    /// <summary>The platform name, as <c>JAXSHARP_PLATFORM</c> names it: <c>opencl</c>.</summary>
    public abstract string Platform { get; }

    /// <summary>The devices found; empty when there are none, with <see cref="Unavailable"/> saying why.</summary>
    public abstract IReadOnlyList<Device> Discover();

    /// <summary>Why no device was found, and how to get one; null when devices were found.</summary>
    public abstract string? Unavailable { get; }
}

/// <summary>
/// The devices of this process: the CPU, then those of every backend assembly that is
/// referenced (found by name, so that referencing the package is all it takes), and the default
/// device, which <c>JAXSHARP_PLATFORM</c> (<c>cpu</c> or <c>opencl</c>, as JAX_PLATFORMS) chooses.
/// </summary>
internal static class DeviceRegistry
{
    /// <summary>The backend assemblies looked for, by platform.</summary>
    private static readonly (string Platform, string Assembly)[] s_backends = [("opencl", "JaxSharp.OpenCL")];

    /// <summary>The devices found, and for each platform without one, why.</summary>
    private sealed record Found(Device[] Devices, Dictionary<string, string> Unavailable);

    // over a record class, not a tuple: Lazy's code over a value type is JIT-compiled in every process
    private static readonly Lazy<Found> s_found = new(Discover);
    private static Device? s_default;

    /// <summary>Every device: the CPU first.</summary>
    public static IReadOnlyList<Device> All => s_found.Value.Devices;

    /// <summary>The devices of <paramref name="platform"/>; an error that says why and how to get one when there are none.</summary>
    public static Device[] OfPlatform(string platform)
    {
        var name = platform.Trim().ToLowerInvariant();
        var devices = All.Where(d => d.Platform == name).ToArray();
        if (devices.Length > 0) return devices;
        if (s_found.Value.Unavailable.TryGetValue(name, out var why))
            throw new InvalidOperationException($"devices: no {name} device: {why}");
        throw new ArgumentException($"devices: unknown platform '{platform}'; the platforms are {string.Join(", ", s_backends.Select(b => b.Platform).Prepend("cpu"))}");
    }

    /// <summary>Where computation on uncommitted values runs: the first device of <c>JAXSHARP_PLATFORM</c>'s platform, else the CPU.</summary>
    public static Device Default => s_default ??= ChooseDefault();

    private static Device ChooseDefault()
    {
        var platform = Environment.GetEnvironmentVariable("JAXSHARP_PLATFORM");
        if (string.IsNullOrWhiteSpace(platform) || platform.Trim().Equals("cpu", StringComparison.OrdinalIgnoreCase)) return CpuDevice.Instance;
        try
        {
            return OfPlatform(platform)[0];
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new InvalidOperationException($"JAXSHARP_PLATFORM={platform}: {e.Message}", e);
        }
    }

    private static Found Discover()
    {
        var devices = new List<Device> { CpuDevice.Instance };
        var unavailable = new Dictionary<string, string>();
        foreach (var (platform, assemblyName) in s_backends)
        {
            if (Provider(assemblyName) is not { } provider)
            {
                unavailable[platform] = $"the {assemblyName} package is not referenced; add it to the project (dotnet add package {assemblyName})";
                continue;
            }
            var found = provider.Discover();
            devices.AddRange(found);
            if (found.Count == 0) unavailable[platform] = provider.Unavailable ?? "the backend found no device";
        }
        for (var i = 0; i < devices.Count; i++) devices[i].Id = i;
        return new Found(devices.ToArray(), unavailable);
    }

    private static DeviceProvider? Provider(string assemblyName)
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(assemblyName);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        return assembly.GetCustomAttribute<DeviceProviderAttribute>() is { } attribute
            ? (DeviceProvider)Activator.CreateInstance(attribute.Provider)!
            : null;
    }
}

/// <summary>Where a call on concrete tensors runs: the device its committed arguments share, else the default device.</summary>
internal static class Placement
{
    /// <summary>
    /// The device of <paramref name="args"/>' committed values (whether any is committed, too),
    /// else the default device. Values committed to two devices are an error naming both.
    /// </summary>
    public static (Device Device, bool Committed) Of(Tensor[] args, string op)
    {
        Device? committed = null;
        var first = -1;
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].IsCommitted) continue;
            var device = args[i].Device;
            if (committed is null) (committed, first) = (device, i);
            else if (committed != device)
                throw new InvalidOperationException(
                    $"{op}: argument {first} is committed to {committed} and argument {i} to {device}; a call runs on one device. " +
                    $"Move one first: Jax.DevicePut(x, device) (F#: devicePut device x).");
        }
        return committed is null ? (DeviceRegistry.Default, false) : (committed, true);
    }
}
