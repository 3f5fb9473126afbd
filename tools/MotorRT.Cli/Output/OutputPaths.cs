using MotorRT.Cli.Errors;
using MotorRT.Runtime.Telemetry;

namespace MotorRT.Cli.Output;

/// <summary>
/// Checks output paths before anything is armed or computed, so a bad <c>--out</c> / <c>-o</c> is an input error
/// (exit 2) naming the option, never an exception half-way through a run.
/// </summary>
public static class OutputPaths
{
    /// <summary>
    /// Makes sure <paramref name="dir"/> is (or can be created as) a directory: not an existing file, not under a file.
    /// Creates it. <paramref name="option"/> names the argument in the message (e.g. "--out").
    /// </summary>
    public static string PrepareDirectory(string dir, string option)
    {
        string full = Path.GetFullPath(dir);
        if (File.Exists(full))
        {
            throw CliException.Input($"{option} {dir}: is an existing file, not a directory", $"name a directory for {option}, or remove the file");
        }
        if (FileAncestor(full) is { } file)
        {
            throw CliException.Input($"{option} {dir}: {file} is a file, so nothing can be created under it", $"name a directory for {option} that is not under a file");
        }
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Input($"{option} {dir}: cannot create the directory ({e.Message})", $"choose a directory you may write for {option}");
        }
        return full;
    }

    /// <summary>
    /// Makes sure <paramref name="path"/> can be written as a regular file: its folder exists (created if missing, not a
    /// file), and the path itself is absent or a regular file — not a directory, FIFO, device or socket (opening a FIFO
    /// would block the run). <paramref name="option"/> names the argument or file role in the message.
    /// </summary>
    public static string CheckFile(string path, string option)
    {
        string full = Path.GetFullPath(path);
        switch (RegularFile.Of(full))
        {
            case RegularFile.Kind.Directory:
                throw CliException.Input($"{full} is a directory, not a file ({option})", $"remove the directory or choose another {option}");
            case RegularFile.Kind.Special:
                throw CliException.Input($"{full} exists and is not a regular file but a FIFO, socket or device ({option})", $"remove it or choose another {option}");
        }
        if (FileAncestor(full) is { } file)
        {
            throw CliException.Input($"{option} {path}: {file} is a file, so nothing can be created under it", $"choose another {option}");
        }
        string? folder = Path.GetDirectoryName(full);
        if (folder is not null)
        {
            PrepareDirectory(folder, option);
        }
        return full;
    }

    /// <summary>The nearest existing ancestor of <paramref name="full"/> when it is a file (not a directory), else null.</summary>
    private static string? FileAncestor(string full)
    {
        for (string? parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent)) return null;
            if (File.Exists(parent)) return parent;
        }
        return null;
    }
}
