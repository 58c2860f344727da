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
    private static int? Read(int level)
    {
        try
        {
            if (!Directory.Exists(Root)) return null;
            foreach (var index in Directory.EnumerateDirectories(Root, "index*"))
            {
                var type = File.ReadAllText(Path.Combine(index, "type")).Trim();
                if (File.ReadAllText(Path.Combine(index, "level")).Trim() != level.ToString() || type == "Instruction") continue;
                return ParseSize(File.ReadAllText(Path.Combine(index, "size")));
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>A size as the kernel writes it ("48K", "2048K", "32M"), in bytes; null when it is not one.</summary>
    internal static int? ParseSize(string text)
    {
        var s = text.Trim();
        var scale = s.EndsWith('K') ? 1024 : s.EndsWith('M') ? 1024 * 1024 : 1;
        if (scale > 1) s = s[..^1];
        return int.TryParse(s, out var value) && value > 0 ? value * scale : null;
    }
}
