using System.Net.Sockets;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Cli.Errors;

/// <summary>
/// Turns any exception that reaches the entry point into the error contract: one or two lines on stderr naming what
/// failed and how to fix it, and a documented exit code (<see cref="ExitCodes"/>). The stack trace only with
/// <c>--verbose</c>.
/// </summary>
public static class CliErrorReporter
{
    /// <summary>Prints <paramref name="e"/> for <paramref name="command"/> and returns its exit code.</summary>
    public static int Report(Exception e, string command, bool verbose, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(error);
        if (e is AggregateException { InnerExceptions.Count: 1 } agg) e = agg.InnerExceptions[0];
        (int code, string line1, string? line2) = Classify(e);
        string prefix = command.Length > 0 ? $"motorrt {command}: " : "motorrt: ";
        error.WriteLine(prefix + OneLine(line1));
        if (line2 is not null) error.WriteLine("  " + OneLine(line2));
        if (verbose) error.WriteLine(e.ToString());
        return code;
    }

    private static (int Code, string What, string? Fix) Classify(Exception e) => e switch
    {
        CliException c => (c.ExitCode, c.What, c.Fix.Length > 0 ? "fix: " + c.Fix : null),
        ConfigException c => (ExitCodes.InputError, c.Message, null),
        InvalidDataException d => (ExitCodes.InputError, d.Message, "fix: check the file's contents against its format (see the README)"),
        SocketException s when s.SocketErrorCode == SocketError.AddressAlreadyInUse =>
            (ExitCodes.RuntimeError, $"the UDP port is in use ({s.Message})", "fix: stop the other server or choose another port with --port"),
        SocketException s => (ExitCodes.RuntimeError, $"network error: {s.Message} ({s.SocketErrorCode})", "fix: check that the plant server is running and the port is right"),
        UnauthorizedAccessException u => (ExitCodes.RuntimeError, $"access denied: {u.Message}", "fix: choose a path you may write, or fix its permissions"),
        FileNotFoundException f => (ExitCodes.InputError, $"file not found: {f.FileName ?? f.Message}", "fix: check the path"),
        DirectoryNotFoundException d => (ExitCodes.InputError, d.Message, "fix: check the path"),
        IOException io => (ExitCodes.RuntimeError, io.Message, null),
        OperationCanceledException => (ExitCodes.RuntimeError, "cancelled", null),
        _ => (ExitCodes.RuntimeError, $"internal error: {e.GetType().Name}: {e.Message}", "rerun with --verbose for the stack trace and report it"),
    };

    private static string OneLine(string s)
    {
        s = s.Replace("\r", "", StringComparison.Ordinal).Trim();
        int nl = s.IndexOf('\n', StringComparison.Ordinal);
        return nl < 0 ? s : s[..nl] + " …";
    }
}
