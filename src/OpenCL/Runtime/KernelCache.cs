using System.Text;
using Silk.NET.OpenCL;

namespace JaxSharp.OpenCL.Runtime;

/// <summary>A built kernel: its cl_kernel handle (and program), and its name for messages.</summary>
internal sealed record CompiledKernel(nint Handle, nint Program, string Name);

/// <summary>
/// The kernels built on one device, keyed by their OpenCL C source: two programs (or two eager
/// calls) that print the same kernel build it once. Sources are specialised to their shapes, so
/// the number of entries is the number of distinct fused groups met; at most
/// <see cref="Capacity"/> are kept, the oldest released first.
/// </summary>
internal sealed unsafe class KernelCache(OpenCLDevice device, nint context, nint deviceId)
{
    /// <summary>The most kernels kept.</summary>
    public const int Capacity = 2048;

    private readonly Dictionary<string, CompiledKernel> _kernels = [];
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    /// <summary>The number of kernels built and kept.</summary>
    public int Count
    {
        get { lock (_lock) return _kernels.Count; }
    }

    /// <summary>The kernel <paramref name="name"/> of <paramref name="source"/>, built on first use.</summary>
    public CompiledKernel Get(string source, string name)
    {
        lock (_lock)
        {
            if (_kernels.TryGetValue(source, out var known)) return known;
            var built = Build(source, name);
            _kernels[source] = built;
            _order.Enqueue(source);
            // kernels dropped here may be queued still: OpenCL keeps them until their work is done
            while (_kernels.Count > Capacity && _order.TryDequeue(out var oldest) && _kernels.Remove(oldest, out var dropped))
            {
                ClApi.Api.ReleaseKernel(dropped.Handle);
                ClApi.Api.ReleaseProgram(dropped.Program);
            }
            return built;
        }
    }

    private CompiledKernel Build(string source, string name)
    {
        int code;
        var text = Encoding.UTF8.GetBytes(source);
        var length = (nuint)text.Length;
        nint program;
        fixed (byte* p = text)
        {
            var strings = p;
            program = ClApi.Api.CreateProgramWithSource(context, 1, &strings, &length, &code);
        }
        ClApi.Check(code, $"clCreateProgramWithSource on {device}");
        var options = Encoding.UTF8.GetBytes("-cl-std=CL1.2" + (device.CorrectlyRoundedDivide ? " -cl-fp32-correctly-rounded-divide-sqrt" : "") + "\0");
        var id = deviceId;
        fixed (byte* o = options) code = ClApi.Api.BuildProgram(program, 1, &id, o, null, null);
        if (code != 0)
        {
            var log = BuildLog(program);
            ClApi.Api.ReleaseProgram(program);
            throw new InvalidOperationException($"opencl: building kernel {name} on {device} failed (error {code}). Build log:\n{log}\nSource:\n{source}");
        }
        var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        nint kernel;
        fixed (byte* n = nameBytes) kernel = ClApi.Api.CreateKernel(program, n, &code);
        ClApi.Check(code, $"clCreateKernel {name} on {device}");
        return new CompiledKernel(kernel, program, name);
    }

    private string BuildLog(nint program)
    {
        nuint size;
        if (ClApi.Api.GetProgramBuildInfo(program, deviceId, ProgramBuildInfo.BuildLog, 0, null, &size) != 0) return "(no log)";
        var bytes = new byte[size];
        fixed (byte* b = bytes) ClApi.Api.GetProgramBuildInfo(program, deviceId, ProgramBuildInfo.BuildLog, size, b, null);
        return Encoding.UTF8.GetString(bytes).TrimEnd('\0');
    }
}
