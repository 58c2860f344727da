using System.Text;
using Silk.NET.OpenCL;

namespace JaxSharp.OpenCL.Runtime;

/// <summary>A built kernel: its cl_kernel handle (and program), and its name for messages.</summary>
internal sealed record CompiledKernel(nint Handle, nint Program, string Name);

/// <summary>
/// The kernels built on one device, keyed by their OpenCL C source: two programs (or two eager
/// calls) that print the same kernel build it once. Sources are specialised to their shapes, so
/// the number of entries is the number of distinct fused groups met; at most
/// <see cref="Capacity"/> are kept, the oldest released first. With a <see cref="BinaryCache"/>,
/// a program built from source stores its binary on disk, and a later process (or cache) loads
/// it from there instead of compiling; a binary the driver refuses is rebuilt from source and replaced.
/// </summary>
internal sealed unsafe class KernelCache(OpenCLDevice device, nint context, nint deviceId, BinaryCache? disk)
{
    /// <summary>The most kernels kept.</summary>
    public const int Capacity = 2048;

    private readonly Dictionary<string, CompiledKernel> _kernels = [];
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    /// <summary>Programs compiled from source.</summary>
    public int SourceBuilds { get; private set; }

    /// <summary>Programs loaded from the disk cache's binaries.</summary>
    public int DiskLoads { get; private set; }

    /// <summary>Binaries stored to the disk cache.</summary>
    public int DiskStores { get; private set; }

    /// <summary>Files of the disk cache that were corrupt or refused by the driver (then rebuilt and replaced).</summary>
    public int DiskRejects { get; private set; }

    /// <summary>The on-disk cache, or null when binaries are not kept.</summary>
    public BinaryCache? Disk => disk;

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
        var options = "-cl-std=CL1.2" + (device.CorrectlyRoundedDivide ? " -cl-fp32-correctly-rounded-divide-sqrt" : "");
        var file = disk?.PathOf(options, source);
        if (file is not null && File.Exists(file))
        {
            if (BinaryCache.TryRead(file) is { } binary && FromBinary(binary, options, name) is { } loaded)
            {
                DiskLoads++;
                return loaded;
            }
            DiskRejects++;
        }
        var program = FromSource(source, options, name);
        SourceBuilds++;
        if (file is not null && Binary(program) is { } built && disk!.TryWrite(file, built)) DiskStores++;
        return Kernel(program, name);
    }

    private nint FromSource(string source, string options, string name)
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
        code = BuildProgram(program, options);
        if (code != 0)
        {
            var log = BuildLog(program);
            ClApi.Api.ReleaseProgram(program);
            throw new InvalidOperationException($"opencl: building kernel {name} on {device} failed (error {code}). Build log:\n{log}\nSource:\n{source}");
        }
        return program;
    }

    /// <summary>The kernel of a binary from the disk cache; null when the driver refuses it (another driver's, or damaged).</summary>
    private CompiledKernel? FromBinary(byte[] binary, string options, string name)
    {
        int code, status;
        var id = deviceId;
        var length = (nuint)binary.Length;
        nint program;
        fixed (byte* b = binary)
        {
            var binaries = b;
            program = ClApi.Api.CreateProgramWithBinary(context, 1, &id, &length, &binaries, &status, &code);
        }
        if (code != 0 || status != 0 || program == 0 || BuildProgram(program, options) != 0)
        {
            if (program != 0) ClApi.Api.ReleaseProgram(program);
            return null;
        }
        var kernel = CreateKernel(program, name, out code);
        if (code == 0) return new CompiledKernel(kernel, program, name);
        ClApi.Api.ReleaseProgram(program);
        return null;
    }

    private int BuildProgram(nint program, string options)
    {
        var bytes = Encoding.UTF8.GetBytes(options + "\0");
        var id = deviceId;
        fixed (byte* o = bytes) return ClApi.BuildProgram(program, &id, o);
    }

    /// <summary>The device binary of a built program (CL_PROGRAM_BINARIES); null when the driver gives none.</summary>
    private static byte[]? Binary(nint program)
    {
        nuint size;
        if (ClApi.Api.GetProgramInfo(program, ProgramInfo.BinarySizes, (nuint)sizeof(nuint), &size, null) != 0 || size == 0) return null;
        var binary = new byte[size];
        fixed (byte* b = binary)
        {
            var pointer = b;
            if (ClApi.Api.GetProgramInfo(program, ProgramInfo.Binaries, (nuint)sizeof(nint), &pointer, null) != 0) return null;
        }
        return binary;
    }

    private CompiledKernel Kernel(nint program, string name)
    {
        var kernel = CreateKernel(program, name, out var code);
        ClApi.Check(code, $"clCreateKernel {name} on {device}");
        return new CompiledKernel(kernel, program, name);
    }

    private static nint CreateKernel(nint program, string name, out int code)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* n = nameBytes)
        fixed (int* c = &code)
            return ClApi.Api.CreateKernel(program, n, c);
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
