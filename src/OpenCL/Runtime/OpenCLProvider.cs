using Silk.NET.OpenCL;

[assembly: JaxSharp.DeviceProvider(typeof(JaxSharp.OpenCL.Runtime.OpenCLProvider))]

namespace JaxSharp.OpenCL.Runtime;

/// <summary>Finds every device of every OpenCL platform; none, with the reason, when OpenCL is not installed.</summary>
internal sealed unsafe class OpenCLProvider : DeviceProvider
{
    private const string HowToGetOne =
        "install the OpenCL driver of your GPU's vendor, or PoCL for CPUs (Debian/Ubuntu: apt-get install pocl-opencl-icd ocl-icd-libopencl1)";

    /// <inheritdoc/>
    public override string Platform => "opencl";

    /// <inheritdoc/>
    public override string? Unavailable => _unavailable;

    private string? _unavailable;

    /// <inheritdoc/>
    public override IReadOnlyList<Device> Discover()
    {
        try
        {
            var devices = new List<Device>();
            uint count;
            var code = ClApi.Api.GetPlatformIDs(0, null, &count);
            if (code != 0 || count == 0)
            {
                _unavailable = $"no OpenCL platform is installed (clGetPlatformIDs: {code}, {count} platforms); {HowToGetOne}";
                return devices;
            }
            var platforms = new nint[count];
            fixed (nint* p = platforms) ClApi.Check(ClApi.Api.GetPlatformIDs(count, p, null), "clGetPlatformIDs");
            foreach (var platform in platforms)
            {
                uint n;
                if (ClApi.Api.GetDeviceIDs(platform, DeviceType.All, 0, null, &n) != 0 || n == 0) continue;
                var ids = new nint[n];
                fixed (nint* d = ids) ClApi.Check(ClApi.Api.GetDeviceIDs(platform, DeviceType.All, n, d, null), "clGetDeviceIDs");
                var platformName = ClApi.PlatformString(platform, PlatformInfo.Name);
                devices.AddRange(ids.Select(id => new OpenCLDevice(platformName, id)));
            }
            if (devices.Count == 0) _unavailable = $"the OpenCL platforms list no device; {HowToGetOne}";
            return devices;
        }
        catch (Exception e) when (e is DllNotFoundException or FileNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            _unavailable = $"the OpenCL library could not be loaded ({e.GetType().Name}: {e.Message}); {HowToGetOne}";
            return [];
        }
    }
}
