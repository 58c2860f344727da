using System.Runtime.Intrinsics.X86;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// The running CPU's per-core data caches, read once from Linux's
/// <c>/sys/devices/system/cpu/cpu0/cache/index*/</c> (level, type, size), else from the CPU itself
/// (<see cref="FromCpuId"/>: a virtual machine's kernel may list no caches). Where neither says,
/// typical sizes of current x86 cores: 32 KiB of L1 data, 512 KiB of L2. The blocking of
/// <see cref="BlockedGemm{T, TKernel}"/> and <see cref="ConvProduct"/> derives from these.
/// </summary>
internal static class CacheSizes
{
    private const string Root = "/sys/devices/system/cpu/cpu0/cache";

    /// <summary>The level-1 data cache of one core, in bytes.</summary>
    public static int L1Data { get; } = Read(1) ?? FromCpuId(1) ?? 32 * 1024;

    /// <summary>The level-2 cache of one core, in bytes.</summary>
    public static int L2 { get; } = Read(2) ?? FromCpuId(2) ?? 512 * 1024;

    /// <summary>
    /// The size of the data (or unified) cache at <paramref name="level"/> as the CPU reports it: its
    /// deterministic cache parameters (Intel's CPUID leaf 4, AMD's 0x8000001D: ways x partitions x
    /// line x sets), else AMD's older L1 and L2 leaves (0x80000005, 0x80000006), which hypervisors
    /// that hide the first still pass through. Null off x86 or where the CPU reports none.
    /// </summary>
    internal static int? FromCpuId(int level)
    {
        if (!X86Base.IsSupported) return null;
        var (maxBasic, vendor, _, _) = X86Base.CpuId(0, 0);
        var amd = vendor == 0x68747541; // "Auth" of "AuthenticAMD"
        var maxExtended = (uint)X86Base.CpuId(unchecked((int)0x80000000), 0).Eax;
        var leaf = amd ? (maxExtended >= 0x8000001D ? unchecked((int)0x8000001D) : 0) : maxBasic >= 4 ? 4 : 0;
        for (var sub = 0; leaf != 0 && sub < 16; sub++)
        {
            var (eax, ebx, ecx, _) = X86Base.CpuId(leaf, sub);
            var type = (uint)eax & 0x1F; // 0: no more caches, 2: instruction
            if (type == 0) break;
            if (type == 2 || ((uint)eax >> 5 & 7) != level) continue;
            var size = (((uint)ebx >> 22) + 1L) * (((uint)ebx >> 12 & 0x3FF) + 1) * (((uint)ebx & 0xFFF) + 1) * ((uint)ecx + 1L);
            return size is > 0 and <= int.MaxValue ? (int)size : null;
        }
        // AMD's L1 leaf gives the data cache's KiB in ECX[31:24], its L2 leaf the L2's in ECX[31:16]
        var kilobytes = !amd ? 0
            : level == 1 && maxExtended >= 0x80000005 ? (uint)X86Base.CpuId(unchecked((int)0x80000005), 0).Ecx >> 24
            : level == 2 && maxExtended >= 0x80000006 ? (uint)X86Base.CpuId(unchecked((int)0x80000006), 0).Ecx >> 16
            : 0;
        return kilobytes > 0 ? (int)kilobytes * 1024 : null;
    }

    /// <summary>The size of the data (or unified) cache at <paramref name="level"/>, or null when the system does not say.</summary>
    /// <remarks>
    /// The files are read as bytes through a file handle and parsed by hand: the first
    /// <c>File.ReadAllText</c>, directory enumeration and culture-aware <c>int.Parse</c> of a process
    /// (its text readers, its globalization data) cost several ms of a first product.
    /// </remarks>
    private static int? Read(int level)
    {
        try
        {
            for (var i = 0; File.Exists($"{Root}/index{i}/level"); i++)
            {
                var index = $"{Root}/index{i}/";
                if (ParseSize(ReadAscii(index + "level")) != level || ReadAscii(index + "type") == "Instruction") continue;
                return ParseSize(ReadAscii(index + "size"));
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>The first line of a short ASCII file (sysfs's), without its line end.</summary>
    private static string ReadAscii(string path)
    {
        using var handle = File.OpenHandle(path);
        Span<byte> buffer = stackalloc byte[64];
        var read = RandomAccess.Read(handle, buffer, 0);
        var text = new char[read];
        for (var k = 0; k < read; k++) text[k] = (char)buffer[k];
        return new string(text).Trim();
    }

    /// <summary>A size as the kernel writes it ("48K", "2048K", "32M"), in bytes; null when it is not one.</summary>
    internal static int? ParseSize(string text)
    {
        var s = text.Trim();
        var scale = s.EndsWith('K') ? 1024 : s.EndsWith('M') ? 1024 * 1024 : 1;
        if (scale > 1) s = s[..^1];
        if (s.Length is 0 or > 9) return null;
        var value = 0;
        foreach (var c in s)
        {
            if (c is < '0' or > '9') return null;
            value = value * 10 + (c - '0');
        }
        return value > 0 && value <= int.MaxValue / scale ? value * scale : null;
    }
}
