namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// The running CPU's per-core data caches, read once from Linux's
/// <c>/sys/devices/system/cpu/cpu0/cache/index*/</c> (level, type, size). Where that is not
/// readable (another OS, a container hiding it), typical sizes of current x86 cores: 32 KiB of
/// L1 data, 512 KiB of L2. The blocking of <see cref="BlockedGemm{T, TKernel}"/> derives from these.
/// </summary>
internal static class CacheSizes
{
    private const string Root = "/sys/devices/system/cpu/cpu0/cache";

    /// <summary>The level-1 data cache of one core, in bytes.</summary>
    public static int L1Data { get; } = Read(1) ?? 32 * 1024;

    /// <summary>The level-2 cache of one core, in bytes.</summary>
    public static int L2 { get; } = Read(2) ?? 512 * 1024;

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
