using System.Text;
using Silk.NET.OpenCL;

namespace JaxSharp.OpenCL.Runtime;

/// <summary>The OpenCL entry points (Silk.NET's binding of the installed ICD loader) and their error checks.</summary>
internal static unsafe class ClApi
{
    private static readonly Lazy<CL> s_api = new(CL.GetApi);

    /// <summary>The API; loading it throws when no OpenCL library (libOpenCL.so.1, OpenCL.dll) is installed.</summary>
    public static CL Api => s_api.Value;

    private static readonly Lazy<nint> s_buildProgram = new(() => Api.Context.GetProcAddress("clBuildProgram"));

    /// <summary>
    /// <c>clBuildProgram</c> without a notification callback, called through its entry point rather
    /// than Silk.NET's overloads, which all take a callback delegate and keep it alive through
    /// <c>GcUtility</c>: per-entry-point lists of GC handles that every thread shares, changed
    /// inside a concurrent dictionary's update function without a lock. Kernels are built from
    /// many threads at once, and the parallel tests once failed with an
    /// <c>ArgumentOutOfRangeException</c> ("Index was out of range ... collection") out of that
    /// call; a handle freed twice there would also explain a segfault seen in the runtime. Not
    /// reproduced on demand (800 concurrent builds passed either way), so this removes the
    /// suspect rather than a proven cause.
    /// </summary>
    public static int BuildProgram(nint program, nint* device, byte* options) =>
        ((delegate* unmanaged<nint, uint, nint*, byte*, nint, nint, int>)s_buildProgram.Value)(program, 1, device, options, 0, 0);

    /// <summary>Throws an <see cref="InvalidOperationException"/> naming <paramref name="what"/> when <paramref name="code"/> is an error.</summary>
    public static void Check(int code, string what)
    {
        if (code != 0) throw new InvalidOperationException($"opencl: {what} failed with error {code} ({Describe(code)})");
    }

    /// <summary>A few common error codes by name.</summary>
    private static string Describe(int code) => code switch
    {
        -4 => "CL_MEM_OBJECT_ALLOCATION_FAILURE: the device is out of memory",
        -5 => "CL_OUT_OF_RESOURCES",
        -6 => "CL_OUT_OF_HOST_MEMORY",
        -11 => "CL_BUILD_PROGRAM_FAILURE",
        -30 => "CL_INVALID_VALUE",
        -38 => "CL_INVALID_MEM_OBJECT",
        -48 => "CL_INVALID_KERNEL",
        -54 => "CL_INVALID_WORK_GROUP_SIZE",
        -61 => "CL_INVALID_BUFFER_SIZE",
        -1001 => "CL_PLATFORM_NOT_FOUND_KHR: no OpenCL platform is installed",
        _ => "see the OpenCL error codes",
    };

    /// <summary>A string property of a platform.</summary>
    public static string PlatformString(nint platform, PlatformInfo info)
    {
        nuint size;
        Check(Api.GetPlatformInfo(platform, info, 0, null, &size), "clGetPlatformInfo");
        var bytes = new byte[size];
        fixed (byte* p = bytes) Check(Api.GetPlatformInfo(platform, info, size, p, null), "clGetPlatformInfo");
        return Encoding.UTF8.GetString(bytes).TrimEnd('\0').Trim();
    }

    /// <summary>A string property of a device.</summary>
    public static string DeviceString(nint device, DeviceInfo info)
    {
        nuint size;
        Check(Api.GetDeviceInfo(device, info, 0, null, &size), "clGetDeviceInfo");
        var bytes = new byte[size];
        fixed (byte* p = bytes) Check(Api.GetDeviceInfo(device, info, size, p, null), "clGetDeviceInfo");
        return Encoding.UTF8.GetString(bytes).TrimEnd('\0').Trim();
    }

    /// <summary>A fixed-size property of a device.</summary>
    public static T DeviceValue<T>(nint device, DeviceInfo info) where T : unmanaged
    {
        T value;
        Check(Api.GetDeviceInfo(device, info, (nuint)sizeof(T), &value, null), "clGetDeviceInfo");
        return value;
    }
}
