using System.Runtime.InteropServices;

namespace MotorRT.Runtime.Telemetry;

/// <summary>
/// What kind of thing a path names, checked before an output file is opened: opening a FIFO for writing blocks until
/// a reader appears (a run that hangs and ignores SIGTERM), and a directory or device is never a trace file. .NET's
/// <see cref="FileInfo"/> reports all of these as "Normal", so on Linux this asks <c>stat(2)</c>.
/// </summary>
public static partial class RegularFile
{
    /// <summary>What a path is.</summary>
    public enum Kind
    {
        /// <summary>Nothing there.</summary>
        Missing,
        /// <summary>A regular file.</summary>
        Regular,
        /// <summary>A directory.</summary>
        Directory,
        /// <summary>A FIFO, socket, character or block device.</summary>
        Special,
    }

    /// <summary>What <paramref name="path"/> names (following symbolic links, as opening it would).</summary>
    public static Kind Of(string path)
    {
        if (Directory.Exists(path)) return Kind.Directory;
        if (!File.Exists(path)) return Kind.Missing;
        return OperatingSystem.IsLinux() && StatMode(path) is uint mode && (mode & 0xF000u) != 0x8000u ? Kind.Special : Kind.Regular;
    }

    /// <summary>
    /// Throws <see cref="IOException"/> naming <paramref name="path"/> unless it is missing or a regular file
    /// (call before opening it for writing).
    /// </summary>
    public static void EnsureWritable(string path)
    {
        switch (Of(path))
        {
            case Kind.Directory:
                throw new IOException($"{path} is a directory, not a file; remove it or choose another output path");
            case Kind.Special:
                throw new IOException($"{path} is not a regular file (a FIFO, socket or device); remove it or choose another output path");
        }
    }

    private static uint? StatMode(string path)
    {
        // struct stat: st_mode at offset 24 on x86-64 (dev, ino, nlink before it), at 16 on the generic layout (arm64).
        int offset = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 24,
            Architecture.Arm64 => 16,
            _ => -1,
        };
        if (offset < 0) return null;
        Span<byte> buffer = stackalloc byte[256];
        try
        {
            return Stat(path, ref MemoryMarshal.GetReference(buffer)) == 0 ? BitConverter.ToUInt32(buffer[offset..]) : null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, ref byte buffer);
}
