using System.Security.Cryptography;
using System.Text;

namespace JaxSharp.OpenCL.Runtime;

/// <summary>
/// Program binaries kept on disk between processes, one file per program, named by a SHA-256
/// of the device (platform, name, driver and OpenCL versions), the build options and the
/// source, so that a new driver or different options never meet an old binary. A file holds a
/// header and the SHA-256 of the binary before it: a truncated or corrupt file is refused here
/// (and rebuilt and replaced by the caller), not handed to the driver. Writes go through a
/// temporary file and a rename, so that processes sharing the directory never read half a
/// file; a directory that cannot be written only means nothing is kept.
/// </summary>
internal sealed class BinaryCache(string directory, string device)
{
    /// <summary>The environment variable that names the directory.</summary>
    public const string DirectoryVariable = "JAXSHARP_CACHE_DIR";

    private static readonly byte[] s_magic = "JAXSHARP-CL-BINARY-1\n"u8.ToArray();

    /// <summary>The directory of the binaries.</summary>
    public string Directory { get; } = directory;

    /// <summary>
    /// The default directory: <c>JAXSHARP_CACHE_DIR</c> when set, else <c>jaxsharp/opencl</c> in
    /// the user's cache directory (<c>$XDG_CACHE_HOME</c>, <c>~/.cache</c>, or the local
    /// application data folder on Windows); null when there is no such directory.
    /// </summary>
    public static string? DefaultDirectory()
    {
        var chosen = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrEmpty(chosen)) return chosen;
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(root))
            root = OperatingSystem.IsWindows()
                ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return string.IsNullOrEmpty(root) || !Path.IsPathRooted(root) ? null : Path.Combine(root, "jaxsharp", "opencl");
    }

    /// <summary>The file of the program built from <paramref name="source"/> with <paramref name="options"/>.</summary>
    public string PathOf(string options, string source)
    {
        var key = SHA256.HashData(Encoding.UTF8.GetBytes($"{device}\0{options}\0{source}"));
        return Path.Combine(Directory, Convert.ToHexStringLower(key) + ".bin");
    }

    /// <summary>The binary stored at <paramref name="path"/>; null when there is none, or it is truncated or corrupt.</summary>
    public static byte[]? TryRead(string path)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var header = s_magic.Length + SHA256.HashSizeInBytes;
        if (file.Length <= header || !file.AsSpan(0, s_magic.Length).SequenceEqual(s_magic)) return null;
        var binary = file[header..];
        return SHA256.HashData(binary).AsSpan().SequenceEqual(file.AsSpan(s_magic.Length, SHA256.HashSizeInBytes)) ? binary : null;
    }

    /// <summary>Stores <paramref name="binary"/> at <paramref name="path"/>, replacing what was there; false when the directory cannot be written.</summary>
    public bool TryWrite(string path, byte[] binary)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            using (var stream = File.Create(temporary))
            {
                stream.Write(s_magic);
                stream.Write(SHA256.HashData(binary));
                stream.Write(binary);
            }
            File.Move(temporary, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // the directory refuses even that: there is nothing left to clean up that we could
            }
            return false;
        }
    }
}
